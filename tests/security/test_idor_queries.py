"""Every record of the persimmon cooperative and of one of its buyers, asked for by its
global ID through ``node(id:)`` and through every query field that takes an ID, by a
member of another cooperative and by another shopper: what is private answers nothing;
what is public is the same as anyone else sees. The owner's same requests answer, as the
control."""

from __future__ import annotations

import pytest

from shop.models import User
from tests.clients import GraphQLClient

from .schema_probe import SCHEMA, id_arguments, query_document

pytestmark = pytest.mark.django_db

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"

# Records anyone may look up: the shop window (with the grade standards its products are
# sold by), the live schedule, the brand register.
PUBLIC = {"Product", "ProductVariant", "Category", "Collection", "GradeStandard", "Broadcast",
          "LineupItem", "LiveHost", "RegionalBrand", "Licence", "PublicNotice", "Organization",
          "Warehouse"}
# A live host of any organisation sees the active offers to sell live: they are there to
# be picked (the other cooperative's member here is also a host).
HOSTS_SEE = {"LiveOffer"}
NOT_NODES = {"Address", "CheckoutLine", "FarmInput", "Objection", "OrderLine",
             "OrganizationInvitation", "OrganizationMember", "Warehouse"}


def _types(world):
    return sorted(key for key in world if key[0].isupper())


def test_node_answers_nothing_private_to_another_cooperative_or_shopper(
        world, coop_user, other_coop_user, other_host, host_user):
    shopper = User.objects.get(email="shopper@example.com")
    stranger = User.objects.create_user("stranger@example.com", "a-Strong-pass-123")
    seen = {}
    for type_ in _types(world):
        variables = {"id": world[type_]}
        seen[type_] = {
            who: GraphQLClient(user).post(NODE, variables).get("data", {}).get("node")
            for who, user in (("coop", coop_user), ("host", host_user), ("buyer", shopper),
                              ("other_coop", other_coop_user), ("stranger", stranger),
                              ("anonymous", None))}
    leaked = {type_: [who for who in ("other_coop", "stranger", "anonymous") if views[who]
                      and not (who == "other_coop" and type_ in HOSTS_SEE)]
              for type_, views in seen.items() if type_ not in PUBLIC}
    assert {t: who for t, who in leaked.items() if who} == {}
    unseen = [t for t, views in seen.items()
              if not (views["coop"] or views["host"] or views["buyer"])]
    # The control: the owners reach their records by these IDs, so the nulls above are
    # refusals. These types are not fetched through node(id:) at all (their owners read
    # them through their parents); one that becomes reachable must be checked here.
    assert set(unseen) == NOT_NODES


def _answer(result, name):
    """What a query field answered: None, a scalar, an object's ID, or a page's IDs."""
    value = (result.get("data") or {}).get(name)
    if isinstance(value, dict) and "edges" in value:
        return sorted(edge["node"]["id"] for edge in value["edges"]) or None
    return value


def test_query_fields_taking_our_ids_answer_another_cooperative_nothing_private(
        world, coop_user, other_coop_user, other_host):
    fields = sorted(name for name, field in SCHEMA.query_type.fields.items()
                    if id_arguments(field) and name != "node")
    answers = {}
    for name in fields:
        # ``order(id:)`` takes an Order, ``licenceApplication(id:)`` a LicenceApplication.
        document = query_document(name, world, name[0].upper() + name[1:])
        answers[name] = (_answer(GraphQLClient(coop_user).post(document), name),
                         _answer(GraphQLClient(other_coop_user).post(document), name),
                         _answer(GraphQLClient().post(document), name))
    # (owner, other cooperative, anonymous): the other cooperative sees what anybody sees.
    private = {name: views for name, views in answers.items()
               if views[0] and views[1] and views[1] != views[2]}
    assert private == {}
    owned = {name for name, views in answers.items() if views[0] and not views[2]}
    assert {"bases", "households", "sourcingLots", "gradedLots", "packingRuns", "traceCodes",
            "order", "licenceApplication", "organizationMembers"} <= owned
