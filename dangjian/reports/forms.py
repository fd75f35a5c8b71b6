from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import OrgCodeField


class ImportForm(forms.Form):
    org = OrgCodeField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
