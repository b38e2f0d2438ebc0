"""Members of an organisation: invitations, accepting one, roles, removal.

Only an active administrator of the organisation itself changes its members (operators of
the pavilion included only for their own organisation): ``require_admin`` refuses anyone
else with ``PermissionDenied``. An organisation always keeps at least one administrator:
demoting or removing the last one is refused (``LAST_ADMIN``), with the organisation's
memberships locked so that two administrators cannot demote each other at once.

An invitation goes to a mobile number or an e-mail address through ``shop.notifications``
(kind ``member_invitation``): a person with an account there gets the notice on the
platform and by e-mail, an address gets the e-mail, a mobile number the text message
(``shop.sms``, the template's ``number`` is the link's token). The link works once, for
``MEMBER_INVITATION_DAYS``, and sending a new invitation to the same address withdraws the
earlier one. The link alone admits nobody: accepting takes a verification code
(``shop.services.verification``) sent to the invited number or address, and an e-mail
invitation is accepted by the account of that address only, so a forwarded or overheard
link is of no use to anyone else, and a wrong person's attempt leaves the invitation open
for the right one. Someone without an account registers from the link itself
(:func:`join_as_new_user`), the invited address filled in and proved by the same code.
Mobile numbers are invited only where codes can be texted."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sms
from ..error_codes import OrganizationMemberErrorCode as E
from ..errors import field_error
from ..models import Invitation, Membership, Organization, User
from ..notifications import notify
from . import accounts, phone_accounts, verification

Role = Membership.Role
INVITATION_KIND = "member_invitation"


def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


# Who may do what ------------------------------------------------------------------------

def is_admin(user, organization: Organization) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and organization.is_active
                and Membership.objects.filter(user=user, organization=organization,
                                              role=Role.ADMIN).exists())


def require_admin(user, organization: Organization) -> None:
    if not is_admin(user, organization):
        raise PermissionDenied(_("Only an administrator of this organisation can manage its "
                                 "members."))


def require_member(user, organization: Organization) -> None:
    if not (user is not None and user.is_authenticated and organization.is_active
            and organization.pk in user.organization_ids()):
        raise PermissionDenied(_("You can only see the members of your own organisation."))


# Reading -------------------------------------------------------------------------------

def members_of(organization: Organization):
    """The organisation's memberships, administrators first, then by name."""
    return (Membership.objects.filter(organization=organization).select_related("user")
            .order_by("role", "user__last_name", "user__first_name", "user__email"))


def open_invitations(organization: Organization):
    return (Invitation.objects.filter(organization=organization, accepted_at__isnull=True,
                                      revoked_at__isnull=True, expires_at__gt=timezone.now())
            .select_related("invited_by").order_by("-created_at", "-pk"))


def invitation_link(invitation: Invitation) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("workbench:join", args=[invitation.token])


# Inviting -----------------------------------------------------------------------------

def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise field_error("role", _("Choose administrator or member."), E.INVALID)
    return Role(role).value


def _clean_address(phone: str, email: str) -> tuple[str, str]:
    phone, email = (phone or "").strip(), (email or "").strip().lower()
    if not phone and not email:
        raise field_error("phone", _("Enter the colleague's mobile number or e-mail address."),
                          E.REQUIRED)
    if phone:
        number = sms.mobile(phone)
        if number is None:
            raise field_error("phone", _("Enter an 11-digit mainland mobile number."),
                              E.INVALID)
        phone = number
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise field_error("email", _("Enter a valid e-mail address."), E.INVALID) from None
    return phone, email


def _person(phone: str, email: str) -> User | None:
    """The account the address belongs to, if there is exactly one."""
    if email:
        return User.objects.filter(email=email, is_active=True).first()
    verified = User.objects.filter(verified_phone=phone, is_active=True).first()
    if verified is not None:
        return verified
    people = list(User.objects.filter(phone__in=[phone, f"+86{phone}", f"86{phone}"],
                                      is_active=True)[:2])
    return people[0] if len(people) == 1 else None


@transaction.atomic
def invite(organization: Organization, by: User, *, phone: str = "", email: str = "",
           role: str = Role.MEMBER) -> Invitation:
    """Invite a colleague (by mobile number or e-mail address) to join with ``role``."""
    require_admin(by, organization)
    role = _clean_role(role)
    phone, email = _clean_address(phone, email)
    if phone and not verification.can_text():
        raise field_error("phone", _("Text messages are not set up on this pavilion, so the "
                                     "colleague could not prove the number is theirs: invite "
                                     "them by e-mail address."), E.SMS_UNAVAILABLE)
    person = _person(phone, email)
    if person is not None and Membership.objects.filter(
            user=person, organization=organization).exists():
        raise field_error("email" if email else "phone",
                          _("%(name)s is already a member of this organisation.")
                          % {"name": person.get_full_name()}, E.ALREADY_MEMBER)
    now = timezone.now()
    same = Q(phone=phone) if phone else Q(email=email)
    Invitation.objects.filter(same, organization=organization, accepted_at__isnull=True,
                              revoked_at__isnull=True).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organization=organization, role=role, phone=phone, email=email,
        token=secrets.token_urlsafe(16), invited_by=by, created_at=now,
        expires_at=now + timedelta(days=settings.MEMBER_INVITATION_DAYS))
    _send(invitation, person)
    return invitation


