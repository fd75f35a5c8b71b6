"""A reason for an absent (缺席) member too, optional, stored and shown; 民主评议 lists who
was absent without a reason, with a count per member for the year (issue 11, defect 2)."""

import datetime

import pytest
from django.urls import reverse

from dangjian.life.models import Attendance, Meeting
from dangjian.life.tests.test_views import TODAY, login, meeting_post

pytestmark = pytest.mark.django_db


def test_absent_with_and_without_reason_and_the_review_page(client, county):
    a, b, c = county.members["TA01"]
    login(client, county, "branch_a1")
    new = reverse("life:meeting_new", args=["TA01"])
    form = client.get(new).content.decode()
    assert "原因（请假必填，缺席可不填）" in form
    post = meeting_post(
        county,
        **{f"att_{b.pk}": "absent", f"reason_{b.pk}": "外出务工", f"att_{c.pk}": "absent"},
        **{f"reason_{a.pk}": "出席者不需要原因"},
    )
    assert client.post(new, post).status_code == 302
    meeting = Meeting.objects.get()
    reasons = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "reason"))
    assert reasons == {a.pk: "", b.pk: "外出务工", c.pk: ""}
    detail = client.get(reverse("life:meeting", args=[meeting.pk])).content.decode()
    assert "外出务工" in detail
    # A second meeting, c absent again without a reason.
    earlier = (TODAY - datetime.timedelta(days=1)).isoformat()
    second = meeting_post(county, topic="第二次", held_on=earlier, **{f"att_{c.pk}": "absent"})
    response = client.post(new, second)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(reverse("life:reviews", args=["TA01"]) + f"?year={TODAY.year}")
    html = page.content.decode()
    listed = {e["member"].pk: e["absences"] for e in page.context["absent"]}
    assert listed == {c.pk: 2}  # b gave a reason: not counted
    assert f"{c.name} 2 次" in html
