"""Middleware of the whole site.

BodyLimitMiddleware: request bodies are refused early when too large (issue 10).

Traditional Chinese (繁體) is no longer a middleware: see core/chinese.py.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .files import MAX_BODY_BYTES

BODYLESS = ("GET", "HEAD", "OPTIONS", "TRACE")


class FileTooLarge(RequestDataTooBig):
    def __init__(self, name, limit):
        super().__init__(name)
        self.name, self.limit = name, limit


class _FileSizeLimit(FileUploadHandler):
    """Stops reading the body at the first file over `limit` bytes."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            raise FileTooLarge(self.file_name, self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None


def _refuse(request, message, status):
    return render(request, "core/refused.html", {"message": message}, status=status)


class BodyLimitMiddleware:
    """Refuses a request body larger than its route takes, from its Content-Length and before
    anything reads it (listed before CsrfViewMiddleware, which reads the form): views marked
    with core.files.accepts_uploads take their files, every other route MAX_BODY_BYTES. On
    an upload route the user must be logged in and pass the view's gate first, and reading
    stops at the first file over the per-file limit. A body without a length (chunked) is
    refused: Django would read it as empty."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        meta = request.META
        if "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refuse(request, _("请求没有注明内容长度，无法接收"), 411)
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return _refuse(request, _("请求的内容长度有误"), 400)
        if not length and request.method in BODYLESS:
            return None
        uploads = getattr(view, "uploads", None)
        limit = uploads.max_body if uploads else MAX_BODY_BYTES
        if length > limit:
            return _refuse(
                request,
                _("提交的内容过大（%(size)s），这里最多接收%(max)s")
                % {"size": filesizeformat(length), "max": filesizeformat(limit)},
                413,
            )
        if uploads is None or not length:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if uploads.gate is not None:
            # Answered here: Django's 403 and 404 views would read the form (for CSRF).
            try:
                allowed = uploads.gate(request, *args, **kwargs)
            except Http404:
                return _refuse(request, _("页面不存在或您无权查看"), 404)
            except PermissionDenied:
                allowed = False
            if not allowed:
                return _refuse(request, _("您没有权限进行此操作"), 403)
        request.upload_handlers.insert(0, _FileSizeLimit(request, uploads.max_file))
        try:
            len(request.FILES)  # read here, where a file over the limit can be answered
        except FileTooLarge as e:
            return _refuse(
                request,
                _("文件“%(name)s”超过%(max)s，未上传，请压缩或拆分后重新上传")
                % {"name": e.name, "max": filesizeformat(e.limit)},
                413,
            )
        return None
