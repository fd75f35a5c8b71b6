"""Forms of village governance: field types and labels only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import MatterCategory

WEEKDAYS = [
    ("", _("（按日期值班）")),
    ("0", _("周一")),
    ("1", _("周二")),
    ("2", _("周三")),
    ("3", _("周四")),
    ("4", _("周五")),
    ("5", _("周六")),
    ("6", _("周日")),
]


class MatterForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=120)
    category = forms.ChoiceField(label=_("类别"), choices=MatterCategory.choices)
    content = forms.CharField(label=_("事项内容"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.CharField(label=_("涉及金额（元）"), required=False)


class StepForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.ChoiceField(
        label=_("会议形式"),
        required=False,
        choices=[
            ("", "—"),
            (rules.REPRESENTATIVES, _("村民代表会议")),
            (rules.VILLAGERS, _("村民会议")),
        ],
    )
    due = forms.IntegerField(label=_("应到人数"), required=False, min_value=0)
    present = forms.IntegerField(label=_("实到人数"), required=False, min_value=0)
    households_due = forms.IntegerField(label=_("总户数（村民会议）"), required=False, min_value=0)
    households_present = forms.IntegerField(
        label=_("到会户代表数（村民会议）"), required=False, min_value=0
    )
    yes = forms.IntegerField(label=_("赞成"), required=False, min_value=0)
    no = forms.IntegerField(label=_("反对"), required=False, min_value=0)
    abstain = forms.IntegerField(label=_("弃权"), required=False, min_value=0)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("地点或公开方式"), required=False, max_length=120)

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if step not in rules.MEETINGS:
            for name in (
                "body",
                "due",
                "present",
                "households_due",
                "households_present",
                "yes",
                "no",
                "abstain",
            ):
                del self.fields[name]
        elif step != rules.VILLAGERS_ASSEMBLY:
            for name in ("body", "households_due", "households_present"):
                del self.fields[name]
        self.fields["text"].label = {
            rules.PROPOSAL: _("提议内容"),
            rules.RESOLUTION: _("公开的决议内容"),
            rules.RESULT: _("公开的实施结果"),
        }.get(step, _("会议情况"))


class OfficeHoursForm(forms.Form):
    weekday = forms.ChoiceField(label=_("星期"), choices=WEEKDAYS, required=False)
    on_date = forms.DateField(
        label=_("值班日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person_name = forms.CharField(label=_("姓名"), max_length=40)
    post = forms.CharField(label=_("职务"), max_length=40)
    work_phone = forms.CharField(label=_("办公电话"), max_length=30)
    starts_at = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}))
