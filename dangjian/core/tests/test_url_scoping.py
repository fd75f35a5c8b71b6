"""Every HTML route of the site, opened by users of another subtree (issue 2).

The test walks the URL patterns with `get_resolver()`, so a route added later without a case
in `CASES` fails `test_every_route_has_a_case`. Each case names URLs that point at records of
township TB's subtree (path parameters, or ?org= for pages that take one) and says what
`branch_a1` (TA01) and `town_a` (TA) must get: 404 where the view looks the record up among
the visible ones, the page's own status where a query parameter is ignored or filtered
(their body must still be free of TB's names); list pages without parameters must show the
user's own records and none of TB's. Writes are also POSTed and must change nothing — to TB's
URLs, and to the user's own pages naming TB's organizations or records in the form. The
county admin then GETs / POSTs the same URLs and succeeds, which proves that each case
reaches a real record with a payload that works — so the test can fail.

TB's records are made once per module through the services (actor=None) and every test runs
in a savepoint inside that transaction; media go to a temporary directory.
"""

import dataclasses
import datetime
import html
import io
import zipfile
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dangjian.assessment import services as assessment
from dangjian.core import jobs
from dangjian.core.models import Reminder
from dangjian.development import services as development
from dangjian.dues import services as dues_services
from dangjian.governance import services as governance
from dangjian.health import services as health
from dangjian.life import services as life
from dangjian.members import services as member_services
from dangjian.members import transfers as member_transfers
from dangjian.members.models import Member
from dangjian.members.rules import make_id_number
from dangjian.notices import services as notices
from dangjian.orgs import services as org_services
from dangjian.points import services as points
from dangjian.reports import mappings as report_mappings
from dangjian.reports.tests.test_import import (
    MEMBER_HEADERS,
    ORG_HEADERS,
    member_row,
    org_row,
    workbook_file,
)
from dangjian.service import services as service
from dangjian.supervision import services as supervision
from dangjian.tasks import services as tasks
from dangjian.testing import add_member, build_county, member_data, run_jobs
from dangjian.training import services as training
from dangjian.village import services as village
from dangjian.weakorgs import services as weakorgs

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
MONTH = f"{TODAY:%Y-%m}"
# The year the review page opens on (life.views.reviews).
REVIEW_YEAR = TODAY.year - 1 if TODAY.month <= 3 else TODAY.year
OUTSIDERS = ("branch_a1", "town_a")

# Route prefixes that are not walked, and why:
SKIPPED_PREFIXES = (
    # Django's admin: only for staff superusers, who are unrestricted by design.
    "admin/",
    # The JSON API: dangjian/api/tests/test_scoping.py walks every API route (routes.py).
    "api/",
    # set_language: stores a language preference, shows no record.
    "i18n/",
)
# The village's public board is public by design (no login, every village's for anyone);
# dangjian/governance/tests checks that it shows nothing personal beyond names, posts and
# work phones.
PUBLIC_NAMES = {"public_board"}
# The anonymous entry points: no record behind them. The account pages (password, two-step
# login) act on the logged-in user alone and take no parameter.
SKIPPED_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:account",
    "accounts:password_change",
    "accounts:two_step_start",
    "accounts:two_step_confirm",
    "accounts:two_step_disable",
    "accounts:two_step_qr",
}

# What would betray TB's records if an outsider's page, file or export contained it.
TB_NAMES = (
    "乙镇党委",
    "乙一村党支部",
    "乙一村第一党小组",
    "钱乙秘",
    "孙乙谈",
    "乙村主题党日",
    "乙村会议计划",
    "乙村合影",
    "乙村谈心",
    "乙镇镇长",
    "乙镇企业",
    "乙镇交办单",
    "乙镇交办内容",
    "乙村晒账",
    "乙村账单",
    "乙镇目标责任书",
    "乙镇发展党员",
    "乙镇例会纪要",
    "乙村书记项目",
    "乙村品牌",
    "乙村成效",
    "乙镇通报",
    "乙村议事",
    "乙村值班员",
    "乙村软弱涣散",
    "乙村整改问题",
    "乙镇包保人",
    "乙村整改进展",
    "乙镇督查计划",
    "乙镇督查员",
    "乙村约谈人",
    "TB-EVIDENCE-BYTES",
    "乙镇社区党支部",
    "乙村承诺",
    "乙村走访户",
    "乙村民情",
    "乙村代办对象",
    "乙村代办事项",
    "乙村建议",
    "乙村工作队",
    "乙村队员",
    "乙社区岗位",
    "乙社区服务",
    "乙镇联系领导",
    "乙镇考核方案",
    "乙村督查理由",
    "TB-ATTACHMENT-BYTES",
    "TB-REPORT-FILE-BYTES",
    "TB-PHOTO-BYTES",
    "乙村培训",
    "乙镇课程",
    "乙组转001",
    "乙村外出地",
    "乙镇映射",
    "乙村活动场所",
    "乙村村委主任",
    "乙村申请人",
    "TB-DEVELOPMENT-BYTES",
    "乙村致富能手",
)


# ---- the walk -------------------------------------------------------------------------------


