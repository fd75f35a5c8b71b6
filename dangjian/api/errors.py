"""How the API answers when something is wrong, always as JSON with a Chinese message.

- a service's `ValidationError` and a malformed request (ninja's schema validation) → 422
  `{"detail": [{"field": "id_number", "message": "身份证号校验位不正确，请核对"}]}`;
- `PermissionDenied` → 403 `{"detail": "…"}`;
- a record that does not exist *or lies outside the caller's subtree* → the same 404, so the
  answer never tells whether it exists;
- no credentials → 401.
"""

import re
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dangjian.core.services import invalid
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    message: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


# The error answers every route may give, for the OpenAPI document.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

NOT_FOUND = "未找到该记录，或不在您的管辖范围内"
UNAUTHORIZED = "需要登录，或在 Authorization 头中提供有效的 API 令牌（Bearer）"
CSRF_FAILED = "CSRF 校验失败：请刷新页面后重试，或改用 API 令牌"
FORBIDDEN = "您没有权限进行此操作"
BAD_BODY = "请求体不是有效的 JSON"


def _labels(model) -> dict[str, str]:
    return {
        f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")
    }


MEMBER_LABELS = {
    **_labels(Member),
    "organization": "党组织编码",
    "reason": "原因",
    "moved_on": "转接日期",
    "q": "搜索词",
    "org": "党组织编码",
    "tag": "标签",
    "mobile": "流动党员",
    "include_removed": "包含已减少党员",
}
ORG_LABELS = {
    **_labels(Organization),
    "parent": "上级组织编码",
    "parent_code": "上级组织编码",
    "reason": "撤销原因",
    "q": "名称",
    "include_dissolved": "包含已撤销组织",
    "period": "期间",
}
COMMON_LABELS = {
    "limit": "每页条数",
    "offset": "起始位置",
    "id": "编号",
    "member_id": "党员编号",
    "code": "组织编码",
}

_TYPE_PROBLEMS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，格式为 YYYY-MM-DD",
    "date_parsing": "应为日期，格式为 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式为 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，格式为 YYYY-MM-DD",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "extra_forbidden": "不是可接受的字段",
    "none_required": "应为空",
    "string_too_short": "不能为空",
}


def _labels_for(request) -> dict[str, str]:
    base = MEMBER_LABELS if "/members" in request.path else ORG_LABELS
    return {**COMMON_LABELS, **base}


def _field_of(loc) -> str | None:
    """('body', 'payload', 'tags', 0) → 'tags.0'; ('query', 'status') → 'status'."""
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or None


def _expected(ctx) -> str:
    return (
        re.sub(r"'([^']*)'", r"\1", str(ctx.get("expected", "")))
        .replace(" or ", "、")
        .replace(", ", "、")
    )


def _message(error: dict, label: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"缺少必填字段“{label}”" if label else "缺少请求体（JSON 对象）"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind in ("literal_error", "enum"):
        return f"{label}的取值不在可选范围内（可选：{_expected(ctx)}）"
    if kind == "string_too_long":
        return f"{label}不能超过{ctx.get('max_length')}个字符"
    if kind == "too_long":
        return f"{label}最多{ctx.get('max_length')}项"
    if kind == "greater_than_equal":
        return f"{label}不能小于{ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{label}不能大于{ctx.get('le')}"
    if kind == "value_error" and ctx.get("error"):
        return f"{label}{ctx['error']}"
    if kind in _TYPE_PROBLEMS:
        return f"{label or '请求体'}{_TYPE_PROBLEMS[kind]}"
    return f"{label}的取值无效"


def _label(loc, labels) -> str:
    """The Chinese name of the field at `loc`; list items as “标签第2项”."""
    names = [p for p in loc[1:] if p != "payload"]
    if not names:
        return ""
    last = names[-1]
    if isinstance(last, int) and len(names) > 1:
        return f"{labels.get(str(names[-2]), names[-2])}第{last + 1}项"
    return labels.get(str(last), str(last))


def _request_errors(request, exc: NinjaValidationError) -> list[dict]:
    labels = _labels_for(request)
    out = []
    for error in exc.errors:
        loc = tuple(error.get("loc") or ())
        if error.get("type") == "json_invalid":
            out.append({"field": None, "message": _message(error, "")})
            continue
        out.append({"field": _field_of(loc), "message": _message(error, _label(loc, labels))})
    return out


def service_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "message": message}
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def not_null(data: dict, model, nullable=()) -> dict:
    """Refuse an explicit null for a field that cannot be empty (a PATCH body may send one)."""
    for field, value in data.items():
        if value is None and field not in nullable:
            raise invalid(field, f"{model._meta.get_field(field).verbose_name}不能为空")
    return data


@contextmanager
def renamed_fields(**names):
    """Report a service's field under the name the request body uses (parent → parent_code)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


def install(api) -> None:
    """Register the handlers on `api`, replacing ninja's English defaults."""

    @api.exception_handler(DjangoValidationError)
    def on_service_validation(request, exc):
        return api.create_response(request, {"detail": service_errors(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def on_request_validation(request, exc):
        return api.create_response(request, {"detail": _request_errors(request, exc)}, status=422)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return api.create_response(request, {"detail": str(exc) or FORBIDDEN}, status=403)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return api.create_response(request, {"detail": UNAUTHORIZED}, status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        message = {
            "CSRF check Failed": CSRF_FAILED,
            "Cannot parse request body": BAD_BODY,
        }.get(str(exc).split(" (")[0], str(exc))
        return api.create_response(request, {"detail": message}, status=exc.status_code)
