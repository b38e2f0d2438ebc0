"""Where returned goods go, through /graphql/: the seller approving a return may give the
address the buyer sends them to (kept as the seller's address for the next returns); an
empty one is refused; without one, the address on file is used."""

from __future__ import annotations

import pytest

from shop.services import returns as return_services
from tests import after_sales
from tests.clients import GraphQLClient
from tests.factories import gid

pytestmark = pytest.mark.django_db

buyer, shipped = after_sales.buyer, after_sales.shipped
APPROVE = """mutation($id: ID!, $address: String) {
  orderReturnRequestApprove(id: $id, address: $address) {
    returnRequest { status returnAddress } errors { field code message } } }"""


def _return(order, buyer):
    return return_services.request_return(
        order, user=buyer, type="return_and_refund", reason="no_reason",
        lines=[{"order_line_id": order.lines.get().pk, "quantity": 1}])


def test_the_seller_gives_the_return_address_when_agreeing(shipped, buyer, coop, coop_user,
                                                           alipay_gateway):
    request = _return(shipped, buyer)
    seller = GraphQLClient(coop_user, language="zh-hans")
    empty = seller.data(APPROVE, {"id": gid("OrderReturnRequest", request.pk), "address": "  "})[
        "orderReturnRequestApprove"]
    assert [(e["field"], e["code"]) for e in empty["errors"]] == [("address", "REQUIRED")]
    approved = seller.data(APPROVE, {"id": gid("OrderReturnRequest", request.pk),
                                     "address": "渑池县果园乡果园村 3 号"})[
        "orderReturnRequestApprove"]
    assert approved["errors"] == []
    assert approved["returnRequest"]["status"] == "AWAITING_RETURN"
    assert approved["returnRequest"]["returnAddress"].startswith("渑池县果园乡果园村 3 号")
    coop.refresh_from_db()
    assert coop.address == "渑池县果园乡果园村 3 号"

    # The next return, approved without an address, goes to the same place.
    return_services.withdraw_return_request(request, user=buyer)
    again = _return(shipped, buyer)
    answer = seller.data(APPROVE, {"id": gid("OrderReturnRequest", again.pk)})[
        "orderReturnRequestApprove"]
    assert answer["errors"] == []
    assert answer["returnRequest"]["returnAddress"].startswith("渑池县果园乡果园村 3 号")
