"""Search and filters over a member queryset, shared by the list page, the export and the API.

Parameters (all optional): q (name prefix, or a whole ID number / phone number), org (an
organization code: that subtree), status, category, gender, education, tag, mobile (1/0),
include_removed (1).
"""

from django.db.models import Q

from dangjian.core.chinese import both_scripts
from dangjian.core.forms import normalize_code
from dangjian.core.text import normalize_number
from dangjian.orgs.models import Organization

from .models import Category, Education, Gender, Status
from .rules import normalize_id_number

FILTER_PARAMS = (
    "q",
    "org",
    "status",
    "category",
    "gender",
    "education",
    "tag",
    "mobile",
    "include_removed",
)


def number_query(q) -> bool:
    """Is the search text an ID number or phone number rather than a name?"""
    return normalize_id_number(q)[:1].isdigit()


def filter_members(qs, params):
    """Apply the filters in `params` (a dict or QueryDict) to `qs`, an already-scoped queryset."""
    get = params.get
    if get("include_removed") != "1":
        qs = qs.filter(removed_on__isnull=True)
    if code := normalize_code(get("org")):
        org = Organization.objects.filter(code=code).first()
        # An unknown code matches nothing rather than everything.
        qs = qs.filter(organization__path__startswith=org.path) if org else qs.none()
    if q := (get("q") or "").strip():
        if number_query(q):
            # The whole number only (the caller limits who may search so: selectors).
            qs = qs.filter(Q(id_number=normalize_id_number(q)) | Q(phone=normalize_number(q)))
        else:
            # In either script: 张 finds 張 and 张 (a name is stored as typed).
            names = Q()
            for variant in both_scripts(q):
                names |= Q(name__startswith=variant)
            qs = qs.filter(names)
    for field, choices in (
        ("status", Status),
        ("category", Category),
        ("gender", Gender),
        ("education", Education),
    ):
        if (value := get(field)) and value in choices.values:
            qs = qs.filter(**{field: value})
    if tag := (get("tag") or "").strip():
        qs = qs.filter(tags__name=tag)
    if get("mobile") in ("1", "0"):
        qs = qs.filter(is_mobile=get("mobile") == "1")
    return qs
