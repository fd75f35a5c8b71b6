"""Forms of the organization pages. They check input shapes; the rules live in services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput, OrgCodeField, ScopedForm, VersionField

from .models import Kind, Level, OfficerRole, Sector


class OrganizationForm(forms.Form):
    code = OrgCodeField(label=_("组织编码"), picker=False, max_length=32)
    name = forms.CharField(label=_("组织名称"), max_length=120)
    kind = forms.ChoiceField(label=_("组织类别"), choices=Kind.choices)
    sector = forms.ChoiceField(label=_("领域"), choices=Sector.choices, initial=Sector.OTHER)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices, initial=Level.OTHER)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DateInput)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)


class EditOrganizationForm(OrganizationForm):
    version = VersionField()


class MoveForm(ScopedForm):
    parent = OrgCodeField(label=_("新的上级组织编码"), help_text=_("填写目标上级组织的组织编码"))


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(
        label=_("撤销日期"), widget=DateInput, initial=timezone.localdate
    )
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class OfficerForm(forms.Form):
    member = forms.CharField(
        label=_("党员"), max_length=40, help_text=_("填写本组织（含下级组织）党员的姓名或身份证号")
    )
    role = forms.ChoiceField(label=_("职务"), choices=OfficerRole.choices)
    term_start = forms.DateField(label=_("任期开始"), widget=DateInput, initial=timezone.localdate)
    term_end = forms.DateField(label=_("任期届满"), required=False, widget=DateInput)
