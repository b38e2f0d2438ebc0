"""Supply-chain queries. ``traceCode`` is public (the trace page's fields, and it counts as a
scan); everything else needs a signed-in member of the owning organisation, or an operator,
and lists only what that caller may see."""

from __future__ import annotations

import graphene
from celery.result import AsyncResult
from django.utils.translation import gettext as _
from graphql import GraphQLError

from api.core.connection import connection_args, paginate
from api.core.ids import resolve_global_id
from api.core.permissions import (
    refuse,
    require_organization,
    require_user,
    visible_organization_ids,
)
from shop.public_urls import absolute_url
from supplychain import models, services, trace_cache

from . import types


def _pk(global_id, type_name) -> int:
    _type, pk = resolve_global_id(global_id, type_name)
    if not pk.isdigit():
        raise GraphQLError(f"Couldn't resolve id: {global_id}.")
    return int(pk)


def _scoped(info, queryset, org_field="organization_id", organization=None):
    """Rows of the caller's organisations (all for operators); a signed-in user is needed."""
    require_user(info)
    visible = visible_organization_ids(info)
    if organization is not None:
        org_id = _pk(organization, "Organization")
        require_organization(info, org_id)
        return queryset.filter(**{org_field: org_id})
    if visible is None:
        return queryset
    return queryset.filter(**{f"{org_field}__in": visible})


def _owned(info, model, global_id, type_name, org_of):
    row = model.objects.filter(pk=_pk(global_id, type_name)).first()
    if row is None:
        return None
    require_organization(info, org_of(row))
    return row


ORG = {"organization": graphene.ID(description="Only this organisation's records.")}


