import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_product_is_traced'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductSearch',
            fields=[
                ('product', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='catalog.product')),
                ('name', models.CharField(editable=False, max_length=250)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False)),
            ],
        ),
        # A row past 128 bytes keeps its vector out of line (TOAST): the rows a common term
        # matches are read for their ids and names, a vector only when it is ranked.
        migrations.RunSQL(
            "ALTER TABLE catalog_productsearch SET (toast_tuple_target = 128)",
            "ALTER TABLE catalog_productsearch RESET (toast_tuple_target)",
        ),
        migrations.RunSQL(
            "INSERT INTO catalog_productsearch (product_id, name, vector) "
            "SELECT id, name, search_vector FROM catalog_product "
            "WHERE search_vector IS NOT NULL",
            "UPDATE catalog_product p SET search_vector = s.vector "
            "FROM catalog_productsearch s WHERE s.product_id = p.id",
        ),
        migrations.RemoveIndex(
            model_name='product',
            name='product_search_vector_gin',
        ),
        migrations.RemoveField(
            model_name='product',
            name='search_vector',
        ),
        migrations.AddIndex(
            model_name='productsearch',
            index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='product_search_vector_gin'),
        ),
    ]
