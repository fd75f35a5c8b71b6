"""`dangjian import_xlsx members FILE --org CODE`: the importer of the web page, from a shell.

Same validation and messages as the page: a file with any error is refused whole, every bad
row is printed, and the command exits non-zero.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.core.forms import normalize_code
from dangjian.orgs.models import Organization
from dangjian.reports import io, xlsx


class Command(BaseCommand):
    help = "从 .xlsx 导入党组织或党员（与网页导入相同的校验；有任何错误则整个文件不导入）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=xlsx.KINDS, help="organizations 或 members")
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument("--org", help="导入到的组织编码（文件中的组织须在其下）；不填则为全库")
        parser.add_argument("--user", help="以该用户的身份和权限导入；不填则以系统身份导入")

    def handle(self, *args, kind, file, org=None, user=None, **options):
        organization = None
        if org:
            organization = Organization.objects.filter(code=normalize_code(org)).first()
            if organization is None:
                raise CommandError(_("组织编码“%(code)s”不存在") % {"code": org})
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("用户“%(user)s”不存在") % {"user": user})
        try:
            with open(file, "rb") as f:
                result = io.import_file(f, kind, actor=actor, organization=organization)
        except OSError as e:
            raise CommandError(
                _("无法打开文件 %(file)s：%(error)s") % {"file": file, "error": e.strerror or e}
            ) from None
        except PermissionDenied as e:
            raise CommandError(str(e) or _("您无权导入到该组织")) from None
        if not result.ok:
            for message in result.messages():
                self.stderr.write(message)
            raise CommandError(
                _("导入失败：共%(n)s处错误，未导入任何数据") % {"n": len(result.errors)}
            )
        label = xlsx.KIND_PAGE_LABELS[kind]
        self.stdout.write(
            _("导入成功：共导入%(n)s条%(kind)s记录") % {"n": result.created, "kind": label}
        )
