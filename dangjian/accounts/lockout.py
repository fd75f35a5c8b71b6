"""django-axes hooks: whose address a login attempt comes from, and the lockout page.

Attempts are counted per (username, client address) pair (settings.AXES_LOCKOUT_PARAMETERS).
Behind a reverse proxy, REMOTE_ADDR is the proxy's, the same for everyone: the client is the
address the proxy appended to X-Forwarded-For (settings.PROXY_HOPS entries from the right;
entries further left come from the client and are not trusted).
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    hops = settings.PROXY_HOPS
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The login page again, with the reason, as 429 Too Many Requests."""
    from .forms import LoginForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    message = _(
        "登录失败次数过多：用户名“%(username)s”从本机登录已暂停%(minutes)s分钟，"
        "请稍后再试；忘记密码或验证器请联系系统管理员。"
    ) % {"username": username, "minutes": minutes}
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
        status=429,
    )
