"""/api/stats/{code}: the same JSON object as `dangjian stats CODE --json`."""

from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from dangjian.core.api.errors import ERRORS
from dangjian.core.api.fields import text
from dangjian.core.periods import Period, PeriodError
from dangjian.core.services import invalid
from dangjian.orgs.api import get_org
from dangjian.reports.stats import stats_for

router = Router(tags=["统计"])


class StatsOut(BaseModel):
    """每个组织都有的统计项；其他业务模块增加的统计项原样一并返回。"""

    # A plain pydantic model, not a ninja Schema: a Schema reads only its declared fields
    # from the object, and the keys later domains add must pass through unchanged.

    model_config = ConfigDict(extra="allow")

    code: str
    name: str
    period: str | None = Field(None, description="所选期间，如 2026、2026-Q1、2026-03")
    children: list[str] = Field(description="直属下级组织（未撤销）的编码")
    organizations: int = Field(description="组织数，含本组织及全部下级")
    members: int = Field(description="党员数，含本组织及全部下级")


@router.get(
    "/{code}",
    response={200: StatsOut, **ERRORS},
    exclude_unset=True,
    summary="党组织汇总统计",
)
def get_stats(request, code: str, period: text(20) | None = None):
    org = get_org(request, code)
    try:
        parsed = Period.parse(period) if period else None
    except PeriodError as e:
        raise invalid("period", str(e)) from e
    return stats_for(org, parsed)
