"""The API of training: mounted at /api/training/."""

from ninja import Router

router = Router(tags=["教育培训"])