def _send(invitation: Invitation, person: User | None) -> None:
    organization, link = invitation.organization, invitation_link(invitation)
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
    days = settings.MEMBER_INVITATION_DAYS

    def subject():
        return _("Invitation to join %(organization)s") % {"organization": organization.name}

    def body():
        return _("%(inviter)s invites you to join %(organization)s on the pavilion's "
                 "workbench as %(role)s. Open this link, sign in or register, and accept "
                 "with the verification code we send to this address: %(link)s\nThe link "
                 "works once, for %(days)s days.") % {
            "inviter": inviter, "organization": organization.name,
            "role": role_label(invitation.role), "link": link, "days": days}

    recipient = person if person is not None else invitation.email
    notify(recipient, INVITATION_KIND, subject, body, f"invitation:{invitation.token}",
           email=invitation.email if person is not None else "")


def _invitation_phones(message) -> list[str]:
    token = message.reference.partition(":")[2]
    phone = Invitation.objects.filter(token=token).values_list("phone", flat=True).first()
    return [phone] if phone else []


sms.register_phone_finder(INVITATION_KIND, _invitation_phones)


@transaction.atomic
def withdraw_invitation(invitation: Invitation, by: User) -> Invitation:
    require_admin(by, invitation.organization)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# Accepting -----------------------------------------------------------------------------

def check_invitation(invitation: Invitation | None) -> Invitation:
    """Refuse a link that is unknown, used, withdrawn or expired, each in its own words."""
    if invitation is None:
        raise field_error("token", _("This invitation link is not valid. Ask the "
                                     "organisation's administrator to send a new one."),
                          E.NOT_FOUND)
    if invitation.accepted_at is not None:
        raise field_error("token", _("This invitation has already been accepted; each link "
                                     "works once."), E.USED)
    if invitation.revoked_at is not None:
        raise field_error("token", _("This invitation was withdrawn. Ask the organisation's "
                                     "administrator to send a new one."), E.WITHDRAWN)
    if invitation.expires_at <= timezone.now():
        raise field_error("token", _("This invitation expired on %(date)s. Ask the "
                                     "organisation's administrator to send a new one.")
                          % {"date": timezone.localtime(invitation.expires_at)
                             .strftime("%Y-%m-%d")}, E.EXPIRED)
    if not invitation.organization.is_active:
        raise field_error("token", _("This organisation is not active on the pavilion."),
                          E.INVALID)
    return invitation


def invitation_for(token: str) -> Invitation | None:
    if not token or len(token) > 32 or "\x00" in token:
        return None
    return Invitation.objects.select_related("organization", "invited_by").filter(
        token=token).first()


def send_code(token: str, client: str) -> Invitation:
    """Send a verification code to the address of the open invitation ``token`` (only
    there: the link cannot be used to text or mail anyone else), asked from ``client``."""
    invitation = check_invitation(invitation_for(token))
    verification.request_code(invitation.address, client, E.CODE_THROTTLED, "token")
    return invitation


def _not_invitee(invitation: Invitation):
    return field_error("token", _("This invitation was sent to %(address)s. Sign in with "
                                  "the account of that e-mail address, or register with "
                                  "it, to accept.") % {"address": verification.masked(
                                      invitation.address)}, E.NOT_INVITEE)


def _already_member(invitation: Invitation):
    return field_error("token", _("You are already a member of %(organization)s.")
                       % {"organization": invitation.organization.name}, E.ALREADY_MEMBER)


def _join(invitation: Invitation, user: User, code_pk: int) -> Membership:
    """Inside the caller's transaction: spend the code and make ``user`` a member, the
    invitation locked and checked again (another tab may have used it meanwhile)."""
    invitation = check_invitation(Invitation.objects.select_for_update()
                                  .select_related("organization").get(pk=invitation.pk))
    if Membership.objects.filter(user=user, organization=invitation.organization).exists():
        raise _already_member(invitation)
    verification.use_code(code_pk, E.INVALID_CODE)
    membership = Membership.objects.create(user=user, organization=invitation.organization,
                                           role=invitation.role)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.phone and user.verified_phone != invitation.phone:
        # The number is proved theirs: they sign in with it from now on (unless another
        # account already does), and their account keeps it for notices.
        if not phone_accounts.claim_number(user, invitation.phone):
            user.phone = invitation.phone
            user.save(update_fields=["phone", "updated_at"])
    user.__dict__.pop("_organization_ids", None)
    return membership


