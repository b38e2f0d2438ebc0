"""The public journey of a shipped package no longer names the order it went out on: the
shipping events written so far (``随订单 N 发货`` / ``Shipped on order N``) say only that
the package left for its buyer."""

from django.db import migrations

SHIPPED = {"zh": "已发往买家", "en": "Shipped to its buyer"}


def forget_order_numbers(apps, schema_editor):
    TraceEvent = apps.get_model("supplychain", "TraceEvent")
    shipping = TraceEvent.objects.filter(biz_step="shipping")
    shipping.filter(reason__regex=r"^随订单 \S+ 发货$").update(reason=SHIPPED["zh"])
    shipping.filter(reason__regex=r"^Shipped on order \S+$").update(reason=SHIPPED["en"])


class Migration(migrations.Migration):
    dependencies = [("supplychain", "0010_returned_codes")]
    operations = [migrations.RunPython(forget_order_numbers, migrations.RunPython.noop)]
