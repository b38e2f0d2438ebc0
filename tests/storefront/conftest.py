"""Fixtures of the storefront tests: the shop's shipping methods and local Alipay gateway
(from tests/shop), and a shopper's browser session (Django's test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.shop.conftest import alipay_gateway, app_keys, shipping  # noqa: F401
from tests.supplychain.conftest import (  # noqa: F401
    base,
    graded_lot,
    grades,
    household,
    packing_run,
    passed_lot,
    sourcing_lot,
)

ADDRESS = {"first_name": "王小明", "phone": "13812345678", "country_area": "河南省",
           "city": "三门峡市", "city_area": "渑池县", "street_address_1": "仰韶路 12 号",
           "postal_code": "472400"}


@pytest.fixture
def browser_client():
    """A shopper's browser: cookies kept, CSRF checked as in production."""
    return Client(enforce_csrf_checks=False)


# Chinese pages: the project catalogue plus every area's pending JSON translations ------

@pytest.fixture(scope="session")
def merged_catalogue(tmp_path_factory):
    """A zh_Hans .mo made of the project's .po and every ``locale/translations/*.json``
    (what the lead's ``scripts/i18n.py`` merge produces), so pages render as a Chinese
    visitor will see them once the strings are merged."""
    import json
    from pathlib import Path

    import polib
    from django.conf import settings

    root = Path(settings.BASE_DIR) / "locale"
    po = polib.pofile(str(root / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    known = {entry.msgid: entry for entry in po}
    for path in sorted((root / "translations").glob("*.json")):
        for msgid, msgstr in json.loads(path.read_text(encoding="utf-8")).items():
            if msgid in known:
                known[msgid].msgstr = known[msgid].msgstr or msgstr
            else:
                known[msgid] = polib.POEntry(msgid=msgid, msgstr=msgstr)
                po.append(known[msgid])
    target = tmp_path_factory.mktemp("locale") / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po.save_as_mofile(str(target / "django.mo"))
    return target.parent.parent


@pytest.fixture(autouse=True)
def chinese_pages(settings, merged_catalogue):
    from django.utils.translation import trans_real

    settings.LOCALE_PATHS = [merged_catalogue]
    trans_real._translations = {}
    trans_real._default = None
    yield
    trans_real._translations = {}
    trans_real._default = None


def remember(client, order):
    """Let a guest's browser (``client``) open ``order``, as if it had placed it."""
    from storefront.services import SESSION_ORDERS

    session = client.session
    session[SESSION_ORDERS] = [*session.get(SESSION_ORDERS, []), order.number]
    session.save()
