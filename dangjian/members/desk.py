"""Members on the work desk (desk.registry): probationary members due for conversion within
CONVERSION_NOTICE_DAYS or overdue (a branch), and the overdue ones below (a township or the
county). The rule is members.rules.conversion_status, as on the organization page."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk.registry import BRANCH, UPPER, Item, Line, orgs_of, register

from .models import OPEN_TRANSFER_STATUSES, TransferStatus
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


# ---- transfers: the receiver confirms, the sender watches its letters, the upper levels
# see what stays pending too long ----------------------------------------------------------


def _transfer_line(t, text) -> Line:
    return Line(text, url=reverse("members:transfer", args=[t.pk]), badge="due")


def transfers_to_confirm(user, today) -> list[Item]:
    from .selectors import visible_transfers

    items = []
    for org in orgs_of(user, BRANCH):
        waiting = list(
            visible_transfers(user)
            .filter(to_organization=org, status__in=OPEN_TRANSFER_STATUSES)
            .order_by("issued_on", "id")[: LIMIT + 1]
        )
        items.append(
            Item(
                _("待确认转入的组织关系：%(org)s") % {"org": org.name},
                [
                    _transfer_line(
                        t,
                        _("%(name)s（来自%(from)s，介绍信%(no)s）")
                        % {"name": t.member.name, "from": t.origin, "no": t.letter_number},
                    )
                    for t in waiting[:LIMIT]
                ],
                count=len(waiting),
            )
        )
    return items


def letters_near_expiry(user, today) -> list[Item]:
    from dangjian.core import config

    from .selectors import visible_transfers

    items = []
    for org in orgs_of(user, BRANCH):
        days = int(config.get(org, "members.transfer_expiry_notice_days"))
        soon = list(
            visible_transfers(user)
            .filter(
                from_organization=org,
                status=TransferStatus.ISSUED,
                valid_until__lte=today + datetime.timedelta(days=days),
            )
            .order_by("valid_until", "id")[: LIMIT + 1]
        )
        lines = []
        for t in soon[:LIMIT]:
            line = _transfer_line(
                t,
                _("%(name)s：介绍信%(no)s有效期至%(date)s")
                % {"name": t.member.name, "no": t.letter_number, "date": t.valid_until},
            )
            if t.valid_until < today:
                line = Line(line.text, url=line.url, badge="late")
            lines.append(line)
        items.append(
            Item(
                _("%(days)s天内到期或已过期、对方尚未接收的介绍信：%(org)s")
                % {"days": days, "org": org.name},
                lines,
                count=len(soon),
            )
        )
    return items


def transfers_pending_below(user, today) -> list[Item]:
    from django.db.models import Q

    from dangjian.core import config

    from .selectors import visible_transfers

    items = []
    for org in orgs_of(user, UPPER):
        days = int(config.get(org, "members.transfer_pending_alert_days"))
        old = list(
            visible_transfers(user)
            .filter(
                Q(from_organization__path__startswith=org.path)
                | Q(to_organization__path__startswith=org.path),
                status__in=OPEN_TRANSFER_STATUSES,
                issued_on__lt=today - datetime.timedelta(days=days),
            )
            .order_by("issued_on", "id")[: LIMIT + 1]
        )
        items.append(
            Item(
                _("开具超过%(days)s天仍未办结的组织关系转接（%(org)s）")
                % {"days": days, "org": org.name},
                [
                    Line(
                        _("%(name)s：%(from)s → %(to)s（%(date)s开具）")
                        % {
                            "name": t.member.name,
                            "from": t.origin,
                            "to": t.destination,
                            "date": t.issued_on,
                        },
                        url=reverse("members:transfer", args=[t.pk]),
                        badge="late",
                    )
                    for t in old[:LIMIT]
                ],
                count=len(old),
            )
        )
    return items


def register_all():
    register("members.conversions", conversions_for_branch, roles=(BRANCH,), order=30)
    register("members.overdue_below", conversions_overdue_below, roles=(UPPER,), order=50)
    register("members.transfers_to_confirm", transfers_to_confirm, roles=(BRANCH,), order=31)
    register("members.letters_near_expiry", letters_near_expiry, roles=(BRANCH,), order=32)
    register("members.transfers_pending", transfers_pending_below, roles=(UPPER,), order=51)
