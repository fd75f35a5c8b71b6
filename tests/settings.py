"""Settings for the test suite: the project's own in debug mode (a throwaway secret key, plain
HTTP). pytest-django still runs every test with DEBUG off. The production settings are tested
in subprocesses (dangjian/accounts/tests/test_production.py)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DANGJIAN_DEBUG", "1")

from dangjian.settings import *  # noqa: E402, F403
from dangjian.settings import STORAGES  # noqa: E402

# Static files under hashed names as in production (pages link the names in the manifest,
# the browser tests load them through whitenoise), collected once per test process into a
# folder of its own (conftest.py). Hashing only: the gzip and brotli copies take half a
# minute; dangjian/core/tests/test_static.py makes them for the project's own files.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="dangjian-static-"))
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
