"""Members on the work desk (desk.registry): probationary members due for conversion within
CONVERSION_NOTICE_DAYS or overdue (a branch), and the overdue ones below (a township or the
county). The rule is members.rules.conversion_status, as on the organization page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk.registry import BRANCH, UPPER, Item, Line, orgs_of, register

from .rules import CONVERSION_NOTICE_DAYS
from .selectors import conversions_due, visible_members

LIMIT = 20
OVERDUE = "overdue"


def _line(m, with_org=False) -> Line:
    text = _("%(name)s：预备期%(date)s满") % {"name": m.name, "date": m.probation_ends.isoformat()}
    if with_org:
        text = f"{m.organization.name} {text}"
    return Line(
        text,
        url=reverse("members:detail", args=[m.pk]),
        badge="late" if m.conversion == OVERDUE else "due",
    )


def conversions_for_branch(user, today) -> list[Item]:
    items = []
    for org in orgs_of(user, BRANCH):
        due = conversions_due(org, today, members=visible_members(user))
        items.append(
            Item(
                _("%(days)s天内到期或已逾期的预备党员：%(org)s")
                % {"days": CONVERSION_NOTICE_DAYS, "org": org.name},
                [_line(m) for m in due[:LIMIT]],
                count=len(due),
            )
        )
    return items


def conversions_overdue_below(user, today) -> list[Item]:
    items = []
    for org in orgs_of(user, UPPER):
        overdue = [
            m
            for m in conversions_due(org, today, members=visible_members(user))
            if m.conversion == OVERDUE
        ]
        items.append(
            Item(
                _("预备期已满未转正的党员（%(org)s）") % {"org": org.name},
                [_line(m, with_org=True) for m in overdue[:LIMIT]],
                count=len(overdue),
            )
        )
    return items


def register_all():
    register("members.conversions", conversions_for_branch, roles=(BRANCH,), order=30)
    register("members.overdue_below", conversions_overdue_below, roles=(UPPER,), order=50)
