"""A JSON array of operations (batching) is one way around per-request limits: fifty
sign-in attempts or fifty costly pages in one request. The endpoint answers one operation
per request."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shop.models import User

pytestmark = pytest.mark.django_db

SIGN_IN = """mutation { tokenCreate(email: "li@example.com", password: "wrong-%d") {
  token errors { code } } }"""


def test_a_batch_of_operations_is_refused_whole(db):
    User.objects.create_user("li@example.com", "a-Strong-pass-123")
    batch = [{"query": SIGN_IN % n} for n in range(50)]
    response = Client().post("/graphql/", json.dumps(batch), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body.get("data") is None and body["errors"][0]["message"]
    # Nothing was tried: the right password still signs in at once (no lock-out).
    right = Client().post("/graphql/", json.dumps({"query": SIGN_IN.replace(
        "wrong-%d", "a-Strong-pass-123")}), content_type="application/json")
    assert right.json()["data"]["tokenCreate"]["token"]
