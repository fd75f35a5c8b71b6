"""Helpers shared by every app's services."""

from django.core.exceptions import PermissionDenied, ValidationError


def require(actor, perm: str, obj, message: str = "您没有权限进行此操作") -> None:
    """Raise PermissionDenied unless `actor` holds `perm` on `obj`. actor None = the system."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def invalid(field: str, message: str):
    """A ValidationError that names the field, for forms, the API and importers alike."""
    return ValidationError({field: [message]})


def validate_choice(field: str, value, choices, label: str) -> None:
    if value not in choices.values:
        allowed = "、".join(str(label) for label in choices.labels)
        raise invalid(field, f"{label}“{value}”不在可选范围内（{allowed}）")