def walk(resolver=None, prefix="", namespace=""):
    """(route, "namespace:name") of every URL pattern, through includes."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern, route, ns)
        elif isinstance(pattern, URLPattern):
            # An unnamed route shows as "namespace:" and needs a case (or a name) too.
            yield route, namespace + (pattern.name or "")


def walked_names() -> set[str]:
    return {
        name
        for route, name in walk()
        if not route.startswith(SKIPPED_PREFIXES) and name not in SKIPPED_NAMES | PUBLIC_NAMES
    }


# ---- the world: a record of every kind in TB's subtree, and a few in TA01 -------------------


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


ASSESSMENT_INDICATORS = [
    {
        "code": "meetings",
        "name": "组织生活",
        "method": "computed",
        "source": "life.meeting_compliance",
        "weight": "50",
    },
    {"code": "work", "name": "工作实绩", "method": "hand", "weight": "50"},
]


def assessment_rows(weights=("50", "50")):
    rows = [dict(r, weight=w) for r, w in zip(ASSESSMENT_INDICATORS, weights, strict=True)]
    return {
        f"ind_{f}": [r.get(f, "") for r in rows]
        for f in ("code", "name", "method", "source", "weight", "zero_at", "full_at")
    }


def build_world(county) -> SimpleNamespace:
    root, town_a, town_b = county.root, county.town_a, county.town_b
    ta01, tb01 = county.village_a1, county.village_b1
    tb = SimpleNamespace(org=town_b, branch=tb01)
    ta = SimpleNamespace(org=town_a, branch=ta01)
    tb.group = org_services.create_child(
        tb01, code="TB0101", name="乙一村第一党小组", kind="group", level="village"
    )
    tb.secretary = add_member(tb01, name="钱乙秘")
    tb.member = add_member(tb01, name="孙乙谈")
    ta.secretary = add_member(ta01, name="赵甲秘")
    ta.member = county.members["TA01"][1]

    # Officers: TB01's by an election, TA01's by an appointment.
    voters = tb01.members.filter(status="full").count()
    tb.election = health.record_election(
        tb01,
        held_on=TODAY - 30 * DAY,
        seats=1,
        voters=voters,
        present=voters,
        votes={tb.secretary: voters},
        secretary=tb.secretary,
    )
    tb.officer = tb01.officers.get(member=tb.secretary)
    org_services.appoint_officer(ta01, ta.secretary, "secretary", term_start=TODAY - 30 * DAY)

    # Organizational life.
    for side, org, topic, file in (
        (tb, tb01, "乙村主题党日", upload("乙村合影.jpg", b"TB-ATTACHMENT-BYTES")),
        (ta, ta01, "甲村主题党日", upload("甲村合影.jpg", b"TA-ATTACHMENT-BYTES")),
    ):
        side.meeting = life.record_meeting(
            org,
            kind="theme_day",
            held_on=TODAY,
            topic=topic,
            host=side.secretary,
            attendance=[(m.pk, "present", "") for m in life.eligible_attendees(org)],
            attachments=[file],
        )
        side.attachment = side.meeting.attachments.get()
        side.plan = life.plan_meeting(
            org, kind="theme_day", planned_on=TODAY + 7 * DAY, topic=f"{topic[:2]}会议计划"
        )
        # A late entry (补录), so that the county's approval probe has something to do.
        type(side.meeting).objects.filter(pk=side.meeting.pk).update(late_entry=True)
        life.record_reviews(
            org, REVIEW_YEAR, {side.secretary.pk: ("qualified", "", "")}, reviewed_on=TODAY
        )
        side.talk = life.record_talk(
            org,
            held_on=TODAY,
            initiator=side.secretary,
            counterpart=side.member,
            topic=topic[:2] + "谈心",
        )
    tb.leader = life.register_leader(tb.member, title="乙镇镇长")
    ta.leader = life.register_leader(ta.member, title="甲镇镇长")

    # Coverage: a unit in each township's register.
    tb.unit = health.save_unit(
        town_b,
        name="乙镇企业",
        sector="private_enterprise",
        employees=50,
        full_members=5,
        coverage="own",
        covering_organization=tb01,
    )
    ta.unit = health.save_unit(
        ta01, name="甲村企业", sector="private_enterprise", employees=5, coverage="none"
    )

    # Tasks: an assignment issued by each township, TB01's report-back with a file.
    for side, org, prefix in ((tb, town_b, "乙镇"), (ta, town_a, "甲镇")):
        side.assignment = tasks.issue(
            org,
            title=f"{prefix}交办单",
            content=f"{prefix}交办内容",
            starts_on=TODAY,
            deadline=TODAY + 10 * DAY,
            receivers={"mode": "subtree"},
            fields=[{"key": "n", "label": "参加人数", "type": "integer"}],
        )
    tb.report_back = tb.assignment.report_backs.get(organization=tb01)
    tasks.report(
        tb.report_back,
        values={"n": "3"},
        text="乙村晒账说明",
        files=[upload("乙村账单.pdf", b"%PDF TB-REPORT-FILE-BYTES", "application/pdf")],
    )
    tb.file = tb.report_back.files.get()
    # The county's assignment to TB, which TB may relay (转办) to TB01.
    tb.relayable = tasks.issue(
        root,
        title="县里交乙镇办",
        content="乙镇转办内容",
        starts_on=TODAY,
        deadline=TODAY + 10 * DAY,
        receivers={"mode": "orgs", "codes": ["TB"]},
    ).report_backs.get()

    # Pledges: the county's to TB, TA's to TA01.
    tb.pledge = tasks.create_pledge(
        root,
        town_b,
        year=TODAY.year,
        title="乙镇目标责任书",
        targets=[{"text": "乙镇发展党员", "kind": "number", "target_value": 10, "unit": "人"}],
    )
    tb.target = tb.pledge.targets.get()
    ta.pledge = tasks.create_pledge(
        town_a,
        ta01,
        year=TODAY.year,
        title="甲村目标责任书",
        targets=[{"text": "甲村发展党员", "kind": "number", "target_value": 2, "unit": "人"}],
    )

    # Work meetings and secretary projects.
    tb.work_meeting = tasks.record_work_meeting(
        town_b, held_on=TODAY, month=MONTH, notes="乙镇例会纪要", assignments=[tb.assignment]
    )
    ta.work_meeting = tasks.record_work_meeting(
        ta01, held_on=TODAY, month=MONTH, notes="甲村例会纪要"
    )
    for side, org, prefix in ((tb, tb01, "乙村"), (ta, ta01, "甲村")):
        side.project = tasks.create_project(
            org,
            secretary=side.secretary,
            year=TODAY.year,
            title=f"{prefix}书记项目",
            goal=f"{prefix}项目目标",
            brand=f"{prefix}品牌",
            items=[(MONTH, f"{prefix}月度计划")],
        )
        # Its plan item (`item` is supervision's rectification item, below).
        side.plan_item = side.project.items.get()
    tasks.update_project(
        tb.project, results="乙村成效", photos=[upload("乙村成效.jpg", b"TB-PHOTO-BYTES")]
    )
    tb.photo = tb.project.photos.get()
    # Notices: one of each township's.
    for side, org, prefix in ((tb, town_b, "乙镇"), (ta, town_a, "甲镇")):
        side.notice = notices.issue_notice(
            None,
            issuer=org,
            kind="inspection",
            title=f"{prefix}通报",
            sections=[{"heading": "情况", "paragraphs": [f"{prefix}通报正文"]}],
        )
    # Village governance: a matter and a duty-roster entry of each village.
    for side, org, prefix in ((tb, tb01, "乙村"), (ta, ta01, "甲村")):
        side.matter = governance.create_matter(
            None, org, title=f"{prefix}议事", category="project", content=f"{prefix}议事内容"
        )
        side.office_hours = governance.add_office_hours(
            None,
            org,
            person_name=f"{prefix}值班员",
            post="村委委员",
            work_phone="0571-1234567",
            starts_at="08:30",
            ends_at="17:30",
            weekday=0,
        )
    # Supervision: a rectification item of each village (overdue, so with a red order), its
    # progress with a file, each township's plan and inspection, an interview.
    for side, org, town, prefix, town_prefix in (
        (tb, tb01, town_b, "乙村", "乙镇"),
        (ta, ta01, town_a, "甲村", "甲镇"),
    ):
        side.rect_item = supervision.create_rectification_item(
            None,
            organization=org,
            problem=f"{prefix}整改问题",
            deadline=TODAY - 10 * DAY,
            guarantors=[{"level": "township", "name": f"{town_prefix}包保人", "post": "副书记"}],
            today=TODAY - 40 * DAY,
        )
        note = supervision.add_progress(
            None,
            side.rect_item,
            text=f"{prefix}整改进展",
            files=[upload(f"{prefix}佐证.pdf", b"TB-EVIDENCE-BYTES", "application/pdf")],
            today=TODAY,
        )
        side.progress_file = note.files.get()
        side.sup_plan = supervision.create_plan(
            None,
            town,
            kind="inspection",
            title=f"{town_prefix}督查计划",
            starts_on=TODAY - 60 * DAY,
            ends_on=TODAY + 30 * DAY,
        )
        side.inspection = supervision.record_inspection(
            None, side.sup_plan, held_on=TODAY, inspectors=f"{town_prefix}督查员", today=TODAY
        )
        side.interview = supervision.record_interview(
            None,
            org,
            item=side.rect_item,
            held_on=TODAY,
            interviewers=f"{town_prefix}书记",
            interviewees=f"{prefix}约谈人",
            content="整改进度慢",
            outcome="限期整改",
            today=TODAY,
        )
    supervision.issue_overdue_orders(TODAY)
    tb.order = tb.rect_item.order
    # Serving the public: a record of every kind in TB's subtree, and TA01's own.
    tb.community = org_services.create_child(
        town_b, code="TB03", name="乙镇社区党支部", kind="branch", level="community"
    )
    for side, org, town, prefix in ((tb, tb01, town_b, "乙村"), (ta, ta01, town_a, "甲村")):
        side.public_pledge = service.make_pledge(
            None, org, content=f"{prefix}承诺", beneficiary="群众", due_on=TODAY + 10 * DAY
        )
        side.visit = service.record_visit(
            None,
            org,
            visitor="走访人",
            household=f"{prefix}走访户",
            visited_on=TODAY,
            findings="走访情况",
            concerns=[
                {
                    "category": "dispute",
                    "content": f"{prefix}民情",
                    "owner": "调解员",
                    "due_on": TODAY + 5 * DAY,
                }
            ],
        )
        side.concern = side.visit.concerns.get()
        side.proxy = service.open_proxy(
            None,
            org,
            resident=f"{prefix}代办对象",
            group="elderly",
            matter=f"{prefix}代办事项",
            handler="会计",
        )
        side.suggestion = service.submit_suggestion(
            None, side.member, title=f"{prefix}建议", content="建议内容"
        )
        side.team = service.send_work_team(
            None,
            org,
            name=f"{prefix}工作队",
            unit="县直单位",
            starts_on=TODAY - 30 * DAY,
            ends_on=TODAY + 300 * DAY,
            people=[{"name": f"{prefix}队员", "role": "leader", "work_phone": "0370-1234567"}],
        )
        side.contact_point = service.add_contact_point(
            None,
            town,
            leader_name=f"{prefix[0]}镇联系领导",
            leader_post="镇长",
            point=org,
            since=TODAY,
        )
    tb.post = service.publish_post(None, tb.community, title="乙社区岗位", duties="职责", places=5)
    tb.claim = service.claim_post(None, tb.post, tb.member)
    service.record_service(
        None, tb.claim, served_on=TODAY, hours=2, people_served=3, content="乙社区服务"
    )
    # Training: a session of each village with its attendance; a published course of TB.
    for side, org, name in ((tb, tb01, "乙村培训"), (ta, ta01, "甲村培训")):
        side.training_session = training.record_session(
            None,
            org,
            topic=name,
            trainer="讲师",
            kind="mobile_school",
            level="branch",
            starts_on=TODAY,
            hours="4",
            venue="村部",
            is_lecture=True,
            attendees=[side.member],
        )
    tb.training_course = training.create_course(
        None, town_b, title="乙镇课程", hours="2", body="乙镇课程内容"
    )
    training.add_question(None, tb.training_course, text="题", choices=["对", "错"], answer=0)
    training.publish_course(None, tb.training_course)
    # Assessment: a scheme of each township, its assessment of the year computed; a hand
    # score of TB01 (the ranking is then recomputed, so TB's may be published).
    for side, org, prefix in ((tb, town_b, "乙镇"), (ta, town_a, "甲镇")):
        side.scheme = assessment.create_scheme(
            None,
            org,
            name=f"{prefix}考核方案",
            period_kind="year",
            indicators=ASSESSMENT_INDICATORS,
        )
        side.assessment = assessment.open_assessment(None, side.scheme, str(TODAY.year))
    assessment.record_hand_score(
        None,
        organization=tb01,
        period=str(TODAY.year),
        indicator_code="work",
        score=40,
        reason="乙村督查理由",
    )
    for side in (tb, ta):
        assessment.compute(side.assessment)
    # Points: the county's scheme, last year's and this year's points computed.
    for year in (TODAY.year - 1, TODAY.year):
        points.save_scheme(
            None, root, year, [{"source": "life.attendance.theme_day", "points": 2, "cap": 24}]
        )
        points.compute_year(root, year)
    # Weak organizations: TB01 flagged by hand this year and confirmed (its rectification
    # item made after supervision's, whose ids the probes above rely on), and last year
    # (pending, for the county's decision probe).
    tb.weak_flag = weakorgs.flag_by_hand(
        None, tb01, year=TODAY.year, criterion="team_divided", reason="乙村软弱涣散：班子不和"
    ).flag
    weakorgs.confirm(None, tb.weak_flag)
    tb.old_weak_flag = weakorgs.flag_by_hand(
        None, tb01, year=TODAY.year - 1, criterion="vote_buying", reason="乙村软弱涣散：拉票"
    ).flag
    # Transfers and mobile members (members.transfers): an open letter of each side, inside
    # its township; a mobile record of each side's member.
    for side, to, number, place in (
        (tb, tb.group, "乙组转001", "乙村外出地"),
        (ta, county.village_a2, "甲组转001", "甲村外出地"),
    ):
        side.members_transfer = member_transfers.issue(
            side.member, to=to, letter_number=number, issued_on=TODAY
        )
        side.members_mobile = member_transfers.start_mobile(
            side.member, place=place, since=TODAY - 30 * DAY, contact_member=side.secretary
        )
    # Column mappings of rosters from elsewhere (reports.mappings), one of each township.
    for side, org, name in ((tb, town_b, "乙镇映射"), (ta, town_a, "甲镇映射")):
        side.reports_mapping = report_mappings.save_mapping(
            None,
            org,
            name=name,
            columns=report_mappings.mapping.suggest(MEMBER_HEADERS),
            headers=MEMBER_HEADERS,
        )
    # Venues and cadre pay: the county's pay rule of this year and next; each side's venue
    # and its pay sheet of the year, with a director added by hand.
    for year in (TODAY.year, TODAY.year + 1):
        village.save_pay_rule(
            None,
            root,
            year=year,
            income_year=year - 1,
            income="8437.50",
            multiple="1.92",
            posts=[{"post": "secretary", "ratio": "1.00"}, {"post": "director", "ratio": "0.80"}],
        )
    for side, org, prefix in ((tb, tb01, "乙村"), (ta, ta01, "甲村")):
        side.village_venue = village.save_venue(
            None, org, address=f"{prefix}活动场所", building_area="300", has_site=True
        )
        side.village_sheet = village.prepare_sheet(None, org, year=TODAY.year)
        village.add_line(None, side.village_sheet, name=f"{prefix}村委主任", post="director")
    # Development: an applicant of TB01 (and one of TA01, the outsiders' own).
    tb.development_candidacy = development.apply(
        None,
        tb01,
        name="乙村申请人",
        id_number=make_id_number("411423", datetime.date(1998, 4, 2), 881, "m"),
        education="college",
        category="rural",
        applied_on=TODAY - 5 * DAY,
    )
    filed = development.apply(
        None,
        tb01,
        name="乙村申请人",
        id_number=make_id_number("411423", datetime.date(1998, 4, 2), 884, "m"),
        education="college",
        category="rural",
        applied_on=TODAY - 5 * DAY,
    )
    development.record_step(
        None,
        filed,
        number=2,
        done_on=TODAY,
        files=[SimpleUploadedFile("乙村谈话记录.pdf", b"TB-DEVELOPMENT-BYTES")],
    )
    tb.development_file = filed.steps.get(number=2).files.get()
    tb.development_cultivation = development.add_cultivation(
        None, tb01, name="乙村致富能手", stage="leader", since=TODAY - 30 * DAY
    )
    ta.development_candidacy = development.apply(
        None,
        ta01,
        name="甲村申请人",
        id_number=make_id_number("411423", datetime.date(1998, 4, 2), 882, "m"),
        education="college",
        category="rural",
        applied_on=TODAY - 5 * DAY,
    )
    # Dues: this month's ledger of the county (TB01's rows and TA01's).
    dues_services.open_months(None, root, TODAY)
    tb.dues_month = f"{TODAY:%Y-%m}"
    members = Member.objects.filter(organization__path__startswith=town_b.path)
    secrets = [*TB_NAMES, *(m.id_number for m in members), *(m.phone for m in members)]
    # A background job the county admin started on TB: only its own user may see its page.
    tb.job = jobs.start(
        "import",
        "dangjian.core.jobs.daily_reminders",
        county.users["county"],
        organization=town_b,
        title="导入党员：乙镇党委",
        day=TODAY.isoformat(),
    )
    # Finished already (the worker passes it over): its page shows the result, TB's name.
    tb.job.status, tb.job.result = "done", {"summary": "乙镇党委：导入成功"}
    tb.job.save()
    tb.reminder = Reminder.objects.create(
        organization=tb01,
        key="scoping:tb",
        text="乙村提醒",
        due_on=TODAY + datetime.timedelta(days=10),
    )
    return SimpleNamespace(county=county, tb=tb, ta=ta, secrets=secrets, username=None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module in an outer transaction; each test runs in a savepoint
    inside it (like TestCase.setUpTestData), and the whole is rolled back at the end."""
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                world = build_world(build_county())
            except BaseException:
                outer.__exit__(None, None, None)
                raise
        yield world
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# ---- reading responses and the database -----------------------------------------------------


