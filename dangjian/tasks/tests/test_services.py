import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.accounts import scoping
from dangjian.core.periods import Period
from dangjian.life import services as life
from dangjian.orgs import services as orgs
from dangjian.tasks import selectors, services
from dangjian.tasks.models import ReportBack

D = datetime.date
FIELDS = [
    {"key": "attendees", "label": "参加人数", "type": "integer", "unit": "人", "min_value": 0},
    {"key": "held", "label": "主题党日次数", "type": "integer", "binding": "life.theme_day"},
    {"key": "note", "label": "备注", "type": "text", "required": False},
]


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def assignment(county):
    return services.issue(
        county.root,
        title="乡村振兴主题党日",
        content="每个村党支部召开一次主题党日并报送人数",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 3, 31),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=FIELDS,
        actor=county.users["county"],
    )


def rb(assignment, code):
    return assignment.report_backs.get(organization__code=code)


def test_receivers_by_level_and_sector(county, assignment):
    assert set(assignment.report_backs.values_list("organization__code", flat=True)) == {
        "TA01",
        "TA02",
        "TB01",
    }
    # Written by one INSERT … SELECT: each row has the model's defaults.
    assert (
        list(
            assignment.report_backs.values_list(
                "status", "values", "text", "revisions", "reported_at", "returned_reason"
            )
        )
        == [("not_started", {}, "", 0, None, "")] * 3
    )
    under = services.select_receivers(county.root, {"mode": "filter", "under": ["TB"]})
    assert set(under.values_list("code", flat=True)) == {"TB01"}
    picked = services.select_receivers(county.root, {"mode": "orgs", "codes": ["TA02"]})
    assert list(picked.values_list("code", flat=True)) == ["TA02"]
    with pytest.raises(ValidationError):
        services.select_receivers(county.town_a, {"mode": "orgs", "codes": ["TB01"]})
    assert not services.select_receivers(
        county.root, {"mode": "filter", "sectors": ["school"]}
    ).exists()


def test_many_wrong_receiver_codes_are_named_ten_and_counted(county):
    codes = ["TA01"] + [f"X{n:03d}" for n in range(25)]
    with pytest.raises(ValidationError) as e:
        services.select_receivers(county.root, {"mode": "orgs", "codes": codes})
    [message] = e.value.message_dict["receivers"]
    assert message == (
        "组织编码X000、X001、X002、X003、X004、X005、X006、X007、X008、X009"
        "等25个不存在或不在本组织之下"
    )
    from django.utils.translation import override

    with override("en"), pytest.raises(ValidationError) as e:
        services.select_receivers(county.root, {"mode": "orgs", "codes": codes})
    assert "X009 and others, 25 in all do not exist" in e.value.message_dict["receivers"][0]


def test_report_backs_follow_their_receiver_when_it_moves(county, assignment):
    """Report-backs carry the receiver's path (the roll-up groups by it): it is copied at
    issue and brought along when the organization moves to another township."""
    from dangjian.tasks.models import ReportBack

    def paths_agree():
        return all(
            r.path == r.organization.path for r in ReportBack.objects.select_related("organization")
        )

    assert paths_agree()
    services.report(rb(assignment, "TA02"), values={"attendees": 7}, now=at(D(2026, 3, 20)))
    orgs.move(county.village_a2, county.town_b)
    assert paths_agree()
    by_town = {r["organization"].code: r for r in services.progress(assignment, county.root)}
    assert (by_town["TA"]["receivers"], by_town["TB"]["receivers"]) == (1, 2)
    assert by_town["TB"]["reported"] == 1
    assert services.summed_values(assignment, county.town_b) == {"attendees": 7, "held": 0}


def test_report_with_bound_figure_filled_from_records(county, assignment):
    life.record_meeting(county.village_a1, kind="theme_day", held_on=D(2026, 3, 5), topic="振兴")
    report = services.report(
        rb(assignment, "TA01"),
        values={"attendees": "25", "held": "9"},
        actor=county.users["branch_a1"],
        now=at(D(2026, 3, 20)),
    )
    assert report.values == {"attendees": 25, "held": 1}  # bound value from the records, not 9
    assert report.status == "reported"


