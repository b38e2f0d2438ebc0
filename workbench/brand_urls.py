"""The brand licensee's and the brand authority's pages, mounted at ``/work/brand/``
(URL names in the ``workbench`` namespace, prefixed ``brand-``), and their sections of
the workbench's navigation."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .nav import Section, register
from .roles import AUTHORITY, LICENSEE
from .views import brand, brand_authority

for _section in (
    Section("brand", _("Brand licence"), "brand", (LICENSEE,),
            _("Apply for the regional brand, follow the review, labels and yearly report."),
            order=60, short=_("Brand")),
    Section("brand-review", _("Review queue"), "brand-review", (AUTHORITY,),
            _("Applications to review, public notices and objections."), primary=True,
            order=10, short=_("Reviewing")),
    Section("brand-register", _("Register of licensees"), "brand-register", (AUTHORITY,),
            _("Licences with their expiry dates: suspend, revoke, renew, violations."),
            primary=True, order=20, short=_("Brand register")),
):
    register(_section)

urlpatterns = [
    # The licensee
    path("", brand.brand_home, name="brand"),
    path("apply/", brand.application_create, name="brand-apply"),
    path("applications/<int:pk>/", brand.application_detail, name="brand-application"),
    path("licences/<int:pk>/", brand.licence_detail, name="brand-licence"),
    # The authority
    path("review/", brand_authority.review_queue, name="brand-review"),
    path("review/<int:pk>/", brand_authority.review_detail, name="brand-review-detail"),
    path("register/", brand_authority.register, name="brand-register"),
    path("register/<int:pk>/", brand_authority.licence_manage, name="brand-licence-manage"),
]
