"""The trace page in Tibetan (泽库) reads the journey's reasons and the farm-to-package
details the pavilion writes in Tibetan, not in the Chinese they are stored in: the reasons
are kept with their key and values and translated when the page is rendered, and the rows
written before keep working through the migration that recognised their Chinese text."""

from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client

from demo import tibetan
from supplychain import services
from supplychain.models import TraceEvent

pytestmark = pytest.mark.django_db

LOGGER_CSV = "时间,温度\n2026-01-05 08:00,-20.5\n2026-01-05 09:00,-16.0\n2026-01-05 10:00,-19.0\n"


def tibetan_page(code: str) -> str:
    client = Client()
    client.get(f"/i18n/to/bo/?next=/t/{code}")
    return client.get(f"/t/{code}").content.decode()


def test_the_journey_and_the_cold_chain_read_in_tibetan(trace, coop, packing_run, zh_catalogue):
    services.upload_cold_chain_log(coop, LOGGER_CSV.encode(), min_celsius=-25, max_celsius=-18,
                                   packing_run=packing_run, device="RC-5")
    services.record_farm_input(packing_run.graded_lot.record.inputs.first().sourcing_lot,
                               kind="feed", name="燕麦草", applied_on=packing_run.packed_at.date(),
                               batch_number="B-7")
    chinese = Client().get(f"/t/{trace.code}").content.decode()
    assert "分级为特级" in chinese and "从生产者处收购" in chinese and "冷链" in chinese
    assert "共 3 条读数" in chinese and "批号 B-7" in chinese

    page = tibetan_page(trace.code)
    assert '<html lang="bo">' in page
    for chinese_text in ("分级为", "从生产者处收购", "检测合格", "包装 5 件", "冷链", "条读数",
                         "超出范围", "批号"):
        assert chinese_text not in page, chinese_text
    assert "རིམ་པ་ 特级 ལ་བཅད།" in page  # the grade's own name is the cooperative's
    assert "ཐོན་སྐྱེད་པ་ནས་ཉོས།" in page and "ཞིབ་བཤེར་ཚད་ལྡན།" in page
    assert "ཐུམ་སྒྲིལ་ 5 × 0.500 kg" in page
    assert "གྲང་རྒྱུད།" in page and "ཚད་འཇལ་ཐེངས་ 3།" in page and "ཚན་ཨང་ B-7" in page
    # What a person typed stays as typed: the feed's name, the logger's.
    assert "燕麦草" in page and "RC-5" in page
    # The stored text, for the export and the member's pages, is still Chinese.
    assert TraceEvent.objects.filter(reason="分级为特级", reason_key="graded").exists()


def test_rows_written_before_get_their_keys(trace):
    events = TraceEvent.objects.filter(reason_key__in=["graded", "packed", "bought"])
    assert events.count() == 4  # the lot graded into 特级 and 一级
    events.update(reason_key="", reason_params={})
    TraceEvent.objects.filter(reason_key="", biz_step="packing").update(
        reason="Packed 5 × 0.500 kg")  # one written while a member worked in English
    migration = import_module("supplychain.migrations.0012_trace_by_text_and_kiosk")
    migration.key_reasons(apps, None)
    keyed = sorted((key, sorted(params.items())) for key, params in TraceEvent.objects.filter(
        biz_step__in=["grading", "packing", "commissioning"]).values_list(
        "reason_key", "reason_params"))
    assert keyed == [("bought", []), ("graded", [("grade", "一级")]),
                     ("graded", [("grade", "特级")]), ("packed", [("n", 5), ("net", "0.500")])]
    page = tibetan_page(trace.code)
    assert "ཐུམ་སྒྲིལ་ 5 × 0.500 kg" in page and "Packed" not in page


def test_the_demo_names_the_attributes_in_tibetan(channel, product_type, gql):
    """泽库's product pages and the API read the attributes' names in Tibetan (the demo's
    records; the trace page's grade is the cooperative's own word)."""
    assert tibetan.load_tibetan_attributes() == 3  # grade, net weight, origin
    assert tibetan.load_tibetan_attributes() == 3  # loaded again: the same rows
    data = gql.data("""{ attributes(first: 10) { edges { node {
        slug translation(languageCode: BO) { name } } } } }""")
    names = {e["node"]["slug"]: (e["node"]["translation"] or {}).get("name")
             for e in data["attributes"]["edges"]}
    assert names == {"grade": "རིམ་པ།", "net-weight": "ལྗིད་ཚད་གཙང་མ།", "origin": "ཐོན་ས།"}