def test_report_runs_four_statements(county, assignment):
    """A report reads the report-back with its assignment and organization in one query
    (no deferred column fetched later), the bound figure in one, then updates and audits.
    The assignment's fields are read once per process, by the first report."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.report(rb(assignment, "TA01"), values={"attendees": 3}, now=at(D(2026, 3, 20)))
    target = rb(assignment, "TA02")
    with CaptureQueriesContext(connection) as ctx:
        services.report(
            target, values={"attendees": 4}, actor=county.users["county"], now=at(D(2026, 3, 20))
        )
    tables = ("tasks_reportback", "rollups_rollup", "core_auditevent", "tasks_assignmentfield")
    statements = [
        (q["sql"].split()[0], next((t for t in tables if t in q["sql"]), q["sql"][:80]))
        for q in ctx.captured_queries
        if "SAVEPOINT" not in q["sql"]
    ]
    assert statements == [
        ("SELECT", "tasks_reportback"),
        ("SELECT", "rollups_rollup"),
        ("UPDATE", "tasks_reportback"),
        ("INSERT", "core_auditevent"),
    ]


def test_a_large_issue_refreshes_the_planner_statistics(county, monkeypatch):
    """On PostgreSQL an issue that writes many report-backs analyzes the table in the same
    transaction (the roll-up is then planned for the new rows); SQLite has no such step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("dangjian.tasks.services.assignments.ANALYZE_AFTER", 3)
    with CaptureQueriesContext(connection) as ctx:
        a = services.issue(
            county.root,
            title="t",
            content="c",
            starts_on=D(2026, 3, 1),
            deadline=D(2026, 3, 31),
            receivers={"mode": "filter", "levels": ["village"]},
        )
    analyzed = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("ANALYZE")]
    assert a.report_backs.count() == 3
    if connection.vendor == "postgresql":
        assert analyzed == ['ANALYZE "tasks_reportback"']
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'tasks_reportback'")
            assert cursor.fetchone()[0] == ReportBack.objects.count()
    else:
        assert analyzed == []


def test_fields_of_an_undone_assignment_are_not_reused(county):
    """SQLite gives the id of a rolled-back assignment to the next one: the per-process
    fields cache must not hand the next assignment the undone one's fields."""
    from django.db import transaction

    def issue(key):
        return services.issue(
            county.town_a,
            title=key,
            content="c",
            starts_on=D(2026, 3, 1),
            deadline=D(2026, 3, 31),
            receivers={"mode": "subtree"},
            fields=[{"key": key, "label": key, "type": "integer"}],
        )

    with pytest.raises(RuntimeError), transaction.atomic():
        undone = issue("first")
        assert [f.key for f in services.fields_of(undone)] == ["first"]
        raise RuntimeError("roll back")
    second = issue("second")
    assert [f.key for f in services.fields_of(second)] == ["second"]


def test_theme_day_attendance_binding_counts_members_present(county):
    from dangjian.rollups import registry

    a1, a2, b1 = (county.members[c] for c in ("TA01", "TA02", "TB01"))
    life.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=D(2026, 3, 5),
        topic="振兴",
        attendance=[
            (a1[0].pk, "present", ""),
            (a1[1].pk, "present", ""),
            (a1[2].pk, "leave", "外出务工"),
        ],
    )
    life.record_meeting(
        county.village_a2,
        kind="theme_day",
        held_on=D(2026, 3, 9),
        topic="振兴",
        attendance=[(m.pk, "present", "") for m in a2],
    )
    life.record_meeting(
        county.village_a2,
        kind="party_lecture",
        held_on=D(2026, 3, 9),
        topic="党课",
        lecturer="书记",
        attendance=[(a2[0].pk, "present", "")],
    )
    life.record_meeting(
        county.village_b1,
        kind="theme_day",
        held_on=D(2026, 4, 1),
        topic="四月",
        attendance=[(b1[0].pk, "present", "")],
    )
    voided = life.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=D(2026, 3, 20),
        topic="重复",
        attendance=[(a1[0].pk, "present", "")],
    )
    life.void_meeting(voided, reason="重复登记")

    def count(org, p):
        return registry.compute_binding("life.theme_day_attendance", org, Period.parse(p))  # noqa: E731

    assert count(county.village_a1, "2026-03") == 2
    assert count(county.town_a, "2026-03") == 5
    assert count(county.root, "2026-03") == 5 and count(county.root, "2026-Q2") == 1


@pytest.mark.parametrize(
    "values, key, text",
    [
        ({"attendees": "二十"}, "attendees", "不是数字"),
        ({"attendees": "-3"}, "attendees", "不能小于0"),
        ({}, "attendees", "必填"),
    ],
)
def test_typed_field_validation(county, assignment, values, key, text):
    with pytest.raises(ValidationError) as e:
        services.report(rb(assignment, "TA01"), values=values, now=at(D(2026, 3, 20)))
    assert text in e.value.message_dict[key][0]
    assert rb(assignment, "TA01").status == "not_started"


