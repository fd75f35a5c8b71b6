"""Forms of assessment: thin shapes; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import OrgCodeField, ScopedForm

from . import services, sources
from .models import IfNoData, Method, PeriodKind

ROW_FIELDS = services.INDICATOR_FIELDS


class SchemeForm(ScopedForm):
    organization = OrgCodeField(label=_("制定组织"))
    name = forms.CharField(label=_("方案名称"), max_length=120)
    period_kind = forms.ChoiceField(label=_("考核周期"), choices=PeriodKind.choices)
    total_points = forms.DecimalField(label=_("满分"), initial=100, max_digits=6, decimal_places=2)


class RevisionForm(forms.Form):
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class OpenForm(forms.Form):
    period = forms.CharField(
        label=_("考核期间"), max_length=8, help_text=_("年度写作 2026，季度写作 2026-Q3")
    )


class HandScoreForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("指标"))
    score = forms.CharField(label=_("得分"), max_length=12)
    reason = forms.CharField(
        label=_("评分理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [
            (i.code, f"{i.name}（0–{i.weight}）") for i in indicators
        ]


def indicator_rows(post) -> list[dict]:
    """The indicator rows of the scheme page's table (one list per column), empty rows left
    out."""
    columns = {f: post.getlist(f"ind_{f}") for f in ROW_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    rows = []
    for i in range(count):
        row = {f: (columns[f][i] if i < len(columns[f]) else "") for f in ROW_FIELDS}
        if any((row[f] or "").strip() for f in ("code", "name", "weight")):
            rows.append(row)
    return rows


def row_choices():
    return {
        "methods": Method.choices,
        "sources": sources.choices(),
        "if_no_data": IfNoData.choices,
    }
