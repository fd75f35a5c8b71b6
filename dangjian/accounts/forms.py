from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from . import two_step


class LoginForm(AuthenticationForm):
    """Django's login form with Chinese labels and messages, and the code of an administrator
    who enabled two-step login. A missing or wrong code counts as a failed login (django-axes
    counts it towards the lockout like a wrong password)."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("动态验证码"),
        required=False,
        max_length=10,
        help_text=_("启用了两步验证的管理员填写验证器上的6位数字，其他人不填"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用。"),
        "code_required": _("该账号已启用两步验证，请填写验证器上的6位动态验证码。"),
        "invalid_code": _("动态验证码不正确或已用过，请输入验证器上当前显示的6位数字。"),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or two_step.confirmed_device(user) is None:
            return cleaned
        code = (cleaned.get("code") or "").strip()
        device = two_step.verify(user, code) if code else None
        if device is None:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            self.user_cache = None
            key = "invalid_code" if code else "code_required"
            raise forms.ValidationError(self.error_messages[key], code=key)
        # django_otp's user_logged_in handler marks the session as verified with this device.
        user.otp_device = device
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态验证码"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )
