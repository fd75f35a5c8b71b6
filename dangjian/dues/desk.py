"""Desk items of dues: a branch's unpaid dues of this month and its members in arrears (3
months: a reminder; 6 months: regarded as having left, for the branch assembly); a member's
own dues due; townships and the county see the counts below them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk import registry

from . import rules, selectors, services

LIMIT = 8


def branch_items(user, today) -> list:
    items = []
    month = rules.month_start(today)
    for org in list(registry.orgs_of(user, registry.BRANCH))[:3]:
        unpaid = selectors.unpaid_this_month(org, today).select_related("member")
        rows = list(unpaid.order_by("member__name_pinyin")[:LIMIT])
        items.append(
            registry.Item(
                _("本月未交党费（%(org)s）") % {"org": org.name},
                [
                    registry.Line(r.member.name, url=reverse("dues:member", args=[r.member_id]))
                    for r in rows
                ],
                count=unpaid.count() if len(rows) == LIMIT else None,
                more_url=reverse("dues:month", args=[org.code, f"{month:%Y-%m}"]),
            )
        )
        scheme = services.Scheme(org)
        late = selectors.arrears(org, months=scheme.warn_months, ref=month)
        items.append(
            registry.Item(
                _("连续欠交党费（%(org)s）") % {"org": org.name},
                [
                    registry.Line(
                        _("%(name)s 连续%(n)s个月未交") % {"name": r.member.name, "n": run},
                        url=reverse("dues:member", args=[r.member_id]),
                        badge="late" if run >= scheme.leave_months else "due",
                    )
                    for r, run in late[:LIMIT]
                ],
                count=len(late) if len(late) > LIMIT else None,
                more_url=reverse("dues:arrears", args=[org.code]),
            )
        )
    return items


def member_items(user, today) -> list:
    member = getattr(user, "member", None)
    if member is None:
        return []
    due = member.dues_months.filter(month__lte=rules.month_start(today), paid_fen=0, due_fen__gt=0)
    rows = list(due.order_by("month")[:LIMIT])
    return [
        registry.Item(
            _("我的党费待交"),
            [
                registry.Line(
                    f"{r.month:%Y-%m} {rules.fen_to_yuan(r.due_fen)} 元", url=reverse("dues:mine")
                )
                for r in rows
            ],
            action_url=reverse("dues:mine"),
            action_label=_("我的党费"),
        )
    ]


def upper_items(user, today) -> list:
    orgs = list(registry.orgs_of(user, registry.UPPER))[:1]
    if not orgs:
        return []
    org = orgs[0]
    counts = selectors.arrears_counts(org, rules.month_start(today))
    return [
        registry.Item(
            _("下级连续欠交党费的党员"),
            [
                registry.Line(
                    _("连续%(w)s个月以上 %(a)s 人，其中满6个月 %(b)s 人")
                    % {
                        "w": services.Scheme(org).warn_months,
                        "a": counts["warn"],
                        "b": counts["leave"],
                    },
                    url=reverse("dues:home") + f"?org={org.code}",
                    badge="late" if counts["leave"] else "",
                )
            ]
            if counts["warn"]
            else [],
            count=counts["warn"],
            more_url=reverse("dues:home") + f"?org={org.code}",
        )
    ]


def register_all() -> None:
    registry.register("dues.branch", branch_items, roles=(registry.BRANCH,), order=320)
    registry.register("dues.member", member_items, roles=(registry.MEMBER,), order=320)
    registry.register("dues.upper", upper_items, roles=(registry.UPPER,), order=320)