class SupplyChainQueries(graphene.ObjectType):
    trace_code = graphene.Field(
        types.TracePublic, code=graphene.String(required=True),
        description="The public trace view of one package's code (counts as a scan); null "
                    "for a code that was never issued.")
    producer_profile = graphene.Field(types.ProducerProfile,
                                      organization=graphene.ID(required=True))
    households = graphene.Field(types.HouseholdCountableConnection,
                                **connection_args(**ORG, village=graphene.String()))
    bases = graphene.Field(types.BaseCountableConnection, **connection_args(**ORG))
    sourcing_lots = graphene.Field(types.SourcingLotCountableConnection,
                                   **connection_args(**ORG, household=graphene.ID()))
    graded_lots = graphene.Field(types.GradedLotCountableConnection, **connection_args(**ORG))
    grade_standards = graphene.List(graphene.NonNull(types.GradeStandard), required=True,
                                    product=graphene.ID(required=True))
    packing_runs = graphene.Field(types.PackingRunCountableConnection,
                                  **connection_args(**ORG, graded_lot=graphene.ID()))
    trace_codes = graphene.Field(types.TraceCodeCountableConnection,
                                 **connection_args(packing_run=graphene.ID(required=True)))
    scans = graphene.Field(
        types.ScanCountableConnection,
        **connection_args(flagged_only=graphene.Boolean(default_value=True),
                          never_issued=graphene.Boolean(
                              description="Scans of codes never issued (operators only).")))
    recalls = graphene.Field(types.RecallCountableConnection, **connection_args(**ORG))
    label_sheet_progress = graphene.Field(types.LabelSheetProgress,
                                          packing_run=graphene.ID(required=True))
    epcis_document = graphene.JSONString(
        code=graphene.String(), graded_lot=graphene.ID(), sourcing_lot=graphene.ID(),
        description="GS1 EPCIS 2.0 JSON-LD of one code's or one lot's events.")

    @staticmethod
    def resolve_trace_code(_root, info, code):
        """The same look-up as the trace page, in one round trip to Redis: its cached
        entry, the scan counted once per client per repeat window (through the scan
        buffer), unknown codes within the client's guessing budget (beyond it: an error,
        nothing recorded)."""
        request = info.context
        looked = trace_cache.look_up(code, source=models.Scan.Source.GRAPHQL,
                                     address=request.META.get("REMOTE_ADDR", ""),
                                     user_agent=request.META.get("HTTP_USER_AGENT", ""))
        if looked.counted.retry_after:
            raise GraphQLError(_("Too many look-ups of unknown codes. Please try again "
                                 "later."))
        if looked.entry is None:
            return None
        return types.TracePublic.from_view({**looked.entry["data"],
                                            "scan_count": looked.counted.scan_count,
                                            "first_scanned_at": looked.counted.first_scanned_at})

    @staticmethod
    def resolve_producer_profile(_root, info, organization):
        org_id = _pk(organization, "Organization")
        require_organization(info, org_id)
        return models.ProducerProfile.objects.filter(organization_id=org_id).first()

    @staticmethod
    def resolve_households(_root, info, organization=None, village=None, **page):
        qs = _scoped(info, models.Household.objects.all(), organization=organization)
        if village:
            qs = qs.filter(village=village)
        return paginate(qs, page, types.HouseholdCountableConnection, [],
                        connection_name="households")

    @staticmethod
    def resolve_bases(_root, info, organization=None, **page):
        qs = _scoped(info, models.Base.objects.all(), organization=organization)
        return paginate(qs, page, types.BaseCountableConnection, [], connection_name="bases")

    @staticmethod
    def resolve_sourcing_lots(_root, info, organization=None, household=None, **page):
        qs = _scoped(info, models.SourcingLot.objects.all(), organization=organization)
        if household:
            qs = qs.filter(household_id=_pk(household, "Household"))
        return paginate(qs, page, types.SourcingLotCountableConnection, ["received_at"],
                        descending=True, connection_name="sourcingLots")

    @staticmethod
    def resolve_graded_lots(_root, info, organization=None, **page):
        qs = _scoped(info, models.GradedLot.objects.all(), organization=organization)
        return paginate(qs, page, types.GradedLotCountableConnection, [], descending=True,
                        connection_name="gradedLots")

    @staticmethod
    def resolve_grade_standards(_root, _info, product):
        return list(models.GradeStandard.objects.filter(product_id=_pk(product, "Product")))

    @staticmethod
    def resolve_packing_runs(_root, info, organization=None, graded_lot=None, **page):
        qs = _scoped(info, models.PackingRun.objects.all(), organization=organization)
        if graded_lot:
            qs = qs.filter(graded_lot_id=_pk(graded_lot, "GradedLot"))
        return paginate(qs, page, types.PackingRunCountableConnection, ["packed_at"],
                        descending=True, connection_name="packingRuns")

    @staticmethod
    def resolve_trace_codes(_root, info, packing_run, **page):
        run = _owned(info, models.PackingRun, packing_run, "PackingRun",
                     lambda r: r.organization_id)
        if run is None:
            return None
        return paginate(run.trace_codes.all(), page, types.TraceCodeCountableConnection,
                        ["serial"], connection_name="traceCodes")

    @staticmethod
    def resolve_scans(_root, info, flagged_only=True, never_issued=None, **page):
        """Producers see scans of their own codes; operators also see never-issued codes."""
        require_user(info)
        visible = visible_organization_ids(info)
        qs = models.Scan.objects.all()
        if never_issued:
            if visible is not None:
                refuse("Only operators see scans of codes that were never issued.")
            qs = qs.filter(never_issued=True)
        elif visible is not None:
            qs = qs.filter(trace_code__packing_run__organization_id__in=visible)
        if flagged_only:
            qs = qs.filter(is_flagged=True)
        return paginate(qs, page, types.ScanCountableConnection, ["scanned_at"],
                        descending=True, connection_name="scans")

    @staticmethod
    def resolve_recalls(_root, info, organization=None, **page):
        qs = _scoped(info, models.Recall.objects.select_related(
            "initiated_by", "sourcing_lot", "graded_lot"), organization=organization)
        return paginate(qs, page, types.RecallCountableConnection, ["created_at"],
                        descending=True, connection_name="recalls")

    @staticmethod
    def resolve_label_sheet_progress(_root, info, packing_run):
        run = _owned(info, models.PackingRun, packing_run, "PackingRun",
                     lambda r: r.organization_id)
        if run is None:
            return None
        state, done = None, 0
        if run.label_task_id and run.label_status == models.PackingRun.LabelStatus.PENDING:
            result = AsyncResult(run.label_task_id)
            state = result.state
            if isinstance(result.info, dict):
                done = int(result.info.get("done", 0))
        if run.label_status == models.PackingRun.LabelStatus.READY:
            state, done = "SUCCESS", run.quantity
        url = (absolute_url(f"/supplychain/runs/{run.pk}/labels.pdf")
               if run.label_sheet else None)
        return types.LabelSheetProgress(status=str(run.label_status),
                                        task_id=run.label_task_id or None, state=state,
                                        done=done, total=run.quantity, url=url)

    @staticmethod
    def resolve_epcis_document(_root, info, code=None, graded_lot=None, sourcing_lot=None):
        given = [x for x in (code, graded_lot, sourcing_lot) if x]
        if len(given) != 1:
            raise GraphQLError("Give exactly one of 'code', 'gradedLot', 'sourcingLot'.")
        if code:
            trace = services.find_trace_code(code)
            if trace is None:
                return None
            return services.epcis_document(services.code_events(trace), trace=trace)
        if graded_lot:
            lot = _owned(info, models.GradedLot, graded_lot, "GradedLot",
                         lambda r: r.organization_id)
            return lot and services.epcis_document(services.lot_events(graded_lot=lot))
        lot = _owned(info, models.SourcingLot, sourcing_lot, "SourcingLot",
                     lambda r: r.organization_id)
        return lot and services.epcis_document(services.lot_events(sourcing_lot=lot))
