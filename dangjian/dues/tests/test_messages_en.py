"""Messages of the dues services come out in the user's language (the app's own catalog)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from dangjian.dues import services
from dangjian.testing import add_member, build_county

pytestmark = pytest.mark.django_db


def test_bad_base_and_rural_range_messages_in_english():
    c = build_county()
    m = add_member(c.village_a1, category="agency")
    with override("en"), pytest.raises(ValidationError) as e:
        services.set_base(
            c.users["county"], m, effective_from="2026-13", category="employed", base_yuan="3千"
        )
    errors = e.value.message_dict
    assert errors["effective_from"] == ["From month “2026-13” should be written like 2026-03"]
    assert "should be an amount in yuan" in errors["base_yuan"][0]
    with override("en"), pytest.raises(ValidationError) as e:
        services.set_base(
            c.users["county"], m, effective_from="2026-01", category="rural", rural_yuan="1.50"
        )
    assert e.value.message_dict["rural_yuan"] == ["Rural members pay 0.20 to 1.00 yuan a month"]
    assert not m.dues_bases.exists()
