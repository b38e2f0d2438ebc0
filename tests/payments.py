"""Paying an order through the local Alipay gateway, as the payment tests and the fault
tests do it: start the payment through GraphQL and post Alipay's notice; and an order
charged only in part (its checkout paid an amount less than its total), as a shopper
gets one through Saleor's ``transactionInitialize`` with an amount."""

from urllib.request import urlopen

from django.test import Client

from shop.models import Order
from tests.factories import COMPLETE, gid

INIT = """mutation($id: ID!, $data: JSON, $amount: PositiveDecimal) {
  transactionInitialize(id: $id, amount: $amount,
                        paymentGateway: {id: "alipay", data: $data}) {
    transaction { id name status outTradeNo chargedAmount { amount } }
    data errors { field code message } } }"""


def start(gql_as, user, order, device="PC", open_cashier=True, amount=None):
    """Start the payment; the buyer's browser then opens the signed cashier URL."""
    variables = {"id": gid("Order", order.pk), "data": {"device": device}}
    if amount is not None:
        variables["amount"] = amount
    result = gql_as(user).data(INIT, variables)["transactionInitialize"]
    if open_cashier and result["data"]:
        assert urlopen(result["data"]["url"]).status == 200
    return result


def notify(params):
    response = Client().post("/alipay/notify/", params)
    return response.content.decode()


def partly_paid_order(gql, checkout, gateway, amount="20.00") -> Order:
    """Pay ``amount`` of ``checkout`` at the gateway (its signed notice accepted), then
    complete it through ``/graphql/``: an order waiting for its balance."""
    checkout_id = gid("Checkout", checkout.token)
    paid = gql.data(INIT, {"id": checkout_id, "amount": amount,
                           "data": {"device": "PC"}})["transactionInitialize"]
    assert paid["errors"] == []
    assert urlopen(paid["data"]["url"]).status == 200
    assert notify(gateway.pay(paid["data"]["outTradeNo"])) == "success"
    done = gql.data(COMPLETE, {"id": checkout_id})["checkoutComplete"]
    assert done["errors"] == []
    return Order.objects.get(number=done["order"]["number"])
