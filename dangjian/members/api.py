"""/api/members/: members, limited to the caller's subtree, with the list page's filters.

Every lookup starts from `visible_members(user)`; the search is `members.filters.filter_members`,
the same as the list page and the export. ID numbers, phone numbers and birth dates are masked
by the one policy of `members.selectors.personal_details`.
"""

import datetime

from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja import Status as Respond
from ninja.pagination import paginate
from pydantic import ConfigDict

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.errors import ERRORS, model_labels, not_null, register_labels, renamed_fields
from dangjian.core.api.fields import choice, organization_code, organization_name, text
from dangjian.core.api.pagination import Page
from dangjian.core.services import invalid, version_of
from dangjian.members import services
from dangjian.members.models import Category, Education, Gender, Member, Occupation, Status
from dangjian.members.selectors import (
    NUMBER_SEARCH_REFUSED,
    Personal,
    number_search_refused,
    personal_details,
    search_members,
    visible_members,
)
from dangjian.orgs.api import visible_by_code

MEMBER_LABELS = {
    **model_labels(Member),
    "organization": gettext_lazy("党组织编码"),
    "reason": gettext_lazy("原因"),
    "moved_on": gettext_lazy("转接日期"),
    "q": gettext_lazy("搜索词"),
    "org": gettext_lazy("党组织编码"),
    "tag": gettext_lazy("标签"),
    "mobile": gettext_lazy("流动党员"),
    "include_removed": gettext_lazy("包含已减少党员"),
}
register_labels("/members", MEMBER_LABELS)

router = Router(tags=["党员"])


def personal(request, member) -> Personal:
    """The masking policy (members.selectors.personal_details), once per member a request."""
    cache = request.__dict__.setdefault("_dangjian_personal", {})
    if member.pk not in cache:
        cache[member.pk] = personal_details(request.auth, member)
    return cache[member.pk]


class MemberOut(Schema):
    id: int
    name: str
    gender: choice(Gender)
    gender_label: str
    ethnicity: str
    birth_date: datetime.date | None = Field(
        description="出生日期；无权查看身份证号者为空（只给出生年份）"
    )
    birth_year: int = Field(description="出生年份")
    education: choice(Education)
    education_label: str
    id_number: str = Field(description="身份证号；无权查看者看到的是遮盖后的号码")
    phone: str = Field(description="手机号；无权查看者看到的是遮盖后的号码")
    masked: bool = Field(description="身份证号、手机号、出生日期是否已遮盖")
    joined_on: datetime.date
    full_on: datetime.date | None
    status: choice(Status)
    status_label: str
    category: choice(Category)
    category_label: str
    occupation: str = Field(description="职业（党内统计分类）的代码；空表示未填写")
    occupation_label: str
    is_mobile: bool
    posts: str
    tags: list[str]
    organization: str = Field(description="所在党组织编码")
    organization_name: str
    removed_on: datetime.date | None
    removed_reason: str
    version: str = Field(description="记录版本；修改时带回，期间已被他人修改则拒绝")

    @staticmethod
    def resolve_version(obj) -> str:
        return version_of(obj)

    @staticmethod
    def resolve_gender_label(obj) -> str:
        return str(obj.get_gender_display())

    @staticmethod
    def resolve_education_label(obj) -> str:
        return str(obj.get_education_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_occupation_label(obj) -> str:
        return str(obj.get_occupation_display())

    @staticmethod
    def resolve_birth_date(obj, context) -> datetime.date | None:
        return personal(context["request"], obj).birth_date

    @staticmethod
    def resolve_birth_year(obj, context) -> int:
        return personal(context["request"], obj).birth_year

    @staticmethod
    def resolve_id_number(obj, context) -> str:
        return personal(context["request"], obj).id_number

    @staticmethod
    def resolve_phone(obj, context) -> str:
        return personal(context["request"], obj).phone

    @staticmethod
    def resolve_masked(obj, context) -> bool:
        return personal(context["request"], obj).masked

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)


class MoveOut(Schema):
    from_organization: str = Field(description="原组织编码")
    to_organization: str = Field(description="新组织编码")
    moved_on: datetime.date
    reason: str

    @staticmethod
    def resolve_from_organization(obj) -> str:
        return obj.from_organization.code

    @staticmethod
    def resolve_to_organization(obj) -> str:
        return obj.to_organization.code


class MemberDetailOut(MemberOut):
    moves: list[MoveOut] = Field(description="组织关系变动记录，最近的在前")

    @staticmethod
    def resolve_moves(obj) -> list:
        return list(obj.moves.select_related("from_organization", "to_organization"))


