"""Organization building on the work desk (desk.registry): the end of a branch's term when
within six months, and, below a township or the county, elections due or overdue and the
setup flags not approved as exceptions."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk.registry import BRANCH, UPPER, Item, Line, orgs_of, register

from . import rules, services
from .selectors import STATUS_ORDER, visible_in

LIMIT = 20
TERM_NOTICE_MONTHS = 6
BADGE = {"overdue": "late", "due": "due"}


def term_end(user, today) -> list[Item]:
    """The term end of each organization the user serves, when it falls within six months
    or has passed (one line per organization; nothing when the term runs on)."""
    items = []
    soon = rules.add_months(today, TERM_NOTICE_MONTHS)
    for org in orgs_of(user, BRANCH):
        rows = [
            r
            for r in services.election_board(org, today)
            if r["organization"].pk == org.pk and r["due_on"] and r["due_on"] <= soon
        ]
        lines = [
            Line(
                (
                    _("本届任期已于%(date)s届满，应按期换届")
                    if r["due_on"] < today
                    else _("本届任期%(date)s届满")
                )
                % {"date": r["due_on"].isoformat()},
                url=reverse("health:elections", args=[org.code]),
                badge="late" if r["due_on"] < today else "due",
            )
            for r in rows
        ]
        items.append(Item(_("换届：%(org)s") % {"org": org.name}, lines))
    return items


def elections_below(user, today) -> list[Item]:
    """Organizations below whose election is due (within the reminder window) or overdue."""
    items = []
    for org in orgs_of(user, UPPER):
        visible = visible_in(user, org)
        rows = sorted(
            (
                r
                for r in services.election_board(org, today)
                if r["status"] in BADGE and visible(r["organization"].pk)
            ),
            key=lambda r: (STATUS_ORDER[r["status"]], r["due_on"], r["organization"].path),
        )
        lines = [
            Line(
                _("%(org)s：任期%(date)s届满")
                % {"org": r["organization"].name, "date": r["due_on"].isoformat()},
                url=reverse("health:elections", args=[r["organization"].code]),
                badge=BADGE[r["status"]],
            )
            for r in rows[:LIMIT]
        ]
        items.append(
            Item(
                _("应换届和逾期未换届的组织（%(org)s）") % {"org": org.name},
                lines,
                count=len(rows),
                more_url=reverse("health:elections", args=[org.code]),
            )
        )
    return items


def setup_flags_below(user, today) -> list[Item]:
    """The setup-rule flags of the subtree not approved as exceptions."""
    items = []
    for org in orgs_of(user, UPPER):
        visible = visible_in(user, org)
        flags = [
            f
            for f in services.setup_flags(org)
            if not f["approved"] and visible(f["organization"].pk)
        ]
        lines = [
            Line(
                f"{f['organization'].name}：{f['rule']}",
                url=reverse("health:setup", args=[f["organization"].code]),
            )
            for f in flags[:LIMIT]
        ]
        items.append(
            Item(
                _("设置不规范的组织（%(org)s）") % {"org": org.name},
                lines,
                count=len(flags),
                more_url=reverse("health:setup", args=[org.code]),
            )
        )
    return items


def register_all():
    register("health.term", term_end, roles=(BRANCH,), order=50)
    register("health.elections_below", elections_below, roles=(UPPER,), order=30)
    register("health.setup_below", setup_flags_below, roles=(UPPER,), order=40)
