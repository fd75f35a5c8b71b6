"""Two-step login for administrators: a TOTP authenticator app (django-otp) beside the password.

Optional: an administrator (staff, superuser or county-level role) enrols from the account
page: `start` makes an unconfirmed device whose QR code the page shows, `confirm` switches it
on once a code from the app matches. From then on the login form asks for the current code
too. `disable` (with a current code) and `reset` (the `dangjian unlock --totp` command, for an
administrator who lost the phone) remove it. Each change is audited.
"""

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from dangjian.core import audit
from dangjian.core.services import invalid

from .models import RoleName

DEVICE_NAME = "dangjian"


def may_enrol(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_staff or user.is_superuser or user.roles.filter(name=RoleName.COUNTY_ADMIN).exists()
    )


def confirmed_device(user):
    """The device the login form checks codes against, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The device being enrolled (QR shown, not yet confirmed by a code), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def _code(code) -> str:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        raise invalid("code", _("动态验证码应为验证器上显示的6位数字"))
    return code


@transaction.atomic
def start(user) -> TOTPDevice:
    """A fresh unconfirmed device (a new secret) for the account page to show."""
    if not may_enrol(user):
        raise invalid("user", _("只有管理员可以启用两步验证"))
    if confirmed_device(user) is not None:
        raise invalid("user", _("两步验证已经启用"))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _checked(device, code, missing: str) -> TOTPDevice:
    """`device` once `code` matches it; else the reason, on the code field."""
    if device is None:
        raise invalid("code", missing)
    if not device.verify_token(_code(code)):
        raise invalid("code", _("动态验证码不正确，请输入验证器上当前显示的6位数字"))
    return device


@transaction.atomic
def confirm(user, code) -> TOTPDevice:
    device = _checked(pending_device(user), code, _("请先点“启用两步验证”，用验证器扫描二维码"))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(user, "enable_totp", user, summary=f"{user.username} 启用两步验证")
    return device


@transaction.atomic
def disable(user, code) -> None:
    _checked(confirmed_device(user), code, _("两步验证没有启用"))
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(user, "disable_totp", user, summary=f"{user.username} 停用两步验证")


@transaction.atomic
def reset(user) -> int:
    """Remove the user's devices without a code (the recovery command); how many went."""
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(None, "reset_totp", user, summary=f"命令行为 {user.username} 撤销两步验证")
    return removed


def verify(user, code):
    """The confirmed device that accepts `code` now, or None (wrong, reused or throttled)."""
    device = confirmed_device(user)
    try:
        code = _code(code)
    except ValidationError:
        return None
    if device is not None and device.verify_token(code):
        return device
    return None


def qr_svg(device) -> bytes:
    """The otpauth:// URI of `device` as an SVG QR code, drawn on the server."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return out.getvalue()
