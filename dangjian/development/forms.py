"""Forms of development: field types and labels only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput, MultipleFileField
from dangjian.members.models import Category, Education

from .models import Outcome, Track


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _n(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=30000)


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, help_text=_("出生日期和性别按身份证号确定")
    )
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    category = forms.ChoiceField(label=_("人员类别"), choices=Category.choices)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    applied_on = _date(_("申请入党日期"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


# The fields each step asks for, besides the date and the note.
STEP_FIELDS = {
    3: ("notice_from",),
    5: ("people",),
    7: ("notice_from",),
    9: ("people",),
    11: ("hours", "days"),
    13: ("notice_from",),
    15: ("voters", "present", "yes"),
    17: ("outcome", "special"),
    23: ("notice_from", "voters", "present", "yes"),
    24: ("outcome", "extension_months"),
}


class StepForm(forms.Form):
    done_on = _date(_("日期"))
    people = forms.ModelMultipleChoiceField(
        label=_("责任人（培养联系人、入党介绍人）"), queryset=None, required=False
    )
    hours = _n(_("培训学时"))
    days = _n(_("培训天数"))
    notice_from = _date(_("公示开始日期"), required=False)
    voters = _n(_("应到会有表决权的正式党员"))
    present = _n(_("实到人数"))
    yes = _n(_("赞成票"))
    outcome = forms.ChoiceField(label=_("审批结果"), choices=[], required=False)
    special = forms.BooleanField(label=_("特殊情况（审批期限延至6个月）"), required=False)
    extension_months = _n(_("延长预备期月数"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    files = MultipleFileField(label=_("材料（申请书、谈话记录、志愿书等扫描件）"))

    def __init__(self, *args, number, members, earliest="", **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"done_on", "note", "files", *STEP_FIELDS.get(number, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if earliest:
            self.fields["done_on"].help_text = earliest
        if "people" in self.fields:
            self.fields["people"].queryset = members
        if "outcome" in self.fields:
            allowed = ("approved", "cancelled") if number == 17 else Outcome.values
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] in allowed]
            self.fields["outcome"].required = True


class EndForm(forms.Form):
    end_reason = forms.CharField(label=_("终止原因"), max_length=200)
    ended_on = _date(_("终止日期"))


class CultivationForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=40, required=False, help_text=_("选择党员时可不填")
    )
    member = forms.ModelChoiceField(
        label=_("党员（尚未入党的致富能手不选）"), queryset=None, required=False
    )
    stage = forms.ChoiceField(label=_("培养阶段"), choices=Track.choices)
    since = _date(_("进入本阶段日期"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("推进到"), choices=Track.choices)
    on = _date(_("日期"))
    member = forms.ModelChoiceField(label=_("党员（已入党的）"), queryset=None, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
