"""The security tests reuse the broadcast of the livestream tests and the brand, its
authority and a granted licence of the brand tests; ``world`` is everything the persimmon
cooperative (and a shopper of its) owns, by the global IDs the API hands out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from brand import services as brand_services
from brand.models import Objection
from catalog.models import Collection, CollectionChannelListing, CollectionProduct
from livestream import services as live_services
from shop import services as shop_services
from shop.models import Membership, Notification, Order, User
from shop.returns import ReturnRequest
from shop.services.addresses import create_address
from shop.services.memberships import invite
from shop.services.returns import request_return
from supplychain import services as supplychain_services
from tests.brand.conftest import authority, authority_user, brand, licence  # noqa: F401
from tests.factories import SERVICE_ADDRESS, draft, gid, make_member, make_paid_order
from tests.livestream.conftest import (  # noqa: F401
    broadcast,
    host,
    host_user,
    item,
    other_host,
    studio,
)


@pytest.fixture
def world(coop, coop_user, persimmon, variant, household, base, grades, passed_lot,
          graded_lot, packing_run, trace, channel, shipping, category,
          host, broadcast, item, licence, authority_user):  # noqa: F811 - the fixtures above
    """Argument names and type names to the cooperative's records' global IDs (an ID
    argument named ``id`` takes the type its mutation is about)."""
    sourcing_lot = supplychain_services.create_sourcing_lot(
        coop, product=persimmon, household=household, base=base,
        harvested_on=timezone.localdate() - timedelta(days=3), quantity_kg="10",
        unit_price="10", user=coop_user)
    farm_input = supplychain_services.record_farm_input(
        sourcing_lot, kind="fertiliser", name="有机肥", applied_on=timezone.localdate(),
        user=coop_user)
    offer = live_services.publish_offer(coop, variant=variant, min_live_price=Decimal("20"),
                                        max_quantity=3, broadcast=broadcast)
    application = draft(licence.application.brand, coop, coop_user, products=[persimmon])
    brand_services.submit_application(application, coop_user)
    brand_services.start_review(application, authority_user, reason="受理")
    question = brand_services.ask_question(application, authority_user, question="请补充基地证明")
    notice = licence.application.notices.first()
    objection = Objection.objects.create(notice=notice, name="李四", contact="13900000000",
                                         reason="不符合")
    notification = Notification.objects.create(organization=coop, kind="test",
                                               subject="仅本社可见")
    shopper = User.objects.create_user("shopper@example.com", "a-Strong-pass-123")
    address = create_address(shopper, SERVICE_ADDRESS)
    order = make_paid_order(channel, variant, shipping, buyer=shopper)
    # Two lines: checkoutLineDelete (``lineId``) and checkoutLinesDelete (``linesIds``)
    # each have one of their own to delete.
    checkout = shop_services.create_checkout("default", user=shopper, lines=[
        {"variant_id": variant.pk, "quantity": 1},
        {"variant_id": persimmon.variants.exclude(pk=variant.pk).first().pk, "quantity": 1}])
    first_line, second_line = checkout.lines.order_by("pk")
    warehouse = coop.warehouses.first()
    colleague = make_member(coop, "colleague@example.com", Membership.Role.MEMBER)
    invitation = invite(coop, coop_user, email="newcomer@example.com")
    # Paid as a notice would leave it: the whole total charged.
    Order.objects.filter(pk=order.pk).update(total_charged_amount=F("total_amount"))
    # The pavilion's (not the cooperative's) collection, public in the shop, holding its
    # product: the operators' mutations name it.
    collection = Collection.objects.create(name="年货节", slug="nianhuo")
    CollectionProduct.objects.create(collection=collection, product=persimmon)
    CollectionChannelListing.objects.create(collection=collection, channel=channel,
                                            is_published=True)
    return_request = request_return(
        order, user=shopper, lines=[{"order_line_id": order.lines.first().pk, "quantity": 1}],
        type=ReturnRequest.Type.REFUND_ONLY, reason=ReturnRequest.Reason.NOT_WANTED)
    by_type = {
        "Organization": coop, "Product": persimmon, "ProductVariant": variant,
        "Warehouse": warehouse, "Household": household, "Base": base,
        "Certification": base.certifications.first(), "SourcingLot": sourcing_lot,
        "Inspection": passed_lot.inspections.first(),
        "GradedLot": graded_lot, "GradeStandard": grades["一级"], "PackingRun": packing_run,
        "TraceCode": trace, "FarmInput": farm_input, "LiveHost": host, "Broadcast": broadcast,
        "LineupItem": item, "LiveOffer": offer, "RegionalBrand": licence.application.brand,
        "LicenceApplication": application, "LicenceApplicationQuestion": question,
        "Licence": licence, "PublicNotice": notice, "Objection": objection,
        "Notification": notification, "Order": order, "OrderLine": order.lines.first(),
        "Checkout": checkout, "CheckoutLine": first_line, "Address": address,
        "User": shopper, "Category": category, "Collection": collection,
        "OrganizationMember": colleague.memberships.get(organization=coop),
        "OrganizationInvitation": invitation, "OrderReturnRequest": return_request,
    }
    ids = {type_: gid(type_, record.pk) for type_, record in by_type.items()}
    arguments = {
        "organization": "Organization", "product": "Product", "productId": "Product",
        "products": "Product", "variant": "ProductVariant", "variantId": "ProductVariant",
        "warehouse": "Warehouse", "household": "Household", "base": "Base",
        "sourcingLot": "SourcingLot", "gradedLot": "GradedLot", "grade": "GradeStandard",
        "packingRun": "PackingRun", "host": "LiveHost", "hosts": "LiveHost",
        "broadcast": "Broadcast", "offer": "LiveOffer", "brand": "RegionalBrand",
        "application": "LicenceApplication", "licence": "Licence", "notice": "PublicNotice",
        "order": "Order", "orderLine": "OrderLine", "orderLineId": "OrderLine",
        "checkoutId": "Checkout", "linesIds": "CheckoutLine",
        "categories": "Category", "category": "Category", "addressId": "Address",
        "userId": "User", "parent": "Category", "collectionId": "Collection",
    }
    ids.update({argument: ids[type_] for argument, type_ in arguments.items()})
    ids["lineId"] = gid("CheckoutLine", second_line.pk)
    return ids
