"""A year of serving the public for the demo county, written in bulk after the rest of the
activity: pledges to the public of the branches and about one member in seven (most done,
some not, with evidence or reasons; the current ones still open), service posts in the
communities claimed by employed members of the agencies, institutions and enterprises (each
in one home community) with their service records, cadres' household visits with the
concerns raised (most solved, a few answered, the recent ones open or in progress), proxy
service for the elderly, sick and disabled, members' suggestions with written replies
grouped after the branch meetings, village work teams and first secretaries (one extended),
and the county leaders' contact points.

The volumes are about a tenth of seed 004's year (78,900 households visited in a county of
650,000) so that the demo load stays fast; the rows are those the services accept (a closed
concern always has its outcome, a post never has more claims than places, every date
before today). Seeded by the activity's seed alone: the same database and day give the
same rows.
"""

import datetime
import decimal

from dangjian.service.models import (
    Concern,
    ConcernNote,
    ContactPoint,
    Pledge,
    PostClaim,
    ProxyRequest,
    ProxyStep,
    ServicePost,
    ServiceRecord,
    Suggestion,
    Visit,
    WorkTeam,
    WorkTeamMember,
)

DAY = datetime.timedelta(days=1)

ORG_PLEDGES = (
    ("为村内留守儿童开设周末课堂", "留守儿童"),
    ("硬化村内主街道，解决群众雨天出行难", "全体村民"),
    ("为独居老人每月上门服务一次", "独居老人"),
    ("帮助种植户联系销路，推动农产品进超市", "种植户"),
    ("整治村内坑塘和垃圾堆放点", "全体村民"),
    ("开展免费义诊和健康讲座", "群众"),
    ("落实便民服务站坐班值班，群众办事不出村", "群众"),
    ("为困难家庭学生争取助学资金", "困难家庭学生"),
)
MEMBER_PLEDGES = (
    ("结对帮扶一户困难家庭", "困难户"),
    ("带动周边农户发展特色种植", "农户"),
    ("义务调解邻里纠纷", "邻里"),
    ("为老人代购生活用品", "老人"),
    ("每月参加一次志愿服务", "群众"),
    ("义务宣传惠民政策", "群众"),
    ("帮助村里清理河道", "村民"),
)
EVIDENCE = ("已按承诺完成，群众满意", "全年完成，有活动记录", "已完成，经党员大会评议")
REASONS = ("资金未落实，结转下年", "服务对象外出务工，未能完成", "因天气原因工期推迟")
POSTS = (
    ("楼栋联络员", "联系本楼栋住户，收集意见建议"),
    ("政策宣传员", "宣传惠民政策和法律法规"),
    ("环境卫生监督岗", "督促门前三包，参加环境整治"),
    ("文明劝导岗", "在路口劝导文明出行"),
    ("关爱老人服务岗", "看望独居老人，代办小事"),
    ("矛盾调解岗", "协助调解邻里矛盾"),
    ("青少年辅导岗", "周末为社区孩子辅导功课"),
    ("平安巡逻岗", "夜间巡逻，协助维护治安"),
)
SERVICES = ("走访住户", "政策宣传", "清理卫生死角", "看望老人", "辅导功课", "夜间巡逻")
FINDINGS = (
    "家中老人身体尚好，反映冬季取暖问题",
    "种植户反映农资价格上涨，希望组织统一采购",
    "家庭收入稳定，子女在外务工",
    "户主患慢性病，需要办理慢病卡",
    "反映村东路灯损坏",
    "邻里因宅基地边界有争议",
    "希望村里增设健身器材",
)
CONCERNS = {
    "dispute": ("邻里宅基地边界纠纷", "土地承包地界争议", "赡养老人家庭矛盾"),
    "practical": ("村东头路灯损坏", "排水沟堵塞需疏通", "办理慢病卡", "修缮危房屋顶"),
    "suggestion": ("建议增设健身器材", "建议开通村村通公交", "建议组织技能培训"),
    "hardship": ("冬季取暖困难", "子女上学费用困难", "因病致贫需要救助"),
    "other": ("咨询养老保险政策", "反映网络信号差"),
}
OUTCOMES = {
    "dispute": "经村调委会调解，双方达成协议",
    "practical": "已协调有关单位办理完毕",
    "suggestion": "已研究采纳，列入工作计划",
    "hardship": "已落实救助，发放补助",
    "other": "已答复群众",
}
CATEGORY_WEIGHTS = (("dispute", 18), ("practical", 55), ("suggestion", 12), ("hardship", 10))
PROXY = (
    ("代办养老保险资格认证", "elderly"),
    ("代办残疾人证年审", "disabled"),
    ("代办新农合报销", "sick"),
    ("代办高龄补贴申请", "elderly"),
    ("代缴水电费", "weak"),
)
SUGGESTIONS = (
    ("关于发展村集体经济的建议", "集体经济"),
    ("关于修建文化广场的建议", "基础设施"),
    ("关于加强流动党员管理的建议", "党员管理"),
    ("关于整治村容村貌的建议", "人居环境"),
    ("关于开展技能培训的建议", "产业发展"),
)
UNITS = ("县人社局", "县财政局", "县农业农村局", "县交通运输局", "县卫健委", "县教体局")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强秀英丽娟明华伟红军平文杰玉兰海燕"


