"""Desk items of serving the public: a branch's concerns due or overdue, suggestions
awaiting a written reply and pledges coming due; a member's own pledges due and the posts
they claimed; the townships' and the county's overdue concerns below them."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import managed_paths
from dangjian.core import config
from dangjian.desk import registry

from . import rules, selectors

LIMIT = 8


def _soon(org) -> int:
    return config.get(org, "service.due_soon_days")


def _lines(rows, text, url, today, soon):
    return [
        registry.Line(text(r), url=url(r), badge=rules.due_badge(r.due_on, today, soon))
        for r in rows
    ]


def branch_items(user, today) -> list:
    orgs = list(registry.orgs_of(user, registry.BRANCH))
    if not orgs:
        return []
    ids = [o.pk for o in orgs]
    soon = _soon(orgs[0])
    horizon = today + datetime.timedelta(days=soon)
    items = []
    concerns = selectors.open_concerns_due(ids, horizon)
    rows = list(concerns[:LIMIT])
    items.append(
        registry.Item(
            _("民情事项到期"),
            _lines(
                rows,
                lambda c: f"{c.due_on:%m-%d} {c.get_category_display()} {c.content[:30]}",
                lambda c: reverse("service:concern", args=[c.pk]),
                today,
                soon,
            ),
            count=concerns.count() if len(rows) == LIMIT else None,
            more_url=reverse("service:concerns") + "?open=1",
        )
    )
    waiting = selectors.suggestions_awaiting(ids)
    rows = list(waiting[:LIMIT])
    items.append(
        registry.Item(
            _("党员建议待答复"),
            [
                registry.Line(
                    f"{s.submitted_on:%m-%d} {s.title}",
                    url=reverse("service:suggestion", args=[s.pk]),
                )
                for s in rows
            ],
            count=waiting.count() if len(rows) == LIMIT else None,
            more_url=reverse("service:suggestions") + "?status=open",
        )
    )
    pledges = selectors.pledges_due(ids, horizon)
    rows = list(pledges[:LIMIT])
    items.append(
        registry.Item(
            _("公开承诺到期"),
            _lines(
                rows,
                lambda p: f"{p.due_on:%m-%d} {p.content}",
                lambda p: reverse("service:pledge", args=[p.pk]),
                today,
                soon,
            ),
            count=pledges.count() if len(rows) == LIMIT else None,
            more_url=reverse("service:pledges"),
        )
    )
    return items


def member_items(user, today) -> list:
    member = getattr(user, "member", None)
    if member is None:
        return []
    soon = _soon(member.organization)
    pledges = list(selectors.own_pledges_due(member, today + datetime.timedelta(days=soon))[:LIMIT])
    claims = list(selectors.own_claims(member, today.year)[:LIMIT])
    return [
        registry.Item(
            _("我的承诺到期"),
            _lines(
                pledges,
                lambda p: f"{p.due_on:%m-%d} {p.content}",
                lambda p: reverse("service:pledge", args=[p.pk]),
                today,
                soon,
            ),
            action_url=reverse("service:pledges"),
            action_label=_("我的承诺"),
        ),
        registry.Item(
            _("我认领的服务岗位"),
            [
                registry.Line(
                    _("%(post)s（%(place)s），已服务 %(n)s 次")
                    % {"post": c.post.title, "place": c.organization.name, "n": c.times},
                    url=reverse("service:claim", args=[c.pk]),
                )
                for c in claims
            ],
            action_url=reverse("service:posts"),
            action_label=_("认领岗位"),
        ),
    ]


def upper_items(user, today) -> list:
    paths = managed_paths(user)
    if not paths and not user.is_superuser:
        return []
    if user.is_superuser:
        paths = [o.path for o in registry.orgs_of(user, registry.UPPER)]
    late = selectors.overdue_concerns_below(paths, today)
    rows = list(late[:LIMIT])
    return [
        registry.Item(
            _("下级逾期未办结的民情事项"),
            [
                registry.Line(
                    f"{c.due_on:%m-%d} {c.organization.name} {c.get_category_display()}",
                    url=reverse("service:concern", args=[c.pk]),
                    badge="late",
                )
                for c in rows
            ],
            count=late.count() if len(rows) == LIMIT else None,
            more_url=reverse("service:concerns") + "?overdue=1",
        )
    ]


def register_all() -> None:
    registry.register("service.branch", branch_items, roles=(registry.BRANCH,), order=300)
    registry.register("service.member", member_items, roles=(registry.MEMBER,), order=300)
    registry.register("service.upper", upper_items, roles=(registry.UPPER,), order=300)
