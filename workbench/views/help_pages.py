"""Help in plain words for each role of the workbench, and for the county official who
reads the figures (``/work/help/`` and ``/work/help/<role>/``): what the job is, how to get
in, the steps in order with the words the pages use explained, and, for the brand licence,
the time limits the brands are set up with. Anyone may read them, signed in or not: a
person is sent here before they have an account."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brand.models import RegionalBrand
from brand.services.licences import RENEWAL_WINDOW_DAYS
from brand.services.scheduled import REMINDER_DAYS

from .. import nav
from ..roles import AUTHORITY, HOST, LICENSEE, OPERATOR, PRODUCER, workspace_for
from . import page

OFFICIAL = "official"


def _roles():
    return {
        PRODUCER: (_("Cooperative or enterprise"),
                   _("Record what you buy, grade and pack it with a trace code per package, "
                     "sell and ship it.")),
        LICENSEE: (_("Brand licensee"),
                   _("Apply to use the regional brand, receive the certificate, use the "
                     "brand's labels and report their use.")),
        AUTHORITY: (_("Brand authority"),
                    _("Review applications, run the public notice, grant, suspend and "
                      "revoke licences.")),
        HOST: (_("Livestream host"),
               _("Book the weekly broadcasts, pick the line-up and live prices, go live and "
                 "review the sales.")),
        OPERATOR: (_("Pavilion operator"),
                   _("Run the catalogue, the orders and the broadcasts; approve new "
                     "sellers.")),
        OFFICIAL: (_("County official"),
                   _("Read the county's figures, file the monthly and yearly reports, show "
                     "the big-data screen.")),
    }


def _page(request, template, context, trail):
    request.workspace = workspace_for(request)
    return page(request, template, context, crumbs=[
        (_("Help"), reverse("workbench:help")), *trail] if trail else [(_("Help"), None)])


@require_GET
def help_index(request):
    workspace = workspace_for(request)
    mine = set(workspace.roles)
    roles = [{"key": key, "label": label, "text": text, "mine": key in mine}
             for key, (label, text) in _roles().items()]
    return _page(request, "workbench/help/index.html", {"roles": roles}, None)


@require_GET
def help_role(request, role):
    roles = _roles()
    if role not in roles:
        raise Http404
    brands = list(RegionalBrand.objects.filter(is_active=True)
                  .select_related("authority").order_by("county", "pk"))
    context = {
        "role": role, "title": roles[role][0], "brands": brands,
        "notice_days": min((b.notice_days for b in brands), default=5),
        "renewal_days": RENEWAL_WINDOW_DAYS,
        "reminder_days": "、".join(str(d) for d in REMINDER_DAYS),
        "invitation_days": settings.MEMBER_INVITATION_DAYS,
        "sections": [s for s in nav.sections_for({role}) if s.key != "statistics"],
    }
    return _page(request, f"workbench/help/{role}.html", context, [(roles[role][0], None)])
