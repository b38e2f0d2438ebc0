"""The first steps of each role's job, shown on the workbench home as a checklist with its
progress: what a cooperative, a licensee, the brand authority, a host and the operating
team do first, in the order the work flows, each step a link to the page where it is done.

A step is done when the records it makes exist (a base recorded, a lot graded, a licence
granted), computed on each visit: nothing is ticked by hand or stored, so the checklist
never disagrees with the data. A few queries per role (a producer's in one); the page shows the
checklist while any step is left, then folds it away."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brand.models import LabelUse, LicenceApplication, PublicNotice, RegionalBrand
from brand.models import Licence as BrandLicence
from catalog.models import Category, Collection, Product, ProductChannelListing, ProductVariant
from content.models import Page
from livestream.models import Broadcast, LineupItem, WeeklySchedule
from shop.models import Organization
from supplychain.models import (
    Base,
    GradedLot,
    Household,
    Inspection,
    PackingRun,
    SourcingLot,
)

from .roles import AUTHORITY, HOST, LICENSEE, OPERATOR, PRODUCER

AppStatus = LicenceApplication.Status


@dataclass
class Step:
    label: str
    hint: str
    url: str
    done: bool


@dataclass
class Checklist:
    """One role's first steps; ``help_url`` explains the role's job in plain words."""

    role: str
    title: str
    help_url: str
    steps: list[Step] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 100


def _help(role: str) -> str:
    return reverse("workbench:help-role", args=[role])


def _facts(organization, **expressions) -> dict:
    """Several answers about ``organization``'s records (an ``Exists``, or a ``Subquery``
    of the first row's key) read in one statement: a checklist costs one query however
    many steps it has."""
    return (Organization.objects.filter(pk=organization.pk).annotate(**expressions)
            .values(*expressions).get())


def _first(queryset, column="pk"):
    return Subquery(queryset.values(column)[:1])


def producer_steps(organization) -> Checklist:
    """A cooperative's or enterprise's chain, from whom it buys to the goods on sale."""
    own = {"organization": organization}
    lots = SourcingLot.objects.filter(**own)
    facts = _facts(
        organization,
        producers=Exists(Household.objects.filter(**own)) | Exists(Base.objects.filter(**own)),
        variants=Exists(ProductVariant.objects.filter(product__organization=organization)),
        lots=Exists(lots),
        inspections=Exists(Inspection.objects.filter(sourcing_lot__organization=organization)),
        uninspected=_first(lots.filter(inspections__isnull=True).order_by("pk")),
        inspected_product=_first(lots.filter(inspections__result=Inspection.Result.PASSED)
                                 .order_by("-pk"), "product_id"),
        graded=_first(GradedLot.objects.filter(**own).order_by("-pk")),
        run=_first(PackingRun.objects.filter(**own).order_by("-pk")),
        labels=Exists(PackingRun.objects.filter(
            **own, label_status=PackingRun.LabelStatus.READY)),
        product=_first(Product.objects.filter(**own).order_by("pk")),
        on_sale=Exists(ProductChannelListing.objects.filter(product__organization=organization,
                                                            is_published=True)),
    )
    uninspected, graded, run, product = (facts["uninspected"], facts["graded"], facts["run"],
                                         facts["product"])
    steps = [
        Step(_("Record the households and bases you buy from"),
             _("A household (农户) or a base (基地) is where a lot comes from: the trace page "
               "names it."), reverse("workbench:households"), facts["producers"]),
        Step(_("Create a product with a size and a price"),
             _("What shoppers buy: a product and its sizes (规格), each with a price."),
             reverse("workbench:product-create"), facts["variants"]),
        Step(_("Record a sourcing lot"),
             _("A sourcing lot (收购批次) is one purchase from a household or base: what, "
               "when harvested, how many kilograms."),
             reverse("workbench:lot-create"), facts["lots"]),
        Step(_("Record the lot's inspection"),
             _("Enter the lab's result on the lot's page; only a lot that passed may be "
               "graded."),
             reverse("workbench:lot", args=[uninspected]) if uninspected
             else reverse("workbench:lots"),
             facts["inspections"]),
        Step(_("Grade the lot"),
             _("Grading (分等分级) sorts the kilograms into grades by your standard."),
             reverse("workbench:grading", args=[facts["inspected_product"]])
             if facts["inspected_product"] else reverse("workbench:graded-lots"),
             graded is not None),
        Step(_("Pack it and issue trace codes"),
             _("Each package gets its own trace code (一物一码) that a shopper scans."),
             reverse("workbench:graded-lot", args=[graded]) if graded
             else reverse("workbench:graded-lots"),
             run is not None),
        Step(_("Print the label sheet"),
             _("A PDF of QR labels, one per package, to stick on before shipping."),
             reverse("workbench:run", args=[run]) if run else reverse("workbench:graded-lots"),
             facts["labels"]),
        Step(_("Put the product on sale"),
             _("Publishing (上架) shows the product in the pavilion."),
             reverse("workbench:product", args=[product]) if product
             else reverse("workbench:products"),
             facts["on_sale"]),
    ]
    return Checklist(PRODUCER, _("Your first steps as a seller"), _help(PRODUCER), steps)


def licensee_steps(organization) -> Checklist:
    """Applying for the regional brand, through the review and the public notice, to the
    labels and the yearly usage report."""
    applications = LicenceApplication.objects.filter(applicant=organization)
    latest = applications.exclude(status=AppStatus.WITHDRAWN).order_by("-pk").first()
    licence = (BrandLicence.objects.filter(licensee=organization)
               .exclude(status=BrandLicence.Status.REVOKED).order_by("-pk").first())
    days = (latest.brand.notice_days if latest else
            RegionalBrand.objects.filter(is_active=True).order_by("notice_days")
            .values_list("notice_days", flat=True).first()) or 5
    application_url = (reverse("workbench:brand-application", args=[latest.pk]) if latest
                       else reverse("workbench:brand-apply"))
    licence_url = (reverse("workbench:brand-licence", args=[licence.pk]) if licence
                   else application_url)
    steps = [
        Step(_("Apply for the brand licence"),
             _("Choose the brand and the products, attach the business licence and the "
               "inspection reports, then submit."),
             application_url,
             applications.exclude(status__in=(AppStatus.DRAFT, AppStatus.WITHDRAWN)).exists()),
        Step(_("Pass the authority's review"),
             _("The brand authority checks the papers (and may visit); answer its "
               "questions on the application's page."),
             application_url,
             licence is not None or applications.filter(
                 status__in=(AppStatus.PUBLIC_NOTICE, AppStatus.GRANTED)).exists()),
        Step(_("Public notice of %(days)s days, then the certificate") % {"days": days},
             _("Anyone may object during the public notice (公示); when it ends the licence "
               "and its certificate are issued."),
             licence_url, licence is not None),
        Step(_("Pack with the brand's labels"),
             _("When packing, choose the brand label: each one counts against the year's "
               "quota."),
             reverse("workbench:graded-lots"),
             LabelUse.objects.filter(licence__licensee=organization).exists()),
        Step(_("Report the year's usage"),
             _("Each year's usage report is due by 31 March of the next year."),
             f"{licence_url}#usage-report" if licence else licence_url,
             bool(licence) and licence.usage_reports.exists()),
    ]
    return Checklist(LICENSEE, _("Your steps to the regional brand"), _help(LICENSEE), steps)


def authority_steps(authority) -> Checklist:
    """The review of an application, its public notice and the licence."""
    applications = LicenceApplication.objects.filter(brand__authority=authority)
    queue = reverse("workbench:brand-review")
    steps = [
        Step(_("Start reviewing an application"),
             _("Open a submitted application, check its papers and ask questions if "
               "something is missing."),
             queue,
             applications.exclude(status__in=(AppStatus.DRAFT, AppStatus.SUBMITTED)).exists()),
        Step(_("Approve it and open the public notice"),
             _("Approving publishes the public notice (公示); the licence waits until its "
               "days have passed."),
             queue,
             PublicNotice.objects.filter(brand__authority=authority,
                                         kind=PublicNotice.Kind.GRANT).exists()),
        Step(_("Grant the licence when the notice has ended"),
             _("With no objection upheld, grant: the licensee gets its number, certificate "
               "and label quota."),
             f"{queue}?status={AppStatus.PUBLIC_NOTICE}",
             BrandLicence.objects.filter(brand__authority=authority).exists()),
        Step(_("Watch how licensees use the labels"),
             _("See each licence's labels used against its quota; suspend or revoke a "
               "licence misused."),
             reverse("workbench:brand-register"),
             BrandLicence.objects.filter(brand__authority=authority,
                                         label_uses__isnull=False).exists()),
    ]
    return Checklist(AUTHORITY, _("Your first review"), _help(AUTHORITY), steps)


def host_steps(host) -> Checklist:
    """A broadcast from booking to its review (复盘)."""
    broadcasts = Broadcast.objects.filter(host=host)
    coming = (broadcasts.filter(status__in=(Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE))
              .order_by("starts_at", "pk").first())
    ended = broadcasts.filter(status=Broadcast.Status.ENDED).order_by("-ends_at", "-pk").first()
    first = coming or broadcasts.order_by("-starts_at", "-pk").first()
    steps = [
        Step(_("Book a broadcast"),
             _("Its time, place (studio, origin or showroom) and platform."),
             reverse("workbench:live-broadcast-create"), broadcasts.exists()),
        Step(_("Pick the line-up with live prices"),
             _("The goods you will sell on air, each with its live price and the units "
               "set aside."),
             reverse("workbench:live-broadcast", args=[first.pk]) if first
             else reverse("workbench:live-broadcast-create"),
             LineupItem.objects.filter(broadcast__host=host).exists()),
        Step(_("Repeat it every week"),
             _("A weekly schedule books the broadcast each week: the county needs at least "
               "one a week."),
             reverse("workbench:live-schedules"),
             WeeklySchedule.objects.filter(host=host).exists()),
        Step(_("Go live from the console"),
             _("The console shows the line-up, pins a product and counts the sales."),
             reverse("workbench:live-console", args=[coming.pk]) if coming
             else reverse("workbench:live"),
             broadcasts.filter(started_at__isnull=False).exists()),
        Step(_("Review the sales afterwards"),
             _("The review (复盘) records what sold and what to do better next time."),
             reverse("workbench:live-review", args=[ended.pk]) if ended
             else reverse("workbench:live-reviews"),
             broadcasts.filter(status=Broadcast.Status.REVIEWED).exists()),
    ]
    return Checklist(HOST, _("Your first broadcast"), _help(HOST), steps)


def operator_steps() -> Checklist:
    """The pavilion's shop window: categories, a collection, a story page, this week's
    broadcast."""
    monday = timezone.localdate()
    monday = monday - timedelta(days=monday.weekday())
    steps = [
        Step(_("Arrange the categories"),
             _("The pavilion's shelves: at least fifteen kinds of goods."),
             reverse("workbench:ops-categories"), Category.objects.exists()),
        Step(_("Make a collection"),
             _("A collection (专题) groups goods for the home page, such as new harvest."),
             reverse("workbench:ops-collections"), Collection.objects.exists()),
        Step(_("Write a brand story page"),
             _("The story of the county's brand and origins, linked from every shop page."),
             reverse("workbench:ops-page-new"), Page.objects.filter(is_published=True).exists()),
        Step(_("Book this week's broadcast"),
             _("At least one live sales broadcast a week."),
             reverse("workbench:live-broadcast-create"),
             Broadcast.objects.exclude(status=Broadcast.Status.CANCELLED)
             .filter(starts_at__date__gte=monday).exists()),
    ]
    return Checklist(OPERATOR, _("Setting up the pavilion"), _help(OPERATOR), steps)


def checklists(workspace) -> list[Checklist]:
    """The checklists of the workspace's roles, the operator's and host's first."""
    roles, current = workspace.roles, workspace.current
    found = []
    if OPERATOR in roles:
        found.append(operator_steps())
    if HOST in roles and workspace.host is not None:
        found.append(host_steps(workspace.host))
    if AUTHORITY in roles:
        found.append(authority_steps(current))
    if PRODUCER in roles:
        found.append(producer_steps(current))
    if LICENSEE in roles:
        found.append(licensee_steps(current))
    return found
