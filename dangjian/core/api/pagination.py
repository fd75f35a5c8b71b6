"""The one paging of every API list: `limit` up to MAX_PAGE, `offset` up to MAX_OFFSET.

ninja's LimitOffsetPagination leaves `offset` unbounded, so an offset past 64 bits reached
the database as an overflow (a 500); here it is a 422 naming the field, like any bad input.
"""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .fields import MAX_PAGE

# Far past any list this county has, and far below the 64-bit integers databases take.
MAX_OFFSET = 10**9
DEFAULT_PAGE = 100


class Page(LimitOffsetPagination):
    """Use as `@paginate(Page)` on a list route."""

    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)