def test_missing_required_attachment(county):
    a = services.issue(
        county.town_a,
        title="照片",
        content="上传两张照片",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 3, 31),
        receivers={"mode": "subtree"},
        attachments_required=2,
    )
    with pytest.raises(ValidationError) as e:
        services.report(rb(a, "TA01"), values={}, now=at(D(2026, 3, 2)))
    assert "至少需要上传2个附件" in e.value.message_dict["files"][0]


def test_late_return_and_re_report(county, assignment):
    secretary = county.users["branch_a1"]
    late = services.report(
        rb(assignment, "TA01"), values={"attendees": 10}, actor=secretary, now=at(D(2026, 4, 2))
    )
    rows = services.progress(assignment, county.root, today=D(2026, 4, 3))
    total = services.totals(rows)
    assert total["late_reported"] == 1 and total["late"] == 3  # 1 late + 2 not reported
    services.return_(late, reason="人数与签到表不符", actor=county.users["county"])
    assert rb(assignment, "TA01").status == "returned"
    again = services.report(
        rb(assignment, "TA01"), values={"attendees": 12}, actor=secretary, now=at(D(2026, 4, 5))
    )
    assert again.revisions == 2 and again.values["attendees"] == 12
    services.accept(again, actor=county.users["county"])
    with pytest.raises(ValidationError, match="不能报送"):
        services.report(again, values={"attendees": 13}, now=at(D(2026, 4, 6)))


def test_revision_until_deadline_only(county, assignment):
    first = services.report(rb(assignment, "TA02"), values={"attendees": 5}, now=at(D(2026, 3, 3)))
    services.report(first, values={"attendees": 6}, now=at(D(2026, 3, 30)))
    with pytest.raises(ValidationError, match="截止日期"):
        services.report(first, values={"attendees": 7}, now=at(D(2026, 4, 1)))


def test_withdrawn_assignment_takes_no_reports(county, assignment):
    services.withdraw(assignment, reason="与另一交办单重复", actor=county.users["county"])
    with pytest.raises(ValidationError, match="撤回"):
        services.report(rb(assignment, "TB01"), values={"attendees": 1}, now=at(D(2026, 3, 3)))


def test_revision_is_recorded_and_receivers_told(county, assignment):
    from dangjian.core.models import Reminder

    services.revise(assignment, reason="延长期限", deadline=D(2026, 4, 10))
    assignment.refresh_from_db()
    assert assignment.version == 2
    assert assignment.revisions.get().changes == {"deadline": ["2026-03-31", "2026-04-10"]}
    assert Reminder.objects.filter(key__startswith=f"tasks:{assignment.pk}:rev2").count() == 3


def test_only_the_receiver_reports_and_only_the_issuer_reviews(county, assignment):
    with pytest.raises(PermissionDenied):
        services.report(
            rb(assignment, "TB01"),
            values={"attendees": 1},
            actor=county.users["branch_a1"],
            now=at(D(2026, 3, 3)),
        )
    done = services.report(
        rb(assignment, "TA01"),
        values={"attendees": 1},
        actor=county.users["branch_a1"],
        now=at(D(2026, 3, 3)),
    )
    with pytest.raises(PermissionDenied):
        services.accept(done, actor=county.users["town_a"])


def test_board_visibility(county, assignment):
    b1 = county.users["branch_b1"]
    assert selectors.visible_report_backs(b1, assignment).count() == 3  # shared board
    private = services.issue(
        county.town_a,
        title="甲镇内部",
        content="x",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 3, 31),
        receivers={"mode": "subtree"},
        board_shared=False,
    )
    # branch B1 did not receive it: sees nothing; A1 received it, but the board is private.
    assert selectors.visible_report_backs(b1, private).count() == 0
    assert set(
        selectors.visible_report_backs(county.users["branch_a1"], private).values_list(
            "organization__code", flat=True
        )
    ) == {"TA01"}
    assert selectors.visible_report_backs(county.users["town_a"], private).count() == 2


