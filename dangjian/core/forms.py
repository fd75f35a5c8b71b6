"""Form pieces shared by the apps: date inputs, file fields, the organization-code field,
and running a service with its errors put beside the form's fields."""

from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import normalize_identifier


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionField(forms.CharField):
    """The version of the record the form was opened on (core.services.version_of), sent
    back so the service can tell the user when someone else saved in between."""

    widget = forms.HiddenInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)


def normalize_code(value) -> str:
    """Organization codes are compared trimmed, upper-cased and NFKC-normalized (full-width
    ＴＡ０１ is TA01), however they were typed."""
    return normalize_identifier(value)


# Set by the orgs app (its ready()): (user, text) -> the code of the organization the user may
# see that the text names (its code, or the exact name of one only), or None. core knows no
# organizations; the caller's scoped lookup still decides what the user may do with it.
_name_resolver = None


def register_org_resolver(resolver) -> None:
    global _name_resolver
    _name_resolver = resolver


class OrgPickerInput(forms.TextInput):
    """A text input the picker script (static/js/org-picker.js) turns into a combobox: as the
    user types a name, pinyin initials (zgz → 张弓镇) or a code it lists suggestions from
    /orgs/pick/ (the user's own subtree); choosing one puts the organization's code in the
    box. Without the script it is a plain code-or-name input."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picker_attrs(context["widget"]["attrs"])
        return context


class OrgListPickerInput(forms.Textarea):
    """A list of organization codes (spaces, commas or new lines between) with the same
    picker working on the code being typed: choosing a suggestion appends its code."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 2, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picker_attrs(context["widget"]["attrs"], multi=True)
        return context


def picker_attrs(attrs: dict, multi=False) -> None:
    from django.urls import reverse

    attrs.update({"autocomplete": "off", "data-org-picker": reverse("orgs:pick")})
    attrs.setdefault("placeholder", _("输入名称、拼音首字母或编码"))
    if multi:
        attrs["data-org-picker-multi"] = ""


class OrgCodeField(forms.CharField):
    """An organization the user may see, typed as its code or picked by its exact name (the
    picker widget suggests names as the user types); cleaned to its code. It resolves within
    the user's subtree only (orgs.selectors.resolve_typed), so its form must give it the user
    (`ScopedForm(..., user=request.user)`): a name or code outside the subtree reads exactly as
    one that does not exist, and the message repeats only what was typed. `picker=False` for a
    field that names a new code (no suggestions, no lookup: trimmed and upper-cased)."""

    _no_user = object()

    def __init__(self, *args, picker=True, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("label", gettext_lazy("组织编码"))
        self.picker = picker
        self.user = self._no_user
        if picker:
            kwargs.setdefault("widget", OrgPickerInput)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text or not self.picker:
            return normalize_code(text)
        if self.user is self._no_user:
            raise ImproperlyConfigured("OrgCodeField needs its form's user (ScopedForm)")
        code = _name_resolver(self.user, text) if _name_resolver is not None else None
        if code is None:
            raise ValidationError(
                _("党组织“%(text)s”不存在，或不在您的管辖范围内") % {"text": text[:120]},
                code="unknown_organization",
            )
        return code


class ScopedForm(forms.Form):
    """A form with organization fields (OrgCodeField): `user` is whose subtree they resolve
    in. None means the system (the command line): every organization."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, OrgCodeField):
                field.user = user


def apply_errors(form, error: ValidationError, field_map=None) -> None:
    """Put a service's ValidationError next to the form field it names (`field_map` renames
    a service's field to the form's); the rest goes to the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = (field_map or {}).get(field, field)
            target = target if target in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def check_refused(form, check, field_map=None) -> None:
    """A form that refused some fields itself: run the service's own validation `check()`
    on what did clean as well, and add its messages to the fields the form did not refuse,
    so one round trip shows every error (the form's and the service's), not one set per
    submit."""
    refused = set(form.errors)
    try:
        check()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            fields = {
                name: messages
                for name, messages in error.message_dict.items()
                if (field_map or {}).get(name, name) not in refused
            }
            if fields:
                apply_errors(form, ValidationError(fields), field_map)
    except PermissionDenied:
        pass  # the service run itself says so once the form is right


def run_service(form, action, field_map=None):
    """Run `action()` (a service call); on a ValidationError or PermissionDenied put the
    messages on the form and return None, else return what the service returned."""
    try:
        return action()
    except ValidationError as error:
        apply_errors(form, error, field_map)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("您没有权限进行此操作"))
    return None


class MultipleFileInput(forms.ClearableFileInput):
    """Several files at once; under the input, the files kept from a refused submit
    (core.staging), each with a 移除 box."""

    allow_multiple_selected = True
    field = None  # set by MultipleFileField

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.safestring import mark_safe

        from .staging import render_staged

        html = super().render(name, value, attrs, renderer)
        return mark_safe(html + render_staged(self.field, name)) if self.field else html


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files (photos, scanned papers); never required. After a
    refused submit its files are kept (core.staging): it cleans to the new uploads followed
    by the kept ones."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.staged, self.token, self.refused = [], "", False
        self.widget.field = self

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.staged, copy.token, copy.refused = [], "", False
        copy.widget.field = copy
        return copy

    def clean(self, data, initial=None):
        from .staging import kept_files

        if self.refused:
            raise ValidationError(_("之前选择的文件已失效，请重新选择"), code="staged_refused")
        single = super().clean
        if isinstance(data, (list, tuple)):
            new = [single(d, initial) for d in data if d]
        else:
            new = [single(data, initial)] if data else []
        return kept_files(self) + new  # chosen first, attached first
