"""Fixtures of the walkthroughs (a new user doing their whole job on a phone): the
workbench's phone-sized page (``tests/workbench/browsing.py``)."""

from tests.workbench.browsing import phone  # noqa: F401 - fixture