def accept_invitation(token: str, user: User, organization: Organization | None = None,
                      code: str = "") -> Membership:
    """``user`` joins the invitation's organisation with its role, with the verification
    code sent to the invited address (and, for an e-mail invitation, as the account of
    that address). ``organization``, when the caller names one, must be the
    invitation's. Anyone else's attempt changes nothing but the code's count of tries."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to accept the invitation."))
    invitation = check_invitation(invitation_for(token))
    if organization is not None and organization.pk != invitation.organization_id:
        raise field_error("token", _("This invitation is for %(invited)s, not for "
                                     "%(organization)s.")
                          % {"invited": invitation.organization.name,
                             "organization": organization.name}, E.WRONG_ORGANIZATION)
    if invitation.email and (user.email or "").strip().lower() != invitation.email:
        raise _not_invitee(invitation)
    if Membership.objects.filter(user=user, organization=invitation.organization).exists():
        raise _already_member(invitation)
    # Checked before the transaction: a wrong code's try counts even though we refuse.
    code_pk = verification.check_code(invitation.address, code, E.INVALID_CODE)
    with transaction.atomic():
        return _join(invitation, user, code_pk)


def join_as_new_user(token: str, code: str, *, email: str = "", password: str = "",
                     first_name: str = "") -> Membership:
    """Someone without an account registers from the invitation's link and joins: the
    e-mail address is the invited one for an e-mail invitation, the code the one sent to
    the invited address. The account can sign in at once (the code proved the address).
    Invited by mobile number, they may give no e-mail address (nor password): the account
    signs in with the number and a texted code."""
    invitation = check_invitation(invitation_for(token))
    if invitation.phone and not (email or "").strip():
        user = User(phone=invitation.phone, first_name=(first_name or "")[:64])
        user.set_unusable_password()
    else:
        user = accounts.new_user(invitation.email or email, password, first_name)
    code_pk = verification.check_code(invitation.address, code, E.INVALID_CODE)
    with transaction.atomic():
        if invitation.phone and User.objects.filter(verified_phone=invitation.phone).exists():
            raise field_error("phone", _("This mobile number already has an account: sign "
                                         "in with it to accept."), E.ALREADY_REGISTERED)
        if user.email is None:
            user.verified_phone = invitation.phone
        if (user.email and User.objects.filter(email=user.email).exists()) \
                or not accounts.save_new_user(user):
            raise field_error("email", _("This e-mail address already has an account: sign "
                                         "in with it to accept."), E.ALREADY_REGISTERED)
        return _join(invitation, user, code_pk)


# Roles and removal ---------------------------------------------------------------------

def _locked_memberships(organization: Organization) -> list[Membership]:
    """Every membership of the organisation, locked in a fixed order (the admin count
    read from them holds until the commit)."""
    return list(Membership.objects.select_for_update().filter(organization=organization)
                .order_by("pk"))


def _still_admin(memberships: list[Membership], by: User) -> None:
    """The acting administrator, read again under the lock (another administrator may
    have demoted them a moment ago)."""
    if not any(m.user_id == by.pk and m.role == Role.ADMIN for m in memberships):
        raise PermissionDenied(_("Only an administrator of this organisation can manage its "
                                 "members."))


def _refuse_last_admin(memberships: list[Membership], target: Membership, field: str,
                       message: str):
    admins = [m for m in memberships if m.role == Role.ADMIN]
    if target.role == Role.ADMIN and len(admins) <= 1:
        raise field_error(field, message, E.LAST_ADMIN)


@transaction.atomic
def change_role(membership: Membership, by: User, role: str) -> Membership:
    require_admin(by, membership.organization)
    role = _clean_role(role)
    locked = _locked_memberships(membership.organization)
    _still_admin(locked, by)
    current = next((m for m in locked if m.pk == membership.pk), None)
    if current is None:
        raise field_error("membership", _("This person is no longer a member."), E.NOT_FOUND)
    if role == current.role:
        return current
    if role != Role.ADMIN:
        _refuse_last_admin(locked, current, "role", _(
            "An organisation keeps at least one administrator: make someone else an "
            "administrator first."))
    current.role = role
    current.save(update_fields=["role"])
    return current


@transaction.atomic
def remove_member(membership: Membership, by: User) -> None:
    require_admin(by, membership.organization)
    locked = _locked_memberships(membership.organization)
    _still_admin(locked, by)
    current = next((m for m in locked if m.pk == membership.pk), None)
    if current is None:
        return
    _refuse_last_admin(locked, current, "membership", _(
        "The last administrator cannot be removed: make someone else an administrator "
        "first."))
    current.delete()
