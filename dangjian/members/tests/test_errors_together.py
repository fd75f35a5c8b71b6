"""Every error of a member in one round trip (issue 11 §3.3, "the member form took three
submits"): the service's rules are collected into one ValidationError naming each field, the
form shows them together with its own, and the API answers them all in one 422."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.members import services
from dangjian.members.models import Member
from dangjian.testing import add_member, member_data

from .test_views import form_data

pytestmark = pytest.mark.django_db


def several_mistakes(**overrides):
    """A bad check digit, a probationary member with a full date, a wrong phone."""
    data = member_data(status="probationary", phone="12", **overrides)
    data["id_number"] = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    return data


def test_clean_names_every_bad_field_at_once(county):
    with pytest.raises(ValidationError) as caught:
        services.clean(several_mistakes())
    errors = caught.value.message_dict
    assert set(errors) == {"id_number", "full_on", "phone"}
    assert "校验位" in errors["id_number"][0]
    assert errors["full_on"] == ["预备党员不应有转正日期"]
    assert errors["phone"] == ["手机号“12”格式不正确"]


def test_dates_out_of_order_and_a_duplicate_together(county):
    taken = county.members["TA01"][0]
    data = member_data(
        id_number=taken.id_number,
        birth_date=taken.birth_date,
        gender=taken.gender,
        joined_on=taken.birth_date + datetime.timedelta(days=365 * 10),
        full_on=datetime.date(1950, 1, 1),
        phone="139",
    )
    with pytest.raises(ValidationError) as caught:
        services.clean(data)
    errors = caught.value.message_dict
    assert "已经在册" in errors["id_number"][0]
    assert "年满18周岁" in errors["joined_on"][0]
    assert errors["full_on"] == ["转正日期不能早于入党日期"]
    assert "phone" in errors


def test_the_member_form_shows_every_error_in_one_submit(client, county):
    client.force_login(county.users["branch_a1"])
    url = reverse("members:create", args=["TA01"])
    data = form_data(name="张三", status="probationary", phone="12")
    data["id_number"] = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    del data["education"]  # the form's own error, with the service's ones
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"education", "id_number", "full_on", "phone"}
    assert len(errors["education"]) == 1  # the form's, not the service's 不能为空 again
    html = response.content.decode()
    assert html.index("预备党员不应有转正日期") < html.index('name="name"')  # the summary on top
    assert not Member.objects.filter(name="张三").exists()


def test_the_edit_form_shows_every_error_in_one_submit(client, county):
    member = add_member(county.village_a1)
    client.force_login(county.users["county"])
    data = form_data(status="probationary", phone="12", joined_on="2099-01-01")
    data["id_number"] = ""  # kept as stored
    data["birth_date"] = "not a date"
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    errors = response.context["form"].errors
    assert {"birth_date", "joined_on", "full_on", "phone"} <= set(errors)
    assert errors["joined_on"] == ["入党日期不能晚于今天"]