def body_of(response) -> str:
    """The text of a page, a file, or an .xlsx export (its XML parts)."""
    if response.streaming:
        # Exhausting it closes the response (the test client wraps it); closing it again
        # would fire request_finished, which closes the database connection.
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        # openpyxl writes non-ASCII text as character references (&#20057;).
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        return html.unescape(xml)
    return content.decode("utf-8", "replace")


def leaks(text, world) -> list[str]:
    return [secret for secret in world.secrets if secret in text]


PROJECT_APPS = {
    "core",
    "accounts",
    "orgs",
    "members",
    "life",
    "tasks",
    "reports",
    "health",
    "notices",
    "governance",
    "weakorgs",
    "supervision",
    "service",
    "assessment",
    "points",
    "training",
    "village",
}
# A POST that queues a background job records the job itself; what the job then writes (or
# does not) is what counts, so these rows are not compared.
JOB_BOOKKEEPING = {"core.Job", "core.ScheduledRun"}


def database_state() -> dict:
    """Every row of the project's tables (audit events included), to prove nothing changed.
    Raw SQL: the ORM would cost more than the pages under test."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label in JOB_BOOKKEEPING:
                continue
            if model._meta.app_label in PROJECT_APPS:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
                state[model._meta.label] = cursor.fetchall()
    return state


# ---- the cases --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Probe:
    """One URL, and what users of another subtree and the county admin get from it.

    `status` / `post_status`: for branch_a1 and town_a (an int, or {username: int}).
    `own`: text of the user's own subtree the page must show (list pages).
    `post`: a payload (built per request; `w.username` is the poster). Outsiders' POST must
    change nothing; the county's must answer `county_post` and, if that is not an error,
    change something — so the payload is known to work.
    `county_sees`: the county's page names a TB record (false for pages that show none).
    `echo`: what the user typed into a search box, which the page may repeat.
    `job`: the POST queues a background job: its answer must be the redirect to the job's
    page; the worker then runs the job, and the status and text are those of that page.
    """

    url: Callable
    status: int | dict = 404
    county: int = 200
    own: str | dict | None = None
    post: Callable | None = None
    post_status: int | dict | None = None
    county_post: int = 302
    county_sees: bool = True
    follow: bool = False
    echo: str | None = None
    job: bool = False


def per_user(value, username):
    return value[username] if isinstance(value, dict) else value


def u(name, *args, query=""):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args]) + query


def pk(path):
    """lambda w: w.<path>.pk"""
    return lambda w: _get(w, path).pk


def _get(w, path):
    for part in path.split("."):
        w = getattr(w, part)
    return w


def date(days=0):
    return (TODAY + days * DAY).isoformat()


def member_form(data, **changes):
    """A member form's POST data from model-like field values."""
    out = {}
    for field in member_services.FIELDS:
        value = {**data, **changes}.get(field)
        if isinstance(value, bool):
            if value:
                out[field] = "on"
            continue
        out[field] = value.isoformat() if hasattr(value, "isoformat") else value or ""
    out["tags"] = ""
    return out


def edit_member(w):
    m = w.tb.secretary
    return member_form(
        {f: getattr(m, f) for f in member_services.FIELDS}, id_number="", phone="13911112222"
    )


