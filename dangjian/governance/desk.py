"""Village governance on the work desk (desk.registry): a village branch's open matters
with the step each takes next, and its station roster where it falls short; for townships
and the county, the open matters of the villages below, oldest first."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk.registry import BRANCH, UPPER, Item, Line, orgs_of, register

from . import rules, selectors, services
from .models import Matter, MatterStatus

LIMIT = 20
# A matter whose last step is this old is marked late: the procedure has stalled.
STALLED_DAYS = 60


def _next_label(matter) -> str:
    return str(rules.STEP_LABELS.get(matter.step + 1, ""))


def _stalled(matter, today) -> bool:
    since = matter.updated_at.date() if matter.updated_at else today
    return (today - since).days > STALLED_DAYS


def branch_matters(user, today) -> list[Item]:
    """Each village or community the user serves: its open matters with the next step."""
    items = []
    for org in orgs_of(user, BRANCH):
        if org.is_dissolved or not services.governs(org):
            continue
        matters = selectors.open_matters([org.pk])
        lines = [
            Line(
                _("%(title)s：下一步 %(step)s") % {"title": m.title, "step": _next_label(m)},
                url=reverse("governance:matter", args=[m.pk]),
                badge="late" if _stalled(m, today) else "",
            )
            for m in matters[:LIMIT]
        ]
        items.append(
            Item(
                _("四议两公开：办理中的事项（%(org)s）") % {"org": org.name},
                lines,
                count=len(matters),
                action_url=reverse("governance:matter_create", args=[org.code]),
                action_label=_("登记新事项"),
                more_url=reverse("governance:matters") + "?status=open",
            )
        )
    return items


def branch_roster(user, today) -> list[Item]:
    """Where the station's roster falls short: weekdays under the county's minimum hours,
    rest days of the next two weeks with nobody on duty. Nothing shows while it is full."""
    items = []
    for org in orgs_of(user, BRANCH):
        if org.is_dissolved or not services.governs(org):
            continue
        roster = selectors.roster(org, today)
        url = reverse("governance:office_hours", args=[org.code])
        lines = [
            Line(
                _("%(day)s 在岗 %(hours)s 小时，少于 %(min)s 小时")
                % {"day": day, "hours": f"{hours:g}", "min": roster["min_hours"]},
                url=url,
                badge="due",
            )
            for day, hours in roster["short"]
        ] + [
            Line(_("%(day)s（休息日）无人值班") % {"day": day.isoformat()}, url=url, badge="due")
            for day in roster["uncovered"]
        ]
        if lines:
            items.append(
                Item(_("坐班值班表待补（%(org)s）") % {"org": org.name}, lines, more_url=url)
            )
    return items


def matters_below(user, today) -> list[Item]:
    """The open matters of the villages below each organization the user manages."""
    items = []
    for org in orgs_of(user, UPPER):
        qs = Matter.objects.filter(
            organization__path__startswith=org.path, status=MatterStatus.OPEN
        ).exclude(organization=org)
        listed = list(qs.select_related("organization").order_by("updated_at")[:LIMIT])
        if not listed:
            continue
        count = qs.count() if len(listed) == LIMIT else len(listed)
        lines = [
            Line(
                _("%(org)s：%(title)s，下一步 %(step)s")
                % {"org": m.organization.name, "title": m.title, "step": _next_label(m)},
                url=reverse("governance:matter", args=[m.pk]),
                badge="late" if _stalled(m, today) else "",
            )
            for m in listed
        ]
        items.append(
            Item(
                _("下级村（社区）办理中的四议两公开事项（%(org)s）") % {"org": org.name},
                lines,
                count=count,
                more_url=reverse("governance:matters") + "?status=open",
            )
        )
    return items


def register_all():
    register("governance.matters", branch_matters, roles=(BRANCH,), order=60)
    register("governance.roster", branch_roster, roles=(BRANCH,), order=65)
    register("governance.matters_below", matters_below, roles=(UPPER,), order=60)
