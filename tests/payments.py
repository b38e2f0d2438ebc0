"""Paying an order through the local Alipay gateway, as the payment tests and the fault
tests do it: start the payment through GraphQL and post Alipay's notice."""

from urllib.request import urlopen

from django.test import Client

from tests.factories import gid

INIT = """mutation($id: ID!, $data: JSON) {
  transactionInitialize(id: $id, paymentGateway: {id: "alipay", data: $data}) {
    transaction { id name status outTradeNo chargedAmount { amount } }
    data errors { field code message } } }"""



def start(gql_as, user, order, device="PC", open_cashier=True):
    """Start the payment; the buyer's browser then opens the signed cashier URL."""
    data = gql_as(user).data(INIT, {"id": gid("Order", order.pk),
                                    "data": {"device": device}})
    result = data["transactionInitialize"]
    if open_cashier and result["data"]:
        assert urlopen(result["data"]["url"]).status == 200
    return result


def notify(params):
    response = Client().post("/alipay/notify/", params)
    return response.content.decode()
