"""Navigation of the workbench, and the conventions every workbench page follows.

Conventions (for everyone adding pages here)
--------------------------------------------
- **One module per role's area.** Views live in ``workbench/views/<area>.py`` (``products``,
  ``translations``, ``sourcing``, ``chain``, ``packing``, ``orders``, ``sales`` for
  producers; ``brand`` and ``live`` for the brand and livestream pages), URLs in
  ``workbench/urls.py`` (producer pages), ``workbench/brand_urls.py`` (mounted at
  ``/work/brand/``) and ``workbench/live_urls.py`` (mounted at ``/work/live/``). URL names
  share the ``workbench`` namespace: prefix brand names with ``brand-`` and livestream
  names with ``live-``. Every organisation's members page and joining the pavilion
  (``members``, ``signup``) have theirs in ``workbench/member_urls.py``, at ``/work/``.
- **Access.** Decorate every view with ``@member_required(ROLE, ...)``
  (``workbench.access``): it sends anonymous visitors to the shared sign-in, switches to
  another of the person's organisations when the current one lacks the role, refuses
  (403) otherwise, and sets ``request.workspace`` and ``request.organization``. Look
  records up scoped to ``request.organization`` (``get_object_or_404(Model, pk=pk,
  organization=request.organization)``): another organisation's record is a 404.
- **Rules stay in the domain apps.** A view reads with the selectors in
  ``workbench/selectors.py`` (read-only queries, one per list, constant in query count
  with ``select_related``/``prefetch_related``/annotations) and writes by calling one
  service of a domain app (``from supplychain import services``; ``services.x(...)``), the
  same one the API calls. A service's ``ValidationError`` goes back onto the form with
  ``workbench.forms.apply_service_errors`` so its message shows next to its field.
- **Rendering.** ``workbench.views.page(request, template, context, crumbs=[...])`` renders
  a template that extends ``workbench/base.html`` with the navigation, the organisation
  switcher and the breadcrumbs. ``crumbs`` is a list of ``(label, url)``; the last one is
  the page itself (its url may be ``None``). Lists show ``workbench/_empty.html`` with a
  sentence that says what to do first and a button to do it.
- **Forms.** Django forms collect input only (types and required fields); include fields
  with ``workbench/_field.html`` and form-wide errors with ``workbench/_form_errors.html``.
  After a successful POST, ``messages.success`` and redirect (POST/redirect/GET).
- **Strings.** English msgids through gettext (``{% translate %}`` in templates), Chinese in
  the project's catalogue ``locale/zh_Hans/LC_MESSAGES/django.po`` (``scripts/i18n.py``
  collects, merges ``locale/translations/*.json`` and compiles).
- **Interactivity.** htmx (from the ``django-htmx`` package, served by the project; attributes
  ``hx-get``/``hx-post`` returning a template fragment) and ``workbench/static/workbench/
  work.js`` for the few bits that must run without a round trip. Nothing from a CDN.
- **Sections.** Each area registers its sections below with ``register(Section(...))`` (the
  brand and livestream modules do so at import, from their ``*_urls.py``). The home page
  and the bottom navigation are built from them for the current roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import AUTHORITY, HOST, LICENSEE, OPERATOR, PRODUCER


@dataclass(frozen=True)
class Section:
    """A place on the workbench: shown on the home page (with ``hint``) and, when
    ``primary``, in the bottom navigation, to a person having one of ``roles``."""

    key: str
    label: str
    url_name: str
    roles: tuple[str, ...]
    hint: str = ""
    primary: bool = False
    order: int = 100
    short: str = ""  # the bottom navigation's label, where ``label`` is too long for a phone
    namespace: str = "workbench"  # a section may open another app's page (the statistics)

    @property
    def url(self) -> str:
        return reverse(f"{self.namespace}:{self.url_name}")


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by ``key``) a section of the workbench."""
    _SECTIONS[section.key] = section
    return section


def sections_for(roles) -> list[Section]:
    roles = set(roles)
    return sorted((s for s in _SECTIONS.values() if roles & set(s.roles)),
                  key=lambda s: (s.order, s.key))


def crumbs(*trail) -> list[tuple[str, str | None]]:
    """Breadcrumbs below the workbench home: ``crumbs((label, url), ..., (label, None))``."""
    return [(_("Workbench"), reverse("workbench:home")), *trail]


# The producer's sections (cooperatives and enterprises).
for _section in (
    Section("products", _("Products"), "products", (PRODUCER,),
            _("List goods, prices, pictures and stock per warehouse."), primary=True, order=10),
    Section("producers", _("Households and bases"), "households", (PRODUCER,),
            _("Who you buy from: households, bases and their certificates."), order=15),
    Section("sourcing", _("Sourcing"), "lots", (PRODUCER,),
            _("Sourcing lots, inspections and recalls."), primary=True, order=20),
    Section("grading", _("Grading and packing"), "graded-lots", (PRODUCER,),
            _("Grade lots, pack them and print trace-code labels."), primary=True, order=30,
            short=_("Packing")),
    Section("orders", _("Orders to ship"), "orders", (PRODUCER,),
            _("Scan each package's code and ship paid orders."), primary=True, order=40,
            short=_("Ship")),
    Section("stock", _("Stock"), "stock", (PRODUCER,),
            _("What is low, per warehouse."), order=45),
    Section("sales", _("Sales"), "sales", (PRODUCER,),
            _("Orders, revenue and units per product and week."), order=50),
):
    register(_section)

# The operating team watches the counties' figures next to its broadcasts.
register(Section("statistics", _("County statistics"), "report", (OPERATOR,),
                 _("Each county's sales figures, the monthly report and its export, and the "
                   "big-data screen."), order=90, namespace="statistics"))

# Roles whose sections other modules register (kept here so every role is named once).
ALL_ROLES = (PRODUCER, LICENSEE, AUTHORITY, OPERATOR, HOST)
