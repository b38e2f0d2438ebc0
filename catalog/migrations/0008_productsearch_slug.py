from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0007_chinese_admin_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='productsearch',
            name='slug',
            field=models.CharField(default='', editable=False, max_length=255),
        ),
        migrations.RunSQL(
            "UPDATE catalog_productsearch s SET slug = p.slug FROM catalog_product p "
            "WHERE p.id = s.product_id",
            migrations.RunSQL.noop,
        ),
    ]
