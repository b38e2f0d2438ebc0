"""Members of an organisation and joining the pavilion, mounted at ``/work/``: the
members page, an invitation's link, the application to join (入驻申请) and the operating
team's review of applications; and their sections of the workbench's navigation."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .nav import Section, register
from .roles import AUTHORITY, LICENSEE, OPERATOR, PRODUCER
from .views import members, signup

for _section in (
    Section("members", _("Members"), "members", (PRODUCER, LICENSEE, AUTHORITY, OPERATOR),
            _("Who works here: invite colleagues, change roles."), order=95),
    Section("signup-review", _("Applications to join"), "signup-queue", (OPERATOR,),
            _("Cooperatives and enterprises applying to join the pavilion."), order=85,
            short=_("Joining")),
):
    register(_section)

urlpatterns = [
    path("members/", members.member_list, name="members"),
    path("join/<str:token>/", members.join, name="join"),
    path("signup/", signup.apply, name="signup"),
    path("signup/review/", signup.review_queue, name="signup-queue"),
    path("signup/review/<int:pk>/", signup.review, name="signup-review"),
    path("signup/review/<int:pk>/licence/", signup.licence_photo, name="signup-licence"),
]
