"""Files chosen on a refused form are kept (issue 11 §3.3).

A phone user who picked three photos and forgot the topic used to get the form back with the
photos gone. Now a refused post stores the files it received (`keep`) as StagedFile rows
under MEDIA_ROOT/staging, bound to the user and to a random token; the form is shown again
listing them ("已选：a.jpg 1.2 MB，移除") with the token in a hidden field, and the next post
of the form attaches them exactly as if they had been uploaded again (the file field cleans
to the new uploads plus the kept ones, so the services see the same list). The user may
remove one (a checkbox) or add more. A token of another user is refused; staged files are
deleted once used (`done`) and by the daily job after a day (`purge`).

The size and count limits stay those of the route (core.files): files arrive through the
same upload view, BodyLimitMiddleware and the view's gate run before any body is read, and
the services check the combined list with validate_uploads.

A view with file fields: `bind(form, user)` after making the bound form, `done(form)` after
the service saved, `keep(form)` before showing a refused form again.
"""

import datetime
import secrets

from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .files import MAX_UPLOAD_BYTES, MAX_UPLOADS, upload_name

TOKEN = "__staged"  # the hidden field after the file field's name
REMOVE = "__remove"  # the checkboxes: ids of staged files the user removes
LIFETIME = datetime.timedelta(days=1)


def _model():
    from .models import StagedFile

    return StagedFile


def _file_fields(form):
    from .forms import MultipleFileField

    return [(n, f) for n, f in form.fields.items() if isinstance(f, MultipleFileField)]


def _live(qs):
    return qs.filter(uploaded_at__gte=timezone.now() - LIFETIME)


def _delete(rows) -> None:
    for row in rows:
        row.file.delete(save=False)
        row.delete()


def bind(form, user) -> None:
    """Before validating a posted `form`: the files `user` chose on its refused submits are
    listed in its file fields and cleaned with the new ones, minus those ticked 移除."""
    form.staging_user = user
    for name, field in _file_fields(form):
        field.staged, field.token, field.refused = [], "", False
        if not form.is_bound:
            continue
        key = form.add_prefix(name)
        token = str(form.data.get(key + TOKEN) or "")[:32]
        if not token:
            continue
        rows = _model().objects.filter(token=token, field=name)
        if rows.exclude(user=user).exists():
            field.refused = True  # someone else's: attached to nothing, reported
            continue
        mine = list(_live(rows.filter(user=user)))
        removed = set(form.data.getlist(key + REMOVE)) if hasattr(form.data, "getlist") else set()
        field.staged = [r for r in mine if str(r.pk) not in removed]
        _delete([r for r in mine if str(r.pk) in removed])
        field.token = token


def kept_files(field) -> list:
    """The staged files of `field` as uploads (name and size as chosen)."""
    return [File(row.file.open("rb"), name=row.name) for row in getattr(field, "staged", [])]


def done(form) -> None:
    """The service saved: the staged files it attached are removed."""
    for _name, field in _file_fields(form):
        _delete(getattr(field, "staged", []))
        field.staged = []
    form.staging_done = True


def keep(form) -> None:
    """The form was refused: the files received with this post are stored for the next one
    (within the route's limits: each at most MAX_UPLOAD_BYTES, MAX_UPLOADS in all), and the
    form's file fields list them."""
    user = getattr(form, "staging_user", None)
    if not form.is_bound or getattr(form, "staging_done", False) or user is None:
        return
    if not getattr(user, "is_authenticated", False):
        return
    for name, field in _file_fields(form):
        uploads = form.files.getlist(form.add_prefix(name)) if form.files else []
        room = MAX_UPLOADS - len(field.staged)
        uploads = [u for u in uploads if u and u.size <= MAX_UPLOAD_BYTES][: max(room, 0)]
        if not uploads:
            continue
        token = field.token or secrets.token_hex(16)
        with transaction.atomic():
            for upload in uploads:
                upload.seek(0)
                field.staged.append(
                    _model().objects.create(
                        token=token,
                        field=name,
                        user=user,
                        file=upload,
                        name=upload_name(upload),
                        size=upload.size,
                    )
                )
        field.token = token


def render_staged(field, name: str) -> str:
    """The list under a file input: each kept file with its size and a 移除 box, and the
    token that brings them back with the next post."""
    staged = getattr(field, "staged", None) or []
    token = getattr(field, "token", "")
    if not staged:
        return ""
    items = format_html_join(
        "",
        '<li>{} {} {} <label class="inline"><input type="checkbox" name="{}" value="{}"> {}</label></li>',
        (
            (_("已选："), row.name, filesizeformat(row.size), name + REMOVE, row.pk, _("移除"))
            for row in staged
        ),
    )
    return format_html(
        '<input type="hidden" name="{}" value="{}"><ul class="staged-files" aria-label="{}">{}</ul>'
        '<p class="help">{}</p>',
        name + TOKEN,
        token,
        _("已选的文件"),
        items,
        _("以上文件已保存，提交时一并上传；可以再选择其他文件。"),
    )


def purge(progress=None, day: str | None = None) -> dict:
    """The daily job: staged files older than a day are deleted (the files too)."""
    old = _model().objects.filter(uploaded_at__lt=timezone.now() - LIFETIME)
    rows = list(old)
    _delete(rows)
    if progress:
        progress(1, 1)
    return {"summary": _("清理暂存附件 %(n)s 个") % {"n": len(rows)}, "deleted": len(rows)}
