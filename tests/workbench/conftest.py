"""Fixtures of the workbench tests: a member's browser session (Django's test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.workbench.browsing import phone  # noqa: F401 - fixture


@pytest.fixture
def coop_client(coop_user):
    client = Client()
    client.force_login(coop_user)
    return client


@pytest.fixture
def other_client(other_coop_user):
    client = Client()
    client.force_login(other_coop_user)
    return client
