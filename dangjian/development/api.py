"""The API of development: mounted at /api/development/."""

from ninja import Router

router = Router(tags=["发展党员"])
