"""Codes texted to the pavilion (InboundSms) and the text-message and touch-screen scans;
the journey's reasons the pavilion wrote get their key and values, so a page shows them in
its own language: the rows written so far are recognised by their Chinese (or English)
text, step by step, and keep that text."""

import re

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# (business step, key, pattern of the Chinese text, of the English one, the values' names)
WRITTEN = [
    ("commissioning", "bought", r"从生产者处收购", r"Bought from the producer", ()),
    ("inspecting", "inspection_passed", r"检测合格", r"Inspection passed", ()),
    ("inspecting", "inspection_failed", r"检测不合格", r"Inspection failed", ()),
    ("grading", "graded", r"分级为(.+)", r"Graded as (.+)", ("grade",)),
    ("packing", "packed", r"包装 (\d+) 件 × ([\d.]+) 千克", r"Packed (\d+) × ([\d.]+) kg",
     ("n", "net")),
    ("shipping", "shipped", r"已发往买家", r"Shipped to its buyer", ()),
    ("retail_selling", "delivered", r"已送达买家", r"Delivered to the buyer", ()),
    ("receiving", "returned_restocked", r"买家退回，经检查重新上架",
     r"Returned by the buyer, checked and back on sale", ()),
    ("receiving", "returned", r"买家退回，不再销售", r"Returned by the buyer, not for sale again",
     ()),
]


def key_reasons(apps, schema_editor):
    TraceEvent = apps.get_model("supplychain", "TraceEvent")
    for step, key, chinese, english, names in WRITTEN:
        events = TraceEvent.objects.filter(biz_step=step, reason_key="")
        if not names:
            events.filter(reason__in=[chinese, english]).update(reason_key=key)
            continue
        patterns = [re.compile(f"^{chinese}$"), re.compile(f"^{english}$")]
        for event in events.filter(reason__regex=f"^({chinese}|{english})$").only("reason"):
            match = next(m for m in (p.match(event.reason) for p in patterns) if m)
            params = dict(zip(names, match.groups(), strict=True))
            if "n" in params:
                params["n"] = int(params["n"])
            TraceEvent.objects.filter(pk=event.pk).update(reason_key=key, reason_params=params)


class Migration(migrations.Migration):

    dependencies = [
        ('supplychain', '0011_journey_without_order_numbers'),
    ]

    operations = [
        migrations.AddField(
            model_name='traceevent',
            name='reason_key',
            field=models.CharField(blank=True, max_length=32, verbose_name='reason key'),
        ),
        migrations.AddField(
            model_name='traceevent',
            name='reason_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='reason values'),
        ),
        migrations.AlterField(
            model_name='scan',
            name='source',
            field=models.CharField(choices=[('page', 'Trace page'), ('digital_link', 'GS1 Digital Link'), ('json', 'JSON'), ('graphql', 'GraphQL'), ('sms', 'Text message'), ('kiosk', 'Touch screen')], max_length=16, verbose_name='source'),
        ),
        migrations.CreateModel(
            name='InboundSms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(max_length=16, verbose_name='mobile number')),
                ('sequence_id', models.CharField(max_length=64, verbose_name='sequence id')),
                ('dest_code', models.CharField(blank=True, max_length=32, verbose_name='extension')),
                ('content', models.CharField(max_length=255, verbose_name='text')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='arrived at')),
                ('status', models.CharField(choices=[('received', 'Waiting for a reply'), ('limited', "Over the sender's limit"), ('ignored', 'Needs no reply'), ('replying', 'Replying'), ('replied', 'Replied'), ('failed', 'Reply not sent')], default='received', max_length=16, verbose_name='status')),
                ('reply', models.CharField(blank=True, max_length=500, verbose_name='reply')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='replied at')),
                ('trace_code', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='supplychain.tracecode', verbose_name='trace code')),
            ],
            options={
                'verbose_name': 'text message received',
                'verbose_name_plural': 'text messages received',
                'ordering': ['-received_at', '-pk'],
                'indexes': [models.Index(fields=['phone', 'received_at'], name='supplychain_phone_94bd05_idx')],
                'constraints': [models.UniqueConstraint(fields=('phone', 'sequence_id'), name='unique_inbound_sms')],
            },
        ),
        migrations.RunPython(key_reasons, migrations.RunPython.noop),
    ]
