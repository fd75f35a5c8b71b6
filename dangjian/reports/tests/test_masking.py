"""One masking policy everywhere (members.selectors.personal_details): who may not see a
member's ID number, phone and birth date in full gets them masked on the pages, in the API,
in exports, in search, in the history and in messages, and nothing shown beside a masked
value gives its hidden part back.

The test county: the county admin sees everything in full; township and branch secretaries
see their subtree masked; a member sees their own record in full.
"""

import datetime
import io
import itertools
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts import tokens
from dangjian.members.models import Member
from dangjian.members.rules import id_check_char
from dangjian.members.services import update

pytestmark = pytest.mark.django_db


def api(county, username):
    headers = {"Authorization": f"Bearer {tokens.create(county.users[username])[1]}"}
    client = Client()

    def call(method, path, body=None):
        if method == "get":
            return client.get(f"/api{path}", body or {}, headers=headers)
        return getattr(client, method)(
            f"/api{path}", json.dumps(body or {}), content_type="application/json", headers=headers
        )

    return call


def candidates(masked_id: str, birth: datetime.date, gender: str) -> int:
    """How many ID numbers fit a masked number seen beside the full birth date and gender:
    the attack of the security review (the hidden digits were the birth date)."""
    chars = list(masked_id)
    for i in range(6, 14):
        if chars[i] == "*":
            chars[i] = f"{birth:%Y%m%d}"[i - 6]
    free = [i for i, c in enumerate(chars) if c == "*"]
    count = 0
    for fill in itertools.product("0123456789X", repeat=len(free)):
        for i, c in zip(free, fill, strict=True):
            chars[i] = c
        number = "".join(chars)
        if not number[:17].isdigit() or id_check_char(number[:17]) != number[17]:
            continue
        count += int(number[16]) % 2 == (gender == "m")
    return count


def test_the_api_gives_no_birth_date_beside_a_masked_id_number(county):
    listed = api(county, "town_a")("get", "/members/").json()["items"]
    assert len(listed) == 6
    for row in listed:
        member = Member.objects.get(pk=row["id"])
        assert row["masked"] is True
        assert row["birth_date"] is None and row["birth_year"] == member.birth_date.year
        assert member.birth_date.isoformat() not in json.dumps(row)
        # Even told the true birth date, the masked number leaves many candidates.
        assert candidates(row["id_number"], member.birth_date, member.gender) >= 500
    full = api(county, "county")("get", f"/members/{listed[0]['id']}").json()
    member = Member.objects.get(pk=listed[0]["id"])
    assert full["birth_date"] == member.birth_date.isoformat()
    assert full["id_number"] == member.id_number and full["phone"] == member.phone


def test_the_member_page_and_list_give_the_birth_year_only_when_masked(client, county):
    member = county.members["TA01"][1]
    client.force_login(county.users["branch_a1"])
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert member.birth_date.isoformat() not in html
    assert f"{member.birth_date:%Y-%m}" not in html
    assert str(member.birth_date.year) in html
    assert member.id_number[6:] not in html and member.phone not in html
    html = client.get(reverse("members:list")).content.decode()
    for m in county.members["TA01"]:
        assert f"{m.birth_date:%Y-%m}" not in html
    client.force_login(county.users["county"])
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert member.birth_date.isoformat() in html and member.id_number in html


