"""API tokens: created for a user, shown once, stored only as their SHA-256.

A token is `dj_` followed by 43 URL-safe random characters. The database keeps its SHA-256
(`ApiToken.key_hash`), so a copy of the database gives no usable token. A token is named
by the first characters of that hash (`token_id`), which is what `dangjian token --revoke`
takes and what the admin shows.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import invalid

from .models import ApiToken

TOKEN_PREFIX = "dj_"
ID_LENGTH = 8
MIN_REVOKE_PREFIX = 6
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_id(token: ApiToken) -> str:
    """The short public name of a token: the start of its hash."""
    return token.key_hash[:ID_LENGTH]


@transaction.atomic
def create(user, *, name: str = "", actor=None) -> tuple[ApiToken, str]:
    """Make a new token for `user`; returns the record and the token, which is never stored."""
    if not user.is_active:
        raise invalid("user", _("用户“%(user)s”已停用，不能签发令牌") % {"user": user.username})
    name = (name or "").strip()
    if len(name) > 60:
        raise invalid("name", _("令牌用途不能超过60个字"))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=hash_token(raw), name=name)
    audit.record(
        actor,
        "create",
        token,
        summary=f"为 {user.username} 签发 API 令牌 {token_id(token)}"
        + (f"（{name}）" if name else ""),
        changes={"user": [None, user.username], "name": [None, name]},
    )
    return token, raw


def authenticate(raw: str):
    """The active user a presented token belongs to, or None (unknown, revoked, inactive)."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def find(reference: str, *, user=None):
    """The tokens a reference names: a whole token, or the start (≥6 characters) of its hash."""
    reference = (reference or "").strip()
    qs = ApiToken.objects.select_related("user")
    if user is not None:
        qs = qs.filter(user=user)
    if reference.startswith(TOKEN_PREFIX):
        return qs.filter(key_hash=hash_token(reference))
    reference = reference.lower()
    if len(reference) < MIN_REVOKE_PREFIX or any(c not in "0123456789abcdef" for c in reference):
        raise invalid(
            "prefix",
            _("令牌编号应为令牌哈希的前%(n)s位以上十六进制字符，或完整的令牌")
            % {"n": MIN_REVOKE_PREFIX},
        )
    return qs.filter(key_hash__startswith=reference)


@transaction.atomic
def revoke(reference: str, *, user=None, actor=None) -> ApiToken:
    """Revoke the one token `reference` names; it stops working at once and is kept."""
    matches = list(find(reference, user=user).select_for_update(of=("self",))[:2])
    if not matches:
        raise invalid("prefix", _("没有找到编号为“%(ref)s”的令牌") % {"ref": reference})
    if len(matches) > 1:
        raise invalid("prefix", _("编号“%(ref)s”对应多个令牌，请多写几位") % {"ref": reference})
    token = matches[0]
    if token.revoked_at is not None:
        raise invalid(
            "prefix",
            _("令牌 %(id)s 已于%(when)s吊销")
            % {
                "id": token_id(token),
                "when": f"{timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}",
            },
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor,
        "revoke",
        token,
        summary=f"吊销 {token.user.username} 的 API 令牌 {token_id(token)}",
        changes={"revoked_at": [None, str(token.revoked_at)]},
    )
    return token
