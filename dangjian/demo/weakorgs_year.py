"""The demo's year of weak organizations (软弱涣散): the villages the activity made weak
(`org.p` low in Activity.diligence, about 4%) are flagged with the evidence their own
records show — the quarters in which they missed required meetings, their late
report-backs — and most with a situation their township raised by hand; the county has
confirmed most of them (each with its rectification measures and guarantors) and a few
still wait for its decision. One ordinary village raised by a township was dismissed.

Deterministic (a seeded random stream, organizations in path order) and small: one
compliance read per weak village and a few writes each, through the weakorgs services so
that the decisions are audited and reach the rectification ledger as a user's would.
"""

import datetime

from django.contrib.auth import get_user_model

from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.life import rules as life_rules
from dangjian.life import services as life
from dangjian.orgs.models import Organization
from dangjian.weakorgs import rules, services
from dangjian.weakorgs.models import Finding, Flag, Source

from .names import Namer

# Situations the townships raised by hand, with the reason they wrote.
HAND = [
    ("team_divided", "村“两委”班子成员长期不和，重大事项多次议而不决，群众意见较大"),
    ("secretary_unfit", "书记常年在外务工，村内工作长期无人牵头，支部工作基本停滞"),
    ("affairs_undisclosed", "村务公开栏半年未更新，群众反映集体资金收支不清"),
    ("public_order", "本年度到乡镇信访12件次，集中反映土地承包和宅基地问题"),
    ("rules_on_paper", "三会一课记录雷同，党员反映多数会议未实际召开"),
]
MEASURES = [
    ("leader_pilot", "县级领导包村联系，乡镇党委书记蹲点指导，选派第一书记驻村，限期调整配强班子"),
    ("pairing", "县直单位党组织结对帮建，每月到村指导一次三会一课，年底前完成整顿"),
    ("department_help", "县委组织部牵头，乡镇党委具体负责，清理村级财务，规范村务公开"),
]
GUARANTOR_POSTS = [("county", "副县长"), ("township", "乡镇党委书记"), ("village", "第一书记")]


def _weak_villages(activity) -> list:
    return [
        org
        for org in activity.world.orgs
        if org.level == "village" and org.kind in rules.KINDS and org.p < 0.66
    ]


def _missed_by_quarter(org, year: int, as_of: datetime.date) -> dict:
    """{quarter: {period: missed}} of the finished quarters, from the village's own
    compliance — what detection reads from life's stored counts."""
    result = life.compliance(org, Period(year), as_of, own_only=True)
    out = {}
    for _org_id, _kind, slot, status in result["rows"]:
        if status != life_rules.MISSING or slot.kind == "year":
            continue
        quarter = slot.quarter or (slot.month - 1) // 3 + 1
        if Period(year, quarter=quarter).end >= as_of:
            continue
        parts = out.setdefault(quarter, {})
        parts[str(slot)] = parts.get(str(slot), 0) + 1
    return out


def run(activity) -> None:
    rng = activity.rng(41)
    last = activity.last
    year = (last - datetime.timedelta(days=90)).year
    as_of = rules.as_of(year, activity.today)
    weak = _weak_villages(activity)
    if not weak:
        return
    # The county's demo user decides (its id in the activity's world).
    county = get_user_model().objects.filter(pk=activity.user("county")).first()
    namer = Namer(rng)
    models = {o.pk: o for o in Organization.objects.filter(pk__in=[o.id for o in weak])}
    root = Organization.objects.get(pk=activity.world.root.id)
    setting = config.get(root, "weakorgs.missed_meetings_per_quarter")
    quarters = config.get(root, "weakorgs.missed_quarters")
    flags = 0
    for i, demo_org in enumerate(weak):
        org = models[demo_org.id]
        found = rules.meetings_missed(_missed_by_quarter(org, year, as_of), setting, quarters)
        if found is not None:
            flag, _new = Flag.objects.get_or_create(organization=org, year=year)
            Finding.objects.create(
                flag=flag,
                criterion=rules.MEETINGS_MISSED,
                source=Source.AUTO,
                evidence=found["text"],
                facts=found["facts"],
                detected_on=min(last, datetime.date(year, 10, 15)),
            )
        if found is None or rng.random() < 0.6:
            criterion, reason = HAND[i % len(HAND)]
            services.flag_by_hand(
                None,
                org,
                year=year,
                criterion=criterion,
                reason=reason,
                today=min(last, datetime.date(year, 10, 20)),
            )
        flags += 1
    # The county's decisions in November: most confirmed, the last few still pending.
    decided_on = min(last, datetime.date(year, 11, 18))
    pending_from = max(1, len(weak) - max(1, len(weak) // 5))
    for i, demo_org in enumerate(weak[:pending_from]):
        flag = Flag.objects.get(organization_id=demo_org.id, year=year)
        services.confirm(
            county,
            flag,
            note="经乡镇党委初审、县委组织部实地核查，情况属实",
            measure_kind=MEASURES[i % len(MEASURES)][0],
            measures=MEASURES[i % len(MEASURES)][1],
            guarantors=[
                {"level": level, "name": namer.person(rng.choice("mmf"), 1970), "post": post}
                for level, post in GUARANTOR_POSTS
            ],
            today=decided_on,
        )
    # One ordinary village a township raised, dismissed after checking.
    others = [
        o
        for o in activity.world.orgs
        if o.level == "village" and o.kind in rules.KINDS and o.p >= 0.66
    ]
    if others:
        org = Organization.objects.get(pk=rng.choice(others).id)
        finding = services.flag_by_hand(
            None,
            org,
            year=year,
            criterion="poor_service",
            reason="群众反映村便民服务站办事效率低",
            today=min(last, datetime.date(year, 10, 25)),
        )
        services.dismiss(
            county,
            finding.flag,
            reason="经乡镇党委核实，反映问题已整改到位，不属于软弱涣散情形",
            today=decided_on,
        )
        flags += 1
    activity.made["weak_flags"] = flags
