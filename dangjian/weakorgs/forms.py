"""Forms of weak organizations: field types and labels only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.supervision.models import GuarantorLevel, MeasureKind

from .models import HAND_CRITERIA

# The three levels of guarantors (包保), as the rectification ledger names them.
GUARANTOR_LEVELS = GuarantorLevel.values


class HandFlagForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))
    criterion = forms.ChoiceField(label=_("情形"), choices=HAND_CRITERIA)
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("看到了什么、何时、由谁反映；只凭一次缺少照片或签到不能认定"),
    )


class ConfirmForm(forms.Form):
    """Confirmation, with the rectification measures and the three-level guarantors
    (包保责任人) that go into the ledger."""

    note = forms.CharField(
        label=_("认定意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure_kind = forms.ChoiceField(
        label=_("整改方式"), choices=MeasureKind.choices, initial=MeasureKind.PAIRING
    )
    measures = forms.CharField(
        label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则按县里设置的整改月数"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i, level in enumerate(GUARANTOR_LEVELS, 1):
            self.fields[f"g{i}_level"] = forms.ChoiceField(
                label=_("包保层级"), required=False, initial=level, choices=GuarantorLevel.choices
            )
            self.fields[f"g{i}_name"] = forms.CharField(
                label=_("包保责任人"), required=False, max_length=40
            )
            self.fields[f"g{i}_post"] = forms.CharField(
                label=_("职务"), required=False, max_length=60
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "note": data["note"],
            "measure_kind": data["measure_kind"],
            "measures": data["measures"],
            "deadline": data["deadline"],
            "guarantors": [
                {
                    "level": data[f"g{i}_level"] if data[f"g{i}_name"] else "",
                    "name": data[f"g{i}_name"],
                    "post": data[f"g{i}_post"],
                }
                for i in range(1, len(GUARANTOR_LEVELS) + 1)
            ],
        }


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), widget=forms.Textarea(attrs={"rows": 3}))
