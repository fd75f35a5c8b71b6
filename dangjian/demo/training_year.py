"""The demo county's year of training, written in bulk: the county's three education bases
(seed 000) with about 60 classes and some 4,200 person-times at them, a mobile Party school
lecture in every village (a Party lecture, 1–2 a member a year), two online courses with
question banks and some members' passes, and each member's hours of the year (MemberYear),
computed as the services would. Many members stay below the yearly minimum (32 class hours;
56 for secretaries and committee members), as in a real county before year end.

Seeded by the activity's seed alone: the same database and day give the same rows.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from dangjian.training.models import (
    Attendance,
    Course,
    CourseCompletion,
    EducationBase,
    MemberYear,
    Question,
    Session,
)

DAY = datetime.timedelta(days=1)
BASES = (
    ("县党员教育中心", "县城人民路18号", "集中轮训、专题培训"),
    ("红色教育基地", "城关镇烈士陵园", "革命传统教育、入党宣誓"),
    ("乡村振兴实训基地", "现代农业产业园", "致富技能、实用技术培训"),
)
BASE_TOPICS = (
    "学习贯彻党的二十大精神专题培训班",
    "村党组织书记轮训班",
    "发展党员工作业务培训",
    "党员致富带头人实用技术培训",
    "革命传统教育现场教学",
    "基层党务干部能力提升班",
)
LECTURES = ("学党章守党规", "党的创新理论进乡村", "乡村振兴政策解读", "党员先锋模范作用")
TRAINERS = ("县委党校讲师", "县委组织部干部", "乡镇党委书记", "农技推广站专家", "老党员宣讲团")
COURSES = (
    ("新《党章》逐条学", "党章的总纲和各章要点", 4),
    ("农村基层组织工作条例解读", "条例的主要内容和村党组织职责", 3),
)
QUESTIONS = (
    ("党的最高理想和最终目标是什么？", ["实现共产主义", "全面建成小康社会", "实现现代化"], 0),
    ("预备党员的预备期为几年？", ["半年", "一年", "两年"], 1),
    ("党支部党员大会一般每季度召开几次？", ["一次", "两次", "三次"], 0),
    ("党员每年集中学习培训一般不少于多少学时？", ["16", "32", "56"], 1),
    ("“三会一课”中的“一课”指什么？", ["党课", "团课", "业务课"], 0),
    ("村党组织每届任期几年？", ["三年", "四年", "五年"], 2),
)


def _rows(model, columns):
    from .activity import Rows  # activity imports this module: import it when used

    return Rows(model, columns)


def _dec(value):
    from .activity import _dec as dec

    return dec(value)


def run(activity) -> None:
    w = activity.world
    last = activity.last
    year = last.year
    first = datetime.date(year, 1, 1)
    if last < first or w.root is None:
        return
    activity.say("正在生成教育培训、参训记录和网络课程……")
    rng = activity.rng(401)
    root = w.root
    bases = _rows(
        EducationBase,
        ("id", "organization_id", "name", "address", "description", "is_active"),
    )
    base_ids = [bases.add(root.id, n, a, d, True) for n, a, d in BASES]
    sessions = _rows(
        Session,
        (
            "id",
            "organization_id",
            "topic",
            "trainer",
            "kind",
            "level",
            "base_id",
            "venue",
            "starts_on",
            "ends_on",
            "hours",
            "is_lecture",
            "attendance_count",
        ),
    )
    attendance = _rows(
        Attendance, ("id", "session_id", "member_id", "organization_id", "year", "level", "hours")
    )
    # per member: [hours, sessions, concentrated, county course]
    acc = defaultdict(lambda: [Decimal(0), 0, False, False])
    span = max(0, (last - first).days)
    people = list(w.people.values())
    # ~60 county classes at the bases, ~70 members each (seed 000: 60 classes, 4,200).
    for i in range(60):
        starts = first + rng.randint(0, span) * DAY
        days = rng.choice((1, 1, 2, 3))
        ends = min(starts + (days - 1) * DAY, last)
        days = (ends - starts).days + 1
        hours = Decimal(8 * days if rng.random() < 0.7 else 4)
        chosen = rng.sample(people, min(len(people), 70))
        sid = sessions.add(
            root.id,
            BASE_TOPICS[i % len(BASE_TOPICS)],
            rng.choice(TRAINERS),
            "base",
            "county",
            base_ids[i % 3],
            "",
            starts.isoformat(),
            ends.isoformat() if ends != starts else None,
            _dec(hours),
            False,
            len(chosen),
        )
        for p in chosen:
            attendance.add(sid, p.id, root.id, year, "county", _dec(hours))
            a = acc[p.id]
            a[0] += hours
            a[1] += 1
            a[2] = a[3] = True
    # mobile Party school: 1–2 lectures a year in every village, most of its members there.
    for org in w.orgs:
        if org.level != "village" or org.kind not in ("branch", "joint_branch", "committee"):
            continue
        members = org.sub
        if not members:
            continue
        for _ in range(rng.choice((1, 2))):
            starts = first + rng.randint(0, span) * DAY
            hours = Decimal(rng.choice((4, 4, 8)))
            present = [p for p in members if rng.random() < 0.8]
            sid = sessions.add(
                org.id,
                rng.choice(LECTURES),
                rng.choice(TRAINERS),
                "mobile_school",
                "branch",
                None,
                "村党群服务中心",
                starts.isoformat(),
                None,
                _dec(hours),
                True,
                len(present),
            )
            for p in present:
                attendance.add(sid, p.id, org.id, year, "branch", _dec(hours))
                a = acc[p.id]
                a[0] += hours
                a[1] += 1
                a[2] = True
    courses = _rows(
        Course,
        ("id", "organization_id", "title", "summary", "body", "hours", "level", "is_published"),
    )
    questions = _rows(Question, ("id", "course_id", "text", "choices", "answer"))
    completions = _rows(
        CourseCompletion,
        (
            "id",
            "course_id",
            "member_id",
            "organization_id",
            "passed_on",
            "score",
            "hours",
            "attempts",
        ),
    )
    from .activity import _json

    courses_of = defaultdict(int)
    for title, summary, hours in COURSES:
        cid = courses.add(
            root.id, title, summary, f"{title}\n\n{summary}。", _dec(Decimal(hours)), "county", True
        )
        for text, choices, answer in QUESTIONS:
            questions.add(cid, text, _json(choices), answer)
        for p in people:
            if rng.random() < 0.25:
                day = first + rng.randint(0, span) * DAY
                completions.add(
                    cid,
                    p.id,
                    p.org_id,
                    day.isoformat(),
                    rng.choice((80, 100)),
                    _dec(Decimal(hours)),
                    rng.choice((1, 1, 2)),
                )
                acc[p.id][0] += hours
                courses_of[p.id] += 1
    officers = {}
    for seat in w.seats:
        if seat.role == "group_leader" or w.by_id[seat.org_id].depth <= 1:
            continue
        officers[seat.member_id] = officers.get(seat.member_id, False) or seat.role == "secretary"
    years = _rows(
        MemberYear,
        (
            "id",
            "member_id",
            "organization_id",
            "year",
            "hours",
            "required",
            "sessions",
            "courses",
            "is_officer",
            "is_secretary",
            "concentrated",
            "county_course",
            "met",
        ),
    )
    for member_id, (hours, n, concentrated, county) in sorted(acc.items()):
        p = w.people[member_id]
        is_officer = member_id in officers
        required = 56 if is_officer else 32
        years.add(
            member_id,
            p.org_id,
            year,
            _dec(hours),
            required,
            n,
            courses_of[member_id],
            is_officer,
            officers.get(member_id, False),
            concentrated,
            county,
            hours >= required,
        )
    activity.write(
        [
            ("training_bases", bases),
            ("training_sessions", sessions),
            ("training_attendances", attendance),
            ("training_courses", courses),
            ("training_questions", questions),
            ("training_completions", completions),
            ("training_member_years", years),
        ]
    )
