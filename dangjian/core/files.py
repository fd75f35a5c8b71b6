"""Downloads, served the same way on every page: uploaded photos and files, and .xlsx."""

import mimetypes

from django.http import FileResponse, Http404
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Shown in the browser; anything else is downloaded (never rendered from our origin).
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")


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
