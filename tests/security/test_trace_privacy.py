"""The public ``traceCode(code:)`` look-up, asked for every field reachable from it (four
levels deep), by nobody: the household's full name and ID number, the price paid to it,
the cooperative's members and the scans' addresses stay out of the answer; and codes
near a real one (one character changed) find nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type

from api.schema import schema
from tests.factories import VALID_ID_NUMBER

pytestmark = pytest.mark.django_db


def _selection(type_, depth):
    """Every field of ``type_`` without required arguments, objects down to ``depth``."""
    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = []
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType):
            if depth > 0 and "edges" not in inner.fields:
                sub = _selection(inner, depth - 1)
                if sub:
                    parts.append(f"{name} {{ {sub} }}")
        else:
            parts.append(name)
    return " ".join(parts)


def test_the_public_look_up_answers_nothing_private(trace, household, sourcing_lot,
                                                    coop_user):
    field = schema.graphql_schema.query_type.fields["traceCode"]
    query = f'{{ traceCode(code: "{trace.code}") {{ {_selection(field.type, 3)} }} }}'
    response = Client().post("/graphql/", json.dumps({"query": query}),
                             content_type="application/json", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    answer = json.dumps(body.get("data"), ensure_ascii=False)
    assert body["data"]["traceCode"] is not None and "渑池柿饼" in answer
    for private in ("王建国", VALID_ID_NUMBER, VALID_ID_NUMBER[-6:], "12.5",
                    "coop@example.com", "203.0.113"):
        assert private not in answer, private


def test_codes_one_character_from_a_real_one_find_nothing(trace):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    code = trace.code
    assert len(code) >= 16  # 16 base-32 characters: 80 random bits
    for position in range(0, len(code), 3):
        other = alphabet[(alphabet.index(code[position]) + 1) % 32]
        near = code[:position] + other + code[position + 1:]
        response = Client().get(f"/t/{near}.json", REMOTE_ADDR=f"198.51.100.{position}")
        assert response.status_code == 404, near
        assert code not in response.content.decode()
