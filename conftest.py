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
