"""All CSS lives in static/css/site.css: no template carries a style attribute or a <style>
element, and there are no per-app "_styles.html" includes."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# style="…", style='…', style=… (unquoted) and with spaces around "="; not data-style=….
STYLE_ATTRIBUTE = re.compile(r"(?<![\w-])style\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>/]", re.IGNORECASE)


def templates():
    found = sorted(TEMPLATES.rglob("*.html"))
    assert len(found) > 20, f"no templates found under {TEMPLATES}"
    return found


def offending_lines(pattern):
    hits = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}")
    return hits


def test_no_style_attributes():
    hits = offending_lines(STYLE_ATTRIBUTE)
    assert not hits, "style attributes in templates (use a class in site.css):\n" + "\n".join(hits)


def test_no_style_elements():
    hits = offending_lines(STYLE_ELEMENT)
    assert not hits, "<style> in templates (move the rules to site.css):\n" + "\n".join(hits)


def test_no_styles_includes():
    found = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*_styles.html")]
    assert not found, "per-app style includes (move the rules to site.css): " + ", ".join(found)


def test_the_patterns_catch_what_they_should():
    for text in ('<p style="x">', "<td style='x'>", "<td STYLE = x>", '<a\nstyle="x">'):
        assert STYLE_ATTRIBUTE.search(text), text
    for text in ("<style>", "<STYLE media=print>", "<style/>"):
        assert STYLE_ELEMENT.search(text), text
    for text in ('<div data-style="x">', '<p class="styled">', "<stylesheet>", "no_style()"):
        assert not STYLE_ATTRIBUTE.search(text) and not STYLE_ELEMENT.search(text), text
