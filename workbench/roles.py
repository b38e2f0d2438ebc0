"""Who the signed-in person is on the workbench: the organisations they belong to, the one
they are working for now (kept in the session), and the roles that follow from it.

A role is what a section of the workbench is for:

- ``producer``: a cooperative or an enterprise lists goods, sources, grades, packs, ships;
- ``licensee``: the same organisations apply for and use the regional brand;
- ``authority``: the brand authority reviews, grants, suspends and revokes licences;
- ``operator``: the pavilion's operating team;
- ``host``: a livestream host (a person, whatever organisation they are working for).

Roles of an organisation come from its kind; ``host`` comes from the person."""

from __future__ import annotations

from dataclasses import dataclass, field

from livestream.models import Host
from shop.models import Membership, Organization

PRODUCER = "producer"
LICENSEE = "licensee"
AUTHORITY = "authority"
OPERATOR = "operator"
HOST = "host"
ROLES = (PRODUCER, LICENSEE, AUTHORITY, OPERATOR, HOST)

KIND_ROLES = {
    Organization.Kind.COOPERATIVE: (PRODUCER, LICENSEE),
    Organization.Kind.ENTERPRISE: (PRODUCER, LICENSEE),
    Organization.Kind.BRAND_AUTHORITY: (AUTHORITY,),
    Organization.Kind.OPERATOR: (OPERATOR,),
}
SESSION_KEY = "workbench.organization"


@dataclass
class Workspace:
    """The person's organisations (active ones, by name), the current one and their roles.
    Built once per request by ``workspace_for`` in two queries."""

    user: object
    organizations: list[Organization] = field(default_factory=list)
    admin_of: set[int] = field(default_factory=set)
    current: Organization | None = None
    host: Host | None = None

    @property
    def roles(self) -> frozenset[str]:
        roles = set(KIND_ROLES.get(self.current.kind, ())) if self.current else set()
        if self.host is not None:
            roles.add(HOST)
        return frozenset(roles)

    @property
    def is_member(self) -> bool:
        return bool(self.organizations) or self.host is not None

    @property
    def is_admin(self) -> bool:
        """An administrator of the current organisation (not just a member)."""
        return self.current is not None and self.current.pk in self.admin_of

    def organization(self, pk) -> Organization | None:
        return next((org for org in self.organizations if str(org.pk) == str(pk)), None)

    def first_with(self, roles) -> Organization | None:
        """The first organisation of the person whose kind gives one of ``roles``."""
        wanted = set(roles)
        return next((org for org in self.organizations
                     if wanted & set(KIND_ROLES.get(org.kind, ()))), None)


def workspace_for(request) -> Workspace:
    """The request's workspace (cached on the request). The current organisation is the
    one in the session if the person is still a member of it, else their first."""
    cached = getattr(request, "_workbench_workspace", None)
    if cached is not None:
        return cached
    user = request.user
    workspace = Workspace(user=user)
    if user.is_authenticated:
        memberships = list(Membership.objects.filter(user=user, organization__is_active=True)
                           .select_related("organization")
                           .order_by("organization__name", "organization_id"))
        workspace.organizations = [m.organization for m in memberships]
        workspace.admin_of = {m.organization_id for m in memberships
                              if m.role == Membership.Role.ADMIN}
        workspace.host = Host.objects.filter(user=user, is_active=True).first()
        chosen = workspace.organization(request.session.get(SESSION_KEY))
        workspace.current = chosen or (workspace.organizations[0]
                                       if workspace.organizations else None)
    request._workbench_workspace = workspace
    return workspace


def switch_organization(request, organization: Organization) -> None:
    """Work for ``organization`` from now on (the caller checked the membership)."""
    request.session[SESSION_KEY] = organization.pk
    workspace = workspace_for(request)
    workspace.current = organization
