import datetime

from hypothesis import given
from hypothesis import strategies as st

from dangjian.members import rules


def test_known_valid_id_number():
    # The GB 11643 worked example.
    assert rules.id_number_error("11010519491231002X") is None


def test_id_number_errors_say_what_is_wrong():
    assert "18位" in rules.id_number_error("1101051949123100")
    assert "数字" in rules.id_number_error("11010519491231002A")
    assert "出生日期" in rules.id_number_error("110105194902300021")
    assert "校验位" in rules.id_number_error("110105194912310021")


@given(
    st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2008, 12, 31)),
    st.integers(min_value=0, max_value=499),
    st.sampled_from(["m", "f"]),
)
def test_generated_numbers_are_valid_and_carry_birth_and_gender(birth, seq, gender):
    number = rules.make_id_number("411423", birth, seq, gender)
    assert rules.id_number_error(number) is None
    assert rules.birth_date_from_id(number) == birth
    assert rules.gender_from_id(number) == gender


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_single_digit_change_breaks_the_checksum(body):
    try:
        datetime.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return
    number = body + rules.id_check_char(body)
    assert rules.id_number_error(number) is None
    altered = str((int(number[3]) + 1) % 10)
    assert rules.id_number_error(number[:3] + altered + number[4:]) is not None


def test_masking_keeps_only_the_region_of_an_id_number():
    # The last four (sequence and check) beside a birth year would leave ~33 candidates.
    assert rules.mask_id_number("11010519491231002X") == "110105************"
    assert rules.mask_phone("13912345678") == "139****5678"
    assert rules.mask_phone("12345") == "*****"
    assert rules.mask_birth_date("1949-12-31") == "1949"
    assert rules.mask_birth_date(datetime.date(1949, 12, 31)) == "1949"


def test_age_bands_count_age_at_year_end():
    # 5-year steps, as the annual statistics report them.
    assert rules.age_band(2001, 2026) == "≤25岁"
    assert rules.age_band(2000, 2026) == "26–30岁"
    assert rules.age_band(1996, 2026) == "26–30岁"
    assert rules.age_band(1995, 2026) == "31–35岁"
    assert rules.age_band(1961, 2026) == "61–65岁"
    assert rules.age_band(1946, 2026) == "76–80岁"
    assert rules.age_band(1945, 2026) == "81岁以上"
    assert [label for label, _low, _high in rules.AGE_BANDS][-4:] == [
        "66–70岁",
        "71–75岁",
        "76–80岁",
        "81岁以上",
    ]
    # The 10-year bands stay available as a coarser view.
    assert rules.age_band(1996, 2026, rules.AGE_BANDS_10) == "≤30岁"
    assert rules.age_band(1995, 2026, rules.AGE_BANDS_10) == "31–40岁"
    assert rules.age_band(1950, 2026, rules.AGE_BANDS_10) == "71岁以上"