def _name(rng) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def _phone(rng) -> str:
    return f"0370-{rng.randint(6000000, 6999999)}"


def _day_between(rng, first, last) -> datetime.date:
    if last <= first:
        return first
    return first + rng.randint(0, (last - first).days) * DAY


def run(activity) -> None:
    w = activity.world
    last = activity.last
    year = last.year
    first = max(datetime.date(year, 1, 1), datetime.date(2025, 12, 1))
    if last < first:
        return
    branches = [
        o for o in w.orgs if o.kind in ("branch", "general_branch", "joint_branch") and o.members
    ]
    places = [o for o in branches if o.level in ("village", "community")]
    _pledges(activity, branches, year, first, last)
    _posts(activity, year, first, last)
    _visits(activity, places, first, last)
    _proxy(activity, places, first, last)
    _suggestions(activity, places, first, last)
    _teams_and_points(activity, places, first, last)


def _pledges(activity, branches, year, first, last):
    rng = activity.rng(201)
    pledges = activity_rows(
        activity,
        Pledge,
        (
            "id",
            "organization_id",
            "member_id",
            "year",
            "content",
            "beneficiary",
            "due_on",
            "status",
            "evidence",
            "reason",
            "closed_on",
        ),
    )
    member_user = activity.world.users.get("member")
    for org in branches:
        for _ in range(rng.choice((1, 1, 2))):
            content, whom = rng.choice(ORG_PLEDGES)
            _pledge(pledges, rng, org.id, None, year, content, whom, first, last)
        for person in org.members:
            if person.user_id == member_user or rng.random() < 0.15:
                content, whom = rng.choice(MEMBER_PLEDGES)
                _pledge(pledges, rng, org.id, person.id, year, content, whom, first, last)
    activity.write([("service_pledges", pledges)])


def _pledge(rows, rng, org_id, member_id, year, content, whom, first, last):
    due = datetime.date(year, rng.choice((3, 6, 9, 10, 11, 12)), 28 if rng.random() < 0.5 else 15)
    status, evidence, reason, closed = "open", "", "", None
    if due <= last:
        done_share = 0.87 if member_id is None else 0.77
        closed = min(last, due + rng.randint(-20, 5) * DAY)
        closed = max(closed, first)
        if rng.random() < done_share:
            status, evidence = "done", rng.choice(EVIDENCE)
        else:
            status, reason = "not_done", rng.choice(REASONS)
    rows.add(
        org_id,
        member_id,
        year,
        content,
        whom,
        due.isoformat(),
        status,
        evidence,
        reason,
        closed.isoformat() if closed else None,
    )


def activity_rows(activity, model, columns):
    from .activity import Rows  # activity imports this module: import it when used

    return Rows(model, columns)


def _dec(value):
    from .activity import _dec as dec

    return dec(value)


