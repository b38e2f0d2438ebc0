"""The security tests reuse the broadcast of the livestream tests."""

from tests.livestream.conftest import broadcast, host, host_user, item, studio  # noqa: F401
