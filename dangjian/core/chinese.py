"""Traditional Chinese (繁體) by conversion, and searches in either script.

The UI is written in simplified Chinese. For zh-hant every translated string (gettext and its
kin: templates, forms, choices, messages, the API's labels) is converted with OpenCC (Taiwan
standard phrases), without a second copy of any text: `install_traditional`, called from
CoreConfig.ready. Records — people's names, addresses, what was typed — are shown as stored:
a name converted (余→餘, 范→範) is no longer the person's name, and a search box refilled in
converted text finds nothing. A search term is looked up in both scripts (`both_scripts`).
"""

from functools import lru_cache


@lru_cache(maxsize=2)
def _converter(config="s2twp"):
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=20_000)
def to_traditional(text: str) -> str:
    return _converter().convert(text)


@lru_cache(maxsize=2_000)
def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def both_scripts(text: str) -> list[str]:
    """A search term as typed, in simplified and in traditional characters (张 / 張): a
    search in either script finds records stored in either."""
    out = [text]
    for variant in (to_simplified(text), _converter("s2t").convert(text)):
        if variant not in out:
            out.append(variant)
    return out


def install_traditional():
    """Make the zh-hant translation convert every string it hands out (once)."""
    from django.utils.translation import trans_real

    cls = trans_real.DjangoTranslation
    if getattr(cls, "_dangjian_traditional", False):
        return
    gettext, ngettext = cls.gettext, cls.ngettext
    separator = trans_real.CONTEXT_SEPARATOR

    def converted(self, text):
        if self.language() != "zh-hant" or not isinstance(text, str):
            return text
        if separator in text:  # pgettext without an entry: its message, converted
            text = text.split(separator, 1)[1]
        return to_traditional(text)

    cls.gettext = lambda self, message: converted(self, gettext(self, message))
    cls.ngettext = lambda self, one, many, n: converted(self, ngettext(self, one, many, n))
    cls._dangjian_traditional = True
