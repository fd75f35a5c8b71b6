"""What every organizational-life page shares: the organization of the URL, the period or
year asked for, the tab bar, and the status labels."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import config
from dangjian.core.forms import apply_errors
from dangjian.core.periods import Period, PeriodError
from dangjian.core.toolkit import rate_text
from dangjian.orgs.selectors import home_organization

from .. import rules, selectors

LIST_LIMIT = 300
CALENDAR_KINDS = rules.BRANCH_LIKE | {"group"}
STATUS_LABELS = {status: gettext_lazy(word) for status, word in rules.STATUS_WORDS.items()}


def get_org(request, code=None):
    """The organization of the URL (or ?org=, default the user's home), visible or 404."""
    code = code or request.GET.get("org")
    if not (code or "").strip():
        home = home_organization(request.user)
        if home is None:
            raise Http404
        return home
    return selectors.org_for(request.user, code)


def period_of(request, default: Period):
    """(the ?period= asked for or `default`, the error message of a malformed one)."""
    text = request.GET.get("period", "").strip()
    if not text:
        return default, ""
    try:
        return Period.parse(text), ""
    except PeriodError as error:
        return default, str(error)


def year_of(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def tally_row(tally):
    return {
        "due": tally.due,
        "done": tally.done,
        "late": tally.late,
        "missing": tally.missing,
        "pending": tally.pending,
        "rate": tally.rate,
        "rate_text": rate_text(tally.rate),
        "width": round((tally.rate or 0) * 100),
        "held": tally.held,
        "required": tally.required,
        "progress_text": rate_text(tally.progress),
    }


def last_finished_month(today):
    """The month before `today`'s: the latest month whose every slot is over."""
    return Period.month_of(today.replace(day=1) - datetime.timedelta(days=1))


def unfinished(period, today) -> bool:
    """Does the period still run (some of its meetings may yet be held)? Its figures are
    progress against the whole period's obligation, never a completion rate."""
    return period.end >= today


def tabs(org):
    """The organizational-life pages of one organization, for the tab bar."""
    out = [
        ("overview", _("完成情况"), reverse("life:overview") + f"?org={org.code}"),
        ("meetings", _("会议记录"), reverse("life:meetings", args=[org.code])),
    ]
    if org.kind in CALENDAR_KINDS:
        out.append(("calendar", _("组织生活日历"), reverse("life:calendar", args=[org.code])))
    out += [
        ("reviews", _("民主评议"), reverse("life:reviews", args=[org.code])),
        ("talks", _("谈心谈话"), reverse("life:talks", args=[org.code])),
        ("participation", _("组织生活纪实"), reverse("life:participation", args=[org.code])),
    ]
    return out


def context(request, org, tab, **extra):
    return {
        "nav": "life",
        "org": org,
        "tab": tab,
        "tabs": tabs(org),
        "can_record": selectors.can_record(request.user, org),
        "grace_days": config.get(org, "life.late_entry_days"),
        **extra,
    }


def years_around(year, today):
    return [year - 1, year + 1] if year < today.year else [year - 1]


def split_errors(form, error, own_fields):
    """Apply a service error to the form; return the messages of `own_fields` (fields the
    page shows outside the form, e.g. the attendee list) instead of adding them."""
    if not hasattr(error, "error_dict"):
        apply_errors(form, error)
        return []
    kept, rest = [], {}
    for field, messages in error.message_dict.items():
        if field in own_fields:
            kept.extend(messages)
        else:
            rest[field] = messages
    if rest:
        apply_errors(form, ValidationError(rest))
    return kept
