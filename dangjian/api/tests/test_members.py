"""/api/members/ for users allowed to read and write there, masking, and bad bodies."""

from dangjian.core.models import AuditEvent
from dangjian.members.models import Member, MemberMove
from dangjian.members.rules import mask_id_number, mask_phone
from dangjian.rollups import services as rollups
from dangjian.testing import add_member

from .routes import member_body
from .snapshots import database_state


def ids(response):
    assert response.status_code == 200, response.content
    return [m["id"] for m in response.json()["items"]]


def test_search_and_filters_match_the_list_page(county, as_user):
    api = as_user("county")
    a1, b1 = county.members["TA01"], county.members["TB01"]
    tagged = add_member(
        county.group_a1,
        name="张双强",
        gender="m",  # the gender filter below must exclude him, whatever the sequence gives
        status="probationary",
        full_on=None,
        is_mobile=True,
        category="retired",
        tags=["双强"],
    )
    assert ids(api.get("/members/", {"q": "张"})) == [tagged.pk]
    assert ids(api.get("/members/", {"q": a1[0].id_number})) == [a1[0].pk]
    assert ids(api.get("/members/", {"q": a1[0].id_number[:14]})) == []
    assert ids(api.get("/members/", {"q": b1[1].phone})) == [b1[1].pk]
    assert sorted(ids(api.get("/members/", {"org": "ta01"}))) == sorted(
        [m.pk for m in a1] + [tagged.pk]
    )
    assert ids(api.get("/members/", {"org": "NOPE"})) == []
    assert ids(api.get("/members/", {"status": "probationary"})) == [tagged.pk]
    assert ids(api.get("/members/", {"category": "retired"})) == [tagged.pk]
    assert ids(api.get("/members/", {"mobile": "true"})) == [tagged.pk]
    assert len(ids(api.get("/members/", {"mobile": "false"}))) == 9
    assert ids(api.get("/members/", {"tag": "双强"})) == [tagged.pk]
    assert ids(api.get("/members/", {"gender": "f", "q": "张"})) == []
    assert ids(api.get("/members/", {"education": "secondary", "org": "TA0101"})) == [tagged.pk]
    page = api.get("/members/", {"limit": 4, "offset": 8}).json()
    assert page["count"] == 10 and len(page["items"]) == 2


def test_removed_members_are_listed_only_on_request(county, as_user):
    api = as_user("town_a")
    gone = county.members["TA01"][2]
    assert api.post(f"/members/{gone.pk}/remove", {"reason": "去世"}).status_code == 200
    assert gone.pk not in ids(api.get("/members/"))
    assert gone.pk in ids(api.get("/members/", {"include_removed": "1"}))
    assert api.get(f"/members/{gone.pk}").json()["removed_reason"] == "去世"


def test_id_numbers_and_phones_are_masked_unless_allowed(county, as_user):
    member = county.members["TA01"][0]  # member_a1's own record
    other = county.members["TA01"][1]
    full = as_user("county").get(f"/members/{other.pk}").json()
    assert full["id_number"] == other.id_number and full["phone"] == other.phone
    assert full["masked"] is False
    masked = as_user("town_a").get(f"/members/{other.pk}").json()
    assert masked["id_number"] == mask_id_number(other.id_number) != other.id_number
    assert masked["phone"] == mask_phone(other.phone) != other.phone
    assert masked["masked"] is True
    listed = as_user("branch_a1").get("/members/").json()["items"]
    assert all(m["masked"] and "*" in m["id_number"] for m in listed)
    assert not any(other.id_number in str(m) for m in listed)
    own = as_user("member_a1").get(f"/members/{member.pk}").json()
    assert own["id_number"] == member.id_number and own["masked"] is False
    # Who sees numbers masked cannot search by them at all (an oracle otherwise).
    assert as_user("town_a").get("/members/", {"q": other.id_number}).status_code == 422


def test_create(county, as_user):
    body = member_body("TA0101", name="李新", tags=["致富能手"], posts="党员示范岗")
    response = as_user("town_a").post("/members/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organization"] == "TA0101" and created["tags"] == ["致富能手"]
    member = Member.objects.get(pk=created["id"])
    assert member.name == "李新" and member.id_number == body["id_number"]
    assert rollups.figures(county.village_a1)["members"] == 4
    assert AuditEvent.objects.filter(target_id=str(member.pk), action="create").exists()