class MemberFilters(Schema):
    """与党员列表页相同的搜索和筛选条件（members.filters.filter_members）。"""

    q: text(50) | None = Field(
        None, description="姓名开头；或完整的身份证号、手机号（仅限有权查看者，须完整）"
    )
    org: text(32) | None = Field(None, description="党组织编码：该组织及其全部下级")
    status: choice(Status) | None = None
    category: choice(Category) | None = None
    gender: choice(Gender) | None = None
    education: choice(Education) | None = None
    tag: text(30) | None = Field(None, description="标签，如 双强")
    mobile: bool | None = Field(None, description="只看流动党员（true）或非流动党员（false）")
    include_removed: bool = Field(False, description="是否包含已减少的党员")

    def params(self) -> dict[str, str]:
        """The filters as the strings filter_members reads from a query string."""
        out = {k: v for k, v in self.dict().items() if isinstance(v, str)}
        if self.mobile is not None:
            out["mobile"] = "1" if self.mobile else "0"
        if self.include_removed:
            out["include_removed"] = "1"
        return out


class MemberFields(Schema):
    model_config = ConfigDict(extra="forbid")

    name: text(40)
    gender: choice(Gender)
    ethnicity: text(20) = "汉族"
    birth_date: datetime.date
    education: choice(Education)
    id_number: text(30)
    phone: text(20) = ""
    joined_on: datetime.date
    full_on: datetime.date | None = None
    status: choice(Status)
    category: choice(Category)
    occupation: choice(Occupation) | None = Field(None, description="职业；不给出时按人员类别推定")
    is_mobile: bool = False
    posts: text(200) = ""
    tags: list[text(30)] = Field([], max_length=20)


class MemberCreateIn(MemberFields):
    organization: text(32) = Field(description="所在党组织编码")


class MemberUpdateIn(Schema):
    """只修改请求中给出的字段；给出 tags 时替换该党员的全部标签。"""

    model_config = ConfigDict(extra="forbid")

    name: text(40) | None = None
    gender: choice(Gender) | None = None
    ethnicity: text(20) | None = None
    birth_date: datetime.date | None = None
    education: choice(Education) | None = None
    id_number: text(30) | None = None
    phone: text(20) | None = None
    joined_on: datetime.date | None = None
    full_on: datetime.date | None = None
    status: choice(Status) | None = None
    category: choice(Category) | None = None
    occupation: choice(Occupation) | None = None
    is_mobile: bool | None = None
    posts: text(200) | None = None
    tags: list[text(30)] | None = Field(None, max_length=20)
    version: text(32) | None = Field(
        None, description="读取时的 version；给出时，期间已被修改则拒绝"
    )


class MemberMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organization: text(32) = Field(description="转入的党组织编码")
    moved_on: datetime.date | None = Field(None, description="转接日期，默认今天")
    reason: text(200) = ""


class MemberRemoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    removed_on: datetime.date | None = Field(None, description="减少日期，默认今天")
    reason: text(200)


def _with_related(qs):
    return qs.select_related("organization").prefetch_related("tags")


def get_member(request, member_id: int) -> Member:
    return get_visible_or_404(_with_related(visible_members(request.auth)), pk=member_id)


@router.get("/", response={200: list[MemberOut], **ERRORS}, summary="党员列表与搜索")
@paginate(Page)
def list_members(request, filters: Query[MemberFilters]):
    if number_search_refused(request.auth, filters.params()):
        raise invalid("q", str(NUMBER_SEARCH_REFUSED))
    return _with_related(search_members(request.auth, filters.params()))


@router.get("/{member_id}", response={200: MemberDetailOut, **ERRORS}, summary="党员详情")
def get_member_detail(request, member_id: int):
    return get_member(request, member_id)


@router.post("/", response={201: MemberOut, **ERRORS}, summary="登记党员")
def create_member(request, payload: MemberCreateIn):
    data = payload.dict()
    org = visible_by_code(request, data.pop("organization"), "organization")
    member = services.create(org, actor=request.auth, **data)
    return Respond(201, get_member(request, member.pk))


@router.patch("/{member_id}", response={200: MemberOut, **ERRORS}, summary="修改党员信息")
def update_member(request, member_id: int, payload: MemberUpdateIn):
    member = get_member(request, member_id)
    data = not_null(payload.dict(exclude_unset=True), Member, nullable={"full_on", "tags"})
    services.update(member, actor=request.auth, **data)
    return get_member(request, member_id)


@router.post("/{member_id}/move", response={200: MemberOut, **ERRORS}, summary="转接组织关系")
def move_member(request, member_id: int, payload: MemberMoveIn):
    member = get_member(request, member_id)
    to = visible_by_code(request, payload.organization, "organization")
    services.move(member, to, on=payload.moved_on, reason=payload.reason, actor=request.auth)
    return get_member(request, member_id)


@router.post("/{member_id}/remove", response={200: MemberOut, **ERRORS}, summary="减少党员")
def remove_member(request, member_id: int, payload: MemberRemoveIn):
    member = get_member(request, member_id)
    with renamed_fields(removed_reason="reason"):
        services.remove(member, reason=payload.reason, on=payload.removed_on, actor=request.auth)
    return get_member(request, member_id)


from . import transfer_api  # noqa: E402, F401  (its routes join this router)
