"""Field types shared by the request schemas."""

import re
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

# The largest page a list route returns.
MAX_PAGE = 1000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str) -> str:
    # NUL is refused by PostgreSQL and lone surrogates by every encoder: say so, not 500.
    if _CONTROL.search(value):
        raise ValueError(_("不能包含控制字符"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("包含无法识别的字符")) from None
    return value


def text(max_length: int, **field):
    """A string of at most `max_length` characters without control characters."""
    return Annotated[str, Field(max_length=max_length, **field), AfterValidator(_clean_text)]


def choice(choices):
    """A Literal of a Django TextChoices' values, so OpenAPI lists them and others get 422."""
    return Literal[tuple(choices.values)]


# Resolvers for the organization a record hangs on, shared by every output schema:
# `resolve_organization = staticmethod(organization_code)`.
def organization_code(obj) -> str:
    return obj.organization.code


def organization_name(obj) -> str:
    return obj.organization.name
