"""Issuing an assignment to many receivers as a background job.

`services.issue` writes one report-back per receiver; for a province's tens of thousands of
receivers that is longer than a request should take. The issue page calls
`issue_in_background` when `receiver_count` is above `BACKGROUND_ISSUE_AT`: the page goes to
the job's progress page, which links to the assignment's board when it is issued (or shows
why not, with nothing written).
"""

import datetime
import decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core import jobs
from dangjian.core.services import require
from dangjian.orgs.models import Organization

from . import services

BACKGROUND_ISSUE_AT = 2000  # receivers above which the page issues in the background


def receiver_count(issuer: Organization, receivers: dict) -> int:
    """How many organizations `receivers` selects (raises ValidationError like `issue`)."""
    return services.select_receivers(issuer, receivers).count()


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def issue_in_background(user, *, issuer: Organization, **kwargs) -> jobs.Job:
    """Queue `services.issue(issuer, actor=user, **kwargs)`; the Job (page: jobs:detail).

    `kwargs` are those of `services.issue` (title, content, starts_on, deadline, receivers,
    fields, text_required, attachments_required, board_shared). The permission is checked
    here too, so a user who may not issue is told in the request, not by a failed job; the
    rest (dates, fields, receivers) is checked by `issue` in the job, which writes nothing
    when it refuses.
    """
    require(user, "tasks.issue", issuer, _("您无权以该组织名义下发交办单"))
    return jobs.start(
        "issue",
        "dangjian.tasks.jobs.issue_job",
        user,
        organization=issuer,
        title=_("下发交办单《%(title)s》") % {"title": kwargs.get("title", "")},
        issuer_id=issuer.pk,
        user_id=user.pk,
        data=_json(kwargs),
    )


def issue_job(progress, *, issuer_id, user_id, data) -> dict:
    issuer = Organization.objects.get(pk=issuer_id)
    actor = get_user_model().objects.get(pk=user_id)
    data = dict(data)
    for key in ("starts_on", "deadline"):
        if data.get(key):
            data[key] = datetime.date.fromisoformat(data[key])
    progress(0, None, _("正在下发"))
    assignment = services.issue(issuer, actor=actor, **data)
    n = assignment.report_backs.count()
    progress(n, n, _("交办单已下发给%(n)s个组织") % {"n": n})
    return {
        "summary": _("交办单已下发给%(n)s个组织") % {"n": n},
        "url": reverse("tasks:board", kwargs={"pk": assignment.pk}),
        "link_text": _("查看交办单"),
        "assignment": assignment.pk,
        "receivers": n,
    }
