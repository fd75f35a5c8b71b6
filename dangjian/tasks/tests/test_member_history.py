"""Report-backs in a member's own history (members.timeline via tasks.timeline): those the
member sent with their own account (ReportBack.reported_by), seen by them and their managers;
another member's never."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dangjian.tasks import services

DAY = datetime.timedelta(days=1)


def history(client, user, member):
    client.force_login(user)
    response = client.get(reverse("members:history", args=[member.pk]))
    return response.status_code, response.content.decode()


def test_report_backs_the_member_sent_are_in_their_history(client, county):
    today = timezone.localdate()
    a = services.issue(
        county.root,
        title="乡村振兴晒账单",
        content="内容",
        starts_on=today,
        deadline=today + 5 * DAY,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[],
        actor=county.users["county"],
    )
    own, secretary, other = county.members["TA01"]  # `own` is member_a1's record
    secretary.user = county.users["branch_a1"]  # the branch secretary's own member record
    secretary.save(update_fields=["user"])
    rb = a.report_backs.get(organization=county.village_a1)
    services.report(rb, values={}, actor=county.users["branch_a1"])
    url = reverse("tasks:report", args=[rb.pk])
    for user in (county.users["branch_a1"], county.users["town_a"]):
        status, html = history(client, user, secretary)
        assert status == 200 and "报送晒账单" in html and "乡村振兴晒账单" in html and url in html
    # Another member of the same branch: not named in it.
    status, html = history(client, county.users["town_a"], other)
    assert status == 200 and "报送晒账单" not in html
    # An ordinary member's own history does not list the branch's report-back they can see.
    status, html = history(client, county.users["member_a1"], own)
    assert status == 200 and "乡村振兴晒账单" not in html
    # Nor may that member open the secretary's history.
    assert history(client, county.users["member_a1"], secretary)[0] == 404
