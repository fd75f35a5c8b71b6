"""Supervision's items on the work desk (desk.registry): a branch's own rectification items
due soon or overdue and the red supervision orders addressed to it; for the levels above,
the overdue items below them and the orders they issued still unanswered."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import managed_q, own_org_ids
from dangjian.desk.registry import BRANCH, UPPER, Item, Line, register

from . import selectors
from .models import RectificationItem, SupervisionOrder

LIMIT = 20
DUE_DAYS = 14  # an item this close to its deadline is flagged "due"


def _item_line(item, today) -> Line:
    late = item.deadline < today
    return Line(
        (
            _("%(org)s：%(problem)s（已于%(date)s逾期）")
            if late
            else _("%(org)s：%(problem)s（%(date)s前整改）")
        )
        % {
            "org": item.organization.name,
            "problem": item.problem[:30],
            "date": item.deadline.isoformat(),
        },
        url=reverse("supervision:item", args=[item.pk]),
        badge="late" if late else "due",
    )


def my_items(user, today) -> list[Item]:
    """The user's own organizations' items not signed off, due within two weeks or late."""
    qs = (
        RectificationItem.objects.filter(
            organization_id__in=own_org_ids(user),
            status__in=selectors.OPEN_STATUSES,
            deadline__lte=today + datetime.timedelta(days=DUE_DAYS),
        )
        .select_related("organization")
        .order_by("deadline", "pk")
    )
    rows = list(qs[:LIMIT])
    items = [
        Item(
            _("本组织的整改事项"),
            [_item_line(i, today) for i in rows],
            count=qs.count() if len(rows) == LIMIT else len(rows),
            more_url=reverse("supervision:ledger"),
        )
    ]
    orders = list(
        SupervisionOrder.objects.filter(
            organization_id__in=own_org_ids(user), replied_on__isnull=True
        )
        .select_related("item")
        .order_by("reply_by", "pk")[:LIMIT]
    )
    if orders:
        items.append(
            Item(
                _("红色督办单"),
                [
                    Line(
                        _("%(problem)s：请于%(date)s前反馈")
                        % {"problem": o.item.problem[:30], "date": o.reply_by.isoformat()},
                        url=reverse("supervision:order", args=[o.pk]),
                        badge="late" if o.reply_by < today else "due",
                    )
                    for o in orders
                ],
                more_url=reverse("supervision:orders") + "?state=open",
            )
        )
    return items


def overdue_below(user, today) -> list[Item]:
    """Overdue items in the subtree below the user's organizations, and the orders their
    organizations issued that are not answered yet."""
    own = own_org_ids(user)
    qs = (
        RectificationItem.objects.filter(managed_q(user, "organization__"))
        .exclude(organization_id__in=own)
        .filter(status__in=selectors.OPEN_STATUSES, deadline__lt=today)
        .select_related("organization")
        .order_by("deadline", "pk")
    )
    rows = list(qs[:LIMIT])
    items = [
        Item(
            _("下级逾期的整改事项"),
            [_item_line(i, today) for i in rows],
            count=qs.count() if len(rows) == LIMIT else len(rows),
            more_url=reverse("supervision:ledger") + "?status=overdue",
        )
    ]
    issued = SupervisionOrder.objects.filter(issuer_id__in=own, replied_on__isnull=True)
    n = issued.count()
    if n:
        items.append(
            Item(
                _("已下发未反馈的督办单"),
                [
                    Line(
                        _("%(org)s：%(problem)s（%(date)s督办）")
                        % {
                            "org": o.organization.name,
                            "problem": o.item.problem[:30],
                            "date": o.issued_on.isoformat(),
                        },
                        url=reverse("supervision:order", args=[o.pk]),
                        badge="late" if o.reply_by < today else "",
                    )
                    for o in issued.select_related("organization", "item").order_by(
                        "reply_by", "pk"
                    )[:LIMIT]
                ],
                count=n,
                more_url=reverse("supervision:orders") + "?state=open",
            )
        )
    return items


def register_all() -> None:
    register("supervision.mine", my_items, roles=(BRANCH,), order=300)
    register("supervision.below", overdue_below, roles=(UPPER,), order=300)
