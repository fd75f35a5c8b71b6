"""Property tests of the two forms a branch fills most (hypothesis): whatever a browser
posts to the meeting form and the report-back form, the answer is the page again (with
messages) or a redirect after saving, never a server error, and nothing is half-written:
a refused post changes nothing, an accepted one writes one whole record, and the roll-up
still equals a rebuild."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.life.models import Attendance, Meeting, MeetingKind
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup
from dangjian.tasks import services as tasks
from dangjian.tasks.models import ReportBack

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# What a browser can send in a form field: any text without NUL, and values near the real.
TEXT = st.one_of(
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["", " ", "0", "-1", "1e9", "9" * 30, "=1+1", "\u202e", "２０２６-０１-０１"]),
)
DATES = st.one_of(
    TEXT,
    st.dates(
        min_value=datetime.date(1990, 1, 1), max_value=TODAY + datetime.timedelta(days=30)
    ).map(str),
)


def mostly(valid, strategy=TEXT):
    """A valid value about half the time (so that saving is exercised), else anything."""
    return st.one_of(valid, strategy)


RECENT = st.dates(min_value=TODAY.replace(day=1), max_value=TODAY).map(str)


def figures():
    return {
        (o, k, v) for o, k, v in Rollup.objects.values_list("organization_id", "key", "value") if v
    }


def assert_rollups_equal_rebuild():
    before = figures()
    rollups.rebuild()
    assert figures() == before


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_meeting_form_saves_one_whole_meeting_or_nothing(county, data):
    client = Client()
    client.force_login(county.users["branch_a1"])
    members = county.members["TA01"] + county.members["TB01"][:1]  # one outsider
    post = {
        "kind": data.draw(
            mostly(
                st.sampled_from(["theme_day", "party_lecture"]),
                st.one_of(st.sampled_from(MeetingKind.values), TEXT),
            )
        ),
        "also_counts_as": data.draw(
            mostly(st.just([]), st.lists(st.sampled_from(MeetingKind.values), max_size=3))
        ),
        "held_on": data.draw(mostly(RECENT, DATES)),
        "topic": data.draw(mostly(st.just("学习党章"))),
        "place": data.draw(TEXT),
        "lecturer": data.draw(mostly(st.just("县委党校王老师"))),
        "lecturer_member": data.draw(
            mostly(st.just(""), st.sampled_from([*[str(m.pk) for m in members], "x"]))
        ),
        "host": data.draw(
            mostly(st.just(""), st.sampled_from([*[str(m.pk) for m in members], "-5"]))
        ),
        "review_year": data.draw(mostly(st.just(""), st.integers(1990, 2110).map(str))),
        "minutes": data.draw(TEXT),
    }
    for m in data.draw(st.lists(st.sampled_from(members), unique=True, max_size=4)):
        post[f"att_{m.pk}"] = data.draw(
            mostly(st.sampled_from(["present", "leave", "absent"]), st.just("late"))
        )
        post[f"reason_{m.pk}"] = data.draw(mostly(st.just("外出务工")))
    meetings, attendance = Meeting.objects.count(), Attendance.objects.count()

    response = client.post(reverse("life:meeting_new", args=["TA01"]), post)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert (Meeting.objects.count(), Attendance.objects.count()) == (meetings, attendance)
    else:
        assert Meeting.objects.count() == meetings + 1
        meeting = Meeting.objects.order_by("-id").first()
        assert meeting.attendance.count() == Attendance.objects.count() - attendance
        assert_rollups_equal_rebuild()


@pytest.fixture
def report_back(county):
    assignment = tasks.issue(
        county.root,
        title="主题党日",
        content="召开一次主题党日并报数",
        starts_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=10),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[
            {"key": "people", "label": "参加人数", "type": "integer", "required": True},
            {"key": "rate", "label": "比例", "type": "decimal", "required": False},
            {"key": "how", "label": "做法", "type": "text", "required": False},
        ],
    )
    return assignment.report_backs.get(organization__code="TA01")


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_report_back_form_saves_the_whole_report_or_nothing(county, report_back, data):
    client = Client()
    client.force_login(county.users["branch_a1"])
    report_back.refresh_from_db()
    before = (report_back.status, report_back.values, report_back.text)
    post = {
        "action": data.draw(
            mostly(st.just("report"), st.sampled_from(["save", "", "accept", "x"]))
        ),
        "text": data.draw(TEXT),
        "v_people": data.draw(
            mostly(st.integers(0, 200).map(str), st.integers(-(10**12), 10**12).map(str))
        ),
        "v_rate": data.draw(mostly(st.just(""), st.floats(allow_nan=True).map(str))),
        "v_how": data.draw(TEXT),
    }

    response = client.post(reverse("tasks:report", args=[report_back.pk]), post)

    assert response.status_code in (200, 302, 403), response.status_code
    after = ReportBack.objects.get(pk=report_back.pk)
    if (after.status, after.values, after.text) != before:
        # Saved: the whole report, with the required figure, as reported.
        assert after.status == "reported" and after.values.get("people") is not None
