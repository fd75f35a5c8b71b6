"""Helpers shared by every app's services."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _


def require(actor, perm: str, obj, message: str | None = None) -> None:
    """Raise PermissionDenied unless `actor` holds `perm` on `obj`. actor None = the system."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message or _("您没有权限进行此操作"))


def invalid(field: str, message: str):
    """A ValidationError that names the field, for forms, the API and importers alike."""
    return ValidationError({field: [message]})


class Errors:
    """A service's rule violations collected, so that one ValidationError names every bad
    field at once (a form shows them all together; the API answers 422 with each field)
    instead of one per round trip. Checks that depend on a field already refused are
    skipped with `has(field)`."""

    def __init__(self):
        self.by_field: dict[str, list] = {}

    def add(self, field: str, message) -> None:
        self.by_field.setdefault(field, []).append(message)

    def has(self, *fields: str) -> bool:
        return any(f in self.by_field for f in fields)

    @contextmanager
    def collect(self):
        """Run a check that raises ValidationError (refuse_hidden, validate_choice …) and
        keep its messages instead of stopping."""
        try:
            yield
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add(field, message)
            else:
                for message in error.messages:
                    self.add(NON_FIELD_ERRORS, message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


@contextmanager
def unique_or_invalid(field: str, message: str):
    """Writes inside are refused with `message` when the database finds a duplicate.

    A service checks uniqueness first to give the message early, but two requests can pass
    that check together; the database's unique constraint then decides, and the loser gets
    the same message instead of a server error (the savepoint keeps its transaction usable)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise invalid(field, message) from None


def version_of(record) -> str:
    """The version a user's copy of a record was read at: its last change, to the microsecond."""
    return str(int(record.updated_at.timestamp() * 1_000_000))


def check_version(record, version: str | None) -> None:
    """Refuse to save over a change made since the user read the record (two people editing
    the same member: the second is told, nothing is silently overwritten). `record` is the
    row as locked by the service; no version given (an older client) means no check."""
    if version and str(version) != version_of(record):
        raise invalid(
            NON_FIELD_ERRORS,
            _(
                "这条记录在您打开之后已被修改（%(at)s），您的修改没有保存。请重新打开页面，核对最新内容后再改。"
            )
            % {"at": timezone.localtime(record.updated_at).strftime("%Y-%m-%d %H:%M")},
        )


def join_labels(labels) -> str:
    """Labels as one list in the user's language: “出席、请假” / “present, on leave”."""
    # The msgid is the separator itself: “、” in Chinese, “, ” in English.
    return _("、").join(str(label) for label in labels)


def validate_choice(field: str, value, choices, label: str) -> None:
    if value not in choices.values:
        raise invalid(
            field,
            _("%(label)s“%(value)s”不在可选范围内（%(allowed)s）")
            % {"label": label, "value": value, "allowed": join_labels(choices.labels)},
        )
