"""A recall told to 泽库's buyers in their language: a buyer who chose བོད་ཡིག (the switch
keeps the choice on the account) gets the recall notice in Tibetan, with the product's
Tibetan name, and sees the banner on the order page in Tibetan; a buyer who did not
choose gets it in Chinese; a guest, in the language of their order."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from content.models import ProductTranslation
from shop.models import Notification, Order
from supplychain import services
from supplychain.services.recalls import notify_recall
from tests.factories import make_member, make_paid_order

pytestmark = pytest.mark.django_db

NAME_BO = "རྩེ་ཁོག་གཡག་ཤ།"


def test_the_recall_speaks_each_buyers_language(packing_run, graded_lot, coop, coop_user,
                                                channel, shipping, other_coop):
    variant = packing_run.variant
    ProductTranslation.objects.create(product=variant.product, language_code="bo",
                                      name=NAME_BO)
    code = packing_run.trace_codes.order_by("serial").values_list("code", flat=True)[0]
    tibetan_buyer = make_member(other_coop, "zeku-herder@example.com")
    chinese_buyer = make_member(other_coop, "xining@example.com")
    tibetan = Client()
    tibetan.force_login(tibetan_buyer)
    tibetan.get("/i18n/to/bo/?next=/orders/")  # the shopper switches to བོད་ཡིག
    shipped = make_paid_order(channel, variant, shipping, buyer=tibetan_buyer)
    make_paid_order(channel, variant, shipping, buyer=chinese_buyer)
    services.fulfill_with_codes(shipped, coop, [{"order_line_id": shipped.lines.get().pk,
                                                 "codes": [code]}],
                                carrier="顺丰", tracking_number="SF1", user=coop_user)

    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                                 reason="霉菌超标", user=coop_user)
    notify_recall(recall.pk)

    notice = Notification.objects.get(user=tibetan_buyer, kind="recall")
    assert notice.subject == f"ཐོན་རྫས་ཕྱིར་བསྡུའི་བརྡ་ཐོ། {coop.name}"
    assert NAME_BO in notice.body and "霉菌超标" in notice.body  # the reason as written
    assert "ཕྱིར་བསྡུས་ཡོད།" in notice.body and "རིམ་པ་གཉིས་པ།" in notice.body
    assert "召回" not in notice.body
    chinese = Notification.objects.get(user=chinese_buyer, kind="recall")
    assert chinese.subject == f"产品召回通知：{coop.name}"
    assert variant.product.name in chinese.body and NAME_BO not in chinese.body

    page = tibetan.get(f"/orders/{shipped.number}/").content.decode()
    assert f'id="recall-{recall.pk}"' in page
    assert "ཐོན་རྫས་ཕྱིར་བསྡུ།" in page and NAME_BO in page and "霉菌超标" in page
    assert "ཅི་ཞིག་བྱ་དགོས།" in page and f">{code}</a>" in page
    assert "产品召回" not in page


def test_a_guest_is_told_in_the_language_they_shopped_in(packing_run, graded_lot, coop,
                                                         coop_user, channel, shipping):
    variant = packing_run.variant
    ProductTranslation.objects.create(product=variant.product, language_code="bo",
                                      name=NAME_BO)
    code = packing_run.trace_codes.order_by("serial").values_list("code", flat=True)[0]
    shipped = make_paid_order(channel, variant, shipping)  # a guest, buyer@example.com
    Order.objects.filter(pk=shipped.pk).update(language_code="bo")
    services.fulfill_with_codes(shipped, coop, [{"order_line_id": shipped.lines.get().pk,
                                                 "codes": [code]}],
                                carrier="顺丰", tracking_number="SF1", user=coop_user)
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                                 reason="霉菌超标", user=coop_user)
    mail.outbox.clear()
    notify_recall(recall.pk)
    [guest] = [m for m in mail.outbox if m.to == ["buyer@example.com"]]
    assert guest.subject == f"ཐོན་རྫས་ཕྱིར་བསྡུའི་བརྡ་ཐོ། {coop.name}"
    assert NAME_BO in guest.body and "召回" not in guest.body
    # The cooperative's member, who chose nothing, reads Chinese.
    [member] = [m for m in mail.outbox if m.to == [coop_user.email]]
    assert member.subject == f"产品召回通知：{coop.name}"
