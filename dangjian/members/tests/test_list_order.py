"""The member list (issue 11, defect 5): a search says how many it found, names sort by
pinyin (丁 is not first for its code point), a page past the end shows the last page."""

import pytest
from django.urls import reverse

from dangjian.members import services
from dangjian.members.models import Member
from dangjian.members.rules import name_sort_key
from dangjian.members.views import PAGE_SIZE
from dangjian.testing import add_member, member_data

pytestmark = pytest.mark.django_db


def names_listed(client, **params):
    response = client.get(reverse("members:list"), params)
    assert response.status_code == 200
    return response, [m.name for m in response.context["members"]]


def test_names_sort_by_pinyin(client, county):
    for name in ("张三", "丁一", "安娜", "曹操", "王五"):
        add_member(county.village_b1, name=name)
    client.force_login(county.users["branch_b1"])
    _, names = names_listed(client, q="")
    chosen = [n for n in names if not n.startswith("党员")]
    assert chosen == ["安娜", "曹操", "丁一", "王五", "张三"]


def test_a_renamed_member_moves_in_the_order(county):
    member = add_member(county.village_b1, name="丁一")
    services.update(member, name="赵六")
    member.refresh_from_db()
    assert member.name_pinyin == name_sort_key("赵六") == "zhao liu"


def test_imported_members_have_their_sort_key(county):
    (member,) = services.bulk_create([(county.village_b1, member_data(name="曹操"), [])])
    assert Member.objects.get(pk=member.pk).name_pinyin == "cao cao"


def test_a_search_says_how_many_it_found(client, county):
    add_member(county.village_a1, name="张三")
    add_member(county.village_a2, name="张三丰")
    client.force_login(county.users["town_a"])
    response, names = names_listed(client, q="张三")
    assert sorted(names) == ["张三", "张三丰"]
    assert response.context["total"] == 2
    assert "共 2 名党员" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, county):
    for _ in range(PAGE_SIZE):
        add_member(county.village_a1)
    client.force_login(county.users["town_a"])
    response, names = names_listed(client, page=999)
    total = response.context["total"]
    last = -(-total // PAGE_SIZE)
    assert response.context["page"] == last == 2
    assert len(names) == total - PAGE_SIZE
    assert f"第 {last} / {last} 页" in response.content.decode()
    assert "第 999" not in response.content.decode()


def test_the_migration_fills_the_sort_key_of_existing_members_once_per_name(county):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from dangjian.members.models import Member

    Member.objects.update(name_pinyin="")
    Member.objects.filter(pk=county.members["TA01"][0].pk).update(name="张三")
    Member.objects.filter(pk=county.members["TB01"][0].pk).update(name="张三")
    migration = importlib.import_module("dangjian.members.migrations.0006_member_name_pinyin")
    # fill() uses only the editor's connection (SQLite refuses a schema editor in a test's
    # transaction).
    migration.fill(apps, SimpleNamespace(connection=connection))
    keys = dict(Member.objects.values_list("pk", "name_pinyin"))
    assert keys[county.members["TA01"][0].pk] == keys[county.members["TB01"][0].pk] == "zhang san"
    assert all(keys.values())
