"""The demo catalogue, loaded once for a module in a transaction rolled back at its end,
and the pavilion's own Saleor-shaped documents (``documents/*.graphql``) by operation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.graphql_documents import Documents

DOCUMENTS = Path(__file__).parent / "documents"
document = Documents(DOCUMENTS).text


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo_data", stdout=open("/dev/null", "w"))
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_db(demo, db):
    return demo
