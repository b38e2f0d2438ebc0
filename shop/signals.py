"""Signals of the commerce core, so that apps built on it (the supply chain) can act on
order events without ``shop`` importing them (imports go supplychain → shop).

Receivers run synchronously inside the sending service's transaction: what they write is
committed or rolled back with the order change, and an exception in a receiver undoes it."""

from django.dispatch import Signal

# Sent by ``shop.services.mark_order_delivered`` once the order is marked delivered, with
# ``order`` (the locked Order) and ``user`` (who marked it, or None).
order_delivered = Signal()

# Sent by ``shop.services.cancel_order`` and ``expire_order`` once the order is cancelled
# and its allocated stock released, with ``order`` (the locked Order) and ``user``.
order_cancelled = Signal()

# Sent by ``shop.services.returns`` when some units of an order are taken off it before
# they shipped (an approved refund of unshipped items, ``OrderLine.quantity_cancelled``),
# and by ``shop.services.refund_order`` when a full refund of an order nothing of which
# shipped ends it, once their allocated stock is released, with ``order`` (the locked
# Order), ``lines`` ([(OrderLine, units)]) and ``user``.
order_lines_cancelled = Signal()

# Sent by ``shop.services.fulfill_order_lines`` before lines ship when the caller records
# no package codes for them, with ``order`` and ``lines`` ([(OrderLine, quantity)]); a
# receiver refuses the shipment by raising ``ValidationError`` (the supply chain does for
# traced products, whose units ship only with their codes).
lines_shipping_without_codes = Signal()

# Sent by ``shop.services.returns.mark_return_received`` when a buyer's returned goods
# reach the seller, in its transaction, with ``request`` (the ReturnRequest), ``lines``
# ([(OrderLine, units)]), ``restocked`` (back on sale, or not sellable), ``codes`` (the
# package codes the seller scanned, or None) and ``user``; the supply chain records each
# package's return, and refuses by raising ``ValidationError``.
goods_returned = Signal()
