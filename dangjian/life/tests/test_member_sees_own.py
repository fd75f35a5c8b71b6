"""What an ordinary member sees of organizational life: the branch's meetings (dates,
topics, counts), their own attendance, their own review grade, the talks they took part
in — not the others' grades, leave reasons, talks or meeting files. Pages, exports and the
API alike (they all read through life.selectors)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts import tokens
from dangjian.life import services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET_REASON = "家中老人住院"


@pytest.fixture
def branch_life(county):
    own, other, third = county.members["TA01"]
    day = TODAY.replace(day=1)
    meeting = services.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=day,
        topic="学习党章",
        attendance=[(own.pk, "present", ""), (other.pk, "leave", SECRET_REASON)],
        attachments=[SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes", "application/pdf")],
    )
    services.record_reviews(
        county.village_a1,
        TODAY.year,
        {
            own.pk: ("excellent", "", ""),
            other.pk: ("unqualified", "rectify", ""),
            third.pk: ("qualified", "", ""),
        },
        reviewed_on=day,
    )
    mine = services.record_talk(
        county.village_a1, held_on=day, initiator=own, counterpart=other, topic="谈工作"
    )
    theirs = services.record_talk(
        county.village_a1, held_on=day, initiator=other, counterpart=third, topic="谈家事"
    )
    return {"meeting": meeting, "own": own, "other": other, "mine": mine, "theirs": theirs}


def logged_in(county, name):
    client = Client()
    client.force_login(county.users[name])
    return client


def export_rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)][1:-1]  # no 合计 row


def test_a_member_sees_the_meeting_but_not_others_leave_reasons_or_files(county, branch_life):
    meeting = branch_life["meeting"]
    page = logged_in(county, "member_a1").get(reverse("life:meeting", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "学习党章" in html
    assert branch_life["own"].name in html
    assert SECRET_REASON not in html and branch_life["other"].name not in html
    assert "会议记录.pdf" not in html
    attachment = meeting.attachments.get()
    member = logged_in(county, "member_a1")
    assert member.get(reverse("life:attachment", args=[attachment.pk])).status_code == 404
    # The branch secretary sees it all.
    secretary = logged_in(county, "branch_a1").get(reverse("life:meeting", args=[meeting.pk]))
    assert SECRET_REASON in secretary.content.decode()
    assert "会议记录.pdf" in secretary.content.decode()


def test_a_member_sees_their_own_review_grade_only(county, branch_life):
    member = logged_in(county, "member_a1")
    html = member.get(reverse("life:reviews", args=["TA01"])).content.decode()
    assert branch_life["own"].name in html and branch_life["other"].name not in html
    rows = export_rows(member.get(reverse("life:reviews_export", args=["TA01"])))
    assert len(rows) == 1 and branch_life["own"].name in rows[0]
    _, raw = tokens.create(county.users["member_a1"])
    api = Client().get(
        "/api/life/reviews", {"org": "TA01"}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert [r["member_name"] for r in api.json()["items"]] == [branch_life["own"].name]
    secretary_rows = export_rows(
        logged_in(county, "branch_a1").get(reverse("life:reviews_export", args=["TA01"]))
    )
    assert len(secretary_rows) == 3


def test_a_member_sees_the_talks_they_took_part_in(county, branch_life):
    member = logged_in(county, "member_a1")
    html = member.get(reverse("life:talks", args=["TA01"])).content.decode()
    assert "谈工作" in html and "谈家事" not in html
    _, raw = tokens.create(county.users["member_a1"])
    api = Client().get(
        "/api/life/talks", {"org": "TA01"}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert [t["topic"] for t in api.json()["items"]] == ["谈工作"]
    secretary = logged_in(county, "branch_a1").get(reverse("life:talks", args=["TA01"]))
    assert "谈家事" in secretary.content.decode()


def test_a_members_api_meeting_lists_only_their_own_attendance(county, branch_life):
    _, raw = tokens.create(county.users["member_a1"])
    response = Client().get(
        f"/api/life/meetings/{branch_life['meeting'].pk}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    rows = response.json()["attendance_list"]
    assert [r["member_name"] for r in rows] == [branch_life["own"].name]
    assert SECRET_REASON not in response.content.decode()
