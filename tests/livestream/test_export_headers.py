"""The spreadsheets people download read in Chinese: the broadcast's sales detail list
(CSV and XLSX, the host's 复盘) and the producer's weekly sales CSV in the workbench. The
headers are gettext msgids that makemessages must find (a renamed gettext once left them
in English whatever the catalogue held)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

SALES_DETAIL = ["订单号", "下单时间", "销售阶段", "买家", "商品", "规格", "SKU", "卖家", "数量",
                "成交单价", "原价", "小计", "订单状态"]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_broadcast_sales_detail_headers_are_chinese(host_user, broadcast):
    client = _client(host_user)
    response = client.get(f"/live/broadcasts/{broadcast.pk}/sales.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == SALES_DETAIL
    book = load_workbook(io.BytesIO(client.get(
        f"/live/broadcasts/{broadcast.pk}/sales.xlsx").content))
    assert book.active.title == "销售明细"
    assert [cell.value for cell in book.active[1]] == SALES_DETAIL


def test_producer_sales_csv_headers_are_chinese(coop_user):
    response = _client(coop_user).get("/work/sales.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["周起始日", "商品", "订单数", "件数", "销售额（元）"]
