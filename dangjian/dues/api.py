"""The API of dues: mounted at /api/dues/."""

from ninja import Router

router = Router(tags=["党费"])
