"""Text as it is stored: identifiers in one canonical form, names without hidden characters.

Services call these (so the pages, the API and the importers all get them):
- `normalize_identifier`: ID numbers, phone numbers, codes. NFKC turns full-width digits and
  letters (`４１１４２３…`, `ＴＡ０１`) into ASCII, so `４１１…` and `411…` are one person and
  uniqueness holds however a number was typed or pasted.
- `hidden_characters` / `refuse_hidden`: control characters and the Unicode bidirectional
  controls (which reorder what a reader sees: `U+202E` shows “abc” as “cba”) have no place in
  a name, and zero-width characters make two equal-looking names differ.
"""

import unicodedata

from django.utils.translation import gettext as _

from .services import invalid

# Bidirectional embedding, override and isolate controls, and the implicit marks.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Zero-width characters and the byte-order mark (format characters).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
LINE_BREAKS = frozenset("\t\n\r")


# How much a person may type into one field: the same limit in the page forms and in the API
# schemas (core.api.fields.text), so a page cannot store what the API refuses. Short fields
# take their model's max_length; these are for the model's TextFields.
ANSWER_TEXT = 2000  # one typed answer of a report-back
LONG_TEXT = 5000  # a report-back's text, an assignment's content, notes, a project's goal
MINUTES_TEXT = 20000  # a meeting's minutes and resolutions


def normalize_identifier(value) -> str:
    """An identifier as stored: NFKC (full-width → ASCII), trimmed, upper case."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().upper()


def normalize_number(value) -> str:
    """A phone number as stored: NFKC (full-width digits → ASCII), trimmed."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def hidden_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The control, bidi and zero-width characters in `value` (tab and line breaks allowed
    when `multiline`), as U+XXXX, in order of first appearance."""
    found = []
    for ch in value or "":
        if multiline and ch in LINE_BREAKS:
            continue
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS or ch in ZERO_WIDTH:
            code = f"U+{ord(ch):04X}"
            if code not in found:
                found.append(code)
    return found


def refuse_hidden(field: str, label, value: str, *, multiline: bool = False) -> str:
    """`value` unchanged, or a ValidationError naming the field and the characters."""
    if found := hidden_characters(value, multiline=multiline):
        raise invalid(
            field,
            _("%(label)s不能包含控制字符或不可见的格式字符（%(chars)s）")
            % {"label": label, "chars": "、".join(found)},
        )
    return value
