"""The report-back board (晒账单) of one assignment: progress roll-up, the report-backs
the user may see (`selectors.visible_report_backs`), revisions, and its .xlsx ledger."""

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dangjian.accounts.scoping import (
    get_visible_or_404,
    own_org_ids,
)
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code
from dangjian.core.toolkit import by_level, paginate, rate_text, share_text
from dangjian.orgs.selectors import visible_orgs

from .. import exports, selectors, services
from ..models import (
    AssignmentStatus,
    ReportStatus,
)
from .assignments import find_assignment
from .common import (
    STATUS_FILTERS,
    display_value,
    late_of,
)


def _progress_scope(request, assignment):
    """The organization the progress is shown for: ?org=CODE within the user's scope and
    the issuer's subtree; by default the top of that."""
    scope = visible_orgs(request.user).filter(path__startswith=assignment.issuer.path)
    code = normalize_code(request.GET.get("org"))
    if code:
        return scope, get_visible_or_404(scope, code=code), True
    org = scope.order_by("depth", "path").first()
    if org is None:
        raise Http404
    return scope, org, False


def _board_report_backs(request, assignment, org, narrowed, today):
    qs = selectors.visible_report_backs(request.user, assignment)
    if narrowed:
        qs = qs.filter(path__startswith=org.path)  # the report-back's copy: no join
    status = request.GET.get("status") or ""
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    elif status == "late":
        # On the receiver's deadline in force (its own when extended).
        qs = qs.alias(in_force=services.models_deadline()).filter(
            Q(first_reported_at__date__gt=F("in_force"))
            | Q(first_reported_at__isnull=True, in_force__lt=today)
        )
    return qs, status


@login_required
def board(request, pk):
    """The report-back board (晒账单) of one assignment, its progress roll-up and history."""
    user = request.user
    assignment, issuer_side = find_assignment(request, pk)
    today = timezone.localdate()
    scope, org, narrowed = _progress_scope(request, assignment)
    rows = services.progress(assignment, org, today=today)
    linkable = set(
        scope.filter(pk__in=[r["organization"].pk for r in rows]).values_list("pk", flat=True)
    )
    for r in rows:
        r["own"] = r["organization"].pk == org.pk
        r["linkable"] = not r["own"] and r["organization"].pk in linkable
    total = services.totals(rows)
    for r in [*rows, total]:
        _shares(r)
    fields = services.fields_of(assignment)
    sums = services.summed_values(assignment, org)
    summed = [{"field": f, "value": sums[f.key]} for f in fields if f.key in sums]
    qs, status = _board_report_backs(request, assignment, org, narrowed, today)
    qs = qs.select_related("organization").prefetch_related("files").order_by("path")
    report_backs, pager = paginate(request, qs)
    relays = services.relays_of(assignment, [rb.pk for rb in report_backs])
    can_manage = user.has_perm("tasks.issue", assignment.issuer)
    active = assignment.status == AssignmentStatus.ACTIVE
    for rb in report_backs:
        rb.assignment = assignment
        rb.can_extend = (
            active
            and rb.status in services.EXTENDABLE
            and (can_manage or services.user_may_extend(user, rb))
        )
        rb.relayed_to = relays.get(rb.pk)
        rb.late = late_of(rb, today)
        rb.cells = [display_value(f, rb.values.get(f.key)) for f in fields]
    crumbs = list(scope.filter(path__in=org.ancestor_paths()[:-1]).order_by("depth"))
    own = list(
        assignment.report_backs.filter(organization_id__in=own_org_ids(user)).select_related(
            "organization"
        )
    )
    for rb in own:
        rb.assignment = assignment
        rb.can_relay = services.can_relay(user, rb)
    context = {
        "nav": "tasks",
        "assignment": assignment,
        "active": active,
        "here": request.get_full_path(),
        "issuer_side": issuer_side,
        "can_manage": can_manage,
        "org": org,
        "narrowed": narrowed,
        "crumbs": crumbs,
        "rows": rows,
        "total": total,
        "fields": fields,
        "summed": summed,
        "report_backs": report_backs,
        "status": status,
        "status_filters": STATUS_FILTERS,
        "own": own,
        "today": today,
        "overdue": today > assignment.deadline,
        "revisions": _revision_rows(assignment) if issuer_side or own else [],
        "chain": services.chain(assignment),
        "awaiting_review": selectors.awaiting_review(user, assignment).count(),
        "export_query": request.GET.urlencode() if narrowed else "",
        **pager,
    }
    return render(request, "tasks/board.html", context)


def _shares(row) -> None:
    """The row's share reported, exact for the bar (no whole-percent steps) and rounded once
    for the text, as every rate (core.toolkit.share_text); its on-time rate likewise."""
    done = row["reported"] + row["accepted"]
    row["share"] = done / row["receivers"] if row["receivers"] else 0
    row["share_text"] = share_text(done, row["receivers"])
    row["complete"] = bool(row["receivers"]) and done == row["receivers"]
    row["on_time_text"] = rate_text(row["on_time_rate"])


# Translated when shown (_revision_rows).
REVISION_LABELS = {
    "title": gettext_noop("标题"),
    "content": gettext_noop("工作内容"),
    "deadline": gettext_noop("截止日期"),
    "text_required": gettext_noop("须填写文字说明"),
    "attachments_required": gettext_noop("至少附件数"),
}


def _revision_rows(assignment):
    out = []
    for rev in assignment.revisions.select_related("by"):
        changes = []
        for key, (old, new) in (rev.changes or {}).items():
            label = _(REVISION_LABELS.get(key, key))
            if isinstance(old, bool) or isinstance(new, bool):
                old, new = (_("是") if old else _("否")), (_("是") if new else _("否"))
            changes.append((label, old, new))
        out.append({"revision": rev, "changes": changes})
    return out


@login_required
def export(request, pk):
    """The whole report-back ledger of an assignment as .xlsx, scoped like the board."""
    assignment, _issuer_side = find_assignment(request, pk)
    today = timezone.localdate()
    _scope, org, narrowed = _progress_scope(request, assignment)
    qs, _status = _board_report_backs(request, assignment, org, narrowed, today)
    out = exports.export_report_backs(
        request.user, assignment, qs, today=today, top=org, by_level=by_level(request)
    )
    return xlsx_response(out, exports.export_filename(assignment))
