"""The history (audit events) of one record, for those who manage its organization.

Core knows no domain: each app registers the records that have a history page
(`audit.history_target`), with the finder that applies the app's own scoping and the
maskers that hide personal fields from those not allowed to see them.
"""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, RequestDataTooBig
from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from .audit import HISTORY_TARGETS, target_type
from .audit import history as audit_history
from .files import MAX_BODY_BYTES
from .jobs import progress_of
from .models import Job
from .toolkit import percent


def _shown(value):
    """A list (the names of uploaded files) or a dict (the demo load's counts) as one line;
    a dict's keys sorted (PostgreSQL's jsonb keeps no order)."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or None
    if isinstance(value, dict):
        return "，".join(f"{k}：{v}" for k, v in sorted(value.items())) or None
    return value


def _label(record, field):
    try:
        f = record._meta.get_field(str(field))
    except (FieldDoesNotExist, AttributeError):
        return str(field)
    if hasattr(f, "verbose_name"):
        return str(f.verbose_name)
    # A reverse relation (an import's "members" count, a meeting's "attachments") is named
    # after the records it counts.
    related = getattr(f, "related_model", None)
    return str(related._meta.verbose_name_plural) if related else field


def change_rows(record, changes, maskers):
    """(field label, old, new) rows; fields with a masker masked. `record` is the instance or
    model whose fields name the labels."""
    if not changes:
        return []
    if not isinstance(changes, dict):
        # Whatever an entry holds (a list, a text, a number written by an older version or by
        # hand) is shown as it is, never a 500.
        return [("—", None, _shown(changes))]
    rows = []
    for field, pair in changes.items():
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
        else:
            old, new = None, pair
        if field in maskers:
            old, new = (maskers[field](v) if isinstance(v, str) else v for v in (old, new))
        label = _label(record, field)
        rows.append((label, _shown(old), _shown(new)))
    return rows


def _model_of(label, default):
    """The model an event's target_type names (a part's events label the part's fields)."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return default


@login_required
def history(request, type, id):
    target = HISTORY_TARGETS.get(type)
    if target is None or not str(id).isdigit():
        raise Http404
    record, org = target.find(request.user, int(id))
    # Outside the subtree or without the right: the same 404, so nothing leaks.
    if target.allowed is not None:
        if not target.allowed(request.user, record):
            raise Http404
    elif not request.user.has_perm("core.view_history", org):
        raise Http404
    events = list(audit_history(record, target.parts(record) if target.parts else ())[:500])
    maskers = target.maskers(request.user, record) if target.maskers else {}
    own = target_type(record)
    for event in events:
        model = record if event.target_type == own else _model_of(event.target_type, record)
        event.rows = change_rows(model, event.changes, maskers if model is record else {})
    return render(
        request,
        "core/history.html",
        {
            "nav": "orgs",
            "record": record,
            "record_type": own,
            "back_url": target.url(record) if target.url else "",
            "title": target.title(record) if target.title else str(record),
            "organization": org,
            "events": events,
        },
    )


# Background jobs ------------------------------------------------------------------------------


def _job(request, id):
    """The job, for its own user or a superuser; anyone else gets the same 404."""
    job = Job.objects.filter(pk=id).first()
    if job is None or not (request.user.is_superuser or job.user_id == request.user.pk):
        raise Http404
    return job


def _job_context(job):
    done, total, message = progress_of(job)
    return {
        "job": job,
        "done": done,
        "total": total,
        "message": message,
        "percent": percent(done, total) if total else None,
    }


@login_required
def job(request, id):
    return render(request, "core/job.html", _job_context(_job(request, id)))


@login_required
def job_progress(request, id):
    """The fragment the job page polls every second until the job has finished."""
    return render(request, "core/job_progress.html", _job_context(_job(request, id)))


def bad_request(request, exception):
    """The 400 page (urls.handler400). A form whose fields hold more than the request limit
    (a page of pasted text on an upload page, whose files may be larger) is told so: 413
    with the limit, in the user's language, and nothing it sent is stored."""
    if isinstance(exception, RequestDataTooBig):
        message = _("表单中填写的文字超过 %(mb)s MB，无法接收（附件另计），请删减后重新提交。") % {
            "mb": MAX_BODY_BYTES // (1024 * 1024)
        }
        return render(request, "core/refused.html", {"message": message}, status=413)
    return defaults.bad_request(request, exception)


# Error pages (urls.handler403/404/500) ------------------------------------------------------


def _error_page(request, status, title, message):
    """The site's frame, in the user's language, with a way back (the page the user came
    from on this site, and the home page)."""
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()})
        else ""
    )
    if back and back == request.build_absolute_uri():
        back = ""
    context = {"status": status, "title": title, "message": message, "back": back}
    return render(request, "core/error.html", context, status=status)


def page_not_found(request, exception):
    return _error_page(
        request, 404, _("页面不存在"), _("您要找的页面不存在，或不在您的管理范围内。")
    )


def permission_denied(request, exception):
    return _error_page(request, 403, _("无权访问"), _("您没有权限进行这项操作。"))


def server_error(request):
    """The 500 page; if even the frame fails (the database is down), Django's plain page."""
    try:
        return _error_page(
            request,
            500,
            _("出错了"),
            _("系统处理这个请求时出错，已记录。请稍后再试，或返回上一页。"),
        )
    except Exception:  # noqa: BLE001 - the error page must not fail
        return defaults.server_error(request)
