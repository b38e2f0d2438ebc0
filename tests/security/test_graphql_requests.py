"""Requests a browser or a script can send to /graphql/ that must be refused cleanly:
cross-site mutations riding on the session cookie, broken multipart uploads, and what a
failing resolver may tell the caller."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-pass-123"
NEW_PASSWORD = "another-Strong-pass-456"
PASSWORD_CHANGE = f"""mutation {{ passwordChange(oldPassword: "{PASSWORD}",
  newPassword: "{NEW_PASSWORD}") {{ errors {{ field code }} }} }}"""


def password_unchanged(user):
    return User.objects.get(pk=user.pk).check_password(PASSWORD)


# CSRF ------------------------------------------------------------------------------------

def test_a_cross_site_form_cannot_change_the_password_of_a_signed_in_browser(coop_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coop_user)
    response = browser.post("/graphql/", {"query": PASSWORD_CHANGE},
                            HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["message"]
    assert password_unchanged(coop_user)
    # The same with JSON and no Origin at all.
    response = browser.post("/graphql/", json.dumps({"query": PASSWORD_CHANGE}),
                            content_type="application/json")
    assert response.status_code == 403
    assert password_unchanged(coop_user)


def test_the_browser_with_its_csrf_token_may_change_it(coop_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coop_user)
    browser.get("/graphql/", HTTP_ACCEPT="text/html")  # GraphiQL sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/graphql/", json.dumps({"query": PASSWORD_CHANGE}),
                            content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["passwordChange"]["errors"] == []
    assert not password_unchanged(coop_user)


def test_queries_with_the_cookie_and_bearer_or_anonymous_requests_need_no_csrf(coop_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coop_user)
    response = browser.post("/graphql/", json.dumps({"query": "{ me { email } }"}),
                            content_type="application/json")
    assert response.json()["data"]["me"]["email"] == coop_user.email

    app = Client(enforce_csrf_checks=True)
    response = app.post("/graphql/", json.dumps({"query": PASSWORD_CHANGE}),
                        content_type="application/json",
                        HTTP_AUTHORIZATION="Bearer " + shop_services.create_access_token(coop_user))
    assert response.status_code == 200
    assert response.json()["data"]["passwordChange"]["errors"] == []

    anonymous = Client(enforce_csrf_checks=True)
    sign_in = f"""mutation {{ tokenCreate(email: "coop@example.com",
      password: "{NEW_PASSWORD}") {{ token }} }}"""
    response = anonymous.post("/graphql/", json.dumps({"query": sign_in}),
                              content_type="application/json")
    assert response.json()["data"]["tokenCreate"]["token"]


# Multipart --------------------------------------------------------------------------------

UPLOAD = """mutation($image: Upload!, $product: ID!) {
  productMediaCreate(input: {image: $image, product: $product}) { errors { field code } } }"""


def multipart(data):
    return Client().post("/graphql/", data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("operations,files_map,attach,fragment", [
    ("{not json", '{"0": ["variables.image"]}', True, "JSON"),
    (json.dumps({"query": UPLOAD, "variables": {"image": None}}), "[oops", True, "JSON"),
    (json.dumps({"query": UPLOAD, "variables": {"image": None}}),
     '{"0": ["variables.nowhere.deeper"]}', True, "path"),
    (json.dumps({"query": UPLOAD, "variables": {"image": None}}),
     '{"0": ["variables.image"]}', False, "file"),
    (json.dumps({"query": UPLOAD, "variables": {"image": None}}),
     '{"0": "variables.image"}', True, "map"),
    (json.dumps({"query": UPLOAD, "variables": {"image": "taken"}}),
     '{"0": ["variables.image"]}', True, "path"),
])
def test_malformed_multipart_is_a_400_with_a_message(operations, files_map, attach, fragment,
                                                     tmp_path):
    data = {"operations": operations, "map": files_map}
    if attach:
        upload = tmp_path / "a.png"
        upload.write_bytes(b"\x89PNG\r\n")
        data["0"] = upload.open("rb")
    response = multipart(data)
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert fragment in message


def test_a_query_that_is_not_a_string_is_a_400(db):
    response = Client().post("/graphql/", json.dumps({"query": ["{ me { email } }"]}),
                             content_type="application/json")
    assert response.status_code == 400


# Failures inside a resolver --------------------------------------------------------------

def test_a_failing_resolver_tells_the_caller_nothing_of_the_database(monkeypatch, settings,
                                                                    persimmon, caplog):
    settings.DEBUG = False

    def broken(*_args, **_kwargs):
        raise RuntimeError('relation "secret_internal_table" does not exist')

    monkeypatch.setattr(shop_services, "get_channel", broken)
    response = Client().post("/graphql/", json.dumps({"query": "{ products(first: 5) { edges {"
                                                               " node { name } } } }"}),
                             content_type="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "secret_internal_table" not in text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["path"] == ["products"]
    assert "secret_internal_table" in caplog.text  # logged for the operators
