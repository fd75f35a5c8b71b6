"""What the task services share: the acting user and a trimmed, required text."""

from django.utils.translation import gettext as _

from dangjian.core.audit import user_of as _user  # noqa: F401  (the services' acting user)
from dangjian.core.services import invalid


def _text(value, field, label, required=True, limit=None):
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("请填写%(label)s") % {"label": label})
    if limit and len(value) > limit:
        raise invalid(field, _("%(label)s不能超过%(limit)s字") % {"label": label, "limit": limit})
    return value
