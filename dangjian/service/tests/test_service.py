"""Serving the public: completion-rate arithmetic, a concern closed only with its outcome,
home-community claims, scoping of residents' data, bad input, the stats keys (each count =
children + own), and the public board's sections (nothing personal, nothing of another
subtree)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from dangjian.core.periods import Period
from dangjian.orgs import services as org_services
from dangjian.service import rules, selectors, services
from dangjian.service.models import Concern, ConcernStatus, Pledge, PledgeStatus
from dangjian.testing import build_county

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 7)


def messages(error) -> dict:
    return error.value.message_dict


# ---- rules ---------------------------------------------------------------------------------


def test_completion_rate_of_seed_002():
    orgs = rules.Completion(made=297, done=256)
    members = rules.Completion(made=2830, done=2154)
    assert orgs.percent == "86.2%"
    assert members.percent == "76.1%"
    assert rules.Completion(0, 0).rate is None and rules.Completion(0, 0).percent == "—"


def test_rate_of_a_subtree_comes_from_summed_counts_not_averaged_rates():
    a, b = rules.Completion(10, 9), rules.Completion(90, 45)
    total = a + b
    assert (total.made, total.done) == (100, 54)
    assert total.rate == 0.54  # the average of 90% and 50% would be 70%


def test_a_concern_needs_an_outcome_and_a_sensible_date_to_close():
    assert "outcome" in rules.close_concern_problems("  ", TODAY, TODAY, TODAY)
    assert rules.close_concern_problems("已调解", TODAY, TODAY, TODAY) == {}
    assert "closed_on" in rules.close_concern_problems(
        "已调解", D(2026, 1, 1), D(2026, 2, 1), TODAY
    )
    assert "closed_on" in rules.close_concern_problems("已调解", D(2027, 1, 1), TODAY, TODAY)


def test_due_badge_at_its_boundaries():
    assert rules.due_badge(TODAY - datetime.timedelta(days=1), TODAY, 7) == "late"
    assert rules.due_badge(TODAY, TODAY, 7) == "due"
    assert rules.due_badge(TODAY + datetime.timedelta(days=7), TODAY, 7) == "due"
    assert rules.due_badge(TODAY + datetime.timedelta(days=8), TODAY, 7) == ""


def test_service_record_bounds():
    ok = rules.record_problems(Decimal("2"), 5, TODAY, TODAY, TODAY)
    assert ok == {}
    bad = rules.record_problems(Decimal("25"), -1, TODAY + datetime.timedelta(days=1), TODAY, TODAY)
    assert set(bad) == {"hours", "people_served", "served_on"}
    assert "hours" in rules.record_problems(Decimal("0"), 1, TODAY, TODAY, TODAY)


# ---- pledges -------------------------------------------------------------------------------


@pytest.fixture
def county():
    return build_county()


def pledge(county, member=None, org=None, **kw):
    org = org or county.village_a1
    data = {"content": "为五保户代购生活用品", "beneficiary": "五保户", "due_on": D(2026, 12, 31)}
    data.update(kw)
    return services.make_pledge(county.users["branch_a1"], org, member=member, **data)


def test_pledge_closed_done_needs_evidence_and_not_done_a_reason(county):
    p = pledge(county)
    with pytest.raises(ValidationError) as e:
        services.close_pledge(county.users["branch_a1"], p, done=True, evidence="", today=TODAY)
    assert "evidence" in messages(e)
    with pytest.raises(ValidationError) as e:
        services.close_pledge(county.users["branch_a1"], p, done=False, reason=" ", today=TODAY)
    assert "reason" in messages(e)
    services.close_pledge(
        county.users["branch_a1"], p, done=True, evidence="全年代购 24 次", today=TODAY
    )
    p.refresh_from_db()
    assert p.status == PledgeStatus.DONE and p.closed_on == TODAY
    with pytest.raises(ValidationError) as e:
        services.close_pledge(county.users["branch_a1"], p, done=False, reason="x", today=TODAY)
    assert "已办结" in messages(e)["status"][0]


def test_bad_pledge_input_names_every_field_at_once(county):
    with pytest.raises(ValidationError) as e:
        services.make_pledge(
            county.users["branch_a1"],
            county.village_a1,
            content="",
            beneficiary="x" * 121,
            due_on="明年",
        )
    assert set(messages(e)) == {"content", "beneficiary", "due_on"}
    assert Pledge.objects.count() == 0


def test_member_makes_and_closes_own_pledge_but_not_others(county):
    me = county.members["TA01"][0]
    other = county.members["TA01"][1]
    user = county.users["member_a1"]
    p = services.make_pledge(
        user, county.village_a1, member=me, content="帮扶一户", beneficiary="困难户", due_on=TODAY
    )
    services.close_pledge(user, p, done=False, reason="对象外出务工", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.make_pledge(
            user, county.village_a1, member=other, content="x", beneficiary="y", due_on=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.make_pledge(
            county.users["branch_a1"],
            county.village_b1,
            content="x",
            beneficiary="y",
            due_on=TODAY,
        )


def test_pledge_completion_rolls_up_children_plus_own(county):
    user = county.users["county"]
    m_a1 = county.members["TA01"]
    for i in range(4):
        p = pledge(county, due_on=D(2026, 6, 1 + i))
        if i < 3:
            services.close_pledge(user, p, done=True, evidence="完成", today=TODAY)
    for i, m in enumerate(m_a1):
        p = pledge(county, member=m)
        if i == 0:
            services.close_pledge(user, p, done=True, evidence="完成", today=TODAY)
    b = services.make_pledge(
        user, county.village_b1, content="修路", beneficiary="村民", due_on=D(2026, 9, 1)
    )
    services.close_pledge(user, b, done=False, reason="资金未到位", today=TODAY)
    own = services.make_pledge(
        user, county.root, content="县级承诺", beneficiary="群众", due_on=D(2026, 9, 1)
    )
    services.close_pledge(user, own, done=True, evidence="完成", today=TODAY)
    root = selectors.pledge_completion(county.root, 2026)
    assert (root["organization"].made, root["organization"].done) == (6, 4)
    assert (root["member"].made, root["member"].done) == (3, 1)
    children = dict(selectors.pledge_completion_by_child(county.root, 2026))
    a, b_ = children[county.town_a], children[county.town_b]
    assert a["organization"] + b_["organization"] + rules.Completion(1, 1) == root["organization"]
    assert a["member"].percent == "33.3%"
    figures = selectors.service_figures(county.root, Period(2026))
    assert figures["pledges_made"] == {"organization": 6, "member": 3}
    assert figures["pledges_done"] == {"organization": 4, "member": 1}
    assert figures["pledges_done_rate"]["organization"] == pytest.approx(4 / 6)


# ---- visits and concerns -------------------------------------------------------------------


def visit(county, org=None, concerns=None, user="branch_a1", **kw):
    data = {
        "visitor": "王书记",
        "household": "李大爷家",
        "visited_on": D(2026, 11, 2),
        "findings": "老人独居，房屋漏雨",
    }
    data.update(kw)
    if concerns is None:
        concerns = [
            {
                "category": "practical",
                "content": "屋顶漏雨需修缮",
                "owner": "村委会",
                "due_on": D(2026, 11, 30),
                "raised_by": "李某",
            }
        ]
    return services.record_visit(
        county.users[user], org or county.village_a1, concerns=concerns, today=TODAY, **data
    )


def test_a_concern_cannot_be_closed_without_an_outcome(county):
    v = visit(county)
    concern = v.concerns.get()
    user = county.users["branch_a1"]
    services.follow_concern(user, concern, text="联系施工队", noted_on=D(2026, 11, 5), today=TODAY)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_PROGRESS
    with pytest.raises(ValidationError) as e:
        services.close_concern(user, concern, outcome="   ", today=TODAY)
    assert "没有结果的民情事项不能办结" in messages(e)["outcome"][0]
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_PROGRESS
    services.close_concern(
        user, concern, outcome="已修缮屋顶", closed_on=D(2026, 11, 20), today=TODAY
    )
    concern.refresh_from_db()
    assert (concern.status, concern.closed_on) == (ConcernStatus.SOLVED, D(2026, 11, 20))
    with pytest.raises(ValidationError):
        services.close_concern(user, concern, outcome="again", today=TODAY)


def test_the_database_refuses_a_closed_concern_without_outcome(county):
    concern = visit(county).concerns.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.SOLVED, outcome="")


def test_a_visit_with_bad_concerns_writes_nothing_and_names_each_row(county):
    with pytest.raises(ValidationError) as e:
        visit(
            county,
            visited_on=D(2027, 1, 1),
            concerns=[
                {
                    "category": "dispute",
                    "content": "地界纠纷",
                    "owner": "调解员",
                    "due_on": D(2027, 1, 5),
                },
                {"category": "gossip", "content": "", "owner": "", "due_on": "x"},
            ],
        )
    errors = messages(e)
    assert "visited_on" in errors
    assert {
        "concerns.2.category",
        "concerns.2.content",
        "concerns.2.owner",
        "concerns.2.due_on",
    } <= set(errors)
    assert errors["concerns.2.content"][0].startswith("第2条民情")
    assert Concern.objects.count() == 0


def test_visits_and_concerns_are_seen_only_by_managers_of_the_subtree(county):
    visit(county)
    visit(county, org=county.village_b1, user="branch_b1", household="乙村张家")
    assert selectors.visible_visits(county.users["county"]).count() == 2
    assert list(
        selectors.visible_visits(county.users["town_a"]).values_list("household", flat=True)
    ) == ["李大爷家"]
    assert selectors.visible_visits(county.users["member_a1"]).count() == 0
    assert selectors.visible_concerns(county.users["member_a1"]).count() == 0
    assert selectors.visible_concerns(county.users["branch_b1"]).count() == 1
    with pytest.raises(PermissionDenied):
        visit(county, org=county.village_b1, user="branch_a1")


def test_concern_totals_by_category_and_status_roll_up(county):
    user = county.users["county"]
    visit(county)  # TA01: practical, open
    v = visit(
        county,
        org=county.village_b1,
        concerns=[
            {
                "category": "dispute",
                "content": "邻里纠纷",
                "owner": "调解员",
                "due_on": D(2026, 11, 10),
            },
            {
                "category": "dispute",
                "content": "地界纠纷",
                "owner": "调解员",
                "due_on": D(2026, 11, 10),
            },
        ],
        user="branch_b1",
    )
    first = v.concerns.order_by("pk").first()
    services.close_concern(user, first, outcome="调解成功", today=TODAY)
    services.raise_concern(
        user,
        county.root,
        category="suggestion",
        content="建议增设公交",
        owner="交通局",
        due_on=D(2026, 12, 30),
        raised_on=D(2026, 12, 1),
        today=TODAY,
    )
    year = Period(2026)
    root = selectors.service_figures(county.root, year)
    a = selectors.service_figures(county.town_a, year)
    b = selectors.service_figures(county.town_b, year)
    assert root["concerns"] == a["concerns"] + b["concerns"] + 1 == 4
    assert root["concerns_by_category"]["dispute"] == 2
    assert root["concerns_solved_by_category"]["dispute"] == 1
    assert root["concerns_by_status"] == {"open": 3, "in_progress": 0, "solved": 1, "answered": 0}
    assert root["households_visited"] == a["households_visited"] + b["households_visited"] == 2
    ledger = selectors.concern_ledger(user, category="dispute", status="open")
    assert [c.content for c in ledger] == ["地界纠纷"]
    overdue = selectors.concern_ledger(user, overdue=True, today=TODAY)
    assert {c.content for c in overdue} == {"屋顶漏雨需修缮", "地界纠纷"}


# ---- service posts -------------------------------------------------------------------------


@pytest.fixture
def community(county):
    street = org_services.create_child(
        county.root,
        code="TS",
        name="城关街道党工委",
        kind="working_committee",
        level="street",
        sector="community",
    )
    one = org_services.create_child(
        street,
        code="TS01",
        name="东关社区党支部",
        kind="branch",
        level="community",
        sector="community",
    )
    two = org_services.create_child(
        street,
        code="TS02",
        name="西关社区党支部",
        kind="branch",
        level="community",
        sector="community",
    )
    return one, two


def test_member_claims_a_post_in_one_home_community_and_records_service(county, community):
    one, two = community
    admin = county.users["county"]
    post = services.publish_post(
        admin, one, title="楼栋联络员", duties="联系楼栋住户", places=1, year=2026
    )
    other = services.publish_post(
        admin, two, title="政策宣传员", duties="宣传", places=5, year=2026
    )
    me, user = county.members["TA01"][0], county.users["member_a1"]
    assert post in selectors.visible_posts(user)  # a community of the member's county
    claim = services.claim_post(user, post, me, today=D(2026, 3, 1))
    with pytest.raises(ValidationError) as e:
        services.claim_post(user, other, me, today=D(2026, 3, 2))
    assert "东关社区党支部" in messages(e)["post"][0]
    with pytest.raises(ValidationError) as e:
        services.claim_post(admin, post, county.members["TA01"][1], today=D(2026, 3, 2))
    assert "已认满" in messages(e)["post"][0]
    services.record_service(
        user,
        claim,
        served_on=D(2026, 3, 8),
        hours="2.5",
        people_served=12,
        content="走访住户",
        today=TODAY,
    )
    with pytest.raises(ValidationError) as e:
        services.record_service(
            user,
            claim,
            served_on=D(2026, 2, 1),
            hours="30",
            people_served="很多",
            content="",
            today=TODAY,
        )
    assert set(messages(e)) == {"served_on", "hours", "people_served", "content"}
    figures = selectors.service_figures(county.root, Period(2026))
    assert figures["service_posts"] == 2 and figures["service_posts_claimed"] == 1
    assert figures["service_person_times"] == 1 and figures["service_hours"] == 2.5
    # Another member cannot record service on my claim.
    with pytest.raises(PermissionDenied):
        services.record_service(
            county.users["branch_b1"],
            claim,
            served_on=D(2026, 3, 9),
            hours=1,
            people_served=1,
            content="x",
            today=TODAY,
        )


def test_posts_are_published_by_communities_only(county):
    with pytest.raises(ValidationError) as e:
        services.publish_post(county.users["county"], county.village_a1, title="x", duties="y")
    assert "不是社区" in messages(e)["organization"][0]


# ---- proxy service, suggestions, teams, contact points ------------------------------------


def test_proxy_request_steps_until_done(county):
    user = county.users["branch_a1"]
    r = services.open_proxy(
        user,
        county.village_a1,
        resident="赵奶奶",
        group="elderly",
        matter="代办养老保险认证",
        handler="村会计",
        requested_on=D(2026, 10, 1),
        today=TODAY,
    )
    services.proxy_step(user, r, text="收齐材料", done_on=D(2026, 10, 2), today=TODAY)
    services.proxy_step(
        user, r, text="已在镇便民中心办结", done_on=D(2026, 10, 8), finish=True, today=TODAY
    )
    r.refresh_from_db()
    assert r.status == "done" and r.done_on == D(2026, 10, 8) and r.steps.count() == 2
    with pytest.raises(ValidationError):
        services.proxy_step(user, r, text="again", today=TODAY)
    with pytest.raises(ValidationError) as e:
        services.open_proxy(
            user, county.village_a1, resident="", group="young", matter="", handler=""
        )
    assert set(messages(e)) == {"resident", "group", "matter", "handler"}
    assert selectors.service_figures(county.town_a, Period(2026))["proxy_services_done"] == 1


def test_suggestions_replied_in_writing_and_grouped_by_topic(county):
    me, user = county.members["TA01"][0], county.users["member_a1"]
    s1 = services.submit_suggestion(
        user, me, title="修建文化广场", content="村里缺少活动场地", today=D(2026, 5, 1)
    )
    s2 = services.submit_suggestion(
        user, me, title="路灯", content="村东头路灯坏了", today=D(2026, 5, 2)
    )
    with pytest.raises(PermissionDenied):
        services.reply_suggestion(user, s1, reply="好")
    secretary = county.users["branch_a1"]
    services.reply_suggestion(secretary, s1, reply="已列入明年计划", today=D(2026, 5, 10))
    services.group_suggestions(
        secretary,
        county.village_a1,
        suggestions=[s1, s2],
        topic="基础设施",
        meeting_on=D(2026, 5, 9),
        today=TODAY,
    )
    qs = selectors.visible_suggestions(secretary)
    groups = selectors.grouped_suggestions(qs)
    assert [(day, topic, len(items)) for day, topic, items in groups] == [
        (D(2026, 5, 9), "基础设施", 2)
    ]
    assert [s.title for s in qs.filter(status="open")] == ["路灯"]
    assert selectors.visible_suggestions(county.users["branch_b1"]).count() == 0
    f = selectors.service_figures(county.root, Period(2026))
    assert (f["suggestions"], f["suggestions_replied"]) == (2, 1)


def test_work_team_term_and_extension_and_contact_points(county):
    user = county.users["county"]
    with pytest.raises(ValidationError) as e:
        services.send_work_team(
            user,
            county.village_a1,
            name="",
            unit="县人社局",
            starts_on=D(2026, 1, 1),
            ends_on=D(2025, 1, 1),
            people=[{"name": "", "role": "boss", "work_phone": "abc"}],
        )
    assert {"name", "ends_on", "people.1.name", "people.1.role", "people.1.work_phone"} <= set(
        messages(e)
    )
    team = services.send_work_team(
        user,
        county.village_a1,
        name="县人社局驻甲一村工作队",
        unit="县人社局",
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 12, 31),
        people=[{"name": "陈第一书记", "role": "first_secretary", "work_phone": "0370-1234567"}],
    )
    services.extend_work_team(user, team, extended_to=D(2027, 12, 31))
    team.refresh_from_db()
    assert team.term_end == D(2027, 12, 31)
    with pytest.raises(ValidationError):
        services.extend_work_team(user, team, extended_to=D(2026, 1, 1))
    cp = services.add_contact_point(
        user,
        county.root,
        leader_name="县委书记",
        leader_post="书记",
        point=county.village_b1,
        since=D(2026, 1, 1),
    )
    assert cp.point_level == "village"
    assert cp in selectors.visible_contact_points(county.users["branch_b1"])
    assert cp not in selectors.visible_contact_points(county.users["branch_a1"])
    with pytest.raises(ValidationError):
        services.add_contact_point(
            county.users["town_a"],
            county.town_a,
            leader_name="x",
            leader_post="y",
            point=county.village_b1,
            since=D(2026, 1, 1),
        )


# ---- the public board ----------------------------------------------------------------------


def test_public_board_shows_pledges_and_team_contacts_and_nothing_personal(county):
    me = county.members["TA01"][0]
    pledge(county, content="为留守儿童辅导功课")
    pledge(county, member=me, content="帮扶困难户一户")
    services.make_pledge(
        county.users["branch_b1"],
        county.village_b1,
        content="乙村的承诺",
        beneficiary="乙村村民",
        due_on=D(2026, 12, 1),
    )
    services.send_work_team(
        county.users["county"],
        county.village_a1,
        name="县人社局工作队",
        unit="县人社局",
        starts_on=D(2025, 1, 1),
        ends_on=D(2030, 12, 31),
        people=[{"name": "陈队长", "role": "leader", "work_phone": "0370-7654321"}],
    )
    visit(county)  # residents' data: must not appear
    services.open_proxy(
        county.users["branch_a1"],
        county.village_a1,
        resident="赵奶奶",
        group="elderly",
        matter="代办社保认证",
        handler="村会计",
    )
    client = Client()
    first = client.get("/v/TA01/")
    assert first.status_code == 200
    html = first.content.decode()
    for shown in (
        "为留守儿童辅导功课",
        "帮扶困难户一户",
        me.name,
        "陈队长",
        "0370-7654321",
        "县人社局",
    ):
        assert shown in html
    for hidden in (
        "乙村的承诺",
        "李大爷家",
        "屋顶漏雨",
        "李某",
        "赵奶奶",
        "代办社保认证",
        me.id_number,
        me.phone,
    ):
        assert hidden not in html
    etag = first["ETag"]
    assert client.get("/v/TA01/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    pledge(county, content="新的承诺")
    assert client.get("/v/TA01/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_stats_carry_the_service_keys(county):
    from dangjian.reports.stats import stats_for

    pledge(county)
    visit(county)
    stats = stats_for(county.root, Period(2026))
    assert stats["pledges_made"] == {"organization": 1, "member": 0}
    assert stats["households_visited"] == 1 and stats["concerns"] == 1
    for key in ("service_posts", "service_person_times", "proxy_services", "suggestions"):
        assert stats[key] == 0
