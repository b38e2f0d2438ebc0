"""A GraphQL client that goes through the real ``/graphql/`` view, as a browser or app
would: JSON or multipart requests, a JWT when a user is given, a chosen language."""

from __future__ import annotations

import json

from django.test import Client

from shop import services as shop_services
from shop.models import User

# The user agent of WeChat's built-in browser on Android (it cannot open Alipay's pages).
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; V2238A Build/TP1A.220624.014; wv) "
             "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile "
             "Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560"
             "(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")


class GraphQLClient:
    """Posts GraphQL documents to ``/graphql/`` like a real client (JSON or multipart)."""

    def __init__(self, user: User | None = None, language: str = "en"):
        self.client = Client()
        self.token = shop_services.create_access_token(user) if user else None
        self.language = language

    def headers(self):
        headers = {"HTTP_ACCEPT_LANGUAGE": self.language}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return headers

    def post(self, query: str, variables: dict | None = None) -> dict:
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **self.headers(),
        )
        assert response.status_code in (200, 400, 401), response.content[:500]
        return response.json()

    def post_multipart(self, query: str, variables: dict, files: dict) -> dict:
        """GraphQL multipart request spec: ``files`` maps a variable path to a file."""
        file_map = {str(i): [f"variables.{path}"] for i, path in enumerate(files)}
        data = {
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps(file_map),
        }
        for i, upload in enumerate(files.values()):
            data[str(i)] = upload
        response = self.client.post("/graphql/", data=data, **self.headers())
        assert response.status_code in (200, 400, 401), response.content[:500]
        return response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        """The ``data`` of a request that must succeed without GraphQL errors."""
        result = self.post(query, variables)
        assert not result.get("errors"), result["errors"]
        return result["data"]


def order_page(user: User, order) -> str:
    """The HTML of ``order``'s page as ``user``, signed in, sees it."""
    client = Client()
    client.force_login(user)
    response = client.get(f"/orders/{order.number}/")
    assert response.status_code == 200
    return response.content.decode()


def refused(result: dict) -> bool:
    """A GraphQL answer that refused the caller outright: errors, and every top-level
    field null (a permission refusal, not a field error in a payload)."""
    return bool(result.get("errors")) and all(
        value is None for value in (result.get("data") or {}).values())


def signed_in(user: User) -> Client:
    """A page client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
