"""A document sent again is not parsed or validated again (api/core/documents.py), but
every request is still held to the limits with its own variables and user, and to the
CSRF refusal; a broken document is answered with the same errors each time."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from api.core import documents
from shop import services as shop_services
from shop.models import User

pytestmark = pytest.mark.django_db

NESTED = """query Nested($n: Int) { pavilion(slug: "mianchi") { products(first: $n) { edges {
  node { pavilion { products(first: $n) { edges { node { name slug } } } } } } } } }"""


def post(query, variables=None, user=None, client=None, operation_name=None):
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {shop_services.create_access_token(user)}"
    body = {"query": query, "variables": variables or {}}
    if operation_name:
        body["operationName"] = operation_name
    response = (client or Client()).post("/graphql/", json.dumps(body),
                                         content_type="application/json", **headers)
    return response.status_code, response.json()


def limit_code(body):
    return [e.get("extensions", {}).get("code") for e in body.get("errors", ())]


def test_a_kept_document_is_refused_when_new_variables_make_it_too_costly(persimmon,
                                                                          pavilion):
    status, body = post(NESTED, {"n": 5})
    assert status == 200 and "errors" not in body, body
    status, body = post(NESTED, {"n": 100})
    assert status == 400 and limit_code(body) == ["QUERY_TOO_COMPLEX"], body
    assert body["errors"][0]["extensions"]["value"] > body["errors"][0]["extensions"]["limit"]
    status, body = post(NESTED, {"n": 5})
    assert status == 200 and body["data"]["pavilion"]["products"]["edges"]


def test_an_operation_default_counts_when_the_variable_is_left_out(persimmon, pavilion):
    query = NESTED.replace("$n: Int)", "$n: Int = 100)")
    status, body = post(query)
    assert status == 400 and limit_code(body) == ["QUERY_TOO_COMPLEX"], body
    status, body = post(query, {"n": 5})
    assert status == 200 and "errors" not in body, body


def test_the_same_document_has_each_users_limit(persimmon, pavilion, operator_user, settings):
    settings.GRAPHQL_MAX_COST, settings.GRAPHQL_MAX_COST_OPERATOR = 5_000, 50_000
    assert limit_code(post(NESTED, {"n": 40})[1]) == ["QUERY_TOO_COMPLEX"]
    status, body = post(NESTED, {"n": 40}, user=operator_user)
    assert status == 200 and "errors" not in body, body
    assert limit_code(post(NESTED, {"n": 40})[1]) == ["QUERY_TOO_COMPLEX"]


def test_only_the_named_operation_is_held_to_the_limits(persimmon, pavilion):
    query = NESTED + " query Small { products(first: 1) { edges { node { name } } } }"
    status, body = post(query, {"n": 100}, operation_name="Small")
    assert status == 200 and body["data"]["products"]["edges"], body
    status, body = post(query, {"n": 100}, operation_name="Nested")
    assert status == 400 and limit_code(body) == ["QUERY_TOO_COMPLEX"]


@pytest.mark.parametrize("query", [
    "{ products(first: 1) { edges { node { name } }",  # a syntax error
    '{ products(first: 1, channel: "default-channel") { edges { node { nom } } } }',
    "query($n: Int) { pavilion(nope: 1) { name } }",  # an unknown argument, an unused variable
])
def test_a_broken_document_is_answered_with_the_same_errors_twice(db, query):
    first, second = post(query), post(query)
    assert first[0] == second[0] == 400
    assert first[1]["errors"] and first[1] == second[1]
    assert "data" not in first[1] or first[1]["data"] is None


def test_a_kept_mutation_is_still_refused_to_a_cookie_session_without_csrf(coop_user):
    mutation = """mutation { accountUpdate(input: {firstName: "改了"}) {
      errors { field code } } }"""
    status, body = post(mutation, user=coop_user)  # an app with a token: answered, kept
    assert status == 200 and body["data"]["accountUpdate"]["errors"] == [], body
    User.objects.filter(pk=coop_user.pk).update(first_name="原名")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coop_user)
    for _attempt in range(2):
        response = browser.post("/graphql/", json.dumps({"query": mutation}),
                                content_type="application/json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["errors"][0]["message"]
    assert User.objects.get(pk=coop_user.pk).first_name == "原名"


def test_a_mutation_over_get_is_refused_from_a_kept_document(db):
    mutation = 'mutation { tokenVerify(token: "x") { isValid } }'
    assert post(mutation)[0] == 200
    response = Client().get("/graphql/", {"query": mutation})
    assert response.status_code == 405


def test_fragments_spread_twice_at_every_level_are_measured_once_each(persimmon):
    # 2**40 names: walking every spread would never finish.
    fragments = "".join(
        f"fragment F{i} on Product {{ ...F{i + 1} ...F{i + 1} }} " for i in range(40))
    query = ('{ products(first: 10, channel: "default-channel") { edges { node { ...F0 } } } } '
             + fragments + "fragment F40 on Product { name }")
    status, body = post(query)
    assert status == 400 and limit_code(body) == ["QUERY_TOO_COMPLEX"], body


def test_the_cache_is_bounded_in_documents_and_in_their_size(db, settings):
    settings.GRAPHQL_DOCUMENT_CACHE_ENTRIES = 2
    settings.GRAPHQL_DOCUMENT_CACHE_MAX_BYTES = 200
    queries = [f"{{ a{i}: __typename }}" for i in range(3)]
    for query in queries:
        assert post(query)[1]["data"] == {f"a{queries.index(query)}": "Query"}
    kept = [query for _schema, query in documents._documents]
    assert kept == queries[1:]
    long_query = "{ __typename } # " + "长" * 100
    assert post(long_query)[0] == 200
    assert long_query not in [query for _schema, query in documents._documents]
    # At most 60 bytes of text in all: the newest document alone is kept.
    settings.GRAPHQL_DOCUMENT_CACHE_TOTAL_BYTES = 60
    for query in queries:
        post(query)
    post(queries[0] + " " * 30)
    assert [query for _schema, query in documents._documents] == [queries[0] + " " * 30]
