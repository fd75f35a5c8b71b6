"""Forms of supervision: field types and labels only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput, MultipleFileField, OrgCodeField, ScopedForm

from .models import InspectionKind, MeasureKind

TEXTAREA = {"rows": 3}


class ItemForm(forms.Form):
    problem = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs=TEXTAREA))
    measure_kind = forms.ChoiceField(label=_("整改措施类别"), choices=MeasureKind.choices)
    measures = forms.CharField(
        label=_("整改措施"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput)
    owner_name = forms.CharField(label=_("整改责任人"), max_length=40, required=False)
    county_name = forms.CharField(label=_("县级包保领导"), max_length=40, required=False)
    county_post = forms.CharField(label=_("县级包保领导职务"), max_length=60, required=False)
    township_name = forms.CharField(label=_("乡级包保领导"), max_length=40, required=False)
    township_post = forms.CharField(label=_("乡级包保领导职务"), max_length=60, required=False)
    village_name = forms.CharField(label=_("村（支部）责任人"), max_length=40, required=False)
    village_post = forms.CharField(label=_("村（支部）责任人职务"), max_length=60, required=False)

    def guarantors(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"level": level, "name": d[f"{level}_name"], "post": d[f"{level}_post"]}
            for level in ("county", "township", "village")
            if d.get(f"{level}_name") or d.get(f"{level}_post")
        ]

    def item_data(self) -> dict:
        d = self.cleaned_data
        return {
            "problem": d["problem"],
            "measure_kind": d["measure_kind"],
            "measures": d["measures"],
            "deadline": d["deadline"],
            "owner_name": d["owner_name"],
            "guarantors": self.guarantors(),
        }


class ProgressForm(forms.Form):
    noted_on = forms.DateField(label=_("日期"), widget=DateInput, required=False)
    text = forms.CharField(label=_("整改进展"), widget=forms.Textarea(attrs=TEXTAREA))
    files = MultipleFileField(label=_("佐证材料（可选）"))


class SignOffForm(forms.Form):
    rectified_on = forms.DateField(label=_("销号日期"), widget=DateInput, required=False)
    note = forms.CharField(
        label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("督查方式"), choices=InspectionKind.choices)
    title = forms.CharField(label=_("计划名称"), max_length=120)
    content = forms.CharField(
        label=_("督查内容"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput)
    sample_size = forms.IntegerField(
        label=_("每次抽查党支部数（电话抽查）"), required=False, min_value=0, max_value=500
    )
    scored = forms.BooleanField(label=_("需要评分"), required=False)
    indicator_code = forms.CharField(label=_("考核指标编码（可选）"), max_length=40, required=False)


class InspectionForm(forms.Form):
    held_on = forms.DateField(label=_("督查日期"), widget=DateInput)
    inspectors = forms.CharField(label=_("督查人员"), max_length=200)
    summary = forms.CharField(
        label=_("总体情况"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )


class FindingForm(ScopedForm):
    organization = OrgCodeField(label=_("被督查组织"))
    problem = forms.CharField(
        label=_("发现的问题"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    score = forms.CharField(label=_("得分"), required=False, max_length=10)
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=DateInput,
        help_text=_("有问题的列入整改台账；不填则为30天后"),
    )
    owner_name = forms.CharField(label=_("整改责任人"), max_length=40, required=False)
    measure_kind = forms.ChoiceField(label=_("整改措施类别"), choices=MeasureKind.choices)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("反馈情况"), widget=forms.Textarea(attrs=TEXTAREA))


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("约谈日期"), widget=DateInput)
    interviewers = forms.CharField(label=_("约谈人"), max_length=200)
    interviewees = forms.CharField(label=_("被约谈人"), max_length=200)
    content = forms.CharField(label=_("约谈内容"), widget=forms.Textarea(attrs=TEXTAREA))
    outcome = forms.CharField(label=_("约谈结果"), widget=forms.Textarea(attrs=TEXTAREA))
