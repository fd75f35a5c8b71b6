"""`dangjian unlock USERNAME [--totp]`: let a locked-out user (an administrator above all) in
again: clears the failed logins django-axes counts for the username (from every address), and
with --totp removes the two-step login device of someone who lost the phone (they log in with
the password alone and may enrol a new one)."""

from axes.utils import reset
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.accounts import two_step


class Command(BaseCommand):
    help = "解除用户因登录失败过多而暂停的登录；加 --totp 同时撤销其两步验证（手机丢失时）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument(
            "--totp", action="store_true", help="同时撤销该用户的两步验证（验证器）"
        )

    def handle(self, *args, username, totp=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("没有用户名为“%(user)s”的用户") % {"user": username})
        cleared = reset(username=username)
        self.stdout.write(
            _("已清除 %(user)s 的 %(n)s 条登录失败记录，可以重新登录")
            % {"user": username, "n": cleared}
        )
        if totp:
            removed = two_step.reset(user)
            self.stdout.write(
                _("已撤销 %(user)s 的两步验证（%(n)s 个验证器），登录只需密码")
                % {"user": username, "n": removed}
                if removed
                else _("%(user)s 没有启用两步验证") % {"user": username}
            )
