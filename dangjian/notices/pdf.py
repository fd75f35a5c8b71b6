"""A notice as PDF, rendered on the server by WeasyPrint from the same markup the page
prints (templates/notices/_document.html, static/css/notice.css), with the CJK fonts the
system has (`make install` puts Debian's fonts-noto-cjk there, and HarfBuzz's subsetter so
that only the characters used are embedded: a page in well under a second)."""

import shutil
import subprocess
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .rules import date_text


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def _stylesheet():
    # Parsed once a process: the same file for every notice.
    from weasyprint import CSS

    return CSS(filename=finders.find("css/notice.css"), font_config=_font_config())


def render(notice) -> bytes:
    """The notice as PDF bytes. WeasyPrint lays out about 8 ms of CPU a table row (two
    pages of text and a 40-row table: about 1 s); the full ledgers go to .xlsx, not here."""
    from weasyprint import HTML

    html = render_to_string(
        "notices/document.html", {"notice": notice, "date_text": date_text(notice.issued_on)}
    )
    return HTML(string=html).write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())


def cjk_fonts() -> list[str]:
    """The font families on this system that cover Chinese (fontconfig's list); empty when
    a notice's PDF would show boxes instead of characters."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    out = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10
    ).stdout
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
