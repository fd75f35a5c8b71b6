"""What the routes of /api/tasks/ share: the router, the field names of the 422 messages,
value types, and the answer shape of a report-back (listed on a board and returned by
every report-back route)."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from pydantic import AfterValidator, ConfigDict, WithJsonSchema

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.api.fields import _clean_text, choice, organization_code, organization_name, text
from dangjian.core.forms import normalize_code
from dangjian.core.text import ANSWER_TEXT, LONG_TEXT
from dangjian.orgs.selectors import visible_orgs
from dangjian.tasks import rules
from dangjian.tasks.models import (
    ReportStatus,
)

router = Router(tags=["清单式工作"])

# Chinese names of the request fields, for the 422 messages of ninja's own validation.
TASK_LABELS = {
    "issuer": gettext_lazy("交办组织编码"),
    "title": gettext_lazy("标题"),
    "content": gettext_lazy("工作内容"),
    "starts_on": gettext_lazy("开始日期"),
    "deadline": gettext_lazy("截止日期"),
    "receivers": gettext_lazy("接收范围"),
    "mode": gettext_lazy("接收范围方式"),
    "levels": gettext_lazy("层级"),
    "sectors": gettext_lazy("领域"),
    "kinds": gettext_lazy("组织类别"),
    "under": gettext_lazy("下级范围"),
    "codes": gettext_lazy("组织编码"),
    "fields": gettext_lazy("填报项"),
    "key": gettext_lazy("填报项编码"),
    "label": gettext_lazy("填报项名称"),
    "type": gettext_lazy("填报项类型"),
    "unit": gettext_lazy("单位"),
    "required": gettext_lazy("必填"),
    "choices": gettext_lazy("选项"),
    "min_value": gettext_lazy("最小值"),
    "max_value": gettext_lazy("最大值"),
    "binding": gettext_lazy("取自系统数据"),
    "text_required": gettext_lazy("须填写文字说明"),
    "attachments_required": gettext_lazy("至少附件数"),
    "board_shared": gettext_lazy("接收单位互相可见"),
    "reviewer": gettext_lazy("审核方"),
    "note": gettext_lazy("补充要求"),
    "reason": gettext_lazy("原因"),
    "values": gettext_lazy("填报内容"),
    "text": gettext_lazy("文字"),
    "status": gettext_lazy("状态"),
    "org": gettext_lazy("党组织编码"),
    "organization": gettext_lazy("责任组织编码"),
    "year": gettext_lazy("年度"),
    "targets": gettext_lazy("目标"),
    "kind": gettext_lazy("目标类型"),
    "target_value": gettext_lazy("目标值"),
    "progress_value": gettext_lazy("完成值"),
    "progress_note": gettext_lazy("进展情况"),
    "met": gettext_lazy("已完成"),
    "signed_on": gettext_lazy("签订日期"),
}

_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _field_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(_("只能包含英文字母、数字、下划线和连字符"))
    return value


Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
FieldKey = Annotated[text(40), AfterValidator(_field_key)]


def _answer(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        if len(value) > ANSWER_TEXT:
            raise ValueError(_("不能超过%(n)s个字符") % {"n": ANSWER_TEXT})
        return _clean_text(value)
    raise ValueError(_("应为数字、文本、true/false 或 null"))


# A typed field's raw answer; `tasks.rules.clean_value` checks it against the field's type.
Answer = Annotated[
    Any,
    AfterValidator(_answer),
    WithJsonSchema({"type": ["string", "number", "boolean", "null"]}),
]
# Named up front: inside a schema with a field called `text`, `text(...)` is that field.
LongText = text(LONG_TEXT)
TargetText = text(300)


def visible_org_or_404(request, code: str):
    return get_visible_or_404(visible_orgs(request.auth), code=normalize_code(code))


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: text(200)


class NoBodyIn(Schema):
    """请求体为空的 JSON 对象 {}。"""

    model_config = ConfigDict(extra="forbid")


class ReportBackOut(Schema):
    id: int
    assignment: int
    assignment_title: str
    deadline: datetime.date = Field(
        description="本单位的截止日期：延期后为延期的日期，否则为交办单的截止日期"
    )
    extended: bool = Field(description="本单位已延期")
    organization: str = Field(description="接收组织编码")
    organization_name: str
    status: choice(ReportStatus)
    status_label: str
    late: bool = Field(description="逾期报送，或已过截止日期仍未报送")
    values: dict[str, Any]
    own_values: dict[str, Any] = Field(
        description="转办的组织：数字填报项中本级自身部分（values 为它与转办单位合计之和）"
    )
    relayed_values: dict[str, Any] = Field(
        description="转办的组织：报送时转办单位已报送、已通过的晒账单之和"
    )
    text: str
    files: list[str] = Field(description="附件文件名")
    reported_at: datetime.datetime | None
    first_reported_at: datetime.datetime | None
    returned_reason: str
    accepted_at: datetime.datetime | None
    revisions: int = Field(description="报送次数")

    @staticmethod
    def resolve_assignment(obj) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_assignment_title(obj) -> str:
        return obj.assignment.title

    @staticmethod
    def resolve_deadline(obj) -> datetime.date:
        return obj.effective_deadline

    @staticmethod
    def resolve_extended(obj) -> bool:
        return obj.extended

    resolve_organization = staticmethod(organization_code)

    resolve_organization_name = staticmethod(organization_name)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_late(obj) -> bool:
        first = obj.first_reported_at
        return rules.is_late(
            obj.effective_deadline,
            timezone.localtime(first).date() if first else None,
            timezone.localdate(),
        )

    @staticmethod
    def resolve_files(obj) -> list[str]:
        return [f.name for f in obj.files.all()]