def new_member(w):
    return member_form(member_data(name="李乙新"))


def import_file(kind):
    """An .xlsx file adding a member to TB01, or an organization under TB."""
    if kind == "members":
        return workbook_file(MEMBER_HEADERS, [member_row("TB01")])
    return workbook_file(ORG_HEADERS, [org_row("TB09", "乙九村党支部", "TB")])


def election(w):
    voters = w.tb.branch.members.filter(status="full").count()
    return {
        "held_on": date(),
        "seats": 1,
        "voters": voters,
        "present": voters,
        "secretary": "孙乙谈",
        "deputy": "",
        "note": "",
        "cand_1": "孙乙谈",
        "votes_1": voters,
    }


UNIT = {
    "name": "乙镇新企业",
    "sector": "private_enterprise",
    "employees": 10,
    "full_members": 0,
    "coverage": "none",
    "covering_organization": "",
    "instructor": "",
}


def issue_form(issuer):
    return {
        "issuer": issuer,
        "title": "新交办单",
        "content": "内容",
        "starts_on": date(),
        "deadline": date(5),
        "mode": "subtree",
        "attachments_required": 0,
        "board_shared": "on",
        "fields-TOTAL_FORMS": 0,
        "fields-INITIAL_FORMS": 0,
    }


def pledge_form(issuer, organization):
    return {
        "issuer": issuer,
        "organization": organization,
        "year": TODAY.year + 1,
        "title": "新目标责任书",
        "targets-TOTAL_FORMS": 1,
        "targets-INITIAL_FORMS": 0,
        "targets-0-text": "新目标",
        "targets-0-target_value": "5",
        "targets-0-unit": "个",
    }


def project_form(w):
    return {
        "secretary": w.tb.secretary.pk,
        "year": TODAY.year + 1,
        "title": "乙村新项目",
        "goal": "目标",
        "brand": "",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
    }


def work_meeting_form(org):
    return {"organization": org, "held_on": date(), "month": MONTH, "notes": "新纪要"}


# The TB URLs of the organization health pages, and of the organizational-life pages.
HEALTH_PAGES = [
    "setup",
    "setup_export",
    "elections",
    "elections_export",
    "coverage",
    "coverage_export",
]
LIFE_ORG_PAGES = [
    "calendar",
    "meetings",
    "meetings_export",
    "reviews_export",
    "talks_export",
    "participation_export",
]
TB_OWN_SIDE = {"branch_a1": "甲一村党支部", "town_a": "甲镇党委"}
HOME = {"branch_a1": "TA01", "town_a": "TA", "county": "T"}

