"""Settings for the test suite: the project's own in debug mode (a throwaway secret key, plain
HTTP). pytest-django still runs every test with DEBUG off. The production settings are tested
in subprocesses (dangjian/accounts/tests/test_production.py)."""

import os

os.environ.setdefault("DANGJIAN_DEBUG", "1")

from dangjian.settings import *  # noqa: E402, F403
