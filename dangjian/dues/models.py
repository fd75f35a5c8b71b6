"""The records of dues."""

from django.db import models  # noqa: F401
