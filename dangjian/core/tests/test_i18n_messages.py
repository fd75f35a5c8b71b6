"""Messages of the shared services and commands follow the active language."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import override

from dangjian.core import config
from dangjian.core.periods import Period, PeriodError


@pytest.fixture(autouse=True)
def default_language():
    """Start and end in the default language, whatever an earlier request activated."""
    translation.deactivate()
    yield
    translation.deactivate()


def test_bad_period_in_english_and_chinese():
    with override("en"), pytest.raises(PeriodError) as e:
        Period.parse("2026-13")
    assert str(e.value) == (
        "Unrecognized period “2026-13”: use a format such as 2026, 2026-Q1 or 2026-03"
    )
    with pytest.raises(PeriodError) as e:
        Period.parse("2026-13")
    assert str(e.value) == "无法识别的期间“2026-13”，应为 2026、2026-Q1 或 2026-03 这样的格式"


@pytest.mark.django_db
def test_unknown_rule_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        config.set_rule(county.root, "no.such.rule", 1)
    assert e.value.message_dict["key"] == ["There is no rule named “no.such.rule”"]


def test_remind_command_bad_date_in_english():
    with override("en"), pytest.raises(CommandError) as e:
        call_command("remind", "--today", "2026-02-30")
    assert str(e.value) == (
        "Date “2026-02-30” is not in the right format; it should look like 2026-03-25"
    )
