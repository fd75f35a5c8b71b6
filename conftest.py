import shutil

import pytest
from django.utils import translation

from dangjian.testing import build_county


@pytest.fixture
def county(db):
    return build_county()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing costs ~0.3 s a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (simplified Chinese), whatever an
    earlier request or override in the same worker activated."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_test_environment):
    """Static files collected under their hashed names (tests/settings.py) before any page is
    rendered: {% static %} reads the manifest, whitenoise serves the collected folder."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    yield settings.STATIC_ROOT
    shutil.rmtree(settings.STATIC_ROOT, ignore_errors=True)
