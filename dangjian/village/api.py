"""The API of village: mounted at /api/village/."""

from ninja import Router

router = Router(tags=["阵地与报酬"])
