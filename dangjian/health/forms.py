"""Forms of the organization-health pages. They check input shapes; the rules live in
health.services and health.rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dangjian.core.forms import DateInput, OrgCodeField, ScopedForm
from dangjian.core.text import LONG_TEXT
from dangjian.orgs.models import Sector

from .models import Coverage

CANDIDATE_ROWS = 9


class ElectionForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("选举日期"), widget=DateInput, initial=timezone.localdate
    )
    seats = forms.IntegerField(
        label=gettext_lazy("应选委员数"),
        min_value=1,
        max_value=9,
        help_text=gettext_lazy(
            "支部委员会3至5人，最多7人；党总支5至7人，最多9人；党委5至9人；"
            "正式党员不足7人的支部只选书记和副书记"
        ),
    )
    voters = forms.IntegerField(
        label=gettext_lazy("有选举权的党员数"), min_value=0, help_text=gettext_lazy("正式党员")
    )
    present = forms.IntegerField(label=gettext_lazy("到会人数"), min_value=0)
    secretary = forms.CharField(
        label=gettext_lazy("书记"), max_length=40, help_text=gettext_lazy("须是当选委员")
    )
    deputy = forms.CharField(label=gettext_lazy("副书记"), max_length=40, required=False)
    note = forms.CharField(
        label=gettext_lazy("备注"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UnitForm(ScopedForm):
    name = forms.CharField(label=gettext_lazy("单位名称"), max_length=120, required=False)
    sector = forms.ChoiceField(label=gettext_lazy("领域"), choices=Sector.choices)
    employees = forms.IntegerField(label=gettext_lazy("从业人员数"), min_value=0, initial=0)
    full_members = forms.IntegerField(label=gettext_lazy("正式党员数"), min_value=0, initial=0)
    coverage = forms.ChoiceField(label=gettext_lazy("覆盖方式"), choices=Coverage.choices)
    covering_organization = OrgCodeField(
        label=gettext_lazy("覆盖的党组织编码"),
        required=False,
        help_text=gettext_lazy("单独组建或联合组建的填写；联合组建的须是联合党支部"),
    )
    instructor = forms.CharField(
        label=gettext_lazy("党建指导员"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("选派党建指导员的填写姓名"),
    )


class ApprovalForm(forms.Form):
    """The level above approves an exception to a setup rule."""

    approved_on = forms.DateField(
        label=gettext_lazy("批准日期"), widget=DateInput, initial=timezone.localdate
    )
    reason = forms.CharField(
        label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class TermChangeForm(ApprovalForm):
    """The level above extends (+) or shortens (−) an organization's current term."""

    months = forms.IntegerField(
        label=gettext_lazy("调整月数"),
        min_value=-12,
        max_value=12,
        help_text=gettext_lazy("延期填正数，提前换届填负数；累计不超过一年"),
    )
    field_order = ["months", "approved_on", "reason"]