def test_update(county, as_user):
    member = county.members["TA02"][0]
    response = as_user("town_a").patch(
        f"/members/{member.pk}", {"posts": "村委委员", "is_mobile": True, "tags": ["双强"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["双强"]
    member.refresh_from_db()
    assert (
        member.posts == "村委委员"
        and member.is_mobile
        and member.name == county.members["TA02"][0].name
    )
    assert rollups.figures(county.town_a)["members.mobile"] == 1


def test_an_update_on_a_stale_version_is_refused_and_a_fresh_one_saved(county, as_user):
    member = county.members["TA02"][0]
    api = as_user("town_a")
    read = api.get(f"/members/{member.pk}").json()["version"]
    assert api.patch(f"/members/{member.pk}", {"posts": "一", "version": read}).status_code == 200
    stale = api.patch(f"/members/{member.pk}", {"posts": "二", "version": read})
    assert stale.status_code == 422, stale.content
    assert "已被修改" in stale.content.decode()
    member.refresh_from_db()
    assert member.posts == "一"
    fresh = api.get(f"/members/{member.pk}").json()["version"]
    assert api.patch(f"/members/{member.pk}", {"posts": "二", "version": fresh}).status_code == 200


def test_move(county, as_user):
    member = county.members["TA01"][1]
    response = as_user("town_a").post(
        f"/members/{member.pk}/move",
        {"organization": "ta02", "moved_on": "2026-02-01", "reason": "迁居"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["organization"] == "TA02"
    move = MemberMove.objects.get(member=member)
    assert (move.from_organization.code, move.to_organization.code) == ("TA01", "TA02")
    detail = as_user("town_a").get(f"/members/{member.pk}").json()
    assert detail["moves"] == [
        {
            "from_organization": "TA01",
            "to_organization": "TA02",
            "moved_on": "2026-02-01",
            "reason": "迁居",
        }
    ]
    assert rollups.figures(county.village_a2)["members"] == 4


def test_remove(county, as_user):
    member = county.members["TB01"][0]
    response = as_user("town_b").post(
        f"/members/{member.pk}/remove", {"removed_on": "2026-03-01", "reason": "去世"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["removed_on"] == "2026-03-01"
    assert rollups.figures(county.village_b1)["members"] == 2
    assert Member.objects.filter(pk=member.pk).exists()  # kept, marked


def test_bad_bodies_get_422_naming_the_field_and_change_nothing(county, as_user):
    api = as_user("town_a")
    member = county.members["TA01"][1]
    bad_check = member_body()
    bad_check["id_number"] = bad_check["id_number"][:17] + (
        "0" if bad_check["id_number"][17] != "0" else "1"
    )
    missing = member_body()
    del missing["name"]
    other_gender = "f" if member.gender == "m" else "m"
    before = database_state()
    cases = [
        ("post", "/members/", bad_check, "id_number", "身份证号校验位不正确，请核对"),
        ("post", "/members/", member_body(id_number="12345"), "id_number", "身份证号应为18位"),
        ("post", "/members/", member_body(organization="NOPE"), "organization", "不存在"),
        ("post", "/members/", member_body(organization="TA"), "organization", "党员应编入党支部"),
        ("post", "/members/", missing, "name", "缺少必填字段“姓名”"),
        (
            "post",
            "/members/",
            {**member_body(), "birth_date": "1990-02-30"},
            "birth_date",
            "出生日期应为日期",
        ),
        (
            "post",
            "/members/",
            {**member_body(), "gender": "x"},
            "gender",
            "性别的取值不在可选范围内",
        ),
        (
            "post",
            "/members/",
            member_body(is_mobile="maybe"),
            "is_mobile",
            "流动党员应为 true 或 false",
        ),
        ("post", "/members/", member_body(tags="双强"), "tags", "标签应为列表"),
        ("post", "/members/", member_body(tags=["双强", 7]), "tags.1", "标签第2项应为文本"),
        ("post", "/members/", member_body(phone="12345"), "phone", "格式不正确"),
        (
            "post",
            "/members/",
            member_body(
                id_number=member.id_number, birth_date=member.birth_date, gender=member.gender
            ),
            "id_number",
            "已经在册",
        ),
        (
            "post",
            "/members/",
            member_body(status="probationary"),
            "full_on",
            "预备党员不应有转正日期",
        ),
        ("patch", f"/members/{member.pk}", {"name": None}, "name", "姓名不能为空"),
        ("patch", f"/members/{member.pk}", {"is_mobile": None}, "is_mobile", "流动党员不能为空"),
        # The other gender than the ID number's (test members' genders vary with order).
        (
            "patch",
            f"/members/{member.pk}",
            {"gender": other_gender},
            "gender",
            "性别与身份证号不一致",
        ),
        ("patch", f"/members/{member.pk}", {"nickname": "小王"}, "nickname", "不是可接受的字段"),
        ("patch", "/members/abc", {"posts": "x"}, "member_id", "党员编号应为整数"),
        ("post", f"/members/{member.pk}/move", {"organization": "TA01"}, "organization", "已在"),
        (
            "post",
            f"/members/{member.pk}/move",
            {"reason": "x"},
            "organization",
            "缺少必填字段“党组织编码”",
        ),
        (
            "post",
            f"/members/{member.pk}/move",
            {"organization": "TA02", "moved_on": 5.5},
            "moved_on",
            "转接日期应为日期",
        ),
        ("post", f"/members/{member.pk}/remove", {"reason": ""}, "reason", "请填写减少原因"),
        ("post", f"/members/{member.pk}/remove", {}, "reason", "缺少必填字段“原因”"),
        ("post", "/members/", None, None, "缺少请求体"),
    ]
    for method, path, body, field, message in cases:
        if body is None:
            response = api.client.post(
                "/api/members/", data="", content_type="application/json", headers=api.headers
            )
        else:
            response = api.call(method, path, body)
        assert response.status_code == 422, (path, body, response.content)
        errors = {e["field"]: e["message"] for e in response.json()["detail"]}
        assert field in errors, (path, body, errors)
        assert message in errors[field], (path, body, errors)
    assert database_state() == before


def test_the_api_answers_every_error_in_one_422(county, as_user):
    body = member_body(status="probationary", phone="12")
    body["id_number"] = body["id_number"][:17] + ("0" if body["id_number"][17] != "0" else "1")
    response = as_user("town_a").post("/members/", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {"id_number", "full_on", "phone"}
