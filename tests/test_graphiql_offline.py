"""GraphiQL without a CDN: the page at /graphql/ loads every script and style from this
site (the graphene-django-graphiql-static package's files), and in Chromium, with every
other host unreachable, the IDE starts and runs a query."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.django_db
def test_graphiql_page_names_only_local_assets():
    html = Client().get("/graphql/", HTTP_ACCEPT="text/html").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 9  # 2 styles, 7 scripts
    assert not [a for a in assets if "//" in a]
    for asset in assets:
        path = asset.removeprefix("/static/")
        found = finders.find(path)
        assert found, asset
        assert open(found, "rb").read(64)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_graphiql_runs_a_query_with_no_other_host_reachable(chromium, live_server):
    context = chromium.new_context()
    page = context.new_page()
    elsewhere = []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        elsewhere.append(route.request.url)
        return route.abort()

    page.route(re.compile(".*"), only_this_site)
    page.goto(f"{live_server.url}/graphql/?query={quote('{ __typename }')}")
    page.locator(".graphiql-container").wait_for()
    page.locator(".graphiql-execute-button").click()
    page.locator(".result-window").get_by_text('"Query"').wait_for()
    assert elsewhere == []
    context.close()
