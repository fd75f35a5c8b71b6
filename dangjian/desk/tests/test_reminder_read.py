"""Reminders read marks (标为已读): per user, the desk lists unread current reminders with a
count and a button, a page lists all current ones, read ones included."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, RoleName
from dangjian.core.models import AuditEvent, Reminder, ReminderRead
from dangjian.desk.reminders import reminders_provider
from dangjian.testing import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def remind(org, key, days=5):
    return Reminder.objects.create(
        organization=org, key=key, text=f"提醒{key}", due_on=TODAY + datetime.timedelta(days=days)
    )


def test_the_desk_lists_unread_reminders_with_a_count_and_a_button(county):
    a = remind(county.village_a1, "a")
    remind(county.village_a1, "b")
    remind(county.village_a1, "old", days=-1)  # its date passed: not current
    remind(county.village_b1, "other")  # another branch's
    user = county.users["branch_a1"]
    [item] = reminders_provider(user, TODAY)
    assert item.count == 2 and len(item.lines) == 2
    assert item.lines[0].post_url == reverse("desk:reminder_read", args=[a.pk])
    assert item.lines[0].post_label == "标为已读"
    assert item.more_url == reverse("desk:reminders")
    ReminderRead.objects.create(user=user, reminder=a)
    [item] = reminders_provider(user, TODAY)
    assert item.count == 1 and "提醒b" in item.lines[0].text


def test_marking_read_is_per_user_and_posted(client, county):
    a = remind(county.village_a1, "a")
    secretary = county.users["branch_a1"]
    officer = make_user("officer_a1", RoleName.ORG_OFFICER, county.village_a1)
    client.force_login(secretary)
    url = reverse("desk:reminder_read", args=[a.pk])
    assert client.get(url).status_code == 405  # only a POST marks it
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("desk:home")
    client.post(url)  # twice is once
    assert ReminderRead.objects.filter(user=secretary, reminder=a).count() == 1
    assert AuditEvent.objects.filter(action="read").count() == 1
    assert reminders_provider(secretary, TODAY)[0].count == 0
    # Another officer of the same branch still has it unread.
    assert reminders_provider(officer, TODAY)[0].count == 1
    page = client.get(reverse("desk:home")).content.decode()
    assert "已标为已读：提醒a" in page and f'action="{url}"' not in page


def test_a_reminder_of_another_organization_cannot_be_marked(client, county):
    other = remind(county.village_b1, "other")
    client.force_login(county.users["branch_a1"])
    assert client.post(reverse("desk:reminder_read", args=[other.pk])).status_code == 404
    assert not ReminderRead.objects.exists()


def test_all_current_reminders_page_shows_read_ones_too(client, county):
    a = remind(county.village_a1, "a")
    remind(county.village_a1, "b")
    user = county.users["branch_a1"]
    ReminderRead.objects.create(user=user, reminder=a)
    client.force_login(user)
    page = client.get(reverse("desk:reminders")).content.decode()
    assert "提醒a" in page and "提醒b" in page
    assert page.count("已读</span>") == 1
    assert page.count("标为已读</button>") == 1
    response = client.post(reverse("desk:reminder_read", args=[a.pk]), {"next": "reminders"})
    assert response["Location"] == reverse("desk:reminders")


def test_a_member_has_no_reminders_to_mark(client, county):
    remind(county.village_a1, "a")
    client.force_login(county.users["member_a1"])
    assert "提醒a" not in client.get(reverse("desk:reminders")).content.decode()
    assert Role.objects.filter(user=county.users["member_a1"]).exists()
