"""Forms of serving the public: field types and labels only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput

from .models import (
    ConcernCategory,
    ConcernStatus,
    ResidentGroup,
    TeamRole,
    VisitKind,
)


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


def _area(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class PledgeForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("承诺党员（不选为组织承诺）"), queryset=None, required=False
    )
    content = forms.CharField(label=_("承诺内容"), max_length=200)
    beneficiary = forms.CharField(label=_("服务对象"), max_length=120)
    due_on = _date(_("承诺完成时间"))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members


class ClosePledgeForm(forms.Form):
    done = forms.TypedChoiceField(
        label=_("结果"),
        choices=[("1", _("已兑现")), ("0", _("未兑现"))],
        coerce=lambda v: v == "1",
    )
    evidence = _area(_("兑现情况"), required=False)
    reason = _area(_("未兑现原因"), required=False)
    closed_on = _date(_("办结日期"), required=False)


class PostForm(forms.Form):
    title = forms.CharField(label=_("岗位名称"), max_length=80)
    duties = _area(_("岗位职责"))
    places = forms.IntegerField(label=_("认领人数上限"), min_value=1, max_value=500, initial=1)


class ServiceRecordForm(forms.Form):
    served_on = _date(_("服务日期"))
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=4, decimal_places=1)
    people_served = forms.IntegerField(label=_("服务群众人数"), min_value=0)
    content = forms.CharField(label=_("服务内容"), max_length=200)


CATEGORY_CHOICES = [("", "—"), *ConcernCategory.choices]


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("走访类型"), choices=VisitKind.choices)
    visitor = forms.CharField(label=_("走访人"), max_length=60)
    household = forms.CharField(label=_("走访对象（户主或单位）"), max_length=80)
    visited_on = _date(_("走访日期"))
    findings = _area(_("走访情况"))
    work_team = forms.ModelChoiceField(label=_("驻村工作队"), queryset=None, required=False)
    category = forms.ChoiceField(
        label=_("反映的民情：类别（没有可不填）"), choices=CATEGORY_CHOICES, required=False
    )
    content = _area(_("反映的问题"), required=False, rows=2)
    raised_by = forms.CharField(label=_("反映人"), max_length=60, required=False)
    owner = forms.CharField(label=_("责任人"), max_length=60, required=False)
    due_on = _date(_("办理期限"), required=False)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_team"].queryset = teams
        if not teams.exists():
            del self.fields["work_team"]

    def concern(self) -> list[dict]:
        d = self.cleaned_data
        if not any(d.get(k) for k in ("category", "content", "owner", "due_on")):
            return []
        return [{k: d.get(k) for k in ("category", "content", "raised_by", "owner", "due_on")}]


class ConcernForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=ConcernCategory.choices)
    content = _area(_("反映的问题"), rows=2)
    raised_by = forms.CharField(label=_("反映人"), max_length=60, required=False)
    owner = forms.CharField(label=_("责任人"), max_length=60)
    due_on = _date(_("办理期限"))


class FollowForm(forms.Form):
    text = forms.CharField(label=_("办理情况"), max_length=300)
    noted_on = _date(_("日期"), required=False)


class CloseConcernForm(forms.Form):
    status = forms.ChoiceField(
        label=_("办结方式"),
        choices=[
            (ConcernStatus.SOLVED, ConcernStatus.SOLVED.label),
            (ConcernStatus.ANSWERED, ConcernStatus.ANSWERED.label),
        ],
    )
    outcome = _area(_("办理结果"), required=False)
    closed_on = _date(_("办结日期"), required=False)


class ProxyForm(forms.Form):
    resident = forms.CharField(label=_("代办对象"), max_length=60)
    group = forms.ChoiceField(label=_("对象类别"), choices=ResidentGroup.choices)
    matter = forms.CharField(label=_("代办事项"), max_length=200)
    handler = forms.CharField(label=_("代办人"), max_length=60)
    requested_on = _date(_("受理日期"), required=False)


class ProxyStepForm(forms.Form):
    text = forms.CharField(label=_("办理步骤"), max_length=300)
    done_on = _date(_("日期"), required=False)
    finish = forms.BooleanField(label=_("已办结（本步骤即办理结果）"), required=False)


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("建议题目"), max_length=120)
    content = _area(_("建议内容"), rows=5)


class ReplyForm(forms.Form):
    reply = _area(_("书面答复"), rows=4)
    replied_on = _date(_("答复日期"), required=False)


class GroupForm(forms.Form):
    topic = forms.CharField(label=_("归类"), max_length=40)
    meeting_on = _date(_("会议日期"))
    suggestions = forms.ModelMultipleChoiceField(
        label=_("建议"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, suggestions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = suggestions


class TeamForm(forms.Form):
    name = forms.CharField(label=_("工作队名称"), max_length=80)
    unit = forms.CharField(label=_("派出单位"), max_length=80)
    starts_on = _date(_("任期开始"))
    ends_on = _date(_("任期结束"))
    person_name = forms.CharField(label=_("队员姓名"), max_length=40)
    person_role = forms.ChoiceField(label=_("职务"), choices=TeamRole.choices)
    person_unit = forms.CharField(label=_("原单位及职务"), max_length=80, required=False)
    person_phone = forms.CharField(label=_("办公电话"), max_length=30)
    person2_name = forms.CharField(label=_("队员姓名（第二人）"), max_length=40, required=False)
    person2_role = forms.ChoiceField(
        label=_("职务（第二人）"), choices=TeamRole.choices, required=False
    )
    person2_phone = forms.CharField(label=_("办公电话（第二人）"), max_length=30, required=False)

    def people(self) -> list[dict]:
        d = self.cleaned_data
        out = [
            {
                "name": d["person_name"],
                "role": d["person_role"],
                "unit": d.get("person_unit", ""),
                "work_phone": d["person_phone"],
            }
        ]
        if d.get("person2_name"):
            out.append(
                {
                    "name": d["person2_name"],
                    "role": d.get("person2_role"),
                    "unit": "",
                    "work_phone": d.get("person2_phone"),
                }
            )
        return out


TEAM_FIELD_MAP = {
    "people.1.name": "person_name",
    "people.1.role": "person_role",
    "people.1.unit": "person_unit",
    "people.1.work_phone": "person_phone",
    "people.2.name": "person2_name",
    "people.2.role": "person2_role",
    "people.2.work_phone": "person2_phone",
}


class ExtendForm(forms.Form):
    extended_to = _date(_("延期至"))


class ContactPointForm(forms.Form):
    leader_name = forms.CharField(label=_("领导姓名"), max_length=40)
    leader_post = forms.CharField(label=_("职务"), max_length=60)
    point = forms.CharField(label=_("联系点（组织编码）"), max_length=40)
    since = _date(_("联系开始"))
    until = _date(_("联系结束"), required=False)
