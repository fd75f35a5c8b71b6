"""A year of village governance for the demo county, written in bulk (see activity.py).

Every village and community: the service station's weekly roster (two cadres a weekday,
morning and afternoon; about one in twelve leaves a weekday short of the county's minimum,
so the desk has something to flag) and the weekend turns of the coming two weeks; and two
to four major matters through the four deliberations and two disclosures, most finished,
some still on their way, a few voted down — with counts that pass the rules' quorum
(governance.rules), dates in order and nothing after yesterday.
"""

import datetime

from dangjian.governance import rules
from dangjian.governance.models import Matter, MatterStatus, MatterStep, OfficeHours
from dangjian.governance.services import PLACE_LEVELS

from .activity import Activity, Rows, _dec

DAY = datetime.timedelta(days=1)
T = datetime.time

# (category, title, content, amount in yuan or None, resolution, result)
MATTERS = (
    (
        "contract",
        "村东坑塘对外承包",
        "村东坑塘12亩对外承包五年，公开竞价，租金归村集体。",
        36000,
        "由本村村民李某以年租金7200元中标，承包期五年。",
        "承包合同已签订，首年租金7200元已入村集体账户。",
    ),
    (
        "project",
        "村集体光伏发电项目",
        "利用村委会和小学屋顶建设光伏电站，收益用于村集体经济。",
        280000,
        "同意建设60千瓦屋顶光伏电站，资金由扶持资金和村集体共同承担。",
        "电站已并网发电，当年收益1.9万元，已列入村集体收入。",
    ),
    (
        "public_works",
        "村内主干道硬化",
        "使用“一事一议”财政奖补资金硬化村内主干道1.2公里。",
        420000,
        "同意硬化村内主干道1.2公里，由镇政府统一招标施工。",
        "道路已完工并通过验收，决算金额41.6万元，明细已公开。",
    ),
    (
        "subsidy",
        "年度低保户评议",
        "评议本年度新申请低保家庭6户，复核在保家庭。",
        None,
        "同意推荐4户新申请家庭享受最低生活保障，2户不符合条件。",
        "4户已经县民政局审批，按月发放低保金。",
    ),
    (
        "contract",
        "集体林地流转",
        "村集体林地80亩流转给合作社发展林下种植。",
        64000,
        "同意流转给本村种植合作社，期限十年，每亩每年800元。",
        "流转合同已签订，首年流转费6.4万元已到账。",
    ),
    (
        "public_works",
        "村文化广场亮化",
        "在村文化广场安装太阳能路灯24盏。",
        58000,
        "同意安装太阳能路灯24盏，由村集体经济收入支出。",
        "路灯已安装完毕并投入使用，支出5.7万元，票据已公开。",
    ),
    (
        "other",
        "村规民约修订",
        "修订村规民约，增加移风易俗、红白喜事简办条款。",
        None,
        "通过修订后的村规民约，张贴上墙并入户发放。",
        "已入户发放村规民约手册，红白理事会按新规约运行。",
    ),
)
PLACES = ("村务公开栏", "村务公开栏和村民微信群", "村委会公示栏")


def _governs(org) -> bool:
    return org.level in PLACE_LEVELS and org.kind not in ("group", "temporary")


def run(act: Activity) -> None:
    rng = act.rng(40)
    w = act.world
    places = [o for o in w.orgs if _governs(o)]
    if not places:
        return
    act.say("正在生成四议两公开事项和便民服务站坐班表……")
    hours = Rows(
        OfficeHours,
        (
            "id",
            "organization_id",
            "weekday",
            "on_date",
            "member_id",
            "person_name",
            "post",
            "work_phone",
            "starts_at",
            "ends_at",
            "created_at",
        ),
    )
    matters = Rows(
        Matter,
        (
            "id",
            "organization_id",
            "title",
            "category",
            "content",
            "amount",
            "step",
            "proposed_on",
            "status",
            "created_by_id",
            "created_at",
        ),
    )
    steps = Rows(
        MatterStep,
        (
            "id",
            "matter_id",
            "step",
            "held_on",
            "body",
            "due",
            "present",
            "yes",
            "no",
            "abstain",
            "households_due",
            "households_present",
            "passed",
            "text",
            "place",
            "created_by_id",
            "created_at",
        ),
    )
    year_start = datetime.date(act.last.year, 1, 5)
    for n, org in enumerate(places):
        _roster(act, org, n, hours, rng)
        if act.last - year_start < 40 * DAY:
            continue
        for k in range(rng.choice((2, 2, 3, 3, 4))):
            _matter(act, org, n + k, year_start, matters, steps, rng)
        if org.id in act.user_orgs:
            # The demo branch has one on its way, so its desk shows the next step.
            _matter(act, org, n + 5, act.last - 30 * DAY, matters, steps, rng, upto=3)
    act.write([("office_hours", hours), ("matters", matters), ("matter_steps", steps)])


def _cadres(act: Activity, org) -> list[tuple[int | None, str, str]]:
    """(member id, name, post) of the two committees' people who staff the station."""
    w = act.world
    posts = {"secretary": "党支部书记", "deputy_secretary": "党支部副书记"}
    out = []
    for seat in org.seats:
        person = w.people.get(seat.member_id)
        if person is not None:
            out.append((person.id, person.name, posts.get(seat.role, "村“两委”委员")))
    if len(out) < 2:
        for person in org.members[:4]:
            if all(person.id != m for m, _n, _p in out):
                out.append((person.id, person.name, "村“两委”委员"))
    return out[:6]


