"""`dangjian token USERNAME [--name N]` prints a new API token; `--revoke ID` revokes one.

The token goes alone to standard output (so `TOKEN=$(dangjian token county)` works); the
note that it is shown only once goes to standard error.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import tokens


def _message(error: ValidationError) -> str:
    return _("；").join(error.messages)


class Command(BaseCommand):
    help = "为用户签发 REST API 令牌（只显示一次），或吊销、列出令牌。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="用户名")
        parser.add_argument("--name", default="", help="令牌用途，如“统计报表对接”")
        parser.add_argument(
            "--revoke",
            metavar="ID",
            help="吊销令牌：令牌编号（签发时显示的前8位）或完整令牌",
        )
        parser.add_argument(
            "--list", action="store_true", dest="list_tokens", help="列出该用户的令牌"
        )

    def handle(self, *args, username=None, name="", revoke=None, list_tokens=False, **options):
        user = self._user(username) if username else None
        if revoke:
            try:
                token = tokens.revoke(revoke, user=user)
            except ValidationError as e:
                raise CommandError(_message(e)) from e
            self.stdout.write(
                _("已吊销 %(user)s 的令牌 %(id)s")
                % {"user": token.user.username, "id": tokens.token_id(token)}
            )
            return
        if user is None:
            raise CommandError(
                _("请给出用户名：dangjian token 用户名 [--name 用途]，或 --revoke 令牌编号")
            )
        if list_tokens:
            self._list(user)
            return
        try:
            token, raw = tokens.create(user, name=name)
        except ValidationError as e:
            raise CommandError(_message(e)) from e
        values = {"user": user.username, "id": tokens.token_id(token), "name": token.name}
        self.stderr.write(
            (
                _(
                    "已为 %(user)s 签发令牌 %(id)s（%(name)s）。令牌只显示这一次，请妥善保存；"
                    "请求时使用 Authorization: Bearer <令牌>。"
                )
                if token.name
                else _(
                    "已为 %(user)s 签发令牌 %(id)s。令牌只显示这一次，请妥善保存；"
                    "请求时使用 Authorization: Bearer <令牌>。"
                )
            )
            % values
        )
        self.stdout.write(raw)

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户“%(user)s”不存在") % {"user": username})
        return user

    def _list(self, user):
        rows = user.api_tokens.order_by("created_at")
        if not rows:
            self.stdout.write(_("%(user)s 没有令牌") % {"user": user.username})
        for t in rows:
            state = (
                _("已吊销 %(when)s")
                % {"when": f"{timezone.localtime(t.revoked_at):%Y-%m-%d %H:%M}"}
                if t.revoked_at
                else _("有效")
            )
            used = (
                f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}"
                if t.last_used_at
                else _("从未使用")
            )
            self.stdout.write(
                _("%(id)s  %(name)s  签发 %(created)s  最近使用 %(used)s  %(state)s")
                % {
                    "id": tokens.token_id(t),
                    "name": t.name or "—",
                    "created": f"{timezone.localtime(t.created_at):%Y-%m-%d %H:%M}",
                    "used": used,
                    "state": state,
                }
            )