def test_progress_rolls_up_per_level(county, assignment):
    services.report(rb(assignment, "TA01"), values={"attendees": 20}, now=at(D(2026, 3, 3)))
    services.report(rb(assignment, "TB01"), values={"attendees": 15}, now=at(D(2026, 3, 4)))
    rows = services.progress(assignment, county.root, today=D(2026, 3, 10))
    by_code = {r["organization"].code: r for r in rows}
    assert by_code["TA"]["receivers"] == 2 and by_code["TA"]["reported"] == 1
    assert by_code["TB"]["reported"] == 1
    assert services.totals(rows)["receivers"] == 3
    assert services.summed_values(assignment, county.root)["attendees"] == 35
    assert services.summed_values(assignment, county.town_a)["attendees"] == 20
    drill = services.progress(assignment, county.town_a, today=D(2026, 3, 10))
    assert {r["organization"].code for r in drill} == {"TA01", "TA02"}


def test_on_time_by_local_date_and_decimal_sums(county):
    a = services.issue(
        county.root,
        title="活动经费",
        content="报送经费",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 3, 31),
        receivers={"mode": "filter", "levels": ["village"]},
        fields=[
            {"key": "spent", "label": "经费", "type": "decimal", "unit": "元"},
            {"key": "n", "label": "人数", "type": "integer"},
        ],
    )
    last_minute = at(D(2026, 3, 31), 23) + datetime.timedelta(minutes=59)
    services.report(rb(a, "TA01"), values={"spent": "0.1", "n": "2"}, now=last_minute)
    services.report(rb(a, "TA02"), values={"spent": "0.2", "n": "3"}, now=at(D(2026, 4, 1), 0))
    total = services.totals(services.progress(a, county.root, today=D(2026, 4, 2)))
    assert (total["on_time"], total["late_reported"], total["not_started"]) == (1, 1, 1)
    assert services.summed_values(a, county.root) == {"spent": 0.3, "n": 5}
    assert services.summed_values(a, county.town_b) == {"spent": 0, "n": 0}


def test_issue_validation(county):
    base = {
        "title": "x",
        "content": "y",
        "starts_on": D(2026, 3, 1),
        "deadline": D(2026, 3, 31),
        "receivers": {"mode": "subtree"},
    }
    with pytest.raises(ValidationError) as e:
        services.issue(county.root, **(base | {"deadline": D(2026, 2, 1)}))
    assert "deadline" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.issue(
            county.root, **(base | {"fields": [{"label": "a", "type": "choice", "choices": ["x"]}]})
        )
    with pytest.raises(ValidationError):
        services.issue(
            county.root,
            **(base | {"fields": [{"label": "a", "type": "integer", "binding": "nope"}]}),
        )
    with pytest.raises(ValidationError, match="没有找到"):
        services.issue(
            county.root, **(base | {"receivers": {"mode": "filter", "sectors": ["hospital"]}})
        )
    with pytest.raises(PermissionDenied):
        services.issue(county.town_b, actor=county.users["town_a"], **base)


def test_pledges_cascade_and_count(county):
    pledge = services.create_pledge(
        county.root,
        county.town_a,
        year=2026,
        title="2026年党建目标责任书",
        targets=[
            {"text": "发展党员", "target_value": 10, "unit": "名"},
            {"text": "村级活动场所达到五有标准"},
        ],
        actor=county.users["county"],
    )
    services.sign(pledge, actor=county.users["town_a"])
    number, text = pledge.targets.all()
    parts = services.cascade(
        number, [county.village_a1, county.village_a2], actor=county.users["town_a"]
    )
    services.update_target(parts[0], progress_value=6, actor=county.users["branch_a1"])
    assert services.effective_progress(number) == 6 and not services.is_met(number)
    services.update_target(parts[1], progress_value=4)
    assert services.is_met(number)
    services.update_target(text, met=True)
    figures = services.task_figures(county.root, Period(2026))
    assert (figures["pledge_targets"], figures["pledge_targets_met"]) == (4, 2)
    with pytest.raises(ValidationError):
        services.create_pledge(
            county.root, county.town_a, year=2026, title="重复", targets=[{"text": "x"}]
        )
    with pytest.raises(ValidationError):
        services.create_pledge(
            county.town_a, county.town_b, year=2026, title="越级", targets=[{"text": "x"}]
        )


