"""How the API answers when something is wrong: always as JSON, with a message in the
caller's language (Django's LocaleMiddleware picks it from the session, the language cookie
or Accept-Language; simplified Chinese by default).

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dangjian.core.services import invalid, join_labels


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    message: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


# The error answers every route may give, for the OpenAPI document.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

# Translated when an answer is made, in the language of that request.
NOT_FOUND = gettext_lazy("未找到该记录，或不在您的管辖范围内")
UNAUTHORIZED = gettext_lazy("需要登录，或在 Authorization 头中提供有效的 API 令牌（Bearer）")
CSRF_FAILED = gettext_lazy("CSRF 校验失败：请刷新页面后重试，或改用 API 令牌")
FORBIDDEN = gettext_lazy("您没有权限进行此操作")
BAD_BODY = gettext_lazy("请求体不是有效的 JSON")


def model_labels(model) -> dict:
    # The verbose names stay lazy, so each answer names the field in its own language.
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


# Field names as a request's errors call them, registered by each app's API for the paths
# it serves ("/members"); the labels registered for "" serve every other path.
FIELD_LABELS: dict[str, dict] = {}


def register_labels(path_part: str, labels: dict) -> None:
    FIELD_LABELS[path_part] = labels


COMMON_LABELS = {
    "limit": gettext_lazy("每页条数"),
    "offset": gettext_lazy("起始位置"),
    "id": gettext_lazy("编号"),
    "member_id": gettext_lazy("党员编号"),
    "code": gettext_lazy("组织编码"),
}

_SHOULD_BE_INTEGER = gettext_lazy("应为整数")
_SHOULD_BE_BOOL = gettext_lazy("应为 true 或 false")
_SHOULD_BE_DATE = gettext_lazy("应为日期，格式为 YYYY-MM-DD")
_SHOULD_BE_OBJECT = gettext_lazy("应为 JSON 对象")
_TYPE_PROBLEMS = {
    "string_type": gettext_lazy("应为文本"),
    "int_type": _SHOULD_BE_INTEGER,
    "int_parsing": _SHOULD_BE_INTEGER,
    "int_from_float": _SHOULD_BE_INTEGER,
    "bool_type": _SHOULD_BE_BOOL,
    "bool_parsing": _SHOULD_BE_BOOL,
    "date_type": _SHOULD_BE_DATE,
    "date_parsing": _SHOULD_BE_DATE,
    "date_from_datetime_parsing": _SHOULD_BE_DATE,
    "date_from_datetime_inexact": _SHOULD_BE_DATE,
    "list_type": gettext_lazy("应为列表"),
    "dict_type": _SHOULD_BE_OBJECT,
    "model_type": _SHOULD_BE_OBJECT,
    "model_attributes_type": _SHOULD_BE_OBJECT,
    "extra_forbidden": gettext_lazy("不是可接受的字段"),
    "none_required": gettext_lazy("应为空"),
    "string_too_short": gettext_lazy("不能为空"),
}


def _labels_for(request) -> dict:
    parts = [p for p in FIELD_LABELS if p and p in request.path]
    base = FIELD_LABELS[max(parts, key=len)] if parts else FIELD_LABELS.get("", {})
    return {**COMMON_LABELS, **base}


def _field_of(loc) -> str | None:
    """('body', 'payload', 'tags', 0) → 'tags.0'; ('query', 'status') → 'status'."""
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or None


def _expected(ctx) -> str:
    values = re.sub(r"'([^']*)'", r"\1", str(ctx.get("expected", "")))
    return join_labels(re.split(r", | or ", values))


def _problem(label, problem) -> str:
    """A field's label followed by what is wrong with it: “标签应为列表”."""
    return _("%(label)s%(problem)s") % {
        "label": label,
        "problem": problem,
    }


def _message(error: dict, label: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        if label:
            return _("缺少必填字段“%(label)s”") % {"label": label}
        return _("缺少请求体（JSON 对象）")
    if kind == "json_invalid":
        return str(BAD_BODY)
    if kind in ("literal_error", "enum"):
        return _("%(label)s的取值不在可选范围内（可选：%(allowed)s）") % {
            "label": label,
            "allowed": _expected(ctx),
        }
    if kind == "string_too_long":
        return _("%(label)s不能超过%(n)s个字符") % {"label": label, "n": ctx.get("max_length")}
    if kind == "too_long":
        return _("%(label)s最多%(n)s项") % {"label": label, "n": ctx.get("max_length")}
    if kind == "greater_than_equal":
        return _("%(label)s不能小于%(n)s") % {"label": label, "n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("%(label)s不能大于%(n)s") % {"label": label, "n": ctx.get("le")}
    if kind == "value_error" and ctx.get("error"):
        return _problem(label, ctx["error"])
    if kind in _TYPE_PROBLEMS:
        return _problem(label or _("请求体"), _TYPE_PROBLEMS[kind])
    return _("%(label)s的取值无效") % {"label": label}


def _label(loc, labels) -> str:
    """The name of the field at `loc` in the caller's language; list items as “标签第2项”."""
    names = [p for p in loc[1:] if p != "payload"]
    if not names:
        return ""
    last = names[-1]
    if isinstance(last, int) and len(names) > 1:
        return _("%(label)s第%(n)s项") % {
            "label": labels.get(str(names[-2]), names[-2]),
            "n": last + 1,
        }
    return str(labels.get(str(last), str(last)))


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
            raise invalid(
                field, _("%(label)s不能为空") % {"label": model._meta.get_field(field).verbose_name}
            )
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
    """Register the handlers on `api`, replacing ninja's fixed English defaults."""

    @api.exception_handler(DjangoValidationError)
    def on_service_validation(request, exc):
        return api.create_response(request, {"detail": service_errors(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def on_request_validation(request, exc):
        return api.create_response(request, {"detail": _request_errors(request, exc)}, status=422)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return api.create_response(request, {"detail": str(exc) or str(FORBIDDEN)}, status=403)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return api.create_response(request, {"detail": str(UNAUTHORIZED)}, status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        message = {
            "CSRF check Failed": CSRF_FAILED,
            "Cannot parse request body": BAD_BODY,
        }.get(str(exc).split(" (")[0], exc)
        message = str(message)
        return api.create_response(request, {"detail": message}, status=exc.status_code)
