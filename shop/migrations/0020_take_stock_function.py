"""``shop_take_stock``: one order line's units taken from the stock rows of its variant in
a channel's warehouses, in one call (``shop.services.stock``). A function, so that the
COMMIT can follow it in the same round trip: when the units are not there it raises
(SQLSTATE ``PA001``, the free units in its detail) and the COMMIT sent with it never
runs."""

from django.db import migrations

TAKE_STOCK = """
CREATE OR REPLACE FUNCTION shop_take_stock(variant bigint, channel bigint, units integer,
                                           line bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    row_id bigint;
    here integer;
    free integer := 0;
    needed integer := units;
    part integer;
BEGIN
    -- The flash-sale case: one row with enough units, picked and updated by one statement
    -- that locks it (and checks its units again on its latest version once locked).
    UPDATE shop_stock SET quantity_allocated = quantity_allocated + units
    WHERE id = (SELECT s.id FROM shop_stock s
                WHERE s.product_variant_id = variant AND s.quantity - s.quantity_allocated >= units
                  AND s.warehouse_id IN (SELECT warehouse_id FROM shop_warehouse_channels
                                         WHERE channel_id = channel)
                ORDER BY s.id LIMIT 1)
      AND quantity - quantity_allocated >= units
    RETURNING id INTO row_id;
    IF row_id IS NOT NULL THEN
        INSERT INTO shop_allocation (order_line_id, stock_id, quantity_allocated)
        VALUES (line, row_id, units);
    ELSE
        -- Otherwise every row of the variant in the channel, locked in primary-key order
        -- (as everywhere else), the units taken from the first rows first.
        FOR row_id, here IN
            SELECT s.id, s.quantity - s.quantity_allocated FROM shop_stock s
            WHERE s.product_variant_id = variant
              AND s.warehouse_id IN (SELECT warehouse_id FROM shop_warehouse_channels
                                     WHERE channel_id = channel)
            ORDER BY s.id FOR UPDATE OF s
        LOOP
            free := free + GREATEST(here, 0);
        END LOOP;
        IF free < units THEN
            RAISE EXCEPTION USING ERRCODE = 'PA001', MESSAGE = 'insufficient stock',
                DETAIL = free::text;
        END IF;
        FOR row_id, here IN
            SELECT s.id, s.quantity - s.quantity_allocated FROM shop_stock s
            WHERE s.product_variant_id = variant
              AND s.warehouse_id IN (SELECT warehouse_id FROM shop_warehouse_channels
                                     WHERE channel_id = channel)
              AND s.quantity > s.quantity_allocated
            ORDER BY s.id
        LOOP
            part := LEAST(here, needed);
            UPDATE shop_stock SET quantity_allocated = quantity_allocated + part WHERE id = row_id;
            INSERT INTO shop_allocation (order_line_id, stock_id, quantity_allocated)
            VALUES (line, row_id, part);
            needed := needed - part;
            EXIT WHEN needed = 0;
        END LOOP;
    END IF;
    -- The variant's units left free in the channel: the rows taken from as this
    -- transaction left them, the others as last committed.
    RETURN (SELECT COALESCE(SUM(GREATEST(s.quantity - s.quantity_allocated, 0)), 0)
            FROM shop_stock s
            WHERE s.product_variant_id = variant
              AND s.warehouse_id IN (SELECT warehouse_id FROM shop_warehouse_channels
                                     WHERE channel_id = channel));
END
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("shop", "0019_trade_closures"),
    ]

    operations = [
        migrations.RunSQL(TAKE_STOCK, "DROP FUNCTION IF EXISTS shop_take_stock(bigint, bigint, "
                                      "integer, bigint);"),
    ]
