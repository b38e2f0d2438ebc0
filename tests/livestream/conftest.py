"""Fixtures of the livestream tests: a verified host of the persimmon cooperative, a
studio, a broadcast starting soon with the 39.90 元 persimmon in its line-up."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from livestream import services
from livestream.models import Venue
from shop.models import User
from tests.factories import make_member


@pytest.fixture
def host_user(coop):
    return make_member(coop, "host@example.com")


@pytest.fixture
def host(host_user, coop):
    return services.create_host(user=host_user, organization=coop, display_name="柿饼小王",
                                birth_date=date(1998, 5, 1), platforms=["douyin", "pavilion"],
                                real_name_verified=True)


@pytest.fixture
def other_host(other_coop_user, other_coop):
    return services.create_host(user=other_coop_user, organization=other_coop,
                                display_name="小米姐", birth_date=date(1990, 1, 1),
                                platforms=["wechat_channels"], real_name_verified=True)


@pytest.fixture
def shopper(db):
    return User.objects.create_user("shopper@example.com", "a-Strong-pass-123")


@pytest.fixture
def studio(db):
    return Venue.objects.create(name="电商中心1号直播间", kind="studio", address="渑池县电商中心")


@pytest.fixture
def broadcast(host, studio, channel):
    start = timezone.now() + timedelta(minutes=10)
    return services.create_broadcast(host=host, venue=studio, title="渑池柿饼专场",
                                     starts_at=start, ends_at=start + timedelta(hours=2),
                                     platform="douyin", stream_url="https://live.example.com/1")


@pytest.fixture
def item(broadcast, variant):
    """The 39.90 元 persimmon at 29.90 live: 5 of its 10 units allocated, 2 per buyer."""
    return services.add_lineup_item(broadcast, variant=variant, live_price=Decimal("29.90"),
                                    quantity=5, per_buyer_limit=2)
