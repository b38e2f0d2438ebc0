"""ProductSearch.listed: the channels whose listing of the product is published and
visible in listings, kept by the database on every write of a listing (a service's save,
a bulk ``update()``, a cascade, the admin, a raw statement alike), so that a search's count
of what a shopper sees reads the narrow search table alone (catalog.search.counting).

A listing written locks the product's search row first, then works ``listed`` out afresh:
the second statement runs with a snapshot taken after the lock, so two transactions
changing the product's listings in two channels at once each see the other's committed
row. A search row inserted works out its own (the listings are there before it)."""

import django.contrib.postgres.fields
from django.db import migrations, models

FUNCTIONS = """
CREATE FUNCTION catalog_search_listed(pid bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(channel_id ORDER BY channel_id), '{}')
    FROM catalog_productchannellisting
    WHERE product_id = pid AND is_published AND visible_in_listings
$$;

CREATE FUNCTION catalog_search_listed_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.listed := catalog_search_listed(NEW.product_id);
    RETURN NEW;
END
$$;

CREATE FUNCTION catalog_search_listed_refresh(pid bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM catalog_productsearch WHERE product_id = pid FOR UPDATE;
    UPDATE catalog_productsearch SET listed = catalog_search_listed(pid)
    WHERE product_id = pid AND listed IS DISTINCT FROM catalog_search_listed(pid);
END
$$;

CREATE FUNCTION catalog_listing_written() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM catalog_search_listed_refresh(OLD.product_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.product_id <> OLD.product_id) THEN
        PERFORM catalog_search_listed_refresh(NEW.product_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER catalog_productsearch_listed BEFORE INSERT ON catalog_productsearch
    FOR EACH ROW EXECUTE FUNCTION catalog_search_listed_insert();

CREATE TRIGGER catalog_listing_added_or_removed
    AFTER INSERT OR DELETE ON catalog_productchannellisting
    FOR EACH ROW EXECUTE FUNCTION catalog_listing_written();

CREATE TRIGGER catalog_listing_changed
    AFTER UPDATE ON catalog_productchannellisting
    FOR EACH ROW WHEN (
        OLD.is_published IS DISTINCT FROM NEW.is_published
        OR OLD.visible_in_listings IS DISTINCT FROM NEW.visible_in_listings
        OR OLD.channel_id IS DISTINCT FROM NEW.channel_id
        OR OLD.product_id IS DISTINCT FROM NEW.product_id)
    EXECUTE FUNCTION catalog_listing_written();

-- A row past 128 bytes moves its longest values out of line (toast_tuple_target, 0006):
-- the vector, never the name, slug or channels a common term's matches are read for
-- (out of line, every name read would cost a look-up in the TOAST table). MAIN keeps them
-- in the row; a value already out of line is written back into it.
ALTER TABLE catalog_productsearch
    ALTER COLUMN name SET STORAGE MAIN,
    ALTER COLUMN slug SET STORAGE MAIN,
    ALTER COLUMN listed SET STORAGE MAIN;

UPDATE catalog_productsearch
SET listed = catalog_search_listed(product_id), name = name || '', slug = slug || '';
"""

DROP = """
ALTER TABLE catalog_productsearch
    ALTER COLUMN name SET STORAGE EXTENDED,
    ALTER COLUMN slug SET STORAGE EXTENDED;
DROP TRIGGER IF EXISTS catalog_listing_changed ON catalog_productchannellisting;
DROP TRIGGER IF EXISTS catalog_listing_added_or_removed ON catalog_productchannellisting;
DROP TRIGGER IF EXISTS catalog_productsearch_listed ON catalog_productsearch;
DROP FUNCTION IF EXISTS catalog_listing_written();
DROP FUNCTION IF EXISTS catalog_search_listed_refresh(bigint);
DROP FUNCTION IF EXISTS catalog_search_listed_insert();
DROP FUNCTION IF EXISTS catalog_search_listed(bigint);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0009_product_moderation'),
    ]

    operations = [
        migrations.AddField(
            model_name='productsearch',
            name='listed',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, editable=False, size=None),
        ),
        migrations.AddIndex(
            model_name='productchannellisting',
            index=models.Index(fields=['published_at'], name='listing_published_at'),
        ),
        migrations.AddIndex(
            model_name='productchannellisting',
            index=models.Index(fields=['available_for_purchase_at'], name='listing_on_sale_at'),
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]
