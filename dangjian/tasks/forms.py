"""Forms of the task pages. They check input shapes and turn rows into the plain dicts the
services take; the rules themselves (receivers, typed values, deadlines) live in services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.files import validate_uploads
from dangjian.core.forms import (
    DateInput,
    MultipleFileField,
    OrgCodeField,
    OrgListPickerInput,
    ScopedForm,
    normalize_code,
)
from dangjian.core.periods import Period
from dangjian.core.text import ANSWER_TEXT, LONG_TEXT
from dangjian.orgs.models import Kind, Level, Sector
from dangjian.rollups import registry
from dangjian.tasks.rules import CODE_TEXT, MAX_RECEIVER_CODES, MAX_UNDER_CODES

from .models import FieldType, Reviewer

CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_codes(text) -> list[str]:
    return [normalize_code(c) for c in CODE_SEPARATORS.split(text or "") if c]


def split_choices(text) -> list[str]:
    return [c for c in re.split(r"[\n,，、;；]+", text or "") if c.strip()]


def org_choices(orgs):
    return [(o.code, f"{o.name}（{o.code}）") for o in orgs]


# ---- assignments ------------------------------------------------------------------------

RECEIVER_MODES = [
    ("subtree", _("全部下级组织")),
    ("filter", _("按层级、领域、类别或所属范围筛选")),
    ("orgs", _("逐个指定组织")),
]


class AssignmentForm(forms.Form):
    issuer = forms.ChoiceField(label=_("交办组织"))
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(
        label=_("工作内容"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput, initial=timezone.localdate)
    deadline = forms.DateField(label=_("截止日期"), widget=DateInput)
    mode = forms.ChoiceField(
        label=_("接收范围"), choices=RECEIVER_MODES, initial="subtree", widget=forms.RadioSelect
    )
    levels = forms.MultipleChoiceField(
        label=_("层级"), choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.MultipleChoiceField(
        label=_("领域"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label=_("组织类别"),
        choices=[c for c in Kind.choices if c[0] != Kind.GROUP],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    under = forms.CharField(
        label=_("所属范围（组织编码）"),
        required=False,
        max_length=MAX_UNDER_CODES * CODE_TEXT,
        widget=OrgListPickerInput(attrs={"rows": 1}),
        help_text=_("只发给这些组织之下的组织，多个编码用空格或逗号分隔，如 TA TB"),
    )
    codes = forms.CharField(
        label=_("接收组织编码"),
        required=False,
        max_length=MAX_RECEIVER_CODES * CODE_TEXT,
        widget=OrgListPickerInput,
        help_text=_("逐个填写组织编码，用空格、逗号或换行分隔"),
    )
    text_required = forms.BooleanField(label=_("须填写文字说明"), required=False)
    attachments_required = forms.IntegerField(
        label=_("至少上传附件（照片）数"), min_value=0, max_value=20, initial=0
    )
    board_shared = forms.BooleanField(
        label=_("接收单位互相可见（晒账单）"), required=False, initial=True
    )
    reviewer = forms.ChoiceField(
        label=_("审核方"),
        choices=Reviewer.choices,
        initial=Reviewer.ISSUER,
        required=False,
        help_text=_(
            "选“上级组织审核”时，各接收组织的晒账单由其上一级组织通过或退回（如村由乡镇审核）"
        ),
    )

    def __init__(self, *args, issuers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = org_choices(issuers)

    def receivers(self) -> dict:
        data = self.cleaned_data
        mode = data["mode"]
        if mode == "orgs":
            return {"mode": "orgs", "codes": split_codes(data.get("codes"))}
        if mode == "filter":
            spec = {"mode": "filter"}
            for key in ("levels", "sectors", "kinds"):
                if data.get(key):
                    spec[key] = list(data[key])
            if under := split_codes(data.get("under")):
                spec["under"] = under
            return spec
        return {"mode": "subtree"}

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == "orgs" and not split_codes(data.get("codes")):
            self.add_error("codes", _("请填写接收组织的编码"))
        if (
            mode == "filter"
            and not any(data.get(k) for k in ("levels", "sectors", "kinds"))
            and not split_codes(data.get("under"))
        ):
            self.add_error("levels", _("请至少选择一个筛选条件（层级、领域、类别或所属范围）"))
        return data


def binding_choices():
    """Called when a form is built: apps register their bindings at ready()."""
    return [("", _("（不取自系统）")), *registry.binding_choices()]


class FieldRowForm(forms.Form):
    """One typed field of the report-back; a row whose label is blank is skipped."""

    label = forms.CharField(label=_("名称"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("类型"), choices=FieldType.choices, initial=FieldType.INTEGER)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    required = forms.BooleanField(label=_("必填"), required=False, initial=True)
    choices = forms.CharField(
        label=_("选项"), max_length=500, required=False, help_text=_("用逗号或顿号分隔")
    )
    min_value = forms.DecimalField(
        label=_("最小值"), required=False, max_digits=14, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("最大值"), required=False, max_digits=14, decimal_places=2
    )
    binding = forms.ChoiceField(label=_("取自系统数据"), choices=binding_choices, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not (data.get("label") or "").strip()

    def clean(self):
        data = super().clean()
        label = (data.get("label") or "").strip()
        filled = any(
            data.get(k) not in (None, "")
            for k in ("unit", "choices", "min_value", "max_value", "binding")
        )
        if not label:
            if filled:
                self.add_error("label", _("请填写填报项的名称"))
            return data
        ftype = data.get("type")
        if ftype == FieldType.CHOICE and len(split_choices(data.get("choices"))) < 2:
            self.add_error("choices", _("选项类填报项至少需要两个选项"))
        if data.get("binding") and ftype not in (FieldType.INTEGER, FieldType.DECIMAL):
            self.add_error("binding", _("取自系统数据的填报项应为整数或小数类型"))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("最大值不能小于最小值"))
        return data

    def as_field(self) -> dict:
        data = self.cleaned_data
        return {
            "label": data["label"].strip(),
            "type": data["type"],
            "unit": data.get("unit") or "",
            "required": bool(data.get("required")),
            "choices": [c.strip() for c in split_choices(data.get("choices"))],
            "min_value": data.get("min_value"),
            "max_value": data.get("max_value"),
            "binding": data.get("binding") or "",
        }


FieldRowFormSet = forms.formset_factory(FieldRowForm, extra=0, max_num=40, absolute_max=40)


def field_rowset(data=None, *, blank_rows=3, add_row=False):
    """The typed-field rows: what was posted, plus blank rows to fill (one more if asked)."""
    if data is None:
        return FieldRowFormSet(prefix="fields", initial=[{} for _ in range(blank_rows)])
    formset = FieldRowFormSet(data, prefix="fields")
    if add_row and formset.is_valid():
        initial = [f.cleaned_data for f in formset.forms]
        formset = FieldRowFormSet(prefix="fields", initial=initial + [{}])
    return formset


class RelayForm(forms.Form):
    """Relaying an assignment (转办) to organizations under the receiver."""

    codes = forms.MultipleChoiceField(
        label=_("转办给"), widget=forms.CheckboxSelectMultiple, required=False
    )
    deadline = forms.DateField(
        label=_("转办截止日期"),
        widget=DateInput,
        help_text=_("不能晚于原交办单的截止日期"),
    )
    note = forms.CharField(
        label=_("补充要求"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = org_choices(candidates)

    def clean_codes(self):
        codes = self.cleaned_data.get("codes") or []
        if not codes:
            raise ValidationError(_("请选择转办的组织"))
        return codes


class ReviseForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(
        label=_("工作内容"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("截止日期"), widget=DateInput)
    text_required = forms.BooleanField(label=_("须填写文字说明"), required=False)
    attachments_required = forms.IntegerField(
        label=_("至少上传附件（照片）数"), min_value=0, max_value=20
    )
    reason = forms.CharField(
        label=_("修改原因"), max_length=200, help_text=_("修改后会通知全部接收组织")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if label is not None:
            field.label = label
        # Name what is missing ("请填写退回原因"), not Django's generic "这个字段是必填项。".
        field.error_messages["required"] = _("请填写%(label)s") % {"label": field.label}


# ---- report-backs -----------------------------------------------------------------------


def value_name(key: str) -> str:
    return f"v_{key}"


class ReportForm(forms.Form):
    """The typed fields of one assignment (raw text: the services check types and ranges),
    the text and the files. Bound fields are shown read-only and not posted."""

    text = forms.CharField(
        label=_("文字说明"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(label=_("附件（照片或文件）"), required=False)

    def __init__(self, *args, assignment_fields=(), assignment=None, relayed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.typed = []
        relayed = relayed or {}
        for f in assignment_fields:
            if f.binding:
                continue
            label = f"{f.label}（{f.unit}）" if f.unit else f.label
            if f.key in relayed:  # the relaying receiver's own part; the sum is added to it
                label = _("%(label)s · 本级自身部分") % {"label": label}
            field = _input_for(f, label)
            field.show_required = f.required  # the services check it; the label shows it
            self.fields[value_name(f.key)] = field
            self.typed.append((f, value_name(f.key)))
        # The typed inputs first, then text and files.
        order = [name for _f, name in self.typed] + ["text", "files"]
        self.order_fields(order)
        if assignment is not None:
            self.fields["text"].show_required = assignment.text_required
            self.fields["files"].show_required = bool(assignment.attachments_required)

    def clean_files(self):
        try:
            return validate_uploads(self.cleaned_data.get("files"), "files")
        except ValidationError as error:
            raise ValidationError(error.message_dict["files"]) from error

    def values(self) -> dict:
        return {f.key: self.cleaned_data.get(name) for f, name in self.typed}


def _input_for(f, label):
    common = {"label": label, "required": False, "max_length": ANSWER_TEXT}
    if f.type in (FieldType.INTEGER, FieldType.DECIMAL):
        # Text, not type=number: a browser drops what a number input cannot parse, and the
        # services' message ("“二十”不是数字") is more useful than an empty value.
        mode = "numeric" if f.type == FieldType.INTEGER else "decimal"
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": mode}), **common)
    if f.type == FieldType.BOOLEAN:
        choices = [("", "—"), ("是", _("是")), ("否", _("否"))]
        return forms.ChoiceField(choices=choices, label=label, required=False)
    if f.type == FieldType.CHOICE:
        choices = [("", "—")] + [(c, c) for c in f.choices]
        return forms.ChoiceField(choices=choices, label=label, required=False)
    if f.type == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)


def initial_value(f, value):
    if value is None:
        return None
    if f.type == FieldType.BOOLEAN:
        return "是" if value else "否"
    return value


# ---- pledges ------------------------------------------------------------------------------


class PledgeForm(ScopedForm):
    issuer = forms.ChoiceField(label=_("下达组织"))
    organization = OrgCodeField(label=_("责任组织编码"), help_text=_("下级组织的组织编码"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=200)

    def __init__(self, *args, issuers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = org_choices(issuers)


class TargetRowForm(forms.Form):
    text = forms.CharField(label=_("目标"), max_length=300, required=False)
    target_value = forms.DecimalField(
        label=_("目标值"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and (
            data.get("target_value") is not None or data.get("unit")
        ):
            self.add_error("text", _("请填写目标内容"))
        if data.get("unit") and data.get("target_value") is None and data.get("text"):
            self.add_error("target_value", _("填写了单位的目标请同时填写目标值"))
        return data

    def as_target(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("text") or "").strip():
            return None
        target = {"text": data["text"].strip(), "unit": data.get("unit") or ""}
        if data.get("target_value") is not None:
            target["kind"], target["target_value"] = "number", data["target_value"]
        else:
            target["kind"] = "text"
        return target


TargetRowFormSet = forms.formset_factory(TargetRowForm, extra=0, max_num=50, absolute_max=50)


def target_rowset(data=None, *, blank_rows=4, add_row=False):
    if data is None:
        return TargetRowFormSet(prefix="targets", initial=[{} for _ in range(blank_rows)])
    formset = TargetRowFormSet(data, prefix="targets")
    if add_row and formset.is_valid():
        initial = [f.cleaned_data for f in formset.forms]
        formset = TargetRowFormSet(prefix="targets", initial=initial + [{}])
    return formset


class TargetProgressForm(forms.Form):
    progress_value = forms.DecimalField(
        label=_("完成值"), required=False, max_digits=14, decimal_places=2
    )
    met = forms.BooleanField(label=_("已完成"), required=False)
    progress_note = forms.CharField(label=_("进展情况"), max_length=300, required=False)


class CascadeForm(forms.Form):
    organizations = forms.MultipleChoiceField(
        label=_("分解到下级组织"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].choices = org_choices(children)


# ---- work meetings and secretary projects --------------------------------------------------


def _month(text, year=None):
    try:
        period = Period.parse(text)
    except ValueError as e:
        raise ValidationError(str(e)) from None
    if period.kind != "month":
        raise ValidationError(_("月份应为 2026-03 这样的格式"))
    if year is not None and period.year != year:
        raise ValidationError(_("月份应为%(year)s年内的月份") % {"year": year})
    return str(period)


class WorkMeetingForm(forms.Form):
    organization = forms.ChoiceField(label=_("党组织"))
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput, initial=timezone.localdate)
    month = forms.CharField(
        label=_("所属月份"),
        max_length=7,
        help_text=_("如 2026-03"),
        initial=lambda: timezone.localdate().strftime("%Y-%m"),
    )
    attendees = forms.CharField(label=_("参会人员"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("会议纪要"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    assignments = forms.MultipleChoiceField(
        label=_("讲评的交办单"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organizations=(), assignments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = org_choices(organizations)
        self.fields["assignments"].choices = [
            (str(a.pk), f"{a.title}（{a.issuer.name}，{a.starts_on:%Y-%m}）") for a in assignments
        ]

    def clean_month(self):
        return _month(self.cleaned_data["month"])


class ProjectForm(forms.Form):
    secretary = forms.ChoiceField(label=_("书记"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("项目名称"), max_length=200)
    brand = forms.CharField(label=_("品牌名称"), max_length=100, required=False)
    goal = forms.CharField(
        label=_("项目目标"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, secretaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].choices = [(str(m.pk), m.name) for m in secretaries]


class PlanRowForm(forms.Form):
    month = forms.CharField(label=_("月份"), max_length=7, required=False)
    text = forms.CharField(label=_("工作计划"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        month, text = (data.get("month") or "").strip(), (data.get("text") or "").strip()
        if month and not text:
            self.add_error("text", _("请填写该月的工作计划"))
        elif text and not month:
            self.add_error("month", _("请填写月份"))
        elif month:
            try:
                data["month"] = _month(month, getattr(self, "year", None))
            except ValidationError as e:
                self.add_error("month", e)
        return data


class BasePlanRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, year=None, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.year = self.year
        return form

    def items(self):
        return [
            (f.cleaned_data["month"], f.cleaned_data["text"].strip())
            for f in self.forms
            if (f.cleaned_data.get("text") or "").strip()
        ]


PlanRowFormSet = forms.formset_factory(
    PlanRowForm, formset=BasePlanRowFormSet, extra=0, max_num=60, absolute_max=60
)


def plan_rowset(data=None, *, year=None, blank_rows=4, add_row=False):
    if data is None:
        return PlanRowFormSet(prefix="items", initial=[{} for _ in range(blank_rows)], year=year)
    formset = PlanRowFormSet(data, prefix="items", year=year)
    if add_row and formset.is_valid():
        initial = [f.cleaned_data for f in formset.forms]
        formset = PlanRowFormSet(prefix="items", initial=initial + [{}], year=year)
    return formset


class PlanItemForm(forms.Form):
    month = forms.CharField(label=_("月份"), max_length=7)
    text = forms.CharField(label=_("工作计划"), max_length=300)


class PlanProgressForm(forms.Form):
    progress = forms.CharField(label=_("完成情况"), max_length=300, required=False)
    done = forms.BooleanField(label=_("已完成"), required=False)


class ProjectResultsForm(forms.Form):
    results = forms.CharField(
        label=_("取得成效"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    brand = forms.CharField(label=_("品牌名称"), max_length=100, required=False)
    photos = MultipleFileField(label=_("成效照片"), help_text=_("可选，可一次选择多个文件"))


class ExtendForm(forms.Form):
    """延期 for one receiver (services.extend_deadline checks the date and the reason and
    words its refusals; the form only reads the values)."""

    report_back = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(
        label=_("延期至"),
        widget=DateInput,
        required=False,
        error_messages={"invalid": _("延期后的截止日期应为日期，如 2026-03-31")},
    )
    reason = forms.CharField(label=_("延期原因"), required=False, max_length=200)
