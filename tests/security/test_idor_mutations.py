"""Every mutation of the schema that takes an ID, sent by a member (admin, and live host)
of another cooperative with the IDs of the persimmon cooperative's records: its product,
variant, warehouse, households, bases, lots, graded lots, packing runs, trace codes, chain
records, host, broadcast, line-up, offers, brand application and licence, notifications,
and the orders, checkout and address of one of its buyers.

Each attempt must be refused (a permission error, or a typed error in the payload) and
must leave the database exactly as it was: once with every ID the cooperative's, once
naming the caller's own organisation with everything else the cooperative's (attaching
someone else's household, product or lot to one's own records). The mutations come from
``api.schema`` itself, so a new one is probed without anyone writing its test; the few
that anyone may call with another's ID are named below with why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.models import User
from tests.clients import GraphQLClient
from tests.factories import gid

from .schema_probe import SCHEMA, changed, fingerprint, id_arguments, mutation_document, refusal

pytestmark = pytest.mark.django_db

# The type a mutation's own ``id`` argument names, by the start of the mutation's name.
OWN_ID = [
    ("accountAddress", "Address"), ("accountSetDefaultAddress", "Address"),
    ("broadcast", "Broadcast"), ("category", "Category"), ("chainRecordVoid", "FarmInput"),
    ("collection", "Collection"),
    ("checkout", "Checkout"), ("deliveryOptionsCalculate", "Checkout"),
    ("paymentGatewayInitialize", "Checkout"), ("transaction", "Checkout"),
    ("updateMetadata", "Checkout"),
    ("licenceApplicationQuestion", "LicenceApplicationQuestion"),
    ("licenceApplication", "LicenceApplication"), ("licence", "Licence"),
    ("lineupItem", "LineupItem"), ("liveHost", "LiveHost"), ("liveOffer", "LiveOffer"),
    ("notification", "Notification"), ("objection", "Objection"),
    ("organizationMember", "OrganizationMember"),
    ("organizationInvitation", "OrganizationInvitation"),
    ("orderReturnRequest", "OrderReturnRequest"), ("order", "Order"),
    ("productVariant", "ProductVariant"), ("product", "Product"),
]

# Mutations anyone may call with the cooperative's IDs: what they change is the caller's.
ANYONE_MAY = {
    "checkoutCreate": "a buyer puts any published variant in a new cart of their own",
    "broadcastSubscribe": "anyone may ask to be told when a public broadcast starts",
    "broadcastUnsubscribe": "and stop being told",
    "objectionLodge": "anyone may object to a public notice while it runs",
}


def owner_type(mutation: str) -> str:
    return next((type_ for prefix, type_ in OWN_ID if mutation.startswith(prefix)),
                "Organization")


def probed_mutations(beyond_organization=False):
    """The mutations taking an ID (beyond the organisation acting, if asked)."""
    def probed(field):
        names = id_arguments(field)
        if beyond_organization:
            names = [n for n in names if n.split(".")[-1] != "organization"]
        return names
    return sorted(name for name, field in SCHEMA.mutation_type.fields.items()
                  if probed(field) and name not in ANYONE_MAY)


def attempts(client, ids, beyond_organization=False):
    """(mutation, how it was refused, tables it changed) for every probed mutation."""
    outcomes = []
    for name in probed_mutations(beyond_organization):
        document = mutation_document(name, ids, owner_type(name))
        before = fingerprint()
        if "$file" in document:
            upload = SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
            result = client.post_multipart(document, {"file": None}, {"file": upload})
        else:
            result = client.post(document)
        outcomes.append((name, refusal(result, name), changed(before, fingerprint())))
    return outcomes


def test_another_cooperative_can_change_nothing_of_ours(world, other_coop_user, other_host):
    outcomes = attempts(GraphQLClient(other_coop_user), world)
    assert len(outcomes) > 80
    assert [(name, tables) for name, how, tables in outcomes if how is None or tables] == []


def test_nor_attach_our_records_to_its_own(world, other_coop, other_coop_user, other_host):
    own = gid("Organization", other_coop.pk)
    ids = {**world, "organization": own, "Organization": own}
    outcomes = attempts(GraphQLClient(other_coop_user), ids, beyond_organization=True)
    assert [(name, tables) for name, how, tables in outcomes if how is None or tables] == []


def test_a_signed_in_shopper_can_change_nothing_of_another(world):
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    outcomes = attempts(GraphQLClient(stranger), world)
    assert [(name, tables) for name, how, tables in outcomes if how is None or tables] == []


def test_the_same_requests_from_the_owners_themselves_go_through(world, coop_user, host,
                                                               host_user):
    """The control: the probes' documents and IDs are good enough to change things, so
    the refusals above are about whose records they are. (One pass in name order: an
    earlier mutation, a cancel or a delete, can leave a later one nothing to change.)"""
    shopper = User.objects.get(email="shopper@example.com")
    through = set()
    for owner in (coop_user, host_user, shopper):
        through |= {name for name, how, tables in attempts(GraphQLClient(owner), world)
                    if how is None and tables}
    assert {"chainRecordVoid", "farmInputRecord", "gradeStandardCreate", "inspectionCreate",
            "labelSheetCreate", "licenceApplicationQuestionAnswer", "liveOfferWithdraw",
            "notificationMarkRead", "packingRunCreate", "sourcingLotCreate",
            "organizationMemberRemove", "organizationInvitationWithdraw", "broadcastCancel",
            "accountAddressDelete", "checkoutCustomerAttach", "checkoutLinesDelete",
            "checkoutLineDelete", "updateMetadata"} <= through
