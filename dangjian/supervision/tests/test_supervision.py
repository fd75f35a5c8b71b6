"""Supervision: the ledger's rules (shown status, sign-off), reproducible sampling, findings
to items, exactly one red supervision order per overdue item, interviews, the inspection's
notice, scoping and the roll-up of the figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent
from dangjian.core.periods import Period
from dangjian.notices.models import Notice
from dangjian.orgs import services as org_services
from dangjian.supervision import rules, selectors, services
from dangjian.supervision.models import (
    Inspection,
    ItemStatus,
    RectificationItem,
    SampleEntry,
    SupervisionOrder,
)
from dangjian.testing import add_member

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 7)
GUARANTORS = [
    {"level": "county", "name": "王县长", "post": "县委常委、组织部长"},
    {"level": "township", "name": "李镇长", "post": "镇党委副书记"},
    {"level": "village", "name": "张书记", "post": "村党支部书记"},
]


def item(county, user="town_a", org=None, **overrides):
    data = {
        "organization": org or county.village_a1,
        "problem": "组织生活不正常，半年未开支部党员大会",
        "deadline": TODAY + datetime.timedelta(days=30),
        "measure_kind": "pairing",
        "measures": "与县直机关党支部结对共建，每月指导一次",
        "guarantors": GUARANTORS,
        "today": TODAY,
    }
    data.update(overrides)
    return services.create_rectification_item(county.users[user] if user else None, **data)


# ---- rules --------------------------------------------------------------------------------


def test_overdue_is_shown_from_the_deadline_and_rectified_stays_rectified():
    assert rules.shown_status("open", TODAY, TODAY) == "open"  # due today: not yet late
    assert rules.shown_status("open", TODAY - datetime.timedelta(days=1), TODAY) == "overdue"
    assert rules.shown_status("in_progress", D(2026, 1, 1), TODAY) == "overdue"
    assert rules.shown_status("rectified", D(2026, 1, 1), TODAY) == "rectified"


def test_the_sample_is_reproducible_and_depends_on_the_seed():
    candidates = list(range(1, 365))
    first = rules.draw_sample(candidates, 10, rules.sample_seed(7, TODAY))
    assert first == rules.draw_sample(candidates, 10, "7:2026-12-07")
    assert len(set(first)) == 10 and set(first) <= set(candidates)
    assert first != rules.draw_sample(candidates, 10, rules.sample_seed(7, D(2026, 12, 14)))
    assert first != rules.draw_sample(candidates, 10, rules.sample_seed(8, TODAY))
    assert rules.draw_sample([1, 2, 3], 10, "x") in (
        [1, 2, 3],
        [1, 3, 2],
        [2, 1, 3],
        [2, 3, 1],
        [3, 1, 2],
        [3, 2, 1],
    )
    assert rules.draw_sample(candidates, 0, "x") == []


def test_sign_off_rules_each_reason():
    ok = {"status": "in_progress", "notes": 1, "day": TODAY, "opened_on": D(2026, 11, 1)}
    assert rules.check_sign_off(**ok, today=TODAY, own=False) == []
    fields = [f for f, _m in rules.check_sign_off(**{**ok, "notes": 0}, today=TODAY, own=True)]
    assert fields == ["status", "notes"]
    late = rules.check_sign_off(
        **{**ok, "day": TODAY + datetime.timedelta(days=1)}, today=TODAY, own=False
    )
    assert late == [("rectified_on", "销号日期不能晚于今天")]
    again = rules.check_sign_off(**{**ok, "status": "rectified"}, today=TODAY, own=False)
    assert again == [("status", "该事项已经销号，不能重复销号")]


def test_notice_tables_are_cut_at_150_rows():
    findings = [{"org": f"村{i}", "problem": f"问题{i}", "score": None} for i in range(200)]
    items = [
        {"org": f"村{i}", "problem": f"问题{i}", "owner": "", "deadline": TODAY} for i in range(200)
    ]
    sections = rules.notice_sections(
        kind_label="督查",
        held_on=TODAY,
        inspectors="甲、乙",
        summary="",
        inspected=200,
        findings=findings,
        items=items,
    )
    assert [len(s["table"]["rows"]) for s in sections if s.get("table")] == [150, 150]
    assert "另有50条督查发现未列出" in sections[1]["paragraphs"][0]
    assert "另有50条整改事项未列出" in sections[2]["paragraphs"][1]


# ---- the ledger ---------------------------------------------------------------------------


def test_an_item_with_guarantors_at_three_levels(county):
    owner = county.members["TA01"][0]
    it = item(county, owner_member=owner)
    assert it.owner_name == owner.name and it.status == ItemStatus.OPEN
    assert it.source == "hand" and it.opened_on == TODAY
    assert [(g.level, g.name) for g in it.guarantors.all()] == [
        ("county", "王县长"),
        ("township", "李镇长"),
        ("village", "张书记"),
    ]
    assert AuditEvent.objects.filter(target_type="supervision.rectificationitem").count() == 1
    assert list(selectors.items_of(county.village_a1)) == [it]


def test_bad_input_names_every_field_at_once_and_writes_nothing(county):
    with pytest.raises(ValidationError) as e:
        item(
            county,
            problem=" ",
            deadline=TODAY - datetime.timedelta(days=1),
            measure_kind="bribe",
            source="rumour",
            guarantors=[{"level": "province", "name": ""}],
            owner_member=county.members["TB01"][0],
        )
    errors = e.value.message_dict
    assert set(errors) == {
        "problem",
        "deadline",
        "measure_kind",
        "source",
        "guarantors",
        "owner_member",
    }
    assert errors["problem"] == ["请填写存在问题"]
    assert errors["deadline"] == ["整改期限不能早于登记日期（2026-12-07）"]
    assert "第1位包保责任人的层级“province”" in errors["guarantors"][0]
    assert errors["guarantors"][1] == "第1位包保责任人请填写姓名"
    assert errors["owner_member"] == ["整改责任人应是该组织的党员"]
    assert not RectificationItem.objects.exists()
    with pytest.raises(ValidationError) as e:
        item(county, deadline="明年")
    assert e.value.message_dict["deadline"] == ["整改期限“明年”应写作 2026-03-01 这样"]


def test_another_township_cannot_write_or_see_the_items(county):
    with pytest.raises(PermissionDenied):
        item(county, user="town_b")
    it = item(county)
    assert not selectors.visible_items(county.users["town_b"]).filter(pk=it.pk).exists()
    assert not selectors.visible_items(county.users["branch_b1"]).exists()
    assert not selectors.visible_items(county.users["member_a1"]).exists()  # managers only
    assert selectors.visible_items(county.users["branch_a1"]).get() == it
    assert selectors.visible_items(county.users["county"]).get() == it
    with pytest.raises(PermissionDenied):
        services.add_progress(county.users["town_b"], it, text="冒充", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.sign_off(county.users["town_b"], it, today=TODAY)


def test_progress_then_sign_off_by_the_level_above_only(county):
    it = item(county)
    with pytest.raises(ValidationError) as e:
        services.sign_off(county.users["town_a"], it, today=TODAY)
    assert e.value.message_dict == {"notes": ["还没有整改进展和佐证材料，不能销号"]}
    services.add_progress(
        county.users["branch_a1"], it, text="已召开支部党员大会，补学三次", today=TODAY
    )
    it.refresh_from_db()
    assert it.status == ItemStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as e:
        services.sign_off(county.users["branch_a1"], it, today=TODAY)
    assert e.value.message_dict["status"] == [
        "整改事项须由上级党组织验收销号，不能由本组织自己销号"
    ]
    done = services.sign_off(county.users["town_a"], it, note="验收合格", today=TODAY)
    assert (done.status, done.rectified_on, done.signed_off_name) == ("rectified", TODAY, "town_a")
    assert done.signed_off_by == county.users["town_a"]
    with pytest.raises(ValidationError) as e:
        services.sign_off(county.users["county"], it, today=TODAY)
    assert e.value.message_dict["status"] == ["该事项已经销号，不能重复销号"]
    with pytest.raises(ValidationError) as e:
        services.add_progress(county.users["branch_a1"], it, text="又一条", today=TODAY)
    assert e.value.message_dict["text"] == ["该事项已经销号，不能再填报进展"]


def test_progress_dates_are_checked(county):
    it = item(county)
    with pytest.raises(ValidationError) as e:
        services.add_progress(
            county.users["branch_a1"],
            it,
            text="",
            noted_on=TODAY + datetime.timedelta(days=2),
            today=TODAY,
        )
    assert e.value.message_dict == {"text": ["请填写整改进展"], "noted_on": ["日期不能晚于今天"]}


# ---- inspections ----------------------------------------------------------------------------


def phone_plan(county, size=2):
    return services.create_plan(
        county.users["county"],
        county.root,
        kind="phone_check",
        title="2026年第四季度电话抽查",
        starts_on=D(2026, 10, 1),
        ends_on=D(2026, 12, 31),
        sample_size=size,
    )


def test_a_phone_spot_check_draws_a_stored_reproducible_sample(county):
    plan = phone_plan(county)
    first = services.record_inspection(
        county.users["county"], plan, held_on=TODAY, inspectors="赵督查", today=TODAY
    )
    drawn = selectors.sample_of(first)
    assert len(drawn) == 2 and all(o.kind == "branch" for o in drawn)
    assert first.sample_seed == f"{plan.pk}:2026-12-07"
    # Drawing again returns the stored sample, even after a new branch joins the candidates.
    org_services.create_child(
        county.town_a, code="TA03", name="甲三村党支部", kind="branch", level="village"
    )
    assert services.draw_sample(county.users["county"], first) == drawn
    assert SampleEntry.objects.filter(inspection=first).count() == 2
    # A second record of the same plan and day draws the same sample from the same seed.
    SampleEntry.objects.filter(inspection=first).delete()
    candidates = services.sample_candidates(county.root)
    expected = rules.draw_sample(candidates, 2, first.sample_seed)
    assert [o.pk for o in services.draw_sample(county.users["county"], first)] == expected


def test_plan_and_record_bad_input(county):
    with pytest.raises(ValidationError) as e:
        services.create_plan(
            county.users["county"],
            county.root,
            kind="gossip",
            title="",
            starts_on="2026-12-01",
            ends_on="2026-11-01",
            sample_size="many",
        )
    assert set(e.value.message_dict) == {"kind", "title", "ends_on", "sample_size"}
    plan = phone_plan(county)
    with pytest.raises(ValidationError) as e:
        services.record_inspection(
            county.users["county"], plan, held_on=D(2027, 1, 5), inspectors="", today=D(2027, 1, 6)
        )
    assert e.value.message_dict == {
        "held_on": ["督查日期应在计划期间（2026-10-01至2026-12-31）内"],
        "inspectors": ["请填写督查人员"],
    }
    with pytest.raises(PermissionDenied):
        services.create_plan(
            county.users["town_a"],
            county.root,
            kind="inspection",
            title="越权",
            starts_on=TODAY,
            ends_on=TODAY,
        )


def inspection(county, user="town_a", kind="inspection", scored=False):
    plan = services.create_plan(
        county.users[user],
        county.town_a,
        kind=kind,
        title="第四季度基层党建督查",
        starts_on=D(2026, 10, 1),
        ends_on=D(2026, 12, 31),
        scored=scored,
        indicator_code="life" if scored else "",
    )
    return services.record_inspection(
        county.users[user],
        plan,
        held_on=D(2026, 12, 1),
        inspectors="钱组长、孙干事",
        today=TODAY,
    )


def test_a_finding_becomes_an_item_and_the_closed_inspection_a_notice(county):
    record = inspection(county, scored=True)
    finding = services.add_finding(
        county.users["town_a"],
        record,
        organization=county.village_a1,
        problem="三会一课记录不全",
        score="82.5",
        owner_name="张书记",
        today=TODAY,
    )
    clean = services.add_finding(
        county.users["town_a"], record, organization=county.village_a2, score=96, today=TODAY
    )
    it = finding.item
    assert (it.source, it.source_ref, it.owner_name) == ("finding", str(finding.pk), "张书记")
    assert it.deadline == TODAY + datetime.timedelta(days=30)  # supervision.finding_deadline_days
    assert not hasattr(clean, "item") or clean.item is None
    notice = services.close_inspection(county.users["town_a"], record, today=TODAY)
    record.refresh_from_db()
    assert record.status == "closed" and record.notice == notice
    assert notice.kind == "inspection" and notice.issuer == county.town_a
    assert notice.title == "关于第四季度基层党建督查情况的通报"
    tables = [s["table"] for s in notice.sections if s.get("table")]
    assert tables[0]["rows"] == [
        ["1", "甲一村党支部", "三会一课记录不全", "82.5"],
        ["2", "甲二村党支部", "未发现问题", "96"],
    ]
    assert tables[1]["rows"] == [["1", "甲一村党支部", "三会一课记录不全", "张书记", "2027-01-06"]]
    assert notice.source_url == record.get_absolute_url()
    with pytest.raises(ValidationError):
        services.close_inspection(county.users["town_a"], record, today=TODAY)
    with pytest.raises(ValidationError) as e:
        services.add_finding(
            county.users["town_a"],
            record,
            organization=county.village_a1,
            problem="再来",
            today=TODAY,
        )
    assert e.value.message_dict["organization"] == ["该督查已经结束，不能再登记发现"]
    assert Notice.objects.count() == 1


def test_finding_bad_input(county):
    record = inspection(county, scored=True)
    with pytest.raises(ValidationError) as e:
        services.add_finding(
            county.users["town_a"],
            record,
            organization=county.village_b1,
            problem="问题",
            score="120",
            deadline="2026-01-01",
            today=TODAY,
        )
    assert e.value.message_dict == {
        "organization": ["被督查的党组织应在“甲镇党委”以下"],
        "score": ["得分应在0至100之间"],
        "deadline": ["整改期限不能早于登记日期（2026-12-07）"],
    }
    with pytest.raises(ValidationError) as e:
        services.add_finding(
            county.users["town_a"], record, organization=county.village_a1, today=TODAY
        )
    assert e.value.message_dict == {
        "problem": ["请填写发现的问题，或填写得分"],
        "score": ["该督查计划需要评分，请填写得分"],
    }
    with pytest.raises(ValidationError) as e:
        services.add_finding(
            county.users["town_a"],
            record,
            organization=county.village_a1,
            problem="x",
            today=TODAY,
        )
    assert e.value.message_dict == {"score": ["该督查计划需要评分，请填写得分"]}
    assert not record.findings.exists() and not RectificationItem.objects.exists()
    with pytest.raises(PermissionDenied):
        services.add_finding(
            county.users["town_b"], record, organization=county.village_a1, score=90, today=TODAY
        )


# ---- red supervision orders --------------------------------------------------------------------


def test_an_overdue_item_gets_exactly_one_order_however_often_the_job_runs(county):
    late = item(county, deadline=D(2026, 12, 10))
    on_time = item(county, deadline=D(2027, 1, 10))
    finding_item = services.add_finding(
        county.users["town_a"],
        inspection(county),
        organization=county.village_a2,
        problem="党员活动室被占用",
        deadline=D(2026, 12, 20),
        owner_name="刘主任",
        today=TODAY,
    ).item
    assert services.issue_overdue_orders(D(2026, 12, 10)) == 0  # due today: not late yet
    day = D(2026, 12, 21)
    assert services.issue_overdue_orders(day) == 2
    assert services.issue_overdue_orders(day) == 0
    assert services.issue_overdue_orders(day + datetime.timedelta(days=1)) == 0
    orders = {o.item_id: o for o in SupervisionOrder.objects.all()}
    assert set(orders) == {late.pk, finding_item.pk}
    order = orders[late.pk]
    assert order.issuer == county.town_a and order.organization == county.village_a1
    assert order.reply_by == day + datetime.timedelta(days=7)
    assert "整改期限（2026-12-10）已过" in order.text
    assert orders[finding_item.pk].addressee_name == "刘主任"  # no secretary recorded
    assert orders[finding_item.pk].issuer == county.town_a  # the inspecting organization
    assert AuditEvent.objects.filter(target_type="supervision.supervisionorder").count() == 2
    assert on_time.pk not in orders
    # A signed-off item is never ordered, however late it was.
    services.add_progress(county.users["branch_a1"], on_time, text="已整改", today=TODAY)
    services.sign_off(county.users["town_a"], on_time, today=TODAY)
    assert services.issue_overdue_orders(D(2027, 2, 1)) == 0


def test_the_daily_job_is_scheduled_and_idempotent(county, settings):
    from dangjian.core import jobs
    from dangjian.testing import run_jobs

    assert settings.JOBS_DAILY["supervision_orders"][0] == (
        "dangjian.supervision.services.daily_orders"
    )
    item(county, deadline=D(2026, 12, 8))

    class Progress:
        def __call__(self, *a):
            pass

    result = services.daily_orders(Progress(), "2026-12-09")
    assert result["made"] == 1
    assert services.daily_orders(Progress(), "2026-12-09")["made"] == 0
    job = jobs.start("daily:test", "dangjian.supervision.services.daily_orders", day="2026-12-10")
    run_jobs()
    job.refresh_from_db()
    assert job.status == "done" and job.result["made"] == 0
    assert SupervisionOrder.objects.count() == 1


def test_an_order_is_answered_once_by_its_organization(county):
    it = item(county, deadline=D(2026, 12, 8))
    services.issue_overdue_orders(D(2026, 12, 9))
    order = SupervisionOrder.objects.get(item=it)
    with pytest.raises(PermissionDenied):
        services.reply_order(county.users["branch_b1"], order, reply="不关我事")
    with pytest.raises(ValidationError) as e:
        services.reply_order(county.users["branch_a1"], order, reply="")
    assert e.value.message_dict == {"reply": ["请填写反馈情况"]}
    services.reply_order(county.users["branch_a1"], order, reply="已召开专题会", today=TODAY)
    order.refresh_from_db()
    assert order.replied_on == TODAY
    with pytest.raises(ValidationError):
        services.reply_order(county.users["branch_a1"], order, reply="再反馈", today=TODAY)


# ---- interviews -------------------------------------------------------------------------------


def test_an_interview_is_recorded_by_the_level_above(county):
    it = item(county)
    interview = services.record_interview(
        county.users["town_a"],
        county.village_a1,
        item=it,
        held_on=TODAY,
        interviewers="镇党委书记",
        interviewees="甲一村党支部书记",
        content="整改进度慢",
        outcome="表态一个月内整改到位",
        today=TODAY,
    )
    assert list(it.interviews.all()) == [interview]
    with pytest.raises(ValidationError) as e:
        services.record_interview(
            county.users["branch_a1"],
            county.village_a1,
            held_on=TODAY + datetime.timedelta(1),
            interviewers="",
            interviewees="x",
            content="x",
            outcome="",
            today=TODAY,
        )
    assert set(e.value.message_dict) == {"organization", "held_on", "interviewers", "outcome"}
    with pytest.raises(PermissionDenied):
        services.record_interview(
            county.users["town_b"],
            county.village_a1,
            held_on=TODAY,
            interviewers="x",
            interviewees="x",
            content="x",
            outcome="x",
            today=TODAY,
        )
    assert not selectors.visible_interviews(county.users["town_b"]).exists()


# ---- figures ----------------------------------------------------------------------------------


def test_figures_roll_up_as_children_plus_own(county):
    now = D(2026, 12, 21)
    item(county, deadline=D(2026, 12, 10))  # overdue at TA01
    done = item(county, org=county.village_a2)
    services.add_progress(county.users["town_a"], done, text="整改完成", today=TODAY)
    services.sign_off(county.users["town_a"], done, today=TODAY)
    item(county, user="town_b", org=county.village_b1, deadline=D(2027, 1, 5))
    item(county, user="county", org=county.town_a, deadline=D(2027, 1, 5))  # TA's own
    services.issue_overdue_orders(now)
    record = inspection(county)
    services.record_interview(
        county.users["county"],
        county.town_a,
        held_on=TODAY,
        interviewers="x",
        interviewees="y",
        content="z",
        outcome="w",
        today=TODAY,
    )
    period = Period(2026)

    def fig(org):
        return selectors.supervision_figures(org, period, today=now)

    ta, ta01, ta02 = fig(county.town_a), fig(county.village_a1), fig(county.village_a2)
    assert ta01["rectification_items"] == {
        "open": 0,
        "in_progress": 0,
        "overdue": 1,
        "rectified": 0,
    }
    assert ta["rectification_items"] == {"open": 1, "in_progress": 0, "overdue": 1, "rectified": 1}
    root = fig(county.root)
    for key in ("rectification_items", "inspections", "rectified_organizations_by_sector"):
        children = [fig(c) for c in county.root.children()]
        own_sum = {k: sum(c[key][k] for c in children) for k in root[key]}
        assert root[key] == own_sum, key  # the root has no own records
    # TA's items: children TA01 + TA02 plus TA's own one.
    for status in ("open", "overdue", "rectified"):
        own = 1 if status == "open" else 0
        assert ta["rectification_items"][status] == (
            ta01["rectification_items"][status] + ta02["rectification_items"][status] + own
        )
    assert ta["rectified_organizations_by_sector"]["rural"] == 1
    assert ta["inspections"]["inspection"] == 1 == root["inspections"]["inspection"]
    assert (root["supervision_orders"], ta["supervision_orders"], ta01["supervision_orders"]) == (
        1,
        1,
        1,
    )
    assert (root["interviews"], ta["interviews"], ta01["interviews"]) == (1, 1, 0)
    assert Inspection.objects.get(pk=record.pk).organization == county.town_a


def test_the_members_of_the_organization_are_not_addressees_unless_secretary(county):
    # The order goes to the current secretary when one is recorded.
    from dangjian.orgs.models import Officer

    secretary = add_member(county.village_a1, name="周书记")
    Officer.objects.create(
        organization=county.village_a1,
        member=secretary,
        role="secretary",
        term_start=D(2024, 1, 1),
    )
    item(county, deadline=D(2026, 12, 8), owner_name="别人")
    services.issue_overdue_orders(D(2026, 12, 9))
    order = SupervisionOrder.objects.get()
    assert (order.addressee_name, order.addressee_member) == ("周书记", secretary)
