"""Forms of the member pages. Shapes only; the rules are in members.services.clean()."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput, OrgCodeField, ScopedForm, VersionField

from .models import Category, Education, Gender, MobileDocument, Occupation, Status


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, min_length=18)
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    joined_on = forms.DateField(label=_("入党日期"), widget=DateInput)
    status = forms.ChoiceField(label=_("党员状态"), choices=Status.choices)
    full_on = forms.DateField(label=_("转正日期"), required=False, widget=DateInput)
    category = forms.ChoiceField(label=_("人员类别"), choices=Category.choices)
    occupation = forms.ChoiceField(
        label=_("职业"),
        choices=[("", _("按人员类别"))] + Occupation.choices,
        required=False,
        help_text=_("按党内统计的职业分类；企事业单位人员请选专业技术人员或管理人员"),
    )
    is_mobile = forms.BooleanField(label=_("流动党员"), required=False)
    posts = forms.CharField(
        label=_("岗位"), max_length=200, required=False, help_text=_("如 党员示范岗、村委委员")
    )
    tags = forms.CharField(
        label=_("标签"),
        max_length=300,
        required=False,
        help_text=_("多个标签用逗号或空格分隔，如 双强，致富能手"),
    )

    def clean_tags(self):
        text = self.cleaned_data.get("tags") or ""
        for sep in "，,、;；":
            text = text.replace(sep, " ")
        names = []
        for name in text.split():
            if len(name) > 30:
                raise forms.ValidationError(_("标签“%(name)s”超过30个字") % {"name": name})
            if name not in names:
                names.append(name)
        return names


class EditMemberForm(MemberForm):
    """Editing keeps the ID number as it is when left as the masked value."""

    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        required=False,
        help_text=_("不修改请留空"),
    )
    version = VersionField()


class MoveMemberForm(ScopedForm):
    organization = OrgCodeField(label=_("转入组织编码"))
    moved_on = forms.DateField(label=_("转接日期"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class RemoveMemberForm(forms.Form):
    removed_on = forms.DateField(label=_("减少日期"), widget=DateInput, initial=timezone.localdate)
    removed_reason = forms.CharField(
        label=_("减少原因"), max_length=200, help_text=_("如 去世、出党、转出本县")
    )


class SearchForm(ScopedForm):
    """The member list's search box and filters (validated by members.filters)."""

    q = forms.CharField(label=_("姓名/身份证号/手机号"), max_length=50, required=False)
    org = OrgCodeField(label=_("组织编码"), required=False)
    status = forms.ChoiceField(
        label=_("党员状态"), required=False, choices=[("", _("全部"))] + Status.choices
    )
    category = forms.ChoiceField(
        label=_("人员类别"), required=False, choices=[("", _("全部"))] + Category.choices
    )
    gender = forms.ChoiceField(
        label=_("性别"), required=False, choices=[("", _("全部"))] + Gender.choices
    )
    education = forms.ChoiceField(
        label=_("学历"), required=False, choices=[("", _("全部"))] + Education.choices
    )
    tag = forms.CharField(label=_("标签"), max_length=30, required=False)
    mobile = forms.ChoiceField(
        label=_("流动党员"),
        required=False,
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
    )


class TransferForm(ScopedForm):
    """Issue a transfer letter: to an organization of the system (by code), or one outside
    it (by name)."""

    # Any organization of the system by its exact code: the receiving one is usually outside
    # the sender's subtree (another township), so the picker (which suggests only the
    # user's own organizations) is not used.
    to_organization = forms.CharField(
        label=_("转入组织编码"),
        max_length=32,
        required=False,
        help_text=_("系统内转接时填写接收方的组织编码"),
    )
    outside_name = forms.CharField(
        label=_("系统外转入组织名称"),
        max_length=120,
        required=False,
        help_text=_("转往本系统以外（如外省市）时填写，此时不选转入组织"),
    )
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=40)
    issued_on = forms.DateField(label=_("开具日期"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("转接原因"), max_length=200, required=False, help_text=_("如 工作调动、迁居")
    )


class TransferActionForm(forms.Form):
    on = forms.DateField(
        label=_("日期"), widget=DateInput, initial=timezone.localdate, required=False
    )
    reason = forms.CharField(label=_("退回理由"), max_length=200, required=False)


class MobileForm(forms.Form):
    place = forms.CharField(label=_("流入地"), max_length=120, help_text=_("如 浙江省杭州市"))
    unit = forms.CharField(label=_("工作单位或居住地址"), max_length=200, required=False)
    since = forms.DateField(label=_("外出日期"), widget=DateInput)
    expected_until = forms.DateField(
        label=_("预计返回日期"), widget=DateInput, required=False, help_text=_("不确定请留空")
    )
    fixed_place = forms.BooleanField(label=_("地点固定"), required=False, initial=True)
    document = forms.ChoiceField(
        label=_("所持证明"),
        required=False,
        choices=[("", _("按外出时间自动确定"))] + MobileDocument.choices,
    )
    contact_member = forms.CharField(
        label=_("联系党员"),
        max_length=40,
        required=False,
        help_text=_("本组织与其保持联系的党员姓名；或填写下面的联系人和电话"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系人电话"), max_length=20, required=False)


class TransferInForm(MemberForm):
    """A member transferred in from outside the system, with the letter they brought."""

    outside_name = forms.CharField(label=_("转出组织（系统外）"), max_length=120)
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=40)
    issued_on = forms.DateField(label=_("介绍信开具日期"), widget=DateInput)
    received_on = forms.DateField(label=_("报到日期"), widget=DateInput, initial=timezone.localdate)