def _posts(activity, year, first, last):
    rng = activity.rng(202)
    w = activity.world
    communities = [o for o in w.orgs if o.level == "community" and o.kind != "group"]
    employed = [
        p
        for o in w.orgs
        if o.level in ("agency", "institution", "enterprise")
        for p in o.members
        if not p.is_mobile
    ]
    if not communities or not employed:
        return
    posts = activity_rows(
        activity,
        ServicePost,
        ("id", "organization_id", "year", "title", "duties", "places", "claimed", "is_open"),
    )
    claims = activity_rows(
        activity, PostClaim, ("id", "post_id", "organization_id", "member_id", "claimed_on")
    )
    records = activity_rows(
        activity,
        ServiceRecord,
        (
            "id",
            "claim_id",
            "organization_id",
            "member_id",
            "served_on",
            "hours",
            "people_served",
            "content",
        ),
    )
    by_community = {}
    for c in communities:
        for title, duties in rng.sample(POSTS, k=min(len(POSTS), rng.randint(5, 8))):
            places = rng.choice((2, 3, 5, 8))
            by_community.setdefault(c.id, []).append([title, duties, places, []])
    # About one employed member in eight reports to a home community and claims one post.
    rng.shuffle(employed)
    for person in employed[: len(employed) // 8]:
        cid = rng.choice(communities).id
        open_posts = [p for p in by_community[cid] if len(p[3]) < p[2]]
        if open_posts:
            rng.choice(open_posts)[3].append(person)
    for cid, items in by_community.items():
        for title, duties, places, people in items:
            pid = posts.add(cid, year, title, duties, places, len(people), True)
            for person in people:
                claimed = _day_between(rng, first, min(last, datetime.date(year, 4, 30)))
                claim_id = claims.add(pid, cid, person.id, claimed.isoformat())
                day = claimed
                for _ in range(rng.randint(0, 5)):
                    day = day + rng.randint(14, 45) * DAY
                    if day > last:
                        break
                    records.add(
                        claim_id,
                        cid,
                        person.id,
                        day.isoformat(),
                        _dec(decimal.Decimal(rng.choice(("1", "1.5", "2", "3", "4")))),
                        rng.randint(3, 40),
                        rng.choice(SERVICES),
                    )
    activity.write(
        [("service_posts", posts), ("service_claims", claims), ("service_records", records)]
    )


def _concern(rng, last, raised):
    category = (
        rng.choices([c for c, _w in CATEGORY_WEIGHTS], [w for _c, w in CATEGORY_WEIGHTS])[0]
        if rng.random() < 0.95
        else "other"
    )
    due = raised + rng.choice((7, 15, 30)) * DAY
    age = (last - raised).days
    status, outcome, closed = "open", "", None
    if age > 45 or (age > 7 and rng.random() < 0.6):
        if rng.random() < 0.93:
            status = "solved"
        else:
            status = "answered"
        closed = min(last, raised + rng.randint(2, 40) * DAY)
        outcome = OUTCOMES[category] if status == "solved" else "已向群众解释政策，暂不具备解决条件"
    elif age > 3 and rng.random() < 0.5:
        status = "in_progress"
    return category, rng.choice(CONCERNS[category]), due, status, outcome, closed


def _visits(activity, places, first, last):
    rng = activity.rng(203)
    visits = activity_rows(
        activity,
        Visit,
        ("id", "organization_id", "kind", "visitor", "household", "visited_on", "findings"),
    )
    concerns = activity_rows(
        activity,
        Concern,
        (
            "id",
            "organization_id",
            "visit_id",
            "category",
            "content",
            "raised_by",
            "raised_on",
            "owner",
            "due_on",
            "status",
            "outcome",
            "closed_on",
        ),
    )
    notes = activity_rows(activity, ConcernNote, ("id", "concern_id", "noted_on", "text"))
    for org in places:
        visitors = [p.name for p in org.members[:5]] or ["村干部"]
        for _ in range(rng.randint(10, 30)):
            day = _day_between(rng, first, last)
            household = _name(rng) + "家"
            vid = visits.add(
                org.id,
                "household" if rng.random() < 0.95 else "unit",
                rng.choice(visitors),
                household,
                day.isoformat(),
                rng.choice(FINDINGS),
            )
            if rng.random() < 0.2:
                category, content, due, status, outcome, closed = _concern(rng, last, day)
                cid = concerns.add(
                    org.id,
                    vid,
                    category,
                    content,
                    household[:-1],
                    day.isoformat(),
                    rng.choice(visitors),
                    due.isoformat(),
                    status,
                    outcome,
                    closed.isoformat() if closed else None,
                )
                if status != "open":
                    note_day = min(last, day + rng.randint(1, 5) * DAY)
                    notes.add(cid, note_day.isoformat(), "已联系相关人员，正在办理")
    activity.write(
        [("service_visits", visits), ("service_concerns", concerns), ("service_notes", notes)]
    )


def _proxy(activity, places, first, last):
    rng = activity.rng(204)
    rows = activity_rows(
        activity,
        ProxyRequest,
        (
            "id",
            "organization_id",
            "resident",
            "group",
            "matter",
            "handler",
            "requested_on",
            "status",
            "result",
            "done_on",
        ),
    )
    steps = activity_rows(activity, ProxyStep, ("id", "request_id", "done_on", "text"))
    for org in places:
        handlers = [p.name for p in org.members[:3]] or ["村干部"]
        for _ in range(rng.randint(0, 2)):
            matter, group = rng.choice(PROXY)
            day = _day_between(rng, first, last)
            done = day + rng.randint(1, 10) * DAY
            finished = done <= last
            rid = rows.add(
                org.id,
                _name(rng),
                group,
                matter,
                rng.choice(handlers),
                day.isoformat(),
                "done" if finished else "open",
                "已办结，材料已送回本人" if finished else "",
                done.isoformat() if finished else None,
            )
            steps.add(rid, day.isoformat(), "上门收取材料")
            if finished:
                steps.add(rid, done.isoformat(), "已办结，材料已送回本人")
    activity.write([("service_proxy", rows), ("service_proxy_steps", steps)])


def _suggestions(activity, places, first, last):
    rng = activity.rng(205)
    rows = activity_rows(
        activity,
        Suggestion,
        (
            "id",
            "organization_id",
            "member_id",
            "submitted_on",
            "title",
            "content",
            "topic",
            "meeting_on",
            "status",
            "reply",
            "replied_on",
        ),
    )
    for org in places:
        for person in org.members:
            if rng.random() > 0.04:
                continue
            title, topic = rng.choice(SUGGESTIONS)
            day = _day_between(rng, first, last)
            # Grouped at the branch assembly at the end of the quarter, replied after it.
            q_end = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 3, 25)
            grouped = q_end <= last
            replied = grouped and rng.random() < 0.85
            rows.add(
                org.id,
                person.id,
                day.isoformat(),
                title,
                f"{title[2:-3]}，建议支部研究。",
                topic if grouped else "",
                q_end.isoformat() if grouped else None,
                "replied" if replied else "open",
                "支部委员会已研究，将在下阶段工作中落实。" if replied else "",
                min(last, q_end + 5 * DAY).isoformat() if replied else None,
            )
    activity.write([("service_suggestions", rows)])


