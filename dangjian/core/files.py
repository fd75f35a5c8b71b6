"""Downloads, served the same way on every page: uploaded photos and files, and .xlsx."""

import mimetypes
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Shown in the browser; anything else is downloaded (never rendered from our origin).
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")


# The one size rule for uploaded photos and files, checked by forms and services alike.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOADS = 10
NAME_LENGTH = 200


# Request bodies (issue 10): a request without files is small; a view that receives files says
# how much it takes (`accepts_uploads`). core.middleware.BodyLimitMiddleware refuses a larger
# body from its Content-Length, before anything reads it.
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Uploads:
    max_body: int  # the whole request body, in bytes
    max_file: int  # one file of it
    gate: object = None  # gate(request, *args, **kwargs) -> bool, from the URL alone


def accepts_uploads(*, max_file: int = MAX_UPLOAD_BYTES, files: int = MAX_UPLOADS, gate=None):
    """Marks a view that receives files: at most `files` files of `max_file` bytes each. When
    given, `gate(request, *url args)` says from the URL alone whether the user may post there
    at all; it runs before the body is read (a refused member's 2 GB upload is not received),
    and may raise Http404 like the view would. The view still checks everything itself."""

    def decorate(view):
        view.uploads = Uploads(max_file * files + MAX_BODY_BYTES, max_file, gate)
        return view

    return decorate


def upload_name(upload, default: str = "附件") -> str:
    """The name an upload is kept under: its own, cut from the front so the extension stays."""
    return (getattr(upload, "name", "") or default)[-NAME_LENGTH:]


def validate_upload(upload, field: str = "attachments") -> None:
    """ValidationError on `field` when one uploaded file is larger than the limit."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                field: [
                    _("附件“%(name)s”超过%(mb)sMB")
                    % {"name": upload.name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
                ]
            }
        )


def validate_uploads(uploads, field: str = "attachments") -> list:
    """The uploads of one form or request, checked: at most MAX_UPLOADS, each within the size
    limit. Returns them as a list."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_UPLOADS:
        raise ValidationError({field: [_("一次最多上传%(n)s个附件") % {"n": MAX_UPLOADS}]})
    for upload in uploads:
        validate_upload(upload, field)
    return uploads


def content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def is_image(name: str) -> bool:
    """An image the browser shows (HEIC and the like are offered as downloads)."""
    return content_type(name) in INLINE_TYPES[:4]


class Upload:
    """For models of uploaded files with a `file` and the uploader's `name` of it."""

    @property
    def is_image(self) -> bool:
        return is_image(self.name)


def serve_upload(upload) -> FileResponse:
    """The file of an Upload row the caller has already checked the user may see."""
    try:
        handle = upload.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    kind = content_type(upload.name)
    return FileResponse(
        handle, as_attachment=kind not in INLINE_TYPES, filename=upload.name, content_type=kind
    )


def xlsx_response(out, filename: str) -> FileResponse:
    """`out` (a workbook file object) as a download named `filename` (.xlsx added if missing)."""
    if not filename.endswith(".xlsx"):
        filename = f"{filename}_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
