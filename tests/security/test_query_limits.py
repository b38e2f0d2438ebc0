"""The limits a request to /graphql/ is held to before anything runs (api/core/limits.py),
each shown with the attack it stops, through the real view, and with the ordinary pages'
queries still answered."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shop import services as shop_services
from supplychain.models import Scan

pytestmark = pytest.mark.django_db

NESTED = """{ pavilion(slug: "mianchi") { products(first: 100) { edges { node {
  pavilion { products(first: 100) { edges { node {
    pavilion { products(first: 100) { edges { node { name } } } } } } } } } } } } }"""


def post(query, variables=None, user=None):
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {shop_services.create_access_token(user)}"
    response = Client().post("/graphql/", json.dumps({"query": query,
                                                      "variables": variables or {}}),
                             content_type="application/json", **headers)
    return response.status_code, response.json()


def refused(status, body, code):
    assert status == 400, body
    assert "data" not in body or body["data"] is None
    ours = [e for e in body["errors"] if e.get("extensions", {}).get("code") == code]
    assert len(ours) == 1 and ours[0]["message"], body
    return ours[0]


def test_connections_nested_three_deep_are_refused_before_running(persimmon, pavilion):
    assert len(NESTED.encode()) < 300
    status, body = post(NESTED)
    error = refused(status, body, "QUERY_TOO_COMPLEX")
    assert error["extensions"]["value"] > error["extensions"]["limit"]
    assert "first" in error["message"]


def test_page_sizes_sent_as_variables_count_too(persimmon, pavilion):
    query = """query($n: Int) { pavilion(slug: "mianchi") { products(first: $n) { edges {
      node { pavilion { products(first: $n) { edges { node { name slug } } } } } } } } }"""
    refused(*post(query, {"n": 100}), "QUERY_TOO_COMPLEX")
    status, body = post(query, {"n": 5})
    assert status == 200 and "errors" not in body
    assert body["data"]["pavilion"]["products"]["edges"][0]["node"]["pavilion"]


def test_aliases_of_a_product_page_are_refused(persimmon):
    def aliases(count):
        return "{" + "".join(f"a{i}:products(first:100){{edges{{node{{name}}}}}}"
                             for i in range(count)) + "}"
    refused(*post(aliases(500)), "QUERY_TOO_LARGE")
    refused(*post(aliases(50)), "TOO_MANY_FIELDS")
    status, body = post(aliases(3))
    assert status == 200 and body["data"]["a2"]["edges"][0]["node"]["name"] == "渑池柿饼"


def test_trace_code_aliases_write_no_scan(trace):
    def aliases(count):
        return "{" + "".join(f'a{i}:traceCode(code:"{trace.code}"){{code}}'
                             for i in range(count)) + "}"
    before = Scan.objects.count()
    refused(*post(aliases(500)), "QUERY_TOO_LARGE")
    refused(*post(aliases(50)), "TOO_MANY_FIELDS")
    # Under the top-level cap a look-up still costs what the scan row it writes costs.
    refused(*post(aliases(19)), "QUERY_TOO_COMPLEX")
    assert Scan.objects.count() == before
    status, body = post(aliases(1))
    assert status == 200 and body["data"]["a0"]["code"] == trace.code
    assert Scan.objects.count() == before + 1


def test_aliases_hidden_below_the_top_are_counted(persimmon):
    inner = " ".join(f"n{i}: name" for i in range(60))
    query = f'{{ product(slug: "mianchi-shibing", channel: "default-channel") {{ {inner} }} }}'
    refused(*post(query), "TOO_MANY_ALIASES")


def test_a_deep_document_is_refused(persimmon):
    query = '{ product(slug: "x") { category { ' + "parent { " * 20 + "name" + \
        " }" * 20 + " } } }"
    refused(*post(query), "QUERY_TOO_DEEP")


def test_recursive_introspection_is_refused_but_graphiqls_is_answered(db):
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    refused(*post(query), "QUERY_TOO_DEEP")
    introspection = """query IntrospectionQuery { __schema { queryType { name }
      types { kind name fields(includeDeprecated: true) { name args { name type { ...T } }
        type { ...T } } inputFields { name type { ...T } } enumValues { name } } } }
      fragment T on __Type { kind name ofType { kind name ofType { kind name ofType {
        kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }"""
    status, body = post(introspection)
    assert status == 200 and "errors" not in body
    assert len(body["data"]["__schema"]["types"]) > 50


def test_a_huge_document_is_refused_unparsed(db):
    query = "{ " + "__typename " * 5000 + "}"
    refused(*post(query), "QUERY_TOO_LARGE")


def test_fragments_do_not_hide_cost(persimmon, pavilion):
    query = """{ pavilion(slug: "mianchi") { ...P } }
      fragment P on Pavilion { products(first: 100) { edges { node { pavilion { ...Q } } } } }
      fragment Q on Pavilion { products(first: 100) { edges { node { name slug } } } }"""
    refused(*post(query), "QUERY_TOO_COMPLEX")


def test_operators_may_ask_for_more(persimmon, pavilion, operator_user, coop_user, settings):
    query = """{ pavilion(slug: "mianchi") { products(first: 100) { edges { node {
      pavilion { products(first: 30) { edges { node { name slug } } } } } } } } }"""
    settings.GRAPHQL_MAX_COST, settings.GRAPHQL_MAX_COST_OPERATOR = 5_000, 50_000
    refused(*post(query), "QUERY_TOO_COMPLEX")
    refused(*post(query, user=coop_user), "QUERY_TOO_COMPLEX")
    status, body = post(query, user=operator_user)
    assert status == 200 and "errors" not in body, body
    settings.GRAPHQL_MAX_COST_OPERATOR = 100
    refused(*post(query, user=operator_user), "QUERY_TOO_COMPLEX")


def test_an_ordinary_shop_page_query_is_answered(persimmon, pavilion):
    query = """{ products(first: 24) { totalCount edges { node {
      id name slug pavilion { name slug } category { name } variants { id name sku
      pricing { price { gross { amount currency } } } } thumbnail { url } } } } }"""
    status, body = post(query)
    assert status == 200 and "errors" not in body, body
    assert body["data"]["products"]["edges"][0]["node"]["slug"] == "mianchi-shibing"
