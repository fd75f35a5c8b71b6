"""/api/assessment/: the assessments a caller sees, the ranking from the bottom, one
organization's score with the reason of each indicator, and hand scores — the same
selectors and services as the pages; 404 outside the caller's subtree."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, register_labels
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.forms import normalize_code
from dangjian.orgs.models import Level, Organization, Sector
from dangjian.orgs.selectors import org_by_code

from . import rules, selectors, services
from .models import HandScore
from .models import Status as AssessmentStatus

register_labels(
    "/assessment",
    {**model_labels(HandScore), "org": "党组织编码", "period": "考核期间"},
)
router = Router(tags=["考核评议"])


class AssessmentOut(Schema):
    id: int
    organization: str
    organization_name: str
    period: str = Field(description="2026 或 2026-Q3")
    period_label: str
    scheme: str
    version: int | None = Field(description="最近一次计算所用的方案版本")
    status: choice(AssessmentStatus)
    stale: bool = Field(description="人工评分或方案有变化，排名需重新计算")
    computed_at: datetime.datetime | None
    published_on: datetime.date | None
    notice_id: int | None
    grades: list = Field(description="等次标准：[代码, 名称, 最低分]，从高到低")
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_scheme(obj):
        return obj.scheme.name

    @staticmethod
    def resolve_version(obj):
        return obj.version.number if obj.version_id else None


class ScoreOut(Schema):
    organization: str
    organization_name: str
    level: choice(Level)
    sector: choice(Sector)
    total: Decimal
    grade: str
    rank_from_bottom: int = Field(description="同层级同领域倒数名次，1 为最后一名")
    group_size: int
    hand_missing: int = Field(description="尚未评分的人工指标数")
    resolve_organization = staticmethod(organization_code)
    resolve_organization_name = staticmethod(organization_name)


class ReasonOut(Schema):
    code: str
    name: str
    method: str
    weight: Decimal
    points: Decimal
    source: str = ""
    value: float | None = None
    inputs: dict = {}
    formula: str = ""
    reason: str = ""
    by: str = ""
    missing: bool = False


class ScoreDetailOut(ScoreOut):
    version: int
    tie_rule: str
    reasons: list[ReasonOut]

    @staticmethod
    def resolve_version(obj):
        return obj.version.number

    @staticmethod
    def resolve_tie_rule(obj):
        return str(rules.TIE_RULE)

    @staticmethod
    def resolve_reasons(obj):
        out = []
        for r in selectors.reasons(obj):
            row = dict(r)
            if r["method"] == "computed":
                row["formula"] = f"{r['source_formula']}；{r['formula']}"
            out.append(row)
        return out


class RankingFilters(Schema):
    org: str | None = Field(None, description="只看该组织的下级")
    level: choice(Level) | None = None
    sector: choice(Sector) | None = None
    grade: str | None = Field(None, max_length=16)


class HandScoreIn(Schema):
    org: text(40)
    period: text(8)
    indicator_code: text(32)
    score: Decimal = Field(max_digits=8, decimal_places=2)
    reason: text(500)
    source: text(120) = ""


class HandScoreOut(Schema):
    organization: str
    indicator_code: str
    score: Decimal
    reason: str
    source: str
    resolve_organization = staticmethod(organization_code)


@router.get("/", response={200: list[AssessmentOut], **ERRORS}, summary="考核列表")
@paginate(Page)
def list_assessments(request):
    return (
        selectors.visible_assessments(request.auth)
        .select_related("version")
        .order_by("-period", "-pk")
    )


@router.get(
    "/{assessment_id}/ranking",
    response={200: list[ScoreOut], **ERRORS},
    summary="倒排序（同层级同领域，1 为最后一名）",
)
@paginate(Page)
def get_ranking(request, assessment_id: int, filters: Query[RankingFilters]):
    assessment = selectors.find_assessment(request.auth, assessment_id)
    org = org_by_code(request.auth, filters.org, "org") if filters.org else None
    return selectors.ranking(
        request.auth,
        assessment,
        org=org,
        level=filters.level or "",
        sector=filters.sector or "",
        grade=filters.grade or "",
    )


@router.get(
    "/{assessment_id}/scores/{code}",
    response={200: ScoreDetailOut, **ERRORS},
    summary="一个组织的得分及各项依据",
)
def get_score(request, assessment_id: int, code: str):
    assessment = selectors.find_assessment(request.auth, assessment_id)
    scores = selectors.visible_scores(request.auth).filter(assessment=assessment)
    org = get_visible_or_404(
        Organization.objects.filter(pk__in=scores.values("organization_id")),
        code=normalize_code(code),
    )
    return get_visible_or_404(scores.select_related("organization", "version"), organization=org)


@router.post("/hand-scores", response={201: HandScoreOut, **ERRORS}, summary="人工评分")
def record_hand_score(request, payload: HandScoreIn):
    """上级党组织给下级的人工评分指标评分（0 至该指标分值），须写明理由；同一指标再次评分时取代原评分。"""
    data = payload.dict()
    org = org_by_code(request.auth, data.pop("org"), "org")
    hand = services.record_hand_score(request.auth, organization=org, **data)
    return Status(201, hand)
