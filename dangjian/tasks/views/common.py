"""Helpers the task pages share: the organizations a user issues for, the year asked
for, late and displayed values, summaries of the assignments of a list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dangjian.accounts.scoping import (
    covers,
    is_unrestricted,
    managed_paths,
    own_org_ids,
)
from dangjian.core.forms import normalize_code
from dangjian.core.toolkit import percent
from dangjian.orgs.models import Kind, Organization

from .. import rules, selectors, services
from ..models import (
    FieldType,
    ReportStatus,
)

ISSUING_KINDS = (Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH)
STATUS_FILTERS = [*ReportStatus.choices, ("late", gettext_noop("逾期"))]


def year_param(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def issuing_orgs(user, extra_code=None) -> list[Organization]:
    """Organizations the user may act for as the upper level: the ones they manage, and the
    committees / general branches directly below those (a county admin issuing for a
    township). `extra_code` adds any other organization the user manages (a link's ?org=)."""
    if is_unrestricted(user):
        paths = list(Organization.get_root_nodes().values_list("path", flat=True))
    else:
        paths = managed_paths(user)
    q = Q(pk__in=[])
    for p in paths:
        depth = len(p) // Organization.steplen
        q |= Q(path=p) | Q(path__startswith=p, depth=depth + 1, kind__in=ISSUING_KINDS)
    orgs = list(Organization.objects.active().filter(q).order_by("path")[:500])
    code = normalize_code(extra_code)
    if code and code not in {o.code for o in orgs}:
        extra = Organization.objects.active().filter(code=code).first()
        if extra is not None and covers(user, extra):
            orgs.insert(0, extra)
    return orgs


def can_issue_somewhere(user) -> bool:
    if is_unrestricted(user):
        return True
    kinds = set(ISSUING_KINDS)
    return Organization.objects.filter(pk__in=own_org_ids(user), kind__in=kinds).exists()


def late_of(rb, today) -> bool:
    reported = timezone.localtime(rb.first_reported_at).date() if rb.first_reported_at else None
    return rules.is_late(rb.effective_deadline, reported, today)


def display_value(field, value):
    if value is None or value == "":
        return ""
    if field.type == FieldType.BOOLEAN:
        return _("是") if value else _("否")
    return value


def with_summaries(user, assignments, today):
    summaries = selectors.report_back_counts(user, [a.pk for a in assignments])
    for a in assignments:
        s = summaries.get(a.pk, {"receivers": 0, "done": 0, "accepted": 0, "returned": 0})
        a.summary = s
        a.percent = percent(s["done"], s["receivers"])
        a.overdue = today > a.deadline and s["done"] < s["receivers"]
    return assignments


def run_message(request, action):
    """Run a service without a form: its error becomes a message."""
    try:
        return action()
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("您没有权限进行此操作"))
    return None


def pledge_summary(pledge):
    targets = list(pledge.targets.all())
    pledge.n_targets = len(targets)
    pledge.n_met = sum(1 for t in targets if services.is_met(t))
    return pledge


def years(year):
    this = timezone.localdate().year
    return sorted({this + 1, this, this - 1, this - 2, year}, reverse=True)


def member_only(user):
    return not is_unrestricted(user) and not managed_paths(user)
