from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import OrgCodeField, ScopedForm

from .io import check_file

MAX_UPLOAD = 50 * 1024 * 1024  # a province ledger is well below this


class ImportForm(ScopedForm):
    # The target: picked by name, pinyin initials or code among the user's organizations.
    org = OrgCodeField(label=_("导入到"))
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        """Size and type are checked here, in the request; the rows by the import job."""
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("文件太大（%(size)s），上限为 %(max)s，请分成几个文件导入")
                % {"size": filesizeformat(file.size), "max": filesizeformat(MAX_UPLOAD)}
            )
        problem = check_file(file)
        if problem:
            raise forms.ValidationError(problem)
        return file
