"""Work-desk items of training: a member sees one line, their class hours this year against
the minimum (no nagging, no ranking); a branch, in the fourth quarter, how many of its
members are still below the minimum."""

from django.utils.translation import gettext as _

from dangjian.core import config
from dangjian.desk import registry
from dangjian.members.models import Member

from .models import MemberYear
from .services import officer_flags


def member_items(user, today) -> list:
    member = getattr(user, "member", None)
    if member is None:
        return []
    row = MemberYear.objects.filter(member=member, year=today.year).first()
    if row is not None:
        hours, required = row.hours, row.required
    else:
        is_officer = officer_flags([member.pk]).get(member.pk, (False, False))[0]
        key = "training.officer_min_hours" if is_officer else "training.member_min_hours"
        hours, required = 0, config.get(member.organization, key)
    text = _("本年度已学 %(h)s 学时（应学 %(r)s 学时）") % {"h": hours, "r": required}
    return [registry.Item(_("我的学习"), [registry.Line(text)], count=0)]


def branch_items(user, today) -> list:
    if today.month < 10:
        return []
    orgs = list(registry.orgs_of(user, registry.BRANCH))
    lines = []
    for org in orgs[:10]:
        members = Member.objects.active().filter(organization=org).count()
        met = MemberYear.objects.filter(organization=org, year=today.year, met=True).count()
        if members > met:
            lines.append(
                registry.Line(
                    _("%(org)s：%(n)s 名党员本年度学时未达标")
                    % {"org": org.name, "n": members - met},
                    badge="due",
                )
            )
    return [registry.Item(_("教育培训学时"), lines)]


def register_all() -> None:
    registry.register("training.member", member_items, roles=(registry.MEMBER,), order=400)
    registry.register("training.branch", branch_items, roles=(registry.BRANCH,), order=400)
