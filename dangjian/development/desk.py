"""Desk items of development: a branch's next steps due (the talk within a month of the
application, conversions due, the higher committee's decisions pending); the townships' and
the county's overdue decisions of the higher committee below them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import managed_paths
from dangjian.desk import registry
from dangjian.members.selectors import conversions_due

from . import selectors, services
from .models import Candidacy

LIMIT = 8


def _badge(c) -> str:
    return "late" if c.late else "due"


def branch_items(user, today) -> list:
    orgs = list(registry.orgs_of(user, registry.BRANCH))
    if not orgs:
        return []
    s = services.settings_of(orgs[0])
    qs = Candidacy.objects.filter(organization__in=orgs)
    talks = selectors.talks_due(qs, today, s)
    decisions = selectors.decisions_pending(qs, today, s)
    due = [m for org in orgs for m in conversions_due(org, today)]
    return [
        registry.Item(
            _("入党申请待谈话"),
            [
                registry.Line(
                    _("%(name)s（%(d)s 前谈话）") % {"name": c.name, "d": f"{c.deadline:%m-%d}"},
                    url=reverse("development:candidacy", args=[c.pk]),
                    badge=_badge(c),
                )
                for c in talks[:LIMIT]
            ],
            count=len(talks) if len(talks) > LIMIT else None,
        ),
        registry.Item(
            _("预备党员待转正"),
            [
                registry.Line(
                    f"{m.name} {m.probation_ends:%Y-%m-%d}",
                    url=reverse("members:detail", args=[m.pk]),
                    badge="late" if m.conversion == "overdue" else "due",
                )
                for m in due[:LIMIT]
            ],
            count=len(due) if len(due) > LIMIT else None,
        ),
        registry.Item(
            _("待上级党委审批"),
            [
                registry.Line(
                    f"{c.name} {c.pending} {c.deadline:%m-%d}",
                    url=reverse("development:candidacy", args=[c.pk]),
                    badge=_badge(c),
                )
                for c in decisions[:LIMIT]
            ],
            count=len(decisions) if len(decisions) > LIMIT else None,
        ),
    ]


def upper_items(user, today) -> list:
    paths = managed_paths(user)
    if not paths and not user.is_superuser:
        return []
    if user.is_superuser:
        paths = [o.path for o in registry.orgs_of(user, registry.UPPER)]
    if not paths:
        return []
    from django.db.models import Q

    q = Q(pk__in=[])
    for p in paths:
        q |= Q(organization__path__startswith=p)
    qs = Candidacy.objects.filter(q).select_related("organization")
    from dangjian.orgs.models import Organization

    top = Organization.objects.filter(path=paths[0]).first()
    late = selectors.decisions_pending(qs, today, services.settings_of(top), overdue_only=True)
    return [
        registry.Item(
            _("下级逾期未审批的发展党员"),
            [
                registry.Line(
                    f"{c.deadline:%m-%d} {c.organization.name} {c.name} {c.pending}",
                    url=reverse("development:candidacy", args=[c.pk]),
                    badge="late",
                )
                for c in late[:LIMIT]
            ],
            count=len(late) if len(late) > LIMIT else None,
            more_url=reverse("development:home"),
        )
    ]


def register_all() -> None:
    registry.register("development.branch", branch_items, roles=(registry.BRANCH,), order=320)
    registry.register("development.upper", upper_items, roles=(registry.UPPER,), order=320)
