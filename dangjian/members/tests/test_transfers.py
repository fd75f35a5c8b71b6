import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from dangjian.members import rules, transfers
from dangjian.members.models import Member, MemberMove, MobileRecord, Transfer
from dangjian.rollups.services import figures
from dangjian.testing import member_data

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


def orgs_holding(member) -> list[int]:
    """The organizations the member's record is in (exactly one while on the roll)."""
    m = Member.objects.get(pk=member.pk)
    return [] if m.removed_on else [m.organization_id]


# ---- rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "since, until, fixed, expected",
    [
        (D(2026, 1, 1), D(2026, 3, 31), True, "none"),  # under 3 months
        (D(2026, 1, 1), D(2026, 4, 1), True, "none"),  # exactly 3 months
        (D(2026, 1, 1), D(2026, 4, 15), True, "member_certificate"),
        (D(2026, 1, 1), D(2026, 7, 1), True, "member_certificate"),  # 6 months
        (D(2026, 1, 1), D(2026, 7, 15), True, "transfer_letter"),
        (D(2026, 1, 1), None, True, "mobile_certificate"),  # time uncertain
        (D(2026, 1, 1), D(2026, 12, 1), False, "mobile_certificate"),  # place uncertain
    ],
)
def test_suggested_document(since, until, fixed, expected):
    assert rules.suggested_document(since, until, fixed) == expected


def test_letter_validity_and_expiry():
    assert rules.letter_valid_until(D(2026, 1, 31), 3) == D(2026, 4, 29)
    assert rules.letter_valid_until(D(2026, 3, 1), 3) == D(2026, 5, 31)
    assert not rules.transfer_expired("issued", D(2026, 5, 31), D(2026, 5, 31))
    assert rules.transfer_expired("issued", D(2026, 5, 31), D(2026, 6, 1))
    assert not rules.transfer_expired("received", D(2026, 5, 31), D(2026, 6, 1))


def test_should_transfer_and_temporary_branch():
    assert rules.should_transfer(D(2026, 1, 1), D(2026, 7, 1), True)
    assert not rules.should_transfer(D(2026, 1, 1), D(2026, 6, 30), True)
    assert not rules.should_transfer(D(2026, 1, 1), None, True)
    assert rules.may_form_temporary_branch(3) and not rules.may_form_temporary_branch(2)


# ---- transfers inside the system -----------------------------------------------------------


def _issue(county, member=None, to=None, **kw):
    member = member or county.members["TA01"][1]
    kw.setdefault("letter_number", "甲组转〔2026〕1号")
    kw.setdefault("issued_on", TODAY)
    return transfers.issue(
        member,
        to=to or county.village_b1,
        actor=county.users["branch_a1"],
        today=TODAY,
        **kw,
    )


def test_issue_receive_confirm_moves_once(county):
    member = county.members["TA01"][1]
    t = _issue(county, member)
    assert t.valid_until == D(2026, 9, 14)
    assert orgs_holding(member) == [county.village_a1.pk]  # sender responsible until confirmed
    receiver = county.users["branch_b1"]
    transfers.receive(t, actor=receiver, today=TODAY)
    assert orgs_holding(member) == [county.village_a1.pk]
    t = transfers.confirm(t, actor=receiver, today=TODAY)
    assert t.status == "confirmed" and t.move is not None
    assert orgs_holding(member) == [county.village_b1.pk]
    assert figures(county.village_b1)["members"] == 4
    assert figures(county.village_a1)["members"] == 2
    assert figures(county.root)["members"] == 9
    # A second confirmation (a stale page, a double click) moves nobody again.
    with pytest.raises(ValidationError) as e:
        transfers.confirm(t, actor=receiver, today=TODAY)
    assert "status" in e.value.message_dict
    assert MemberMove.objects.filter(member=member).count() == 1


