"""The workbench home: each role's first steps with their progress (``first_steps``), what
the current organisation (and the host) should do next, each item a link to the page where
it is done, every section of its roles, and the organisation switcher's action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import brand_selectors, first_steps, live_selectors, selectors
from ..access import member_required
from ..roles import (
    AUTHORITY,
    HOST,
    LICENSEE,
    OPERATOR,
    PRODUCER,
    switch_organization,
    workspace_for,
)
from . import page, signup

URGENCY = ("bad", "warn", "info")


@require_GET
@member_required()
def home(request):
    workspace = request.workspace
    roles, current = workspace.roles, workspace.current
    todo = []
    if OPERATOR in roles or HOST in roles:
        # Operators see every broadcast; a host (not working as an operator) their own.
        todo += live_selectors.live_todo(None if OPERATOR in roles else workspace.host)
    if OPERATOR in roles:
        todo += signup.review_todo()
    if AUTHORITY in roles:
        todo += brand_selectors.authority_todo(current)
    if PRODUCER in roles:
        todo += selectors.producer_todo(current)
    if LICENSEE in roles:
        todo += brand_selectors.licensee_todo(current)
    # The most pressing first, whichever role it comes from (the sort keeps each role's
    # own order within a level).
    todo.sort(key=lambda item: URGENCY.index(item.get("level", "info")))
    # A to-do list with something pressing comes before the first steps, else after them.
    return page(request, "workbench/home.html", {
        "todo": todo, "todo_first": any(item.get("level", "info") != "info" for item in todo),
        "checklists": [c for c in first_steps.checklists(workspace) if not c.complete]})


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
