"""Development through the services: a whole way from application to full membership (the
Member made at admission, made full at conversion), who may decide, bad input named by
field, the roll-up `pipeline` (each count = children + own), the four cultivations and
`orgs_without_candidate`."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.periods import Period
from dangjian.development import selectors, services
from dangjian.development.models import Stage
from dangjian.members.models import Member
from dangjian.members.rules import make_id_number
from dangjian.rollups import services as rollups
from dangjian.testing import build_county

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 7)


def person(n=1, birth=None):
    birth = birth or D(1998, 4, 2)
    return {
        "name": f"申请人{n}",
        "id_number": make_id_number("411423", birth, 900 + n, "m"),
        "education": "college",
        "category": "rural",
    }


# Dates of the steps 2..25 after an application on 2024-01-08 (valid under the defaults).
PLAN = {
    2: (D(2024, 1, 20), {}),
    3: (D(2024, 3, 1), {"notice_from": D(2024, 2, 19)}),
    4: (D(2024, 3, 4), {}),
    5: (D(2024, 3, 5), {"mentors": 1}),
    6: (D(2024, 9, 5), {}),
    7: (D(2025, 3, 3), {"notice_from": D(2025, 2, 17)}),
    8: (D(2025, 3, 5), {}),
    9: (D(2025, 3, 6), {"mentors": 2}),
    10: (D(2025, 3, 20), {}),
    11: (D(2025, 4, 1), {"hours": 24}),
    12: (D(2025, 4, 10), {}),
    13: (D(2025, 4, 25), {"notice_from": D(2025, 4, 14)}),
    14: (D(2025, 4, 28), {}),
    15: (D(2025, 5, 6), {"voters": 5, "present": 4, "yes": 4}),
    16: (D(2025, 5, 12), {}),
    17: (D(2025, 6, 2), {"outcome": "approved"}),
    18: (D(2025, 6, 5), {}),
    19: (D(2025, 6, 6), {}),
    20: (D(2025, 7, 1), {}),
    21: (D(2025, 12, 1), {}),
    22: (D(2026, 5, 6), {}),
    23: (D(2026, 5, 20), {"notice_from": D(2026, 5, 11), "voters": 5, "present": 5, "yes": 5}),
    24: (D(2026, 6, 10), {"outcome": "approved"}),
    25: (D(2026, 6, 20), {}),
}


def walk(county, c, upto):
    branch, town = county.users["branch_a1"], county.users["town_a"]
    members = county.members[c.organization.code]
    for n in range(c.last_step + 1, upto + 1):
        day, extra = PLAN[n]
        extra = dict(extra)
        if k := extra.pop("mentors", None):
            extra["people"] = members[:k]
        actor = town if n in (17, 24) else branch
        services.record_step(actor, c, number=n, done_on=day, today=TODAY, **extra)
        c.refresh_from_db()
    return c


@pytest.fixture
def county():
    return build_county()


def apply(county, n=1, org=None, **kw):
    actor = county.users["county" if org else "branch_a1"]
    data = {**person(n), "applied_on": D(2024, 1, 8), **kw}
    return services.apply(actor, org or county.village_a1, today=TODAY, **data)


def test_the_whole_way_to_full_membership(county):
    c = apply(county)
    assert c.stage == Stage.APPLICANT and c.birth_date == D(1998, 4, 2)
    walk(county, c, 16)
    assert c.stage == Stage.CANDIDATE and c.member is None
    walk(county, c, 17)
    m = c.member
    assert m.status == "probationary" and m.joined_on == D(2025, 5, 6)
    assert m.organization == county.village_a1
    walk(county, c, 25)
    m.refresh_from_db()
    assert c.stage == Stage.FULL and m.status == "full" and m.full_on == D(2026, 6, 10)
    assert services.next_step(c) is None


def test_the_higher_committee_decides_not_the_branch(county):
    c = walk(county, apply(county), 16)
    with pytest.raises(PermissionDenied):
        services.record_step(
            county.users["branch_a1"], c, number=17, done_on=D(2025, 6, 2), outcome="approved"
        )
    with pytest.raises(PermissionDenied):
        services.record_step(county.users["branch_b1"], c, number=17, done_on=D(2025, 6, 2))


def test_a_step_breaking_a_rule_is_refused_with_the_rule_named(county):
    c = walk(county, apply(county), 6)
    with pytest.raises(ValidationError) as error:
        services.record_step(
            county.users["branch_a1"],
            c,
            number=7,
            done_on=D(2025, 2, 28),
            notice_from=D(2025, 2, 10),
            today=TODAY,
        )
    assert any("2025-03-01 起" in m for m in error.value.message_dict["done_on"])
    c.refresh_from_db()
    assert c.last_step == 6 and c.steps.count() == 6  # nothing half-written


def test_bad_input_is_named_by_field(county):
    with pytest.raises(ValidationError) as error:
        services.apply(
            county.users["branch_a1"],
            county.village_a1,
            name="",
            id_number="41142319980402123",
            education="phd",
            category="rural",
            applied_on="2024/01/08",
        )
    d = error.value.message_dict
    assert d["name"] == ["请填写姓名"]
    assert "id_number" in d and "education" in d
    assert "应写作 2026-03-01 这样" in d["applied_on"][0]
    young = person(2, birth=D(2008, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.apply(
            county.users["branch_a1"], county.village_a1, applied_on=D(2026, 2, 28), **young
        )
    assert "18周岁（2026-03-01 起）" in error.value.message_dict["applied_on"][0]
    c = apply(county, 3)
    with pytest.raises(ValidationError) as error:
        services.record_step(county.users["branch_a1"], c, number=2, done_on="", today=TODAY)
    assert error.value.message_dict["done_on"] == ["请填写日期"]
    with pytest.raises(ValidationError) as error:
        apply(county, 3)
    assert "已在发展程序中" in error.value.message_dict["id_number"][0]


def test_pipeline_is_children_plus_own_and_matches_a_rebuild(county):
    walk(county, apply(county, 1), 3)
    walk(county, apply(county, 2), 7)
    apply(county, 3, org=county.village_a2)
    services.apply(county.users["county"], county.village_b1, applied_on=D(2024, 1, 8), **person(4))
    services.apply(county.users["county"], county.town_b, applied_on=D(2024, 1, 8), **person(5))
    root = selectors.pipeline(county.root)
    assert root["applicants"] == 3 and root["activists"] == 1 and root["candidates"] == 1
    for org in (county.root, county.town_a, county.town_b):
        own = selectors.in_subtree(selectors.Candidacy.objects, org).filter(organization=org)
        own_counts = {
            "applicants": own.filter(stage="applicant").count(),
            "activists": own.filter(stage="activist").count(),
            "candidates": own.filter(stage="candidate").count(),
            "probationary": Member.objects.filter(
                organization=org, status="probationary", removed_on__isnull=True
            ).count(),
        }
        children = selectors.pipeline_by_child(org)
        total = selectors.pipeline(org)
        for key in total:
            assert total[key] == own_counts[key] + sum(p[key] for _, p in children), (org, key)
    stats = selectors.development_figures(county.root, Period(2026))
    assert stats["pipeline"] == root
    before = selectors.pipeline(county.root)
    rollups.rebuild()
    assert selectors.pipeline(county.root) == before


def test_ended_and_candidate_since(county):
    c = walk(county, apply(county, 1), 7)
    since = D(2025, 1, 1)
    without = set(selectors.orgs_without_candidate([county.root.path], since))
    assert county.village_a1 not in without and county.village_a2 in without
    assert county.village_a1 in set(
        selectors.orgs_without_candidate([county.root.path], D(2025, 3, 4))
    )
    services.end(county.users["branch_a1"], c, reason="迁出本村", on=D(2025, 4, 1))
    assert selectors.pipeline(county.root)["candidates"] == 0


def test_four_cultivations_counts_and_shares(county):
    town = county.users["county"]
    m = county.members["TA01"][1]
    one = services.add_cultivation(
        town, county.village_a1, name="张致富", stage="leader", since=D(2025, 1, 1)
    )
    services.move_cultivation(town, one, stage="leader_member", on=D(2025, 8, 1))
    services.add_cultivation(
        town, county.village_a1, name=m.name, member=m, stage="secretary", since=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.move_cultivation(town, one, stage="leader", on=D(2025, 9, 1))
    assert "只能向前推进" in error.value.message_dict["stage"][0]
    ds = selectors.double_strong(county.root)
    assert ds["members"] == 2 and ds["secretaries"] == 1 and ds["cadres"] == 1
    assert ds["rural_members"] == 9 and ds["members_share"] == "22%"


def test_desk_lists_talks_decisions_and_overdue_below(county):
    from dangjian.development import desk

    talk = apply(county, 1, applied_on=TODAY - datetime.timedelta(days=40))
    waiting = walk(county, apply(county, 2), 16)  # assembly 2025-05-06: decision overdue
    items = desk.branch_items(county.users["branch_a1"], TODAY)
    titles = {i.title: i for i in items}
    talks = titles["入党申请待谈话"].lines
    assert [line.badge for line in talks] == ["late"] and talk.name in talks[0].text
    pending = titles["待上级党委审批"].lines
    assert len(pending) == 1 and waiting.name in pending[0].text and pending[0].badge == "late"
    upper = desk.upper_items(county.users["town_a"], TODAY)
    assert waiting.name in upper[0].lines[0].text
    assert desk.upper_items(county.users["town_b"], TODAY)[0].lines == []
    # The client's desk page renders with them.
    from django.test import Client

    web = Client()
    web.force_login(county.users["branch_a1"])
    assert web.get("/").status_code == 200
