from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supplychain', '0002_shippedcode'),
    ]

    operations = [
        migrations.AddField(
            model_name='scan',
            name='idempotency_key',
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True, verbose_name='idempotency key'),
        ),
    ]
