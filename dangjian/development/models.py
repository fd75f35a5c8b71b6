"""The records of development."""

from django.db import models  # noqa: F401
