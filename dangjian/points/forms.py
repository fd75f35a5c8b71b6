"""The scheme form: one row per registered source (points per record, yearly cap); a row
left without points is not counted. Field types only: the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import sources


def points_name(key: str) -> str:
    return f"points-{key}"


def cap_name(key: str) -> str:
    return f"cap-{key}"


class SchemeForm(forms.Form):
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {i.source: i for i in scheme.items.all()} if scheme else {}
        self.rows = []
        for source in sources.all_sources():
            item = current.get(source.key)
            # Text inputs: the service checks the numbers and says what is wrong in words.
            p = forms.CharField(
                label=_("%(label)s：每%(unit)s分值") % {"label": source.label, "unit": source.unit},
                required=False,
                initial=item.points if item else "",
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
            )
            c = forms.CharField(
                label=_("%(label)s：年度上限") % {"label": source.label},
                required=False,
                initial=item.cap if item and item.cap is not None else "",
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
            )
            self.fields[points_name(source.key)] = p
            self.fields[cap_name(source.key)] = c
            self.rows.append((source, points_name(source.key), cap_name(source.key)))

    def items(self) -> tuple[list, dict]:
        """([{source, points, cap}], the service's field names → this form's) of the rows
        filled in (a cap without points is a row too, so that it is refused, not lost)."""
        items, field_map = [], {}
        for source, p, c in self.rows:
            points = (self.cleaned_data.get(p) or "").strip()
            cap = (self.cleaned_data.get(c) or "").strip()
            if not points and not cap:
                continue
            n = len(items)
            items.append({"source": source.key, "points": points, "cap": cap or None})
            field_map[f"items.{n}.points"] = p
            field_map[f"items.{n}.cap"] = c
            field_map[f"items.{n}.source"] = p
        return items, field_map

    def bound_rows(self):
        """(source, points field, cap field) for the template."""
        return [(s, self[p], self[c]) for s, p, c in self.rows]
