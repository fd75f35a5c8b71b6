"""The records of village."""

from django.db import models  # noqa: F401