def test_task_figures_sum_over_children(county, assignment):
    services.report(rb(assignment, "TA01"), values={"attendees": 20}, now=at(D(2026, 3, 3)))
    root = services.task_figures(county.root, Period.parse("2026-03"), today=D(2026, 4, 2))
    parts = [
        services.task_figures(c, Period.parse("2026-03"), today=D(2026, 4, 2))
        for c in (county.town_a, county.town_b)
    ]
    # One assignment issued by the county, received by three branches (issue 9: not the
    # number of report-backs); issued counts add up over the tree, received ones do not.
    assert (root["assignments"], root["assignments_received"]) == (1, 1)
    assert [(p["assignments"], p["assignments_received"]) for p in parts] == [(0, 1), (0, 1)]
    assert sum(root["report_backs"][s] for s in ("not_started", "reported")) == 3
    assert root["report_backs"]["reported"] == 1
    assert root["report_backs"]["late"] == 2
    assert root["report_back_on_time_rate"] == 1.0
    services.issue(
        county.town_a,
        title="镇里的交办单",
        content="报送",
        starts_on=D(2026, 3, 2),
        deadline=D(2026, 3, 31),
        receivers={"mode": "subtree"},
        fields=[],
    )
    root = services.task_figures(county.root, Period.parse("2026-03"), today=D(2026, 4, 2))
    town_a = services.task_figures(county.town_a, Period.parse("2026-03"), today=D(2026, 4, 2))
    assert (root["assignments"], root["assignments_received"]) == (2, 2)
    assert (town_a["assignments"], town_a["assignments_received"]) == (1, 2)


def test_secretary_project(county):
    secretary = county.members["TA01"][0]
    orgs.appoint_officer(county.village_a1, secretary, "secretary", term_start=D(2024, 1, 1))
    project = services.create_project(
        county.village_a1,
        secretary=secretary,
        year=2026,
        title="葡萄示范园",
        goal="带动30户种植",
        items=[("2026-03", "选址"), ("2026-04", "育苗")],
    )
    item = project.items.first()
    services.update_plan_item(item, progress="已选定", done=True)
    assert project.items.filter(done=True).count() == 1
    with pytest.raises(ValidationError):
        services.add_plan_item(project, month="2025-12", text="越年")
    with pytest.raises(ValidationError):
        services.create_project(
            county.village_a1, secretary=county.members["TA01"][1], year=2026, title="x", goal="y"
        )


