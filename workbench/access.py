"""Who may open a workbench page: ``member_required(role, ...)``.

The current organisation lives in the session (``workbench.roles``). A page for a role the
current organisation lacks switches to another of the person's organisations that has it
(a link from a notification or a bookmark just works); with none, the page is refused."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse

from county_statistics.services import visible_pavilions
from shop.members import OrganizationApplication

from .roles import switch_organization, workspace_for


def member_required(*roles):
    """Let in a signed-in member whose workspace has one of ``roles`` (any role when none
    is named); anonymous visitors go to the shared sign-in and come back."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                query = urlencode({"next": request.get_full_path()}, safe="/")
                return redirect(f"{reverse('storefront:sign-in')}?{query}")
            workspace = workspace_for(request)
            if not workspace.is_member or (roles and not set(roles) & workspace.roles):
                other = workspace.first_with(roles) if roles else None
                if other is None:
                    # A county official is no member of any organisation: the page
                    # sends them on to the county's figures rather than to the shop.
                    return render(request, "workbench/forbidden.html", {
                        "workspace": workspace,
                        "sees_statistics": bool(visible_pavilions(request.user)),
                        # Someone who applied to join waits for the operators, not anew.
                        "pending": OrganizationApplication.objects.filter(
                            applicant=request.user,
                            status=OrganizationApplication.Status.PENDING).exists(),
                    }, status=403)
                switch_organization(request, other)
            request.workspace = workspace
            request.organization = workspace.current
            return view(request, *args, **kwargs)

        wrapped.workbench_roles = roles
        return wrapped

    return decorator
