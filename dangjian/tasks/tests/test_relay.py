"""Review by the receiver's parent level, and relaying an assignment (转办) down the tree:
the relayer's figures are its relayed receivers' sum plus its own part, counted once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.tasks import selectors, services

D = datetime.date
FIELDS = [
    {"key": "people", "label": "参加人数", "type": "integer", "unit": "人", "min_value": 0},
    {"key": "note", "label": "备注", "type": "text", "required": False},
]


def _issue(county, receivers, **kwargs):
    today = timezone.localdate()
    return services.issue(
        county.root,
        title="冬季走访",
        content="走访困难党员并报送人数",
        starts_on=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=20),
        receivers=receivers,
        fields=FIELDS,
        actor=county.users["county"],
        **kwargs,
    )


def rb(assignment, code):
    return assignment.report_backs.get(organization__code=code)


@pytest.fixture
def to_villages(county):
    return _issue(county, {"mode": "filter", "levels": ["village"]}, reviewer="parent")


@pytest.fixture
def to_towns(county):
    return _issue(county, {"mode": "filter", "levels": ["township"]})


def test_parent_level_reviews_its_villages(county, to_villages):
    a1 = rb(to_villages, "TA01")
    services.report(a1, values={"people": 5}, actor=county.users["branch_a1"])
    assert services.reviewing_org(a1) == county.town_a
    # The township accepts its village's report: only the issuer could before.
    services.accept(a1, actor=county.users["town_a"])
    assert rb(to_villages, "TA01").status == "accepted"
    # Another township may not.
    b1 = rb(to_villages, "TB01")
    services.report(b1, values={"people": 2}, actor=county.users["branch_b1"])
    with pytest.raises(PermissionDenied):
        services.return_(b1, reason="不全", actor=county.users["town_a"])
    # Nothing waits for the county's review: each township reviews its own villages.
    assert not selectors.awaiting_review(county.users["county"], to_villages).exists()
    assert list(selectors.awaiting_review(county.users["town_b"], to_villages)) == [b1]
    assert not selectors.awaiting_review(county.users["town_a"], to_villages).exists()


def test_issuer_review_stays_the_default(county, to_towns):
    ta = rb(to_towns, "TA")
    services.report(ta, values={"people": 1}, actor=county.users["town_a"])
    with pytest.raises(PermissionDenied):
        services.accept(ta, actor=county.users["town_a"])  # not its own report
    assert list(selectors.awaiting_review(county.users["county"], to_towns)) == [ta]


def test_bad_reviewer_is_named(county):
    with pytest.raises(ValidationError) as e:
        _issue(county, {"mode": "subtree"}, reviewer="nobody")
    assert "审核方" in e.value.message_dict["reviewer"][0]


def test_relay_sums_relayed_reports_plus_own_part_counted_once(county, to_towns):
    ta = rb(to_towns, "TA")
    deadline = to_towns.deadline - datetime.timedelta(days=5)
    relayed = services.relay(
        ta,
        deadline=deadline,
        note="每村至少走访5户",
        fields=[{"label": "走访户数", "type": "integer"}],
        actor=county.users["town_a"],
    )
    # Default: the township's direct children that hold the work (groups never do).
    assert set(relayed.report_backs.values_list("organization__code", flat=True)) == {
        "TA01",
        "TA02",
    }
    assert relayed.issuer == county.town_a and relayed.deadline == deadline
    assert [f.key for f in services.fields_of(relayed)] == ["people", "note", "extra1"]
    assert services.chain(relayed) == [county.root, county.town_a]
    # The relayed receivers report; the township reviews them (it issued the relay).
    services.report(
        rb(relayed, "TA01"), values={"people": 7, "extra1": 3}, actor=county.users["branch_a1"]
    )
    services.report(
        rb(relayed, "TA02"), values={"people": 4, "extra1": 2}, actor=county.users["town_a"]
    )
    services.accept(rb(relayed, "TA01"), actor=county.users["town_a"])
    services.return_(rb(relayed, "TA02"), reason="缺照片", actor=county.users["town_a"])
    # Returned reports are not counted: 7 (accepted) + 2 (own part).
    assert services.relayed_sums(ta) == {"people": 7}
    services.report(
        rb(relayed, "TA02"), values={"people": 4, "extra1": 2}, actor=county.users["town_a"]
    )
    assert services.relayed_sums(ta) == {"people": 11}
    ta = services.report(ta, values={"people": 2}, actor=county.users["town_a"])
    assert ta.values["people"] == 13
    assert ta.own_values == {"people": 2} and ta.relayed_values == {"people": 11}
    # Town B reports directly.
    services.report(rb(to_towns, "TB"), values={"people": 6}, actor=county.users["town_b"])
    # The county's sum counts each visit once: 13 + 6, not 13 + 11 + 6.
    assert services.summed_values(to_towns, county.root)["people"] == 19
    assert services.summed_values(relayed, county.town_a)["people"] == 11
    # The relay is seen on the county's side as issued below it, on the township's too.
    assert selectors.visible_assignments(county.users["county"]).filter(pk=relayed.pk).exists()
    assert (
        selectors.visible_assignments(county.users["town_a"], "issued")
        .filter(pk=relayed.pk)
        .exists()
    )


def test_own_part_and_total_range_errors_name_the_field(county, to_towns):
    ta = rb(to_towns, "TA")
    services.relay(ta, actor=county.users["town_a"])
    with pytest.raises(ValidationError) as e:
        services.report(ta, values={"people": "-1"}, actor=county.users["town_a"])
    assert "本级自身部分" in e.value.message_dict["people"][0]
    with pytest.raises(ValidationError) as e:
        services.report(ta, values={"people": "很多"}, actor=county.users["town_a"])
    assert "参加人数" in e.value.message_dict["people"][0]


def test_a_village_cannot_relay(county, to_villages):
    a1 = rb(to_villages, "TA01")  # has only a group under it
    with pytest.raises(ValidationError) as e:
        services.relay(a1, actor=county.users["branch_a1"])
    assert "没有可以转办的组织" in e.value.message_dict["receivers"][0]
    assert not services.can_relay(county.users["branch_a1"], a1)
    a2 = rb(to_villages, "TA02")  # nothing at all under it
    with pytest.raises(ValidationError):
        services.relay(a2, codes=["TA0101"], actor=county.users["town_a"])


def test_relay_stays_in_the_subtree_and_checks_its_input(county, to_towns):
    ta = rb(to_towns, "TA")
    town_a = county.users["town_a"]
    with pytest.raises(ValidationError) as e:
        services.relay(ta, codes=["TB01"], actor=town_a)
    assert "TB01" in e.value.message_dict["receivers"][0]
    with pytest.raises(PermissionDenied):
        services.relay(rb(to_towns, "TB"), actor=town_a)  # not its receiver
    with pytest.raises(ValidationError) as e:
        services.relay(ta, deadline=to_towns.deadline + datetime.timedelta(days=1), actor=town_a)
    assert "截止日期" in e.value.message_dict["deadline"][0]
    with pytest.raises(ValidationError) as e:
        services.relay(ta, codes=[], actor=town_a)
    assert e.value.message_dict["receivers"] == ["请选择转办的组织"]
    with pytest.raises(ValidationError) as e:
        services.relay(
            ta, fields=[{"key": "people", "label": "人数", "type": "integer"}], actor=town_a
        )
    assert "重复" in e.value.message_dict["fields"][0]
    assert not ta.assignment.__class__.objects.filter(relayed_from=ta).exists()  # nothing written
    services.relay(ta, codes=["TA01"], actor=town_a)
    with pytest.raises(ValidationError) as e:
        services.relay(ta, codes=["TA02"], actor=town_a)
    assert "重复" in e.value.message_dict["receivers"][0]


def test_no_relay_to_an_organization_that_received_the_original(county):
    both = _issue(county, {"mode": "orgs", "codes": ["TA", "TA01"]})
    ta = rb(both, "TA")
    with pytest.raises(ValidationError) as e:
        services.relay(ta, codes=["TA01"], actor=county.users["town_a"])
    assert "甲一村党支部" in e.value.message_dict["receivers"][0]
    relayed = services.relay(ta, actor=county.users["town_a"])  # the default leaves TA01 out
    assert list(relayed.report_backs.values_list("organization__code", flat=True)) == ["TA02"]


def test_relayed_report_cannot_relay_after_reporting(county, to_towns):
    ta = rb(to_towns, "TA")
    services.report(ta, values={"people": 1}, actor=county.users["town_a"])
    with pytest.raises(ValidationError) as e:
        services.relay(ta, actor=county.users["town_a"])
    assert "已报送" in e.value.message_dict["status"][0]


def test_withdrawing_the_original_withdraws_its_relays(county, to_towns):
    relayed = services.relay(rb(to_towns, "TA"), actor=county.users["town_a"])
    services.withdraw(to_towns, reason="上级通知取消", actor=county.users["county"])
    relayed.refresh_from_db()
    assert (relayed.status, relayed.withdrawn_reason) == ("withdrawn", "上级通知取消")
    with pytest.raises(ValidationError):
        services.report(rb(relayed, "TA01"), values={"people": 1}, actor=county.users["town_a"])


def test_an_earlier_deadline_is_passed_down_to_the_relays(county, to_towns):
    relayed = services.relay(rb(to_towns, "TA"), actor=county.users["town_a"])
    earlier = to_towns.deadline - datetime.timedelta(days=7)
    services.revise(to_towns, reason="提前完成", deadline=earlier, actor=county.users["county"])
    relayed.refresh_from_db()
    assert relayed.deadline == earlier and relayed.version == 2
    assert relayed.revisions.get().reason == "提前完成"