def test_secretary_project_results_and_plan_need_the_branch(county, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.core.models import AuditEvent

    settings.MEDIA_ROOT = tmp_path
    secretary = county.members["TA01"][0]
    orgs.appoint_officer(county.village_a1, secretary, "secretary", term_start=D(2024, 1, 1))
    project = services.create_project(
        county.village_a1, secretary=secretary, year=2026, title="葡萄示范园", goal="带动30户种植"
    )
    for outsider in ("branch_b1", "town_b", "member_a1"):
        with pytest.raises(PermissionDenied):
            services.add_plan_item(project, month="2026-05", text="x", actor=county.users[outsider])
        with pytest.raises(PermissionDenied):
            services.update_project(project, results="x", actor=county.users[outsider])
    assert not project.items.exists() and project.results == ""
    user = county.users["branch_a1"]
    services.add_plan_item(project, month="2026-05", text="育苗", actor=user)
    photo = SimpleUploadedFile("园区.jpg", b"\xff\xd8 jpeg", content_type="image/jpeg")
    services.update_project(
        project, results="  带动32户，户均增收8000元 ", brand="紫色甲一", photos=[photo], actor=user
    )
    project.refresh_from_db()
    assert (project.results, project.brand) == ("带动32户，户均增收8000元", "紫色甲一")
    assert [p.name for p in project.photos.all()] == ["园区.jpg"]
    event = AuditEvent.objects.filter(target_type="tasks.secretaryproject", action="update").get()
    assert event.changes["brand"] == ["", "紫色甲一"] and event.changes["photos"][1] == ["园区.jpg"]
    assert AuditEvent.objects.filter(target_type="tasks.planitem").count() == 1


def test_target_note_is_kept_unless_cleared(county):
    pledge = services.create_pledge(
        county.root,
        county.town_a,
        year=2026,
        title="责任书",
        targets=[{"text": "发展党员", "target_value": 10}],
    )
    target = pledge.targets.get()
    services.update_target(target, progress_value=3, progress_note="已确定3名发展对象")
    services.update_target(target, progress_value=4)
    target.refresh_from_db()
    assert (target.progress_value, target.progress_note) == (4, "已确定3名发展对象")
    services.update_target(target, progress_note="")
    target.refresh_from_db()
    assert target.progress_note == "" and target.progress_value == 4


def test_pending_below_puts_open_work_before_old_overdue_work(county):
    today = D(2026, 6, 15)

    def issue(title, deadline):
        return services.issue(
            county.root,
            title=title,
            content="c",
            starts_on=D(2026, 1, 1),
            deadline=deadline,
            receivers={"mode": "filter", "levels": ["village"]},
        )

    for title, deadline in (
        ("long overdue", D(2026, 1, 31)),
        ("later", D(2026, 6, 30)),
        ("soon", D(2026, 6, 20)),
        ("just overdue", D(2026, 6, 10)),
    ):
        issue(title, deadline)
    rows = selectors.pending_below(county.users["county"], today=today)
    assert [(r["title"], r["pending"], r["overdue"]) for r in rows] == [
        ("soon", 3, False),
        ("later", 3, False),
        ("just overdue", 3, True),
        ("long overdue", 3, True),
    ]
    assert [
        r["title"] for r in selectors.pending_below(county.users["county"], today=today, limit=2)
    ] == ["soon", "later"]
    # A township follows up its own villages only; a branch has nobody below.
    assert {r["pending"] for r in selectors.pending_below(county.users["town_a"], today)} == {2}
    assert selectors.pending_below(county.users["branch_a1"], today) == []


def test_todo_list_is_scoped(county, assignment):
    todo = selectors.todo(county.users["branch_a1"])
    assert [r.organization.code for r in todo] == ["TA01"]
    assert not ReportBack.objects.filter(
        scoping.org_q(county.users["nobody"], "organization__")
    ).exists()


def test_the_upload_size_rule_holds_in_the_service_too(county, assignment, monkeypatch):
    # The same rule as the meeting attachments (core.files), not only in the page's form:
    # the API and any other caller are held to it, and nothing is saved.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.core import files

    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 10)
    big = SimpleUploadedFile("照片.jpg", b"x" * 11, content_type="image/jpeg")
    target = rb(assignment, "TA01")
    with pytest.raises(ValidationError) as error:
        services.report(target, values={"attendees": 3}, files=[big], now=at(D(2026, 3, 20)))
    assert "files" in error.value.message_dict
    target.refresh_from_db()
    assert target.status == "not_started" and not target.files.exists()
    small = SimpleUploadedFile("照片.jpg", b"x" * 10, content_type="image/jpeg")
    services.report(target, values={"attendees": 3}, files=[small], now=at(D(2026, 3, 20)))
    assert [(f.name, f.size) for f in target.files.all()] == [("照片.jpg", 10)]


def test_bound_sums_count_each_theme_day_once_whatever_the_receivers(county):
    """Townships receive together with their branches: a township's bound figure covers
    only what no receiver below it reports, so the sums at the county and at a township
    equal the theme days held, each counted once (issue 9)."""
    for org in (county.village_a1, county.village_a2, county.village_b1):
        life.record_meeting(org, kind="theme_day", held_on=D(2026, 3, 5), topic="振兴")
    life.record_meeting(county.village_a1, kind="theme_day", held_on=D(2026, 3, 12), topic="学习")

    def issue(receivers):
        return services.issue(
            county.root,
            title="主题党日报送",
            content="报送本月主题党日次数",
            starts_on=D(2026, 3, 1),
            deadline=D(2026, 3, 31),
            receivers=receivers,
            fields=[FIELDS[1]],
            actor=county.users["county"],
        )

    def report_all(a):
        for r in a.report_backs.all():
            services.report(r, values={}, now=at(D(2026, 3, 20)))

    whole = issue({"mode": "subtree"})
    assert whole.report_backs.count() == 5  # two townships and three branches
    report_all(whole)
    reported = dict(whole.report_backs.values_list("organization__code", "values__held"))
    assert reported == {"TA": 0, "TB": 0, "TA01": 2, "TA02": 1, "TB01": 1}
    assert services.summed_values(whole, county.root) == {"held": 4}
    assert services.summed_values(whole, county.town_a) == {"held": 3}
    assert services.summed_values(whole, county.town_b) == {"held": 1}

    # Hand-picked: a township and one of its branches. The township reports its other
    # branch's theme day; the other township's subtree is no one's.
    picked = issue({"mode": "orgs", "codes": ["TA", "TA01"]})
    report_all(picked)
    reported = dict(picked.report_backs.values_list("organization__code", "values__held"))
    assert reported == {"TA": 1, "TA01": 2}
    assert services.summed_values(picked, county.root) == {"held": 3}
