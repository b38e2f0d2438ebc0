"""Fixtures of the storefront tests: a shopper's browser session (Django's test client).
The shop's shipping methods, the local Alipay gateway and the supply chain come from
``tests/conftest.py``."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def browser_client():
    """A shopper's browser: cookies kept, CSRF checked as in production."""
    return Client(enforce_csrf_checks=False)