def test_who_may_act(county):
    t = _issue(county)
    with pytest.raises(PermissionDenied):
        transfers.confirm(t, actor=county.users["branch_a1"], today=TODAY)  # the sender
    with pytest.raises(PermissionDenied):
        transfers.issue(
            county.members["TB01"][0],
            to=county.village_a1,
            letter_number="x1",
            actor=county.users["branch_a1"],
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        transfers.cancel(t, actor=county.users["branch_b1"], today=TODAY)
    assert transfers.may_act(county.users["branch_b1"], t)["confirm"]
    assert not transfers.may_act(county.users["branch_a1"], t)["confirm"]
    assert transfers.may_act(county.users["branch_a1"], t)["cancel"]


def test_bad_input_names_fields(county):
    member = county.members["TA01"][1]
    with pytest.raises(ValidationError) as e:
        transfers.issue(
            member,
            to=county.village_a1,
            letter_number="",
            issued_on="2026-13-01",
            actor=county.users["branch_a1"],
            today=TODAY,
        )
    assert set(e.value.message_dict) == {"to_organization", "letter_number", "issued_on"}
    with pytest.raises(ValidationError) as e:
        transfers.issue(member, letter_number="1", actor=None, today=TODAY)
    assert "请选择转入组织" in e.value.message_dict["to_organization"][0]
    with pytest.raises(ValidationError) as e:
        transfers.issue(member, to=county.town_b, letter_number="1", today=TODAY)
    assert "党支部" in e.value.message_dict["to_organization"][0]
    assert not Transfer.objects.exists()


def test_one_open_letter_at_a_time(county):
    t = _issue(county)
    with pytest.raises(ValidationError) as e:
        _issue(county, to=county.village_a2, letter_number="2")
    assert "未办结" in e.value.message_dict["member"][0]
    transfers.cancel(t, actor=county.users["branch_a1"], today=TODAY)
    _issue(county, to=county.village_a2, letter_number="2")


def test_expired_or_cancelled_letter_cannot_be_confirmed(county):
    member = county.members["TA01"][1]
    t = _issue(county, member, issued_on=D(2026, 1, 10))
    receiver = county.users["branch_b1"]
    with pytest.raises(ValidationError) as e:
        transfers.confirm(t, actor=receiver, today=TODAY)
    assert "过期" in e.value.message_dict["valid_until"][0]
    transfers.cancel(t, actor=county.users["branch_a1"], today=TODAY)
    with pytest.raises(ValidationError):
        transfers.confirm(t, actor=receiver, today=TODAY)
    assert orgs_holding(member) == [county.village_a1.pk]
    assert not MemberMove.objects.filter(member=member).exists()


def test_received_letter_no_longer_expires(county):
    t = _issue(county, issued_on=D(2026, 3, 1))
    receiver = county.users["branch_b1"]
    transfers.receive(t, actor=receiver, on=D(2026, 5, 1), today=D(2026, 5, 1))
    transfers.confirm(t, actor=receiver, today=TODAY)
    assert orgs_holding(t.member) == [county.village_b1.pk]


def test_refusal_needs_a_reason_and_goes_back(county):
    member = county.members["TA01"][1]
    t = _issue(county, member)
    receiver = county.users["branch_b1"]
    with pytest.raises(ValidationError) as e:
        transfers.refuse(t, reason="  ", actor=receiver, today=TODAY)
    assert "refusal_reason" in e.value.message_dict
    t = transfers.refuse(t, reason="本人不在本村居住", actor=receiver, today=TODAY)
    assert t.status == "refused" and orgs_holding(member) == [county.village_a1.pk]
    # Back with the sender, who may issue again.
    _issue(county, member, to=county.village_a2, letter_number="2")


def test_member_moved_meanwhile_voids_the_letter(county):
    from dangjian.members import services

    member = county.members["TA01"][1]
    t = _issue(county, member)
    services.move(member, county.village_a2)
    with pytest.raises(ValidationError) as e:
        transfers.confirm(t, actor=county.users["branch_b1"], today=TODAY)
    assert "作废" in e.value.message_dict["member"][0]
    assert orgs_holding(member) == [county.village_a2.pk]


# ---- outside the system ----------------------------------------------------------------------


def test_transfer_out_removes_on_receipt(county):
    member = county.members["TA01"][1]
    t = transfers.issue(
        member,
        outside_name="中共杭州市某区某街道工委",
        letter_number="豫组转0001",
        actor=county.users["branch_a1"],
        today=TODAY,
    )
    assert t.direction == "out" and orgs_holding(member) == [county.village_a1.pk]
    with pytest.raises(ValidationError):
        transfers.confirm(t, actor=county.users["county"], today=TODAY)
    transfers.record_receipt(t, actor=county.users["branch_a1"], today=TODAY)
    m = Member.objects.get(pk=member.pk)
    assert m.removed_on == TODAY and "豫组转0001" in m.removed_reason
    assert orgs_holding(member) == []
    assert figures(county.root)["members"] == 8


def test_transfer_in_from_outside_creates_member(county):
    t = transfers.receive_from_outside(
        county.village_b1,
        outside_name="中共郑州市某支部",
        letter_number="郑组转0007",
        issued_on=TODAY,
        actor=county.users["branch_b1"],
        today=TODAY,
        **member_data(),
    )
    assert t.direction == "in" and t.status == "confirmed"
    assert orgs_holding(t.member) == [county.village_b1.pk]
    with pytest.raises(ValidationError) as e:
        transfers.receive_from_outside(
            county.village_b1,
            outside_name="",
            letter_number="",
            issued_on=None,
            actor=county.users["branch_b1"],
            today=TODAY,
            **member_data(),
        )
    assert set(e.value.message_dict) == {"outside_name", "letter_number", "issued_on"}


# ---- mobile members --------------------------------------------------------------------------


def test_mobile_record_keeps_flag_and_figure(county):
    member = county.members["TA01"][1]
    contact = county.members["TA01"][2]
    r = transfers.start_mobile(
        member,
        place="浙江省杭州市",
        unit="某电子厂",
        since=D(2026, 3, 1),
        expected_until=D(2026, 5, 31),
        contact_member=contact,
        actor=county.users["branch_a1"],
        today=TODAY,
    )
    assert r.document == "none" and r.contact == contact.name
    assert Member.objects.get(pk=member.pk).is_mobile
    assert figures(county.root).get("members.mobile") == 1
    with pytest.raises(ValidationError):
        transfers.start_mobile(member, place="x", since=TODAY, contact_member=contact, today=TODAY)
    transfers.end_mobile(r, actor=county.users["branch_a1"], today=TODAY)
    assert not Member.objects.get(pk=member.pk).is_mobile
    assert figures(county.root).get("members.mobile", 0) == 0


def test_mobile_bad_input_and_transfer_ends_it(county):
    member = county.members["TA01"][1]
    with pytest.raises(ValidationError) as e:
        transfers.start_mobile(
            member,
            place="",
            since=D(2026, 5, 1),
            expected_until=D(2026, 4, 1),
            contact_name="李四",
            contact_phone="123",
            today=TODAY,
        )
    assert set(e.value.message_dict) == {"place", "expected_until", "contact_phone"}
    transfers.start_mobile(
        member,
        place="上海市",
        since=D(2026, 1, 1),
        contact_name="李四",
        contact_phone="13900000000",
        today=TODAY,
    )
    t = _issue(county, member)
    transfers.confirm(t, actor=county.users["branch_b1"], today=TODAY)
    assert not MobileRecord.objects.filter(member=member, ended_on__isnull=True).exists()
    assert figures(county.root).get("members.mobile", 0) == 0


# ---- concurrency (PostgreSQL: real row locks) ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_move_once():
    """Two confirmations of one letter: at once on PostgreSQL (real row locks); one after the
    other on SQLite, which serializes writers and cannot run them at once."""
    from django.db import connections

    concurrent = connection.vendor == "postgresql"

    from dangjian.testing import build_county

    county = build_county(members_per_branch=1)
    member = county.members["TA01"][0]
    t = _issue(county, member)
    receiver = county.users["branch_b1"]
    results = []
    barrier = threading.Barrier(2 if concurrent else 1)

    def run():
        try:
            barrier.wait()
            transfers.confirm(Transfer.objects.get(pk=t.pk), actor=receiver, today=TODAY)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for th in threads:
        th.start()
        if not concurrent:
            th.join()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "refused"]
    assert MemberMove.objects.filter(member=member).count() == 1
    assert orgs_holding(member) == [county.village_b1.pk]


def test_desk_items(county):
    from dangjian.members import desk

    t = _issue(county, issued_on=D(2026, 3, 25))  # valid until 2026-06-24
    receiver = desk.transfers_to_confirm(county.users["branch_b1"], TODAY)
    assert receiver[0].count == 1 and t.member.name in receiver[0].lines[0].text
    sender = desk.letters_near_expiry(county.users["branch_a1"], TODAY)
    assert sender[0].count == 1
    assert desk.letters_near_expiry(county.users["branch_a1"], D(2026, 5, 1))[0].count == 0
    upper = desk.transfers_pending_below(county.users["county"], TODAY)
    assert upper[0].count == 1  # open for more than 30 days
    assert desk.transfers_pending_below(county.users["county"], D(2026, 4, 20))[0].count == 0
    assert desk.transfers_pending_below(county.users["town_b"], TODAY)[0].count == 1


def test_messages_in_english(county):
    from django.utils.translation import override

    with override("en"), pytest.raises(ValidationError) as e:
        transfers.issue(county.members["TA01"][1], letter_number="", today=TODAY)
    assert e.value.message_dict["letter_number"] == ["Please give the letter number"]