def test_a_township_export_masks_phones_and_birth_dates(client, county):
    client.force_login(county.users["town_a"])
    response = client.get(reverse("reports:export", args=["members"]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    assert len(rows) == 6
    phones = [r[header.index("手机号")] for r in rows]
    births = [r[header.index("出生日期")] for r in rows]
    members = {m.phone: m for code in ("TA01", "TA02") for m in county.members[code]}
    assert all("*" in p for p in phones)
    assert not set(phones) & set(members)
    assert all(isinstance(b, str) and len(b) == 4 for b in births)
    notes = " ".join(r[0] or "" for r in wb["说明"].iter_rows(values_only=True))
    assert "手机号和出生日期" in notes


def test_search_by_number_is_whole_and_only_for_who_may_see_it(client, county):
    target = county.members["TA01"][1]
    # A branch secretary sees the number masked: no search by it, whole or in part, and
    # the answer says so (it depends on the user's roles only, not on the number).
    branch = api(county, "branch_a1")
    for q in (target.id_number, target.id_number[:17], target.id_number[:7], target.phone):
        response = branch("get", "/members/", {"q": q})
        assert response.status_code == 422, q
        assert response.json()["detail"] == [
            {"field": "q", "message": "您无权按身份证号或手机号搜索，请按姓名搜索"}
        ]
    client.force_login(county.users["branch_a1"])
    response = client.get(reverse("members:list"), {"q": target.phone[:7]})
    assert list(response.context["members"]) == []
    assert "您无权按身份证号或手机号搜索" in response.content.decode()
    assert "完整的身份证号" not in response.content.decode()
    # The county admin finds by the whole number only.
    admin = api(county, "county")
    found = admin("get", "/members/", {"q": target.id_number}).json()["items"]
    assert [m["id"] for m in found] == [target.pk]
    found = admin("get", "/members/", {"q": target.id_number.lower()}).json()["items"]
    assert [m["id"] for m in found] == [target.pk]
    for q in (target.id_number[:17], target.id_number[:10], target.phone[:10]):
        assert admin("get", "/members/", {"q": q}).json()["items"] == [], q
    # The export follows the list's search.
    client.force_login(county.users["branch_a1"])
    response = client.get(reverse("reports:export", args=["members"]), {"q": target.id_number})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(list(wb.worksheets[0].iter_rows(values_only=True))) == 1


def test_changing_the_birth_date_alone_is_no_oracle_for_the_hidden_id(county):
    target = county.members["TA01"][1]
    town = api(county, "town_a")
    true_date = target.birth_date.isoformat()
    wrong_date = (target.birth_date + datetime.timedelta(days=1)).isoformat()
    answers = [
        town("patch", f"/members/{target.pk}", {"birth_date": d}).json()
        for d in (true_date, wrong_date)
    ]
    assert answers[0] == answers[1]
    assert answers[0]["detail"][0]["field"] == "birth_date"
    assert "无权查看身份证号" in answers[0]["detail"][0]["message"]
    # The county admin, who sees the number, gets the ordinary check.
    admin = api(county, "county")
    answer = admin("patch", f"/members/{target.pk}", {"birth_date": wrong_date}).json()
    assert answer["detail"][0]["message"] == "出生日期与身份证号不一致"


def test_the_edit_page_of_a_masked_editor_shows_no_phone_or_birth_date(client, county):
    member = county.members["TA01"][1]
    client.force_login(county.users["branch_a1"])
    url = reverse("members:edit", args=[member.pk])
    response = client.get(url)
    html = response.content.decode()
    assert member.phone not in html and member.birth_date.isoformat() not in html
    form = response.context["form"]
    assert "birth_date" not in form.fields
    data = {
        k: (v.isoformat() if isinstance(v, datetime.date) else v)
        for k, v in form.initial.items()
        if v not in (None, False, "")
    }
    data["posts"] = "党员示范岗"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    kept = Member.objects.get(pk=member.pk)
    assert (kept.phone, kept.birth_date, kept.posts) == (
        member.phone,
        member.birth_date,
        "党员示范岗",
    )


def test_the_history_masks_the_birth_date_too(client, county):
    member = county.members["TA01"][1]
    update(member, birth_date=member.birth_date, phone="13700000001")
    client.force_login(county.users["branch_a1"])
    html = client.get(reverse("core:history", args=["member", member.pk])).content.decode()
    assert member.birth_date.isoformat() not in html and "13700000001" not in html
