"""Forms of the organizational-life pages. They check input shapes; the rules live in
`life.services` (and `orgs.health`), whose errors are put beside the fields they name."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput, MultipleFileField
from dangjian.core.text import LONG_TEXT, MINUTES_TEXT

from . import rules
from .models import AttendanceStatus, FollowUp, Grade, MeetingKind


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    also_counts_as = forms.MultipleChoiceField(
        label=_("同时计为"),
        choices=MeetingKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("一次会议同时是本月的主题党日、党员大会或党课时勾选，各计一次"),
    )
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput, initial=timezone.localdate)
    # Required here too (the service checks it again), so a missing topic is reported with
    # the other field errors in one round trip.
    topic = forms.CharField(
        label=_("会议主题"),
        max_length=200,
        error_messages={"required": _("请填写会议主题")},
    )
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    host = forms.ModelChoiceField(
        label=_("主持人"), queryset=None, required=False, empty_label=_("（未指定）")
    )
    lecturer_member = forms.ModelChoiceField(
        label=_("授课党员"),
        queryset=None,
        required=False,
        empty_label=_("（不是本组织党员）"),
        help_text=_("党课必填授课人：本组织党员从这里选，其他人填写下面的外请授课人"),
    )
    lecturer = forms.CharField(
        label=_("外请授课人"), max_length=60, required=False, help_text=_("姓名和单位职务")
    )
    review_year = forms.IntegerField(
        label=_("所属年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("组织生活会、民主生活会填写：1–2月召开的默认计入上一年度"),
    )
    minutes = forms.CharField(
        label=_("内容纪要"),
        required=False,
        max_length=MINUTES_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    resolutions = forms.CharField(
        label=_("决议事项"),
        required=False,
        max_length=MINUTES_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachments = MultipleFileField(label=_("照片或附件"), help_text=_("可选，可一次选择多个文件"))
    # The planned meeting this one is recorded from (?plan=): the service links the two.
    plan = forms.IntegerField(
        label=_("会议计划"), required=False, min_value=1, max_value=2**53, widget=forms.HiddenInput
    )

    def __init__(self, *args, attendees=None, org_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = attendees
        self.fields["lecturer_member"].queryset = attendees
        if org_kind is not None:
            # Only the meetings this kind of organization holds (life.rules); the service
            # checks again (the API and importers do not pass through this form).
            held = _held_kinds(org_kind)
            self.fields["kind"].choices = held
            also = [(k, label) for k, label in held if k in rules.COMBINABLE_KINDS]
            self.fields["also_counts_as"].choices = also
            if not also:
                del self.fields["also_counts_as"]


STATUS_CHOICES = AttendanceStatus.choices


def attendance_from_post(data) -> list[tuple[int, str, str]]:
    """[(member id, status, reason)] from the attendee rows `att_<id>` / `reason_<id>`.

    Every posted row is passed on, so the service (not the page) decides who may attend."""
    rows = []
    for key, status in data.items():
        if not key.startswith("att_"):
            continue
        try:
            member_id = int(key[4:])
        except ValueError:
            continue
        rows.append((member_id, status, data.get(f"reason_{member_id}", "")))
    return rows


def _held_kinds(org_kind):
    return [(k, label) for k, label in MeetingKind.choices if rules.fits(k, org_kind)]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class PlanForm(forms.Form):
    """A planned meeting (会议计划): what, when, where."""

    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    planned_on = forms.DateField(
        label=_("计划日期"), widget=DateInput, error_messages={"required": _("请填写计划日期")}
    )
    planned_at = forms.TimeField(label=_("计划时间"), required=False, widget=TimeInput)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    topic = forms.CharField(
        label=_("会议主题"), max_length=200, error_messages={"required": _("请填写会议主题")}
    )

    def __init__(self, *args, org_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if org_kind is not None:
            self.fields["kind"].choices = _held_kinds(org_kind)


class CancelPlanForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        error_messages={"required": _("请填写取消原因")},
    )


class VoidForm(forms.Form):
    void_reason = forms.CharField(label=_("作废原因"), max_length=200, required=False)


class TalkForm(forms.Form):
    held_on = forms.DateField(label=_("谈话日期"), widget=DateInput, initial=timezone.localdate)
    initiator = forms.ModelChoiceField(label=_("谈话人"), queryset=None)
    counterpart = forms.ModelChoiceField(label=_("谈话对象"), queryset=None)
    topic = forms.CharField(label=_("谈话主题"), max_length=200, required=False)
    note = forms.CharField(
        label=_("谈话要点"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiator"].queryset = members
        self.fields["counterpart"].queryset = members


GRADE_CHOICES = [("", _("（不评）"))] + list(Grade.choices)
FOLLOW_UP_CHOICES = list(FollowUp.choices)


class ReviewDateForm(forms.Form):
    reviewed_on = forms.DateField(label=_("评议日期"), widget=DateInput, initial=timezone.localdate)


def grades_from_post(data, member_ids) -> dict:
    """{member id: (grade, follow_up, note)} for the members given a grade on the page."""
    grades = {}
    for member_id in member_ids:
        grade = data.get(f"grade_{member_id}", "")
        if grade:
            grades[member_id] = (
                grade,
                data.get(f"follow_{member_id}", ""),
                data.get(f"note_{member_id}", ""),
            )
    return grades


class LeaderForm(forms.Form):
    member = forms.CharField(
        label=_("党员"), max_length=40, help_text=_("填写本组织（含下级组织）党员的姓名或身份证号")
    )
    title = forms.CharField(label=_("职务"), max_length=80, required=False)