def _teams_and_points(activity, places, first, last):
    rng = activity.rng(206)
    w = activity.world
    villages = [o for o in places if o.level == "village"]
    teams = activity_rows(
        activity,
        WorkTeam,
        ("id", "organization_id", "name", "unit", "starts_on", "ends_on", "extended_to"),
    )
    people = activity_rows(
        activity, WorkTeamMember, ("id", "team_id", "name", "role", "unit", "work_phone")
    )
    for n, village in enumerate(rng.sample(villages, k=min(len(villages), 20))):
        unit = rng.choice(UNITS)
        start = datetime.date(last.year - 1, 3, 1)
        end = datetime.date(last.year + 1, 2, 28)
        tid = teams.add(
            village.id,
            f"{unit}驻{village.short()}工作队",
            unit,
            start.isoformat(),
            end.isoformat(),
            datetime.date(last.year + 2, 2, 28).isoformat() if n < 7 else None,
        )
        people.add(tid, _name(rng), "first_secretary", f"{unit}干部", _phone(rng))
        for _ in range(rng.randint(1, 2)):
            people.add(tid, _name(rng), "member", f"{unit}干部", _phone(rng))
    points = activity_rows(
        activity,
        ContactPoint,
        ("id", "organization_id", "leader_name", "leader_post", "point_id", "point_level", "since"),
    )
    county = next((o for o in w.orgs if o.level == "county"), w.root)
    towns = [o for o in w.orgs if o.level in ("township", "street") and o.kind == "committee"]
    posts = ("县委书记", "县长", "县委副书记", "组织部部长", "宣传部部长", "纪委书记", "常务副县长")
    for i, post in enumerate(posts):
        if not towns:
            break
        town = towns[i % len(towns)]
        leader = _name(rng)
        points.add(county.id, leader, post, town.id, "township", first.isoformat())
        in_town = [v for v in villages if v.path.startswith(town.path)]
        if in_town:
            points.add(
                county.id, leader, post, rng.choice(in_town).id, "village", first.isoformat()
            )
    activity.write(
        [("work_teams", teams), ("work_team_people", people), ("contact_points", points)]
    )
