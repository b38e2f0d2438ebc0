"""The members page (成员管理) of every organisation, and the page an invitation links to.

Everyone of the organisation sees who its members are; its administrators invite
colleagues by mobile number or e-mail, change roles, remove members and withdraw open
invitations (the link of an open invitation is shown, to pass on by hand where no text
message goes out). Writes through ``shop.services.memberships``, which also refuses
anyone but the organisation's own administrator."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop import throttles
from shop.models import Invitation, Membership
from shop.services import memberships, verification

from ..access import member_required
from ..forms import apply_service_errors
from ..member_forms import AcceptForm, InviteForm, JoinRegisterForm, RoleForm
from ..nav import crumbs
from ..roles import AUTHORITY, LICENSEE, OPERATOR, PRODUCER, switch_organization, workspace_for
from . import page

ORGANIZATION_ROLES = (PRODUCER, LICENSEE, AUTHORITY, OPERATOR)


def _refused(request, error: PermissionDenied):
    messages.error(request, str(error) or _("You cannot do this."))
    return page(request, "workbench/forbidden.html", {}, status=403)


@require_http_methods(["GET", "POST"])
@member_required(*ORGANIZATION_ROLES)
def member_list(request):
    organization = request.organization
    action = request.POST.get("action") if request.method == "POST" else None
    invite_form = InviteForm(request.POST if action == "invite" else None,
                             texting=verification.can_text())
    is_admin = request.workspace.is_admin
    if action is not None and not is_admin:
        return _refused(request, PermissionDenied(_(
            "Only an administrator of this organisation can manage its members.")))
    try:
        if action == "invite" and invite_form.is_valid():
            try:
                invitation = memberships.invite(organization, request.user,
                                                **invite_form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(invite_form, error)
            else:
                messages.success(request, _("Invitation sent to %(address)s.")
                                 % {"address": invitation.address})
                return redirect("workbench:members")
        elif action in ("role", "remove"):
            membership = get_object_or_404(Membership, pk=request.POST.get("membership"),
                                           organization=organization)
            try:
                if action == "role":
                    form = RoleForm(request.POST)
                    memberships.change_role(membership, request.user,
                                            form.data.get("role", ""))
                    messages.success(request, _("%(name)s is now %(role)s.") % {
                        "name": membership.user.get_full_name(),
                        "role": memberships.role_label(form.data.get("role", ""))})
                else:
                    memberships.remove_member(membership, request.user)
                    messages.success(request, _("%(name)s is no longer a member.")
                                     % {"name": membership.user.get_full_name()})
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            if membership.user_id == request.user.pk and action == "remove":
                return redirect("workbench:home")
            return redirect("workbench:members")
        elif action == "withdraw":
            invitation = get_object_or_404(Invitation, pk=request.POST.get("invitation"),
                                           organization=organization)
            memberships.withdraw_invitation(invitation, request.user)
            messages.success(request, _("Invitation withdrawn."))
            return redirect("workbench:members")
    except PermissionDenied as error:
        return _refused(request, error)
    members = list(memberships.members_of(organization))
    invitations = list(memberships.open_invitations(organization)) if is_admin else []
    for invitation in invitations:
        invitation.link = memberships.invitation_link(invitation)
    admins = sum(1 for m in members if m.role == Membership.Role.ADMIN)
    return page(request, "workbench/members/list.html", {
        "members": members, "invitations": invitations, "is_admin": is_admin,
        "invite_form": invite_form, "admin_count": admins,
        "roles": memberships.Role.choices,
    }, crumbs=crumbs((_("Members"), None)), status=400 if invite_form.errors else 200)


@require_http_methods(["GET", "POST"])
def join(request, token):
    """What the invitation's link opens: the invitation, a button that sends a code to the
    invited address, then accepting with it, signed in, or registering on this page. A
    link that no longer works says why; an account other than the invited address's is
    told which one to use, and may sign out here."""
    request.workspace = workspace_for(request)
    invitation = memberships.invitation_for(token)
    try:
        memberships.check_invitation(invitation)
    except ValidationError as error:
        return page(request, "workbench/members/join.html", {"problem": " ".join(
            error.messages)}, crumbs=crumbs((_("Invitation"), None)), status=400)
    user, action = request.user, request.POST.get("action")
    if action == "send":
        try:
            memberships.send_code(token, throttles.client_address(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("We sent a verification code to %(address)s. It works "
                                        "for %(minutes)s minutes.") % {
                "address": verification.masked(invitation.address),
                "minutes": verification.CODE_MINUTES})
            return redirect(f"{request.path}?sent=1")
        return redirect(request.path)
    if action == "sign-out":
        logout(request)
        return redirect(request.path)
    wrong_account = bool(user.is_authenticated and invitation.email
                         and (user.email or "").strip().lower() != invitation.email)
    data = request.POST if action == "join" and not wrong_account else None
    form = (AcceptForm(data) if user.is_authenticated
            else JoinRegisterForm(data, invited_email=invitation.email,
                                  invited_phone=invitation.phone))
    code_sent = request.GET.get("sent") == "1"
    if code_sent:
        # Just sent: the cursor waits in the code's box.
        form.fields["code"].widget.attrs["autofocus"] = True
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            if user.is_authenticated:
                membership = memberships.accept_invitation(token, user, code=values["code"])
            else:
                membership = memberships.join_as_new_user(
                    token, values["code"], email=values["email"], password=values["password"],
                    first_name=values["first_name"])
                login(request, membership.user,
                      backend="django.contrib.auth.backends.ModelBackend")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            request._workbench_workspace = None
            switch_organization(request, membership.organization)
            messages.success(request, _("Welcome to %(organization)s.")
                             % {"organization": membership.organization.name})
            return redirect("workbench:home")
    query = urlencode({"next": request.path}, safe="/")
    return page(request, "workbench/members/join.html", {
        "invitation": invitation, "form": form, "wrong_account": wrong_account,
        "code_sent": code_sent,
        "sent_to": verification.masked(invitation.address),
        "role": memberships.role_label(invitation.role),
        "sign_in_url": f"{reverse('storefront:sign-in')}?{query}",
    }, crumbs=crumbs((_("Invitation"), None)), status=400 if form.errors else 200)
