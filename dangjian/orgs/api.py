"""/api/orgs/: the organization tree, limited to the caller's subtree.

Every lookup starts from `visible_orgs(user)`: an organization outside it is a 404, and a
code outside it given in a body (a new parent) is reported as unknown, never as existing.
Writes go through `orgs.services`, which check the permission and keep the audit log.
"""

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, not_null, register_labels, renamed_fields
from dangjian.core.api.fields import choice, text
from dangjian.core.api.pagination import Page
from dangjian.core.chinese import both_scripts
from dangjian.core.forms import normalize_code
from dangjian.core.services import version_of
from dangjian.orgs import services
from dangjian.orgs.models import Kind, Level, Organization, Sector
from dangjian.orgs.selectors import org_by_code, visible_children, visible_orgs
from dangjian.rollups import services as rollups

ORG_LABELS = {
    **model_labels(Organization),
    "parent": gettext_lazy("上级组织编码"),
    "parent_code": gettext_lazy("上级组织编码"),
    "reason": gettext_lazy("撤销原因"),
    "q": gettext_lazy("名称"),
    "include_dissolved": gettext_lazy("包含已撤销组织"),
    "period": gettext_lazy("期间"),
}
register_labels("", ORG_LABELS)

router = Router(tags=["党组织"])


class OrgOut(Schema):
    code: str
    name: str
    kind: choice(Kind)
    kind_label: str
    sector: choice(Sector)
    sector_label: str
    level: choice(Level)
    level_label: str
    parent_code: str | None = Field(description="上级组织编码；根组织为 null")
    depth: int = Field(description="在组织树中的层次，根组织为 1")
    founded_on: datetime.date | None
    phone: str
    address: str
    dissolved_on: datetime.date | None
    dissolved_reason: str
    version: str = Field(description="记录版本；修改时带回，期间已被他人修改则拒绝")

    @staticmethod
    def resolve_version(obj) -> str:
        return version_of(obj)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_sector_label(obj) -> str:
        return str(obj.get_sector_display())

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        if hasattr(obj, "parent_code_value"):
            return obj.parent_code_value
        parent = obj.parent()
        return parent.code if parent else None


class OrgDetailOut(OrgOut):
    children: list[str] = Field(description="直属下级组织（未撤销）的编码")
    figures: dict[str, int] = Field(
        description="按整个下级范围汇总的数字，如 members、members.category.rural、"
        "organizations.kind.branch；为 0 的不列出"
    )

    @staticmethod
    def resolve_children(obj, context) -> list[str]:
        return list(_children(context["request"], obj).values_list("code", flat=True))

    @staticmethod
    def resolve_figures(obj) -> dict[str, int]:
        return rollups.figures(obj)


class OrgFilters(Schema):
    parent: text(32) | None = Field(None, description="上级组织编码：只列出其直属下级")
    kind: choice(Kind) | None = None
    sector: choice(Sector) | None = None
    level: choice(Level) | None = None
    q: text(60) | None = Field(None, description="名称包含的文字")
    include_dissolved: bool = Field(False, description="是否包含已撤销的组织")


class OrgCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: text(32) = Field(description="组织编码，全局唯一")
    name: text(120)
    kind: choice(Kind)
    sector: choice(Sector) = Sector.OTHER.value
    level: choice(Level) = Level.OTHER.value
    founded_on: datetime.date | None = None
    phone: text(32) = ""
    address: text(200) = ""


class OrgUpdateIn(Schema):
    """只修改请求中给出的字段。"""

    model_config = ConfigDict(extra="forbid")

    code: text(32) | None = None
    name: text(120) | None = None
    kind: choice(Kind) | None = None
    sector: choice(Sector) | None = None
    level: choice(Level) | None = None
    founded_on: datetime.date | None = None
    phone: text(32) | None = None
    address: text(200) | None = None
    version: text(32) | None = Field(
        None, description="读取时的 version；给出时，期间已被修改则拒绝"
    )


class OrgMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    parent_code: text(32) = Field(description="新的上级组织编码")


class OrgDissolveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    dissolved_on: datetime.date | None = Field(None, description="撤销日期，默认今天")
    reason: text(200)


def with_parent_code(qs):
    """Annotate each organization with its parent's code in the same query."""
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Organization.steplen)
    ).order_by()
    return qs.annotate(parent_code_value=Subquery(parent.values("code")[:1]))


def get_org(request, code: str) -> Organization:
    return get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))


def visible_by_code(request, code: str, field: str) -> Organization:
    """An organization named in a request body; unknown and out-of-scope read the same."""
    return org_by_code(request.auth, code, field)


def _children(request, org, include_dissolved=False):
    return visible_children(request.auth, org, include_dissolved)


@router.get("/", response={200: list[OrgOut], **ERRORS}, summary="党组织列表")
@paginate(Page)
def list_orgs(request, filters: Query[OrgFilters]):
    qs = visible_orgs(request.auth)
    if not filters.include_dissolved:
        qs = qs.active()
    if filters.parent:
        parent = visible_orgs(request.auth).filter(code=normalize_code(filters.parent)).first()
        qs = (
            qs.filter(path__startswith=parent.path, depth=parent.depth + 1) if parent else qs.none()
        )
    for field in ("kind", "sector", "level"):
        if value := getattr(filters, field):
            qs = qs.filter(**{field: value})
    if q := (filters.q or "").strip():
        names = Q()
        for variant in both_scripts(q):
            names |= Q(name__contains=variant)
        qs = qs.filter(names)
    return with_parent_code(qs.order_by("path"))


@router.get("/{code}", response={200: OrgDetailOut, **ERRORS}, summary="党组织详情与汇总数字")
def get_org_detail(request, code: str):
    return get_org(request, code)


@router.get("/{code}/children", response={200: list[OrgOut], **ERRORS}, summary="直属下级组织")
def list_children(request, code: str, include_dissolved: bool = False):
    org = get_org(request, code)
    return list(with_parent_code(_children(request, org, include_dissolved)))


@router.post("/{code}/children", response={201: OrgOut, **ERRORS}, summary="设立下级组织")
def create_child(request, code: str, payload: OrgCreateIn):
    parent = get_org(request, code)
    org = services.create_child(parent, actor=request.auth, **payload.dict())
    return Status(201, org)


@router.patch("/{code}", response={200: OrgOut, **ERRORS}, summary="修改党组织")
def update_org(request, code: str, payload: OrgUpdateIn):
    org = get_org(request, code)
    data = not_null(payload.dict(exclude_unset=True), Organization, nullable={"founded_on"})
    return services.update(org, actor=request.auth, **data)


@router.post("/{code}/move", response={200: OrgOut, **ERRORS}, summary="调整隶属关系")
def move_org(request, code: str, payload: OrgMoveIn):
    org = get_org(request, code)
    new_parent = visible_by_code(request, payload.parent_code, "parent_code")
    with renamed_fields(parent="parent_code"):
        return services.move(org, new_parent, actor=request.auth)


@router.post("/{code}/dissolve", response={200: OrgOut, **ERRORS}, summary="撤销党组织")
def dissolve_org(request, code: str, payload: OrgDissolveIn):
    org = get_org(request, code)
    return services.dissolve(
        org, on=payload.dissolved_on, reason=payload.reason, actor=request.auth
    )
