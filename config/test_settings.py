"""The test suite's settings: the production settings (``config.settings``) with a fixed
key that only tests use, the hosts the test client and the live server answer on, readable
logs, and the embedded defaults (PostgreSQL under var/, tasks inline unless a test starts a
worker, the cache in memory, mail kept in memory by Django's test runner)."""

import os

from .observability import logging_config
from .settings import *  # noqa: F403

SECRET_KEY = "test-only-key-never-used-outside-the-test-suite-7c0f4e1b9a"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = logging_config("text", os.environ.get("LOG_LEVEL", "INFO"))
