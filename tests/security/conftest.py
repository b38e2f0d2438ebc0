"""The security tests reuse the shared order of the shop tests and the broadcast of the
livestream tests."""

from tests.livestream.conftest import broadcast, host, host_user, item, studio  # noqa: F401
from tests.shop.test_orders import two_seller_order  # noqa: F401