def _roster(act: Activity, org, n: int, rows: Rows, rng) -> None:
    cadres = _cadres(act, org)
    if len(cadres) < 2:
        return
    phone = f"0370-{6100000 + n * 7 % 899999:07d}"
    now = act.dt(act.at(datetime.date(act.last.year, 1, 4), rng))
    short_day = rng.randrange(5) if rng.random() < 1 / 12 else None
    for weekday in range(5):
        first = cadres[weekday % len(cadres)]
        second = cadres[(weekday + 1) % len(cadres)]
        rows.add(
            org.id,
            weekday,
            None,
            first[0],
            first[1],
            first[2],
            phone,
            T(8, 30).isoformat(),
            T(12).isoformat(),
            now,
        )
        if weekday != short_day:
            rows.add(
                org.id,
                weekday,
                None,
                second[0],
                second[1],
                second[2],
                phone,
                T(14).isoformat(),
                T(17, 30).isoformat(),
                now,
            )
    # Weekend turns (轮流值班) of the coming two weeks, mornings.
    day, k = act.today, 0
    while day < act.today + 14 * DAY:
        if day.weekday() >= 5:
            who = cadres[(n + k) % len(cadres)]
            rows.add(
                org.id,
                None,
                day.isoformat(),
                who[0],
                who[1],
                who[2],
                phone,
                "09:00:00",
                "12:00:00",
                now,
            )
            k += 1
        day += DAY


def _matter(
    act: Activity, org, n: int, year_start, matters: Rows, steps: Rows, rng, upto=None
) -> None:
    category, title, content, amount, resolution, result = MATTERS[n % len(MATTERS)]
    span = (act.last - year_start).days
    proposed = year_start + rng.randrange(0, span - 20) * DAY
    full = sum(1 for p in org.sub if p.status == "full") or 12
    committee = max(5, min(9, len(org.seats) + 2))
    # How far it has come: most finished, recent ones on their way, a few voted down.
    age = (act.last - proposed).days
    target = rules.RESULT if age > 75 else rng.choice((1, 2, 3, 4, 5, 5, 6))
    reject_at = rng.choice((rules.MEMBERS_ASSEMBLY, rules.VILLAGERS_ASSEMBLY))
    rejected = rng.random() < 0.05
    if upto is not None:
        target, rejected = upto, False
    day = proposed
    records, status, last = [], MatterStatus.OPEN, 0
    for step in rules.STEPS[:target]:
        if step > 1:
            day += rng.randint(2, 12 if step < rules.RESULT else 40) * DAY
        if day > act.last:
            break
        fail = rejected and step == reject_at
        record = _step(step, day, org, full, committee, fail, resolution, result, rng)
        records.append(record)
        last = step
        if fail:
            status = MatterStatus.REJECTED
            break
    if not records:
        return
    if last == rules.RESULT:
        status = MatterStatus.DONE
    user = act.user_orgs.get(org.id)
    created = act.dt(act.at(proposed, rng))
    mid = matters.add(
        org.id,
        title,
        category,
        content,
        _dec(amount),
        last,
        proposed.isoformat(),
        status,
        user,
        created,
    )
    for record in records:
        held = record[1]
        steps.add(mid, record[0], held.isoformat(), *record[2:], user, act.dt(act.at(held, rng)))


def _step(step, day, org, full, committee, fail, resolution, result, rng) -> tuple:
    """(step, held_on, body, due, present, yes, no, abstain, households_due,
    households_present, passed, text, place) of one step, passing the rules' quorum."""
    none = (None,) * 8
    if step == rules.PROPOSAL:
        return (step, day, "", *none[:7], None, f"{org.short()}党组织提议，提交两委商议。", "")
    if step == rules.RESOLUTION:
        return (step, day, "", *none[:7], None, resolution, rng.choice(PLACES))
    if step == rules.RESULT:
        return (step, day, "", *none[:7], None, result, rng.choice(PLACES))
    body = ""
    if step == rules.JOINT_MEETING:
        due = committee
        present = due - rng.randint(0, 1)
        text = "村“两委”联席会议商议，形成初步方案。"
    elif step == rules.MEMBERS_ASSEMBLY:
        due = full
        present = max(-(-due * 2 // 3), due - rng.randint(0, max(1, due // 6)))
        text = "党员大会审议方案。"
    else:
        body = rules.REPRESENTATIVES
        due = rng.randint(28, 55)
        present = max(-(-due * 2 // 3), due - rng.randint(0, due // 6))
        text = "村民代表会议表决。"
    if fail:
        yes = (due if step == rules.MEMBERS_ASSEMBLY else present) // 2
        no = present - yes - 1 if present - yes > 1 else 0
    else:
        base = due if step == rules.MEMBERS_ASSEMBLY else present
        yes = min(present, base // 2 + 1 + rng.randint(0, max(0, present - base // 2 - 1)))
        no = rng.randint(0, present - yes)
    abstain = present - yes - no
    passed = not fail
    return (step, day, body, due, present, yes, no, abstain, None, None, passed, text, "")