# Every walked route name → its probes. A new route fails test_every_route_has_a_case until
# it is added here with URLs that point at TB's records.
CASES: dict[str, list[Probe]] = {
    # ---- organizations ----
    # The desk shows the user's own work only: nothing of TB for the others.
    "desk:home": [Probe(u("desk:home"), status=200, county_sees=False)],
    "desk:reminders": [Probe(u("desk:reminders"), status=200, county_sees=False)],
    "desk:reminder_read": [
        # POST only; a reminder of another organization's is not found, the county's too
        # (reminders are read by the officers of the organization they remind).
        Probe(
            u("desk:reminder_read", pk("tb.reminder")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
            county_post=404,
        ),
    ],
    "orgs:home": [Probe(u("orgs:home"), status=200, own="甲一村党支部", follow=True)],
    "orgs:detail": [Probe(u("orgs:detail", c)) for c in ("TB", "TB01", "TB0101")],
    "orgs:children": [Probe(u("orgs:children", "TB"))],
    # The picker's suggestions: by name, by pinyin initials (乙镇党委 → yzdw), by code.
    "orgs:pick": [
        Probe(u("orgs:pick", query=f"?q={q}"), status=200) for q in ("乙", "yzdw", "yyc", "TB")
    ],
    "orgs:add_child": [
        Probe(
            u("orgs:add_child", "TB"),
            post=lambda w: {
                "code": "TB02",
                "name": "乙二村党支部",
                "kind": "branch",
                "sector": "rural",
                "level": "village",
            },
        ),
    ],
    "orgs:edit": [
        Probe(
            u("orgs:edit", "TB01"),
            post=lambda w: {
                "code": "TB01",
                "name": "乙一村党支部（改）",
                "kind": "branch",
                "sector": "rural",
                "level": "village",
            },
        ),
    ],
    "orgs:move": [
        # TB01 pulled under TA, ...
        Probe(u("orgs:move", "TB01"), post=lambda w: {"parent": "TA"}),
        # ... and TA01 pushed under TB (only town_a may move TA01 at all).
        Probe(
            u("orgs:move", "TA01"),
            status={"branch_a1": 403, "town_a": 200},
            county_sees=False,
            post=lambda w: {"parent": "TB"},
            post_status={"branch_a1": 403, "town_a": 200},
        ),
    ],
    "orgs:dissolve": [
        Probe(
            u("orgs:dissolve", "TB0101"), post=lambda w: {"dissolved_on": date(), "reason": "合并"}
        ),
    ],
    "members:appoint": [
        Probe(
            u("members:appoint", "TB01"),
            post=lambda w: {"member": "孙乙谈", "role": "deputy_secretary", "term_start": date()},
        ),
    ],
    **{f"health:{page}": [Probe(u(f"health:{page}", "TB"))] for page in HEALTH_PAGES},
    "health:setup_approve": [
        # TB01 has no such flag, so the county's POST would change nothing: GET only.
        Probe(u("health:setup_approve", "TB01", "branch_too_large"), county_sees=False)
    ],
    "health:term_change": [
        # TB01's term is not recorded in the test county, so a POST would change nothing.
        Probe(u("health:term_change", "TB01"), county_sees=False)
    ],
    "health:election_new": [Probe(u("health:election_new", "TB01"), post=election)],
    "health:unit_new": [Probe(u("health:unit_new", "TB"), post=lambda w: UNIT)],
    "health:unit_edit": [
        Probe(
            u("health:unit_edit", "TB", pk("tb.unit")),
            post=lambda w: {**UNIT, "name": "乙镇企业（改）"},
        ),
        # The user's own organization with TB's unit: the unit is looked up under the code.
        Probe(u("health:unit_edit", "TA01", pk("tb.unit")), county=404),
    ],
    # ---- members ----
    "members:list": [
        Probe(u("members:list"), status=200, own="赵甲秘"),
        # The search box repeats what was typed; no row may match it.
        Probe(u("members:list", query="?q=钱乙秘"), status=200, echo="钱乙秘"),
        # Every member's phone starts with 139; a number prefix finds nobody (no oracle).
        Probe(u("members:list", query="?q=139"), status=200, county_sees=False),
        *(
            Probe(u("members:list", query=q), status=200)
            for q in ("?org=TB01", "?org=TB01&include_removed=1", "?org=TB&status=full")
        ),
    ],
    "members:detail": [Probe(u("members:detail", pk("tb.secretary")))],
    "members:history": [Probe(u("members:history", pk("tb.secretary")))],
    # The signed-in member's own history: none of these users has a member record.
    "members:mine": [Probe(u("members:mine"), county=404, county_sees=False)],
    "members:edit": [Probe(u("members:edit", pk("tb.secretary")), post=edit_member)],
    "members:move": [
        Probe(
            u("members:move", pk("tb.secretary")),
            post=lambda w: {"organization": "TA01", "moved_on": date(), "reason": "转入"},
        ),
        # The user's own member moved into TB01: an unknown code.
        Probe(
            u("members:move", pk("ta.member")),
            status=200,
            county_sees=False,
            post=lambda w: {"organization": "TB01", "moved_on": date(), "reason": "转出"},
            post_status=200,
        ),
    ],
    "members:remove": [
        Probe(
            u("members:remove", pk("tb.secretary")),
            post=lambda w: {"removed_on": date(), "removed_reason": "转出本县"},
        ),
    ],
    "members:create": [Probe(u("members:create", "TB01"), post=new_member)],
    # ---- transfers and mobile members ----
    "members:transfers": [
        Probe(u("members:transfers", "TB01")),
        Probe(u("members:transfers", "TB")),
        Probe(u("members:transfers", "TA01"), status=200, own="甲组转001", county_sees=False),
    ],
    "members:transfers_export": [
        Probe(u("members:transfers_export", "TB01")),
        Probe(
            u("members:transfers_export", "TA01"), status=200, own="甲组转001", county_sees=False
        ),
    ],
    "members:transfer_issue": [
        Probe(
            u("members:transfer_issue", pk("tb.secretary")),
            post=lambda w: {
                "to_organization": "TB0101",
                "letter_number": "乙组转002",
                "issued_on": date(),
            },
        ),
    ],
    "members:transfer_in": [
        Probe(
            u("members:transfer_in", "TB01"),
            post=lambda w: {
                **member_form(member_data(name="李乙转")),
                "outside_name": "郑州市某支部",
                "letter_number": "郑转1号",
                "issued_on": date(),
                "received_on": date(),
            },
        ),
    ],
    "members:transfer": [Probe(u("members:transfer", pk("tb.members_transfer")))],
    "members:transfer_act": [
        # POST only; the receiving organization's managers (the county here) confirm.
        Probe(
            u("members:transfer_act", pk("tb.members_transfer"), "confirm"),
            status=405,
            county=405,
            post=lambda w: {"on": date()},
            post_status=404,
        ),
    ],
    "members:mobile": [
        Probe(u("members:mobile", "TB01")),
        Probe(u("members:mobile", "TA01"), status=200, own="甲村外出地", county_sees=False),
    ],
    "members:mobile_export": [
        Probe(u("members:mobile_export", "TB01")),
        Probe(u("members:mobile_export", "TA01"), status=200, own="甲村外出地", county_sees=False),
    ],
    "members:mobile_start": [
        Probe(
            u("members:mobile_start", pk("tb.secretary")),
            post=lambda w: {
                "place": "上海市",
                "since": date(-10),
                "contact_name": "李四",
                "contact_phone": "13900002222",
            },
        ),
    ],
    "members:mobile_end": [
        Probe(
            u("members:mobile_end", pk("tb.members_mobile")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
        ),
    ],
    # ---- history ----
    "core:history": [
        Probe(u("core:history", kind, pk(path)))
        for kind, path in (
            ("organization", "tb.org"),
            ("orgs.organization", "tb.branch"),
            ("member", "tb.secretary"),
            ("members.member", "tb.member"),
            ("officer", "tb.officer"),
            ("meeting", "tb.meeting"),
            ("talk", "tb.talk"),
            ("assignment", "tb.assignment"),
            ("report_back", "tb.report_back"),
            ("pledge", "tb.pledge"),
            ("project", "tb.project"),
            ("unit", "tb.unit"),
            ("public_pledge", "tb.public_pledge"),
            ("concern", "tb.concern"),
            ("weak_flag", "tb.weak_flag"),
        )
    ],
    # ---- background jobs: only the user who started one sees it ----
    "jobs:detail": [Probe(u("jobs:detail", pk("tb.job")))],
    "jobs:progress": [Probe(u("jobs:progress", pk("tb.job")))],
    # ---- import and export ----
    "reports:template": [
        Probe(u("reports:template", kind), status=200, county_sees=False)
        for kind in ("members", "organizations")
    ],
    "reports:import": [
        *(
            Probe(
                u("reports:import", kind, query="?org=TB"),
                county_post=200,
                post=lambda w, kind=kind: {"org": "TB", "file": import_file(kind)},
                job=True,
            )
            for kind in ("members", "organizations")
        ),
        # A file naming TB's organizations, imported into the user's own organization: TB01
        # (TB) is out of scope for outsiders; into the county it is imported.
        *(
            Probe(
                u("reports:import", kind),
                status=200,
                own=TB_OWN_SIDE,
                county_sees=False,
                post=lambda w, kind=kind: {"org": HOME[w.username], "file": import_file(kind)},
                post_status=200,
                county_post=200,
                job=True,
            )
            for kind in ("members", "organizations")
        ),
    ],
    "reports:export": [
        Probe(u("reports:export", "organizations", query="?org=TB")),
        Probe(u("reports:export", "organizations"), status=200, own="甲一村党支部"),
        Probe(u("reports:export", "members"), status=200, own="赵甲秘"),
        *(
            Probe(u("reports:export", "members", query=q), status=200)
            for q in ("?org=TB01", "?q=钱乙秘", "?org=TB&include_removed=1")
        ),
    ],
    # Rosters from elsewhere: the upload page (GET: its POST only keeps the file for the
    # mapping page, no record), the mapping page of a kept upload (a session's token: none
    # here, so a 404 for everyone), the kept mappings and the export in one's columns.
    "reports:map_upload": [
        Probe(u("reports:map_upload", query="?org=TB")),
        Probe(u("reports:map_upload"), status=200, own=TB_OWN_SIDE, county_sees=False),
    ],
    "reports:map_columns": [
        Probe(u("reports:map_columns", "0" * 32), county=404, county_sees=False)
    ],
    "reports:mappings": [Probe(u("reports:mappings"), status=200, own="甲镇映射")],
    "reports:mapped_export": [
        Probe(u("reports:mapped_export", pk("tb.reports_mapping"))),
        Probe(u("reports:mapped_export", pk("ta.reports_mapping")), status=200, own="赵甲秘"),
    ],
    # ---- organizational life ----
    "life:overview": [
        Probe(u("life:overview", query="?org=TB")),
        Probe(u("life:overview"), status=200, own="甲一村党支部"),
    ],
    "life:overview_export": [
        Probe(u("life:overview_export", query="?org=TB")),
        Probe(u("life:overview_export"), status=200, own="甲一村党支部"),
    ],
    **{f"life:{page}": [Probe(u(f"life:{page}", "TB01"))] for page in LIFE_ORG_PAGES},
    "life:meeting_new": [
        Probe(
            u("life:meeting_new", "TB01"),
            post=lambda w: {
                "kind": "branch_assembly",
                "held_on": date(),
                "topic": "乙村新会",
                **{f"att_{m.pk}": "present" for m in life.eligible_attendees(w.tb.branch)},
            },
        ),
    ],
    "life:meeting": [Probe(u("life:meeting", pk("tb.meeting")))],
    "life:plan_new": [
        Probe(
            u("life:plan_new", "TB01"),
            post=lambda w: {"kind": "theme_day", "planned_on": date(9), "topic": "乙村新计划"},
        ),
    ],
    "life:plan_edit": [
        Probe(
            u("life:plan_edit", pk("tb.plan")),
            post=lambda w: {"kind": "theme_day", "planned_on": date(8), "topic": "乙村会议计划改"},
        ),
    ],
    "life:plan_cancel": [
        Probe(u("life:plan_cancel", pk("tb.plan")), post=lambda w: {"cancel_reason": "改期"}),
    ],
    "life:meeting_void": [
        # POST only: a GET is 405 for everyone.
        Probe(
            u("life:meeting_void", pk("tb.meeting")),
            status=405,
            county=405,
            post=lambda w: {"void_reason": "录错了"},
            post_status=404,
        ),
    ],
    "life:meeting_approve": [
        Probe(
            u("life:meeting_approve", pk("tb.meeting")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
        ),
    ],
    "life:attachment": [Probe(u("life:attachment", pk("tb.attachment")))],
    "life:reviews": [
        Probe(
            u("life:reviews", "TB01", query=f"?year={REVIEW_YEAR}"),
            post=lambda w: {"reviewed_on": date(), f"grade_{w.tb.member.pk}": "qualified"},
        ),
    ],
    "life:talks": [
        Probe(
            u("life:talks", "TB01"),
            post=lambda w: {
                "held_on": date(),
                "initiator": w.tb.member.pk,
                "counterpart": w.tb.secretary.pk,
                "topic": "再次谈心",
            },
        ),
    ],
    "life:participation": [
        Probe(
            u("life:participation", "TB01"),
            post=lambda w: {"member": "钱乙秘", "title": "乙村主任"},
        ),
    ],
    # ---- tasks ----
    "tasks:home": [Probe(u("tasks:home"), status=200, own="甲镇交办单")],
    "tasks:assignments": [
        # town_a issued its assignment; branch_a1 received it. The county received none.
        Probe(u("tasks:assignments"), status=200, own={"branch_a1": None, "town_a": "甲镇交办单"}),
        Probe(
            u("tasks:assignments", query="?tab=received"),
            status=200,
            county_sees=False,
            own={"branch_a1": "甲镇交办单", "town_a": None},
        ),
    ],
    "tasks:assignments_export": [
        # town_a issued its assignment; branch_a1 received it. The county received none.
        Probe(
            u("tasks:assignments_export"),
            status=200,
            own={"branch_a1": None, "town_a": "甲镇交办单"},
        ),
        Probe(
            u("tasks:assignments_export", query="?tab=received"),
            status=200,
            county_sees=False,
            own={"branch_a1": "甲镇交办单", "town_a": None},
        ),
    ],
    "tasks:issue": [
        # A TB issuer in the link is ignored; posted, it is not among the choices.
        Probe(
            u("tasks:issue", query="?org=TB"),
            status=200,
            own=TB_OWN_SIDE,
            post=lambda w: issue_form("TB"),
            post_status=200,
        ),
    ],
    "tasks:receivers_preview": [
        Probe(u("tasks:receivers_preview", query="?issuer=TB&mode=subtree")),
    ],
    "tasks:board": [Probe(u("tasks:board", pk("tb.assignment")))],
    "tasks:export": [Probe(u("tasks:export", pk("tb.assignment")))],
    "tasks:revise": [
        Probe(
            u("tasks:revise", pk("tb.assignment")),
            post=lambda w: {
                "title": "乙镇交办单（改）",
                "content": "乙镇交办内容",
                "deadline": date(20),
                "attachments_required": 0,
                "reason": "延期",
            },
        ),
    ],
    "tasks:urge": [
        Probe(
            u("tasks:urge", pk("tb.assignment")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
        ),
    ],
    "tasks:extend": [
        Probe(
            u("tasks:extend", pk("tb.relayable.assignment")),  # the county's, to TB
            status=405,
            county=405,
            post=lambda w: {
                "report_back": w.tb.relayable.pk,  # not reported
                "deadline": date(30),
                "reason": "农忙",
            },
            post_status=404,
        ),
    ],
    "tasks:withdraw": [
        Probe(u("tasks:withdraw", pk("tb.assignment")), post=lambda w: {"reason": "撤回"}),
    ],
    "tasks:report": [
        Probe(u("tasks:report", pk("tb.report_back")), post=post)
        for post in (
            lambda w: {"action": "report", "v_n": "5", "text": "再报"},
            lambda w: {"action": "accept"},
            lambda w: {"action": "return", "reason": "不全"},
        )
    ],
    "tasks:relay": [
        Probe(
            u("tasks:relay", pk("tb.relayable")),
            post=lambda w: {
                "codes": ["TB01"],
                "deadline": date(5),
                "fields-TOTAL_FORMS": "0",
                "fields-INITIAL_FORMS": "0",
            },
        ),
    ],
    "tasks:file": [Probe(u("tasks:file", pk("tb.file")))],
    "tasks:pledges": [
        Probe(u("tasks:pledges", query="?org=TB")),
        Probe(u("tasks:pledges"), status=200, own="甲村目标责任书"),
    ],
    "tasks:pledges_export": [
        Probe(u("tasks:pledges_export", query="?org=TB")),
        Probe(u("tasks:pledges_export"), status=200, own="甲村发展党员"),
    ],
    "tasks:pledge_create": [
        # A TB issuer and organization in the link are ignored; posted, they are refused.
        Probe(
            u("tasks:pledge_create", query="?issuer=TB&org=TB01"),
            status=200,
            own=TB_OWN_SIDE,
            post=lambda w: pledge_form("TB", "TB01"),
            post_status=200,
        ),
    ],
    "tasks:pledge": [
        # The user's own pledge, posting progress on TB's target.
        Probe(
            u("tasks:pledge", pk("ta.pledge")),
            status=200,
            own="甲村目标责任书",
            county_sees=False,
            post=lambda w: {
                "action": "progress",
                "target": w.tb.target.pk,
                f"t{w.tb.target.pk}-progress_value": "3",
            },
            post_status=404,
            county_post=404,
        ),
        *(
            Probe(u("tasks:pledge", pk("tb.pledge")), post=post)
            for post in (
                lambda w: {"action": "sign"},
                lambda w: {
                    "action": "progress",
                    "target": w.tb.target.pk,
                    f"t{w.tb.target.pk}-progress_value": "3",
                    f"t{w.tb.target.pk}-progress_note": "进展",
                },
                lambda w: {
                    "action": "cascade",
                    "target": w.tb.target.pk,
                    f"c{w.tb.target.pk}-organizations": "TB01",
                },
            )
        ),
    ],
    "tasks:meetings": [Probe(u("tasks:meetings"), status=200, own="甲村例会纪要")],
    "tasks:meetings_export": [Probe(u("tasks:meetings_export"), status=200, own="甲村例会纪要")],
    "tasks:meeting_create": [
        Probe(
            u("tasks:meeting_create", query="?org=TB"),
            status=200,
            own=TB_OWN_SIDE,
            post=lambda w: work_meeting_form("TB"),
            post_status=200,
        ),
    ],
    "tasks:projects": [
        Probe(u("tasks:projects", query="?org=TB01")),
        Probe(u("tasks:projects"), status=200, own="甲村书记项目"),
    ],
    "tasks:projects_export": [
        Probe(u("tasks:projects_export", query="?org=TB01")),
        Probe(u("tasks:projects_export"), status=200, own="甲村书记项目"),
    ],
    "tasks:project_create": [
        Probe(u("tasks:project_create", query="?org=TB01"), post=project_form),
    ],
    "tasks:project": [
        # The user's own project, posting progress on TB's plan item.
        Probe(
            u("tasks:project", pk("ta.project")),
            status=200,
            own="甲村书记项目",
            county_sees=False,
            post=lambda w: {
                "action": "item",
                "item": w.tb.plan_item.pk,
                f"i{w.tb.plan_item.pk}-progress": "过半",
                f"i{w.tb.plan_item.pk}-done": "on",
            },
            post_status=404,
            county_post=404,
        ),
        *(
            Probe(u("tasks:project", pk("tb.project")), post=post)
            for post in (
                lambda w: {"action": "results", "res-results": "新成效", "res-brand": "乙村品牌"},
                lambda w: {"action": "add", "new-month": f"{TODAY.year}-12", "new-text": "新计划"},
                lambda w: {
                    "action": "item",
                    "item": w.tb.plan_item.pk,
                    f"i{w.tb.plan_item.pk}-progress": "过半",
                    f"i{w.tb.plan_item.pk}-done": "on",
                },
            )
        ),
    ],
    "tasks:project_photo": [Probe(u("tasks:project_photo", pk("tb.photo")))],
    # ---- notices ----
    "notices:list": [
        Probe(u("notices:list"), status=200, own={"branch_a1": "甲镇通报", "town_a": "甲镇通报"})
    ],
    "notices:detail": [Probe(u("notices:detail", pk("tb.notice")))],
    "notices:pdf": [Probe(u("notices:pdf", pk("tb.notice")), county_sees=False)],
    "notices:withdraw": [
        Probe(
            u("notices:withdraw", pk("tb.notice")),
            status=405,
            county=405,
            post=lambda w: {"reason": "发错"},
            post_status=404,
        )
    ],
    # ---- village governance ----
    "governance:matters": [Probe(u("governance:matters"), status=200, own="甲村议事")],
    "governance:matters_export": [
        Probe(u("governance:matters_export"), status=200, own="甲村议事")
    ],
    "governance:matter_create": [
        Probe(
            u("governance:matter_create", "TB01"),
            post=lambda w: {"title": "乙村新事", "category": "other", "content": "内容"},
        )
    ],
    "governance:matter": [
        Probe(
            u("governance:matter", pk("tb.matter")),
            post=lambda w: {"held_on": date(), "text": "村党组织提议"},
        )
    ],
    "governance:office_hours": [
        Probe(
            u("governance:office_hours", "TB01"),
            post=lambda w: {
                "weekday": "1",
                "person_name": "新值班员",
                "post": "村委委员",
                "work_phone": "0571-7654321",
                "starts_at": "08:30",
                "ends_at": "17:30",
            },
        )
    ],
    # ---- venues and cadre pay ----
    "village:home": [Probe(u("village:home", query="?org=TB"))],
    "village:venues_export": [
        Probe(u("village:venues_export"), status=200, own="甲村活动场所"),
        Probe(u("village:venues_export", query="?org=TB")),
    ],
    "village:venue": [
        Probe(
            u("village:venue", "TB01"),
            post=lambda w: {
                "action": "funds",
                "year": TODAY.year,
                "office": "10800",
                "service": "9000",
            },
        )
    ],
    "village:rule": [
        # The county's own rule: no TB record on it, and T is above the outsiders.
        Probe(
            u("village:rule", "T"),
            county_sees=False,
            post=lambda w: {
                "year": TODAY.year + 2,
                "income_year": TODAY.year,
                "income": "8437.50",
                "multiple": "1.92",
                "rounding": "yuan",
                "director_ratio": "0.80",
            },
        )
    ],
    "village:sheets": [
        Probe(u("village:sheets"), status=200, own="甲一村党支部"),
        Probe(u("village:sheets", query="?org=TB")),
    ],
    "village:sheets_export": [
        Probe(u("village:sheets_export"), status=200, own="甲村村委主任"),
        Probe(u("village:sheets_export", query="?org=TB")),
    ],
    "village:sheet_create": [
        Probe(u("village:sheet_create", "TB01"), post=lambda w: {"year": TODAY.year + 1})
    ],
    "village:sheet": [
        Probe(
            u("village:sheet", pk("tb.village_sheet")),
            post=lambda w: {
                "action": "add_line",
                "name": "新干部",
                "post": "director",
                "months": "12",
            },
        )
    ],
    # ---- serving the public ----
    # ---- dues ----
    "dues:home": [Probe(u("dues:home", query="?org=TB"))],
    "dues:ledger": [
        Probe(u("dues:ledger"), status=200, own="赵甲秘", county_sees=False),
        Probe(u("dues:ledger", query="?org=TB")),
    ],
    "dues:ledger_export": [
        Probe(u("dues:ledger_export"), status=200, own="赵甲秘"),
        Probe(u("dues:ledger_export", query="?org=TB")),
    ],
    "dues:grid": [Probe(u("dues:grid", "TB01"), post=lambda w: {})],
    "dues:month": [
        Probe(
            u("dues:month", "TB01", lambda w: w.tb.dues_month),
            post=lambda w: {f"paid_{w.tb.secretary.pk}": "0.20", "collector": "乙村收缴人"},
        )
    ],
    "dues:arrears": [Probe(u("dues:arrears", "TB01"), county_sees=False)],
    "dues:member": [
        Probe(
            u("dues:member", pk("tb.secretary")),
            post=lambda w: {"effective_from": w.tb.dues_month, "category": "student"},
        )
    ],
    "dues:mine": [Probe(u("dues:mine"), county=404, county_sees=False)],
    "service:home": [Probe(u("service:home", query="?org=TB"))],
    "service:pledges": [
        Probe(u("service:pledges"), status=200, own="甲村承诺"),
        Probe(u("service:pledges", query="?org=TB")),
    ],
    "service:pledges_export": [Probe(u("service:pledges_export"), status=200, own="甲村承诺")],
    "service:pledge_create": [
        Probe(
            u("service:pledge_create", "TB01"),
            post=lambda w: {"content": "新承诺", "beneficiary": "群众", "due_on": date(10)},
        )
    ],
    "service:pledge": [
        Probe(
            u("service:pledge", pk("tb.public_pledge")),
            post=lambda w: {"done": "1", "evidence": "完成"},
        )
    ],
    "service:posts": [Probe(u("service:posts"), status=200)],
    "service:post_create": [
        Probe(
            u("service:post_create", "TB03"),
            post=lambda w: {"title": "新岗位", "duties": "职责", "places": "2"},
        )
    ],
    "service:post": [Probe(u("service:post", pk("tb.post")), post=lambda w: {}, county_post=403)],
    "service:claim": [
        Probe(
            u("service:claim", pk("tb.claim")),
            post=lambda w: {
                "served_on": date(),
                "hours": "1",
                "people_served": "2",
                "content": "服务",
            },
        )
    ],
    "service:visits": [Probe(u("service:visits"), status=200, own="甲村走访户")],
    "service:visit_create": [
        Probe(
            u("service:visit_create", "TB01"),
            post=lambda w: {
                "kind": "household",
                "visitor": "走访人",
                "household": "新走访户",
                "visited_on": date(),
                "findings": "情况",
            },
        )
    ],
    "service:visit": [
        Probe(
            u("service:visit", pk("tb.visit")),
            post=lambda w: {
                "category": "other",
                "content": "新民情",
                "owner": "村委",
                "due_on": date(5),
            },
        )
    ],
    "service:concerns": [
        Probe(u("service:concerns"), status=200, own="甲村民情"),
        Probe(u("service:concerns", query="?org=TB")),
    ],
    "service:concerns_export": [Probe(u("service:concerns_export"), status=200, own="甲村民情")],
    "service:concern": [
        Probe(
            u("service:concern", pk("tb.concern")),
            post=lambda w: {"follow": "1", "text": "跟进"},
        )
    ],
    "service:proxy": [Probe(u("service:proxy"), status=200, own="甲村代办事项")],
    "service:proxy_create": [
        Probe(
            u("service:proxy_create", "TB01"),
            post=lambda w: {
                "resident": "新对象",
                "group": "sick",
                "matter": "新代办",
                "handler": "会计",
            },
        )
    ],
    "service:proxy_detail": [
        Probe(u("service:proxy_detail", pk("tb.proxy")), post=lambda w: {"text": "步骤"})
    ],
    "service:suggestions": [Probe(u("service:suggestions"), status=200, own="甲村建议")],
    "service:suggestion_create": [
        Probe(
            u("service:suggestion_create"),
            status=403,
            county=403,
            county_sees=False,
            post=lambda w: {"title": "建议", "content": "内容"},
            county_post=403,
        )
    ],
    "service:suggestion": [
        Probe(u("service:suggestion", pk("tb.suggestion")), post=lambda w: {"reply": "答复"})
    ],
    "service:suggestion_group": [
        Probe(
            u("service:suggestion_group", "TB01"),
            post=lambda w: {
                "topic": "归类",
                "meeting_on": date(),
                "suggestions": [w.tb.suggestion.pk],
            },
        )
    ],
    "service:teams": [Probe(u("service:teams"), status=200, own="甲村工作队")],
    "service:team_create": [
        Probe(
            u("service:team_create", "TB01"),
            post=lambda w: {
                "name": "新工作队",
                "unit": "县直",
                "starts_on": date(),
                "ends_on": date(365),
                "person_name": "新队员",
                "person_role": "member",
                "person_phone": "0370-7654321",
            },
        )
    ],
    "service:team": [
        Probe(u("service:team", pk("tb.team")), post=lambda w: {"extended_to": date(400)})
    ],
    "service:contact_points": [Probe(u("service:contact_points"), status=200, own="甲镇联系领导")],
    "service:contact_point_create": [
        Probe(
            u("service:contact_point_create", "TB"),
            post=lambda w: {
                "leader_name": "新领导",
                "leader_post": "镇长",
                "point": "TB01",
                "since": date(),
            },
        )
    ],
    "governance:office_hours_remove": [
        Probe(
            u("governance:office_hours_remove", pk("tb.office_hours")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
        )
    ],
    # ---- weak organizations ----
    "weakorgs:index": [Probe(u("weakorgs:index"), status=302, county=302, county_sees=False)],
    "weakorgs:candidates": [Probe(u("weakorgs:candidates", "TB"))],
    "weakorgs:detect": [
        Probe(
            u("weakorgs:detect", "TB"),
            status=405,
            county=405,
            post=lambda w: {"year": TODAY.year},
            post_status=404,
            county_post=200,
            job=True,
        )
    ],
    "weakorgs:hand_flag": [
        Probe(
            u("weakorgs:hand_flag", "TB01"),
            post=lambda w: {"year": TODAY.year - 1, "criterion": "other", "reason": "新情形"},
        )
    ],
    "weakorgs:list": [
        Probe(u("weakorgs:list", "TB"), post=lambda w: {"year": TODAY.year}),
    ],
    "weakorgs:export": [Probe(u("weakorgs:export", "TB"))],
    "weakorgs:history": [Probe(u("weakorgs:history", "TB01"))],
    "weakorgs:flag": [
        Probe(
            u("weakorgs:flag", pk("tb.old_weak_flag")),
            post=lambda w: {"action": "dismiss", "reason": "不属实"},
        )
    ],
    # ---- supervision ----
    "supervision:ledger": [
        Probe(u("supervision:ledger"), status=200, own="甲村整改问题"),
        Probe(u("supervision:ledger", query="?org=TB01"), status=200),
    ],
    "supervision:ledger_export": [
        Probe(u("supervision:ledger_export"), status=200, own="甲村整改问题"),
        Probe(u("supervision:ledger_export", query="?org=TB&status=overdue"), status=200),
    ],
    "supervision:item_create": [
        Probe(
            u("supervision:item_create", "TB01"),
            post=lambda w: {"problem": "新问题", "measure_kind": "other", "deadline": date(30)},
        )
    ],
    "supervision:item": [
        Probe(
            u("supervision:item", pk("tb.rect_item")),
            post=lambda w: {"action": "progress", "p-text": "新进展"},
        )
    ],
    "supervision:progress_file": [Probe(u("supervision:progress_file", pk("tb.progress_file")))],
    "supervision:plans": [
        Probe(
            u("supervision:plans"),
            status=200,
            own={"branch_a1": "督查计划", "town_a": "甲镇督查计划"},
        )
    ],
    "supervision:plan_create": [
        Probe(
            u("supervision:plan_create", "TB"),
            post=lambda w: {
                "kind": "inspection",
                "title": "新督查计划",
                "starts_on": date(),
                "ends_on": date(30),
            },
        )
    ],
    "supervision:plan": [
        Probe(
            u("supervision:plan", pk("tb.sup_plan")),
            post=lambda w: {"held_on": date(), "inspectors": "新督查员"},
        )
    ],
    "supervision:inspection": [
        Probe(
            u("supervision:inspection", pk("tb.inspection")),
            post=lambda w: {"organization": "TB01", "problem": "新发现", "measure_kind": "other"},
        )
    ],
    "supervision:inspection_close": [
        Probe(
            u("supervision:inspection_close", pk("tb.inspection")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
        )
    ],
    "supervision:orders": [Probe(u("supervision:orders"), status=200, own="甲村整改问题")],
    "supervision:order": [
        Probe(u("supervision:order", pk("tb.order")), post=lambda w: {"reply": "新反馈"})
    ],
    "supervision:interviews": [Probe(u("supervision:interviews"), status=200, own="甲村约谈人")],
    "supervision:interview_create": [
        Probe(
            u("supervision:interview_create", "TB01"),
            post=lambda w: {
                "held_on": date(),
                "interviewers": "县委组织部",
                "interviewees": "乙村书记",
                "content": "内容",
                "outcome": "结果",
            },
        )
    ],
    # ---- assessment ----
    "assessment:index": [
        Probe(
            u("assessment:index"),
            status=200,
            own={"branch_a1": "甲镇党委", "town_a": "甲镇考核方案"},
        )
    ],
    "assessment:scheme_create": [
        Probe(
            u("assessment:scheme_create"),
            status=200,
            county_sees=False,
            post=lambda w: {
                "organization": "TB",
                "name": "新考核方案",
                "period_kind": "year",
                "total_points": "100",
                **assessment_rows(),
            },
            post_status=200,
        )
    ],
    "assessment:scheme": [
        Probe(
            u("assessment:scheme", pk("tb.scheme")),
            post=lambda w: {"note": "调整", **assessment_rows(("60", "40"))},
        )
    ],
    "assessment:open": [
        Probe(
            u("assessment:open", pk("tb.scheme")),
            status=405,
            county=405,
            post=lambda w: {"period": str(TODAY.year - 1)},
            post_status=404,
            county_post=200,
            job=True,
        )
    ],
    "assessment:ranking": [
        Probe(u("assessment:ranking", pk("tb.assessment"))),
        # The user's own assessment, filtered to TB's subtree.
        Probe(u("assessment:ranking", pk("ta.assessment"), query="?org=TB"), county_sees=False),
    ],
    "assessment:export": [Probe(u("assessment:export", pk("tb.assessment")))],
    "assessment:compute": [
        Probe(
            u("assessment:compute", pk("tb.assessment")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
            county_post=200,
            job=True,
        )
    ],
    "assessment:publish": [
        Probe(
            u("assessment:publish", pk("tb.assessment")),
            status=405,
            county=405,
            post=lambda w: {},
            post_status=404,
        )
    ],
    "assessment:card": [
        Probe(
            u("assessment:card", pk("tb.assessment"), "TB01"),
            post=lambda w: {"indicator_code": "work", "score": "45", "reason": "复评"},
        )
    ],
    # ---- points ----
    # The nav's 积分: links to the user's own organization's pages.
    "points:home": [Probe(u("points:home"), status=200, own=TB_OWN_SIDE, county_sees=False)],
    "points:mine": [Probe(u("points:mine"), status=200, county_sees=False)],
    "points:member": [Probe(u("points:member", pk("tb.secretary")))],
    "points:org": [Probe(u("points:org", c)) for c in ("TB", "TB01")],
    "points:members": [Probe(u("points:members", c)) for c in ("TB", "TB01")],
    "points:members_export": [Probe(u("points:members_export", "TB"))],
    # The county's scheme: everyone in the county reads it (it names no TB record); only
    # the county's managers change it.
    "points:scheme": [
        Probe(
            u("points:scheme", "T"),
            status=200,
            post_status=403,
            county_sees=False,
            post=lambda w: {
                "year": TODAY.year,
                "points-life.attendance.theme_day": "3",
                "note": "改",
            },
            county_post=200,
            job=True,
        )
    ],
    "points:recompute": [
        Probe(
            u("points:recompute", "T"),
            status=405,
            county=405,
            post=lambda w: {"year": TODAY.year},
            post_status=403,
            county_post=200,
            job=True,
        )
    ],
    "points:close": [
        Probe(
            u("points:close", "T"),
            status=405,
            county=405,
            post=lambda w: {"year": TODAY.year - 1},
            post_status=403,
        )
    ],
    # ---- training ----
    "training:home": [Probe(u("training:home", query="?org=TB"))],
    "training:sessions": [Probe(u("training:sessions"), status=200, own="甲村培训")],
    "training:session_create": [
        Probe(
            u("training:session_create", "TB01"),
            post=lambda w: {
                "topic": "新培训",
                "trainer": "讲师",
                "kind": "class",
                "level": "branch",
                "venue": "村部",
                "starts_on": date(),
                "hours": "2",
            },
        )
    ],
    "training:session": [Probe(u("training:session", pk("tb.training_session")))],
    "training:mine": [Probe(u("training:mine"), status=200, county_sees=False)],
    "training:course": [Probe(u("training:course", pk("tb.training_course")))],
    "training:course_create": [
        Probe(
            u("training:course_create", "TB"),
            post=lambda w: {"title": "新课程", "hours": "2", "level": "county", "body": "正文"},
        )
    ],
    "training:course_manage": [
        Probe(
            u("training:course_manage", pk("tb.training_course")),
            post=lambda w: {
                "action": "question",
                "text": "新题",
                "choices": "对\n错",
                "answer": "1",
            },
        )
    ],
    "training:hours": [
        Probe(u("training:hours"), status=200, county_sees=False),
        Probe(u("training:hours", query="?org=TB")),
    ],
    "training:hours_export": [
        Probe(u("training:hours_export"), status=200, county_sees=False),
        Probe(u("training:hours_export", query="?org=TB")),
    ],
}


CASES.update(
    {
        "development:home": [Probe(u("development:home", query="?org=TB"))],
        "development:export": [
            Probe(u("development:export"), status=200, own="甲村申请人"),
            Probe(u("development:export", query="?org=TB")),
        ],
        "development:list": [Probe(u("development:list", "TB01"))],
        "development:apply": [
            Probe(
                u("development:apply", "TB01"),
                post=lambda w: {
                    "name": "新申请人",
                    "id_number": make_id_number("411423", datetime.date(1997, 3, 1), 883, "f"),
                    "education": "college",
                    "category": "rural",
                    "applied_on": date(),
                },
            )
        ],
        "development:cultivations": [
            Probe(
                u("development:cultivations", "TB01"),
                post=lambda w: {"name": "新能手", "stage": "leader", "since": date()},
            )
        ],
        "development:cultivation": [
            Probe(
                u("development:cultivation", pk("tb.development_cultivation")),
                post=lambda w: {"stage": "member", "on": date()},
            )
        ],
        "development:file": [Probe(u("development:file", pk("tb.development_file")))],
        "development:candidacy": [
            Probe(
                u("development:candidacy", pk("tb.development_candidacy")),
                post=lambda w: {"step": "1", "done_on": date()},
            )
        ],
    }
)


def test_every_route_has_a_case():
    walked = walked_names()
    assert sorted(walked - CASES.keys()) == [], "routes without a case in CASES"
    assert sorted(CASES.keys() - walked) == [], "cases of routes that no longer exist"


def test_the_walk_reaches_into_includes():
    names = walked_names()
    assert {"orgs:home", "life:meeting", "tasks:project_photo", "core:history"} <= names
    assert not any(n.startswith(("admin:", "api:")) for n in names)


# ---- running the cases ----------------------------------------------------------------------


def fetch(client, probe, url, data=None):
    """(status, text) of a GET, or of a POST of `data`; the user's own search echo removed."""
    if data is None:
        response = client.get(url, follow=probe.follow)
    else:
        response = client.post(url, data)
        if probe.job and response.status_code == 302:
            assert response["Location"].startswith("/jobs/"), response["Location"]
            run_jobs()
            response = client.get(response["Location"])
    text = body_of(response)
    if probe.echo:
        text = text.replace(f'value="{probe.echo}"', "")
    return response.status_code, text


@pytest.mark.parametrize("name", sorted(CASES))
def test_users_of_another_subtree_are_refused(client, world, name):
    users = world.county.users
    state = None  # the database before any POST; none may change it but the county's
    for probe in CASES[name]:
        url = probe.url(world)
        for username in OUTSIDERS:
            client.force_login(users[username])
            where = (username, "GET", url)
            status, text = fetch(client, probe, url)
            assert status == per_user(probe.status, username), where
            assert not leaks(text, world), (*where, leaks(text, world))
            if own := per_user(probe.own, username) if probe.own else None:
                assert own in text, (*where, own)
            if probe.post is None:
                continue
            where = (username, "POST", url)
            state = state or database_state()
            world.username = username
            status, text = fetch(client, probe, url, probe.post(world))
            expected = probe.post_status if probe.post_status is not None else probe.status
            assert status == per_user(expected, username), where
            assert not leaks(text, world), (*where, leaks(text, world))
            assert database_state() == state, (*where, "changed the database")

        # The county admin reaches the same records, and its POST does the write (undone).
        client.force_login(users["county"])
        status, text = fetch(client, probe, url)
        assert status == probe.county, ("county", "GET", url)
        if probe.county == 200 and probe.county_sees:
            assert leaks(text, world), ("county", "GET", url, "shows no TB record")
        if probe.post is not None:
            state = state or database_state()
            world.username = "county"
            with transaction.atomic():
                status, _text = fetch(client, probe, url, probe.post(world))
                assert status == probe.county_post, ("county", "POST", url)
                if status < 400:
                    assert database_state() != state, ("county", "POST", url, "changed nothing")
                else:
                    assert database_state() == state, ("county", "POST", url, "changed")
                transaction.set_rollback(True)
