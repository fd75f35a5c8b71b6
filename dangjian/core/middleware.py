"""Traditional Chinese (繁體) by conversion.

The UI and the data are written in simplified Chinese; for zh-hant the rendered HTML is
converted with OpenCC (Taiwan standard phrases), so every page, name and record reads in
traditional characters without a second copy of any text.
"""

from functools import lru_cache

from django.utils import translation


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2twp")


def to_traditional(text: str) -> str:
    return _converter().convert(text)


class TraditionalChineseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if translation.get_language() != "zh-hant":
            return response
        content_type = response.get("Content-Type", "")
        if response.streaming or not (
            content_type.startswith("text/html") or content_type.startswith("application/json")
        ):
            return response
        text = response.content.decode(response.charset or "utf-8")
        response.content = to_traditional(text).encode(response.charset or "utf-8")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
