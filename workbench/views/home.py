"""The workbench home: what the current organisation should do next, every section of its
roles, and the organisation switcher's action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..access import member_required
from ..roles import PRODUCER, switch_organization, workspace_for
from . import page


@require_GET
@member_required()
def home(request):
    workspace = request.workspace
    context = {"todo": []}
    if PRODUCER in workspace.roles:
        context["todo"] = selectors.producer_todo(workspace.current)
    return page(request, "workbench/home.html", context)


@require_POST
@member_required()
def switch(request):
    workspace = workspace_for(request)
    organization = workspace.organization(request.POST.get("organization"))
    if organization is None:
        raise Http404
    switch_organization(request, organization)
    messages.success(request, _("You are now working for %(org)s.") % {"org": organization.name})
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    return redirect(target or "workbench:home")
