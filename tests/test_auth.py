"""Signing in with Saleor's JWT flow (tokenCreate, tokenRefresh, tokenVerify) and what a
bearer token lets one do, through the real /graphql/ view."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from shop.models import User
from shop.services.accounts import jwt_signing_key

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-pass-123"  # what tests/conftest.py make_member sets

TOKEN_CREATE = """
mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token refreshToken
    user { email organizations { organization { slug kind } role } }
    errors { field code message }
  }
}"""

TOKEN_REFRESH = """
mutation($refreshToken: String!) {
  tokenRefresh(refreshToken: $refreshToken) { token user { email } errors { field code message } }
}"""

TOKEN_VERIFY = """
mutation($token: String!) {
  tokenVerify(token: $token) { isValid user { email } errors { field code message } }
}"""

ME = "query { me { email organizations { organization { slug name kind } role } } }"

# A mutation that needs a signed-in user: tells "authenticated" from "anonymous" apart.
PRODUCT_CREATE = """
mutation($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id } errors { field code } }
}"""


def send(query, variables=None, token=None, scheme="Bearer"):
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {token}"} if token else {}
    return Client().post("/graphql/", data=json.dumps({"query": query,
                                                      "variables": variables or {}}),
                         content_type="application/json", **headers)


def post(query, variables=None, token=None, scheme="Bearer"):
    response = send(query, variables, token, scheme)
    assert response.status_code in (200, 400), response.content[:300]
    return response.json()


def assert_token_refused(token, code, query=ME, variables=None):
    """What the API does with a bad bearer token (api/core/views.py): the whole request
    is refused with HTTP 401 and one error naming why, and nothing runs; the caller is
    not silently treated as anonymous, so a client knows to refresh or sign in again."""
    response = send(query, variables, token)
    assert response.status_code == 401, response.content[:300]
    body = response.json()
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    saleor_names = {"JWT_SIGNATURE_EXPIRED": "ExpiredSignatureError",
                    "JWT_DECODE_ERROR": "DecodeError", "JWT_INVALID_TOKEN": "InvalidTokenError"}
    assert body["errors"][0]["extensions"]["exception"]["code"] == saleor_names[code]
    assert body["errors"][0]["message"]


def me(token, scheme="Bearer"):
    result = post(ME, token=token, scheme=scheme)
    assert not result.get("errors"), result["errors"]
    return result["data"]["me"]


def sign_in(email="coop@example.com", password=PASSWORD):
    result = post(TOKEN_CREATE, {"email": email, "password": password})
    assert not result.get("errors"), result["errors"]
    return result["data"]["tokenCreate"]


def craft(user, token_type="access", **claims):
    """A token signed with the server's key, as the server would issue it, with some
    claims chosen by the test (an expiry in the past, another subject)."""
    now = timezone.now()
    payload = {"sub": str(user.pk), "email": user.email, "type": token_type,
               "iat": int(now.timestamp()), "exp": int((now + timedelta(minutes=5)).timestamp()),
               "ver": user.token_version, **claims}
    return jwt.encode(payload, jwt_signing_key(), algorithm="HS256")


# Signing in --------------------------------------------------------------------------------

def test_token_create_returns_tokens_and_the_user(coop_user, coop):
    data = sign_in()
    assert data["errors"] == []
    assert data["token"] and data["refreshToken"] and data["token"] != data["refreshToken"]
    assert data["user"] == {"email": "coop@example.com", "organizations": [
        {"organization": {"slug": coop.slug, "kind": "COOPERATIVE"}, "role": "ADMIN"}]}
    claims = jwt.decode(data["token"], jwt_signing_key(), algorithms=["HS256"])
    assert claims["type"] == "access"
    assert claims["exp"] - claims["iat"] == settings.JWT_ACCESS_TTL.total_seconds()
    refresh = jwt.decode(data["refreshToken"], jwt_signing_key(), algorithms=["HS256"])
    assert refresh["type"] == "refresh" and refresh["exp"] > claims["exp"]
    coop_user.refresh_from_db()
    assert coop_user.last_login is not None


def test_email_is_matched_case_insensitively(coop_user):
    data = sign_in(email="  Coop@Example.COM ")
    assert data["errors"] == [] and data["token"]
    assert data["user"]["email"] == "coop@example.com"


@pytest.mark.parametrize("email,password", [
    ("coop@example.com", "wrong-password"),
    ("coop@example.com", ""),
    ("nobody@example.com", PASSWORD),   # unknown users get the same answer
])
def test_wrong_credentials_give_no_token(coop_user, email, password):
    data = sign_in(email, password)
    assert data["token"] is None and data["refreshToken"] is None and data["user"] is None
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("email", "INVALID_CREDENTIALS")]
    assert data["errors"][0]["message"]


def test_deactivated_user_cannot_sign_in_and_their_tokens_stop_working(coop_user):
    token = sign_in()["token"]
    assert me(token)["email"] == "coop@example.com"
    User.objects.filter(pk=coop_user.pk).update(is_active=False)
    data = sign_in()
    assert data["token"] is None
    assert [e["code"] for e in data["errors"]] == ["INVALID_CREDENTIALS"]
    assert_token_refused(token, "JWT_INVALID_TOKEN")


# Using the token ---------------------------------------------------------------------------

def test_me_with_bearer_token_returns_the_user_with_organisations(coop_user, coop):
    token = sign_in()["token"]
    assert me(token) == {"email": "coop@example.com", "organizations": [
        {"organization": {"slug": coop.slug, "name": coop.name, "kind": "COOPERATIVE"},
         "role": "ADMIN"}]}
    # Saleor clients may also send "JWT <token>".
    assert me(token, scheme="JWT")["email"] == "coop@example.com"


def test_me_without_a_token_is_null(coop_user):
    assert me(None) is None


def test_token_lets_a_member_act_for_their_cooperative(coop_user, product_type):
    token = sign_in()["token"]
    product_type_id = base64.b64encode(f"ProductType:{product_type.pk}".encode()).decode()
    variables = {"input": {"productType": product_type_id, "name": "柿子醋"}}
    result = post(PRODUCT_CREATE, variables, token=token)
    assert result["data"]["productCreate"]["errors"] == []
    assert result["data"]["productCreate"]["product"]["id"]
    result = post(PRODUCT_CREATE, variables)
    assert result["data"]["productCreate"] is None
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_token_refresh_gives_a_new_working_access_token(coop_user):
    tokens = sign_in()
    data = post(TOKEN_REFRESH, {"refreshToken": tokens["refreshToken"]})["data"]["tokenRefresh"]
    assert data["errors"] == []
    assert data["user"] == {"email": "coop@example.com"}
    assert me(data["token"])["email"] == "coop@example.com"
    assert jwt.decode(data["token"], jwt_signing_key(), algorithms=["HS256"])["type"] == "access"


@pytest.mark.parametrize("which,code", [("token", "JWT_INVALID_TOKEN"),
                                        ("garbage", "JWT_DECODE_ERROR")])
def test_token_refresh_refuses_anything_but_a_refresh_token(coop_user, which, code):
    token = sign_in()["token"] if which == "token" else "not.a.jwt"
    data = post(TOKEN_REFRESH, {"refreshToken": token})["data"]["tokenRefresh"]
    assert data["token"] is None and data["user"] is None
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("refreshToken", code)]


def test_refresh_token_does_not_authenticate_as_an_access_token(coop_user, product_type):
    refresh = sign_in()["refreshToken"]
    assert_token_refused(refresh, "JWT_INVALID_TOKEN")
    count = product_type.products.count()
    assert_token_refused(refresh, "JWT_INVALID_TOKEN", PRODUCT_CREATE,
                         {"input": {"productType": "x", "name": "x"}})
    assert product_type.products.count() == count


def test_an_empty_bearer_header_is_simply_anonymous(coop_user):
    response = Client().post("/graphql/", data=json.dumps({"query": ME}),
                             content_type="application/json", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


def test_token_verify(coop_user):
    tokens = sign_in()
    data = post(TOKEN_VERIFY, {"token": tokens["token"]})["data"]["tokenVerify"]
    assert data == {"isValid": True, "user": {"email": "coop@example.com"}, "errors": []}


@pytest.mark.parametrize("kind,code", [
    ("refresh", "JWT_INVALID_TOKEN"),
    ("garbage", "JWT_DECODE_ERROR"),
    ("expired", "JWT_SIGNATURE_EXPIRED"),
])
def test_token_verify_says_invalid_without_failing(coop_user, kind, code):
    past = int((timezone.now() - timedelta(minutes=1)).timestamp())
    token = {"refresh": lambda: sign_in()["refreshToken"],
             "garbage": lambda: "abc",
             "expired": lambda: craft(coop_user, exp=past)}[kind]()
    result = post(TOKEN_VERIFY, {"token": token})
    assert not result.get("errors"), result["errors"]
    data = result["data"]["tokenVerify"]
    assert data["isValid"] is False and data["user"] is None
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("token", code)]


# Tokens that must not work -----------------------------------------------------------------

def test_expired_access_token_is_refused_with_401_and_a_clear_code(coop_user):
    """An expired access token is refused (HTTP 401, ``JWT_SIGNATURE_EXPIRED``) rather
    than run anonymously: a storefront sees it must call tokenRefresh. The same claims
    unexpired work, so the expiry is what is refused."""
    assert me(craft(coop_user))["email"] == "coop@example.com"
    past = int((timezone.now() - timedelta(seconds=1)).timestamp())
    expired = craft(coop_user, exp=past, iat=past - 300)
    assert_token_refused(expired, "JWT_SIGNATURE_EXPIRED")
    assert_token_refused(expired, "JWT_SIGNATURE_EXPIRED", PRODUCT_CREATE,
                         {"input": {"productType": "x", "name": "x"}})


def test_expired_refresh_token_is_refused(coop_user):
    past = int((timezone.now() - timedelta(seconds=1)).timestamp())
    data = post(TOKEN_REFRESH, {"refreshToken": craft(coop_user, "refresh", exp=past)}
                )["data"]["tokenRefresh"]
    assert data["token"] is None
    assert [(e["field"], e["code"]) for e in data["errors"]] == [
        ("refreshToken", "JWT_SIGNATURE_EXPIRED")]


def test_password_change_invalidates_earlier_tokens(coop_user):
    old = sign_in()
    assert me(old["token"])["email"] == "coop@example.com"
    coop_user.set_password("another-Strong-pass-456")
    coop_user.save()
    assert_token_refused(old["token"], "JWT_INVALID_TOKEN")
    data = post(TOKEN_REFRESH, {"refreshToken": old["refreshToken"]})["data"]["tokenRefresh"]
    assert data["token"] is None
    assert [e["code"] for e in data["errors"]] == ["JWT_INVALID_TOKEN"]
    assert sign_in()["token"] is None  # the old password no longer signs in
    new = sign_in(password="another-Strong-pass-456")
    assert me(new["token"])["email"] == "coop@example.com"


@pytest.mark.parametrize("forgery,code", [
    ("other_key", "JWT_DECODE_ERROR"),
    ("alg_none", "JWT_DECODE_ERROR"),
    ("old_version", "JWT_INVALID_TOKEN"),
    ("tampered", "JWT_DECODE_ERROR"),
    ("garbage", "JWT_DECODE_ERROR"),
])
def test_forged_tokens_do_not_authenticate(coop_user, other_coop_user, forgery, code):
    now = int(timezone.now().timestamp())
    claims = {"sub": str(coop_user.pk), "email": coop_user.email, "type": "access",
              "iat": now, "exp": now + 300, "ver": coop_user.token_version}
    if forgery == "other_key":
        token = jwt.encode(claims, "not-the-server-key-" * 3, algorithm="HS256")
    elif forgery == "alg_none":
        token = jwt.encode(claims, None, algorithm="none")
    elif forgery == "old_version":
        # Signed with the server's key but under a version the user has since revoked.
        token = craft(coop_user, ver=coop_user.token_version - 1)
    elif forgery == "garbage":
        token = "not-a-token"
    else:
        header, body, signature = sign_in()["token"].split(".")
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        payload["sub"] = str(other_coop_user.pk)
        body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
        token = f"{header}.{body}.{signature}"
    assert_token_refused(token, code)


# What a token carries and how it is revoked ------------------------------------------------

TOKENS_DEACTIVATE_ALL = "mutation { tokensDeactivateAll { errors { field code message } } }"


def test_a_token_carries_nothing_of_the_password_hash(coop_user):
    token = sign_in()["token"]
    _header, body, _signature = token.split(".")
    readable = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    coop_user.refresh_from_db()
    hash_body = coop_user.password.rsplit("$", 1)[-1]
    for start in range(0, len(hash_body) - 6):
        assert hash_body[start:start + 6] not in readable
    assert "pwd" not in json.loads(readable)


def test_tokens_deactivate_all_signs_out_everywhere(coop_user):
    first, second = sign_in(), sign_in()
    assert me(first["token"])["email"] == "coop@example.com"
    result = post(TOKENS_DEACTIVATE_ALL, token=second["token"])
    assert result["data"]["tokensDeactivateAll"]["errors"] == []
    for token in (first["token"], second["token"]):
        assert_token_refused(token, "JWT_INVALID_TOKEN")
    refreshed = post(TOKEN_REFRESH, {"refreshToken": first["refreshToken"]})
    assert refreshed["data"]["tokenRefresh"]["token"] is None
    # Signing in again gives a working token.
    assert me(sign_in()["token"])["email"] == "coop@example.com"


def test_tokens_deactivate_all_needs_a_signed_in_user(db):
    result = post(TOKENS_DEACTIVATE_ALL)
    assert result["data"]["tokensDeactivateAll"] is None
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_a_password_set_in_the_admin_revokes_tokens(coop_user):
    token = sign_in()["token"]
    user = User.objects.get(pk=coop_user.pk)
    user.set_password("set-by-the-Operator-789")
    user.save()
    assert_token_refused(token, "JWT_INVALID_TOKEN")


def test_a_development_token_is_refused_by_a_production_key(coop_user, settings):
    dev_token = sign_in()["token"]
    assert me(dev_token)["email"] == "coop@example.com"
    settings.SECRET_KEY = "a-production-secret-" + "x" * 40
    assert_token_refused(dev_token, "JWT_DECODE_ERROR")
    # A JWT-specific key, when set, is what signs and checks tokens.
    settings.JWT_SECRET_KEY = "a-jwt-only-production-secret-" + "y" * 30
    assert_token_refused(dev_token, "JWT_DECODE_ERROR")
    assert me(sign_in()["token"])["email"] == "coop@example.com"


ACCOUNT_REGISTER = """
mutation($email: String!, $password: String!) {
  accountRegister(input: {email: $email, password: $password}) {
    user { email } errors { field code message }
  }
}"""


@pytest.mark.parametrize("length", [200, 1_000_000])
def test_an_overlong_password_is_refused_without_hashing(coop_user, length):
    result = post(TOKEN_CREATE, {"email": "coop@example.com", "password": "x" * length})
    assert result["data"]["tokenCreate"]["token"] is None
    assert [e["code"] for e in result["data"]["tokenCreate"]["errors"]] in (
        ["INVALID_CREDENTIALS"], ["INVALID"])
    result = post(ACCOUNT_REGISTER, {"email": "new@example.com",
                                     "password": "Aa1-" + "x" * length})
    assert result["data"]["accountRegister"]["user"] is None
    assert result["data"]["accountRegister"]["errors"][0]["field"] == "password"
    assert not User.objects.filter(email="new@example.com").exists()
