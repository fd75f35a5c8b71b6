"""The records of training."""

from django.db import models  # noqa: F401
