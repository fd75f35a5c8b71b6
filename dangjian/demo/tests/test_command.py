"""`dangjian demo`: arguments, idempotence and --reset."""

import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.core.models import AuditEvent
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


def demo(**options):
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"orgs": "-5", "members": "10"}, "--orgs 不能为负数"),
        ({"orgs": "10", "members": "-1"}, "--members 不能为负数"),
        ({"orgs": "1", "members": "10"}, "--orgs 至少为 2"),
        ({"orgs": "0", "members": "0"}, "--orgs 至少为 2"),
        ({"members": "100"}, "还需要同时给出 --orgs"),
        ({"orgs": "100"}, "还需要同时给出 --members"),
        ({"orgs": "abc", "members": "10"}, "--orgs 应为整数"),
        ({"orgs": "10", "members": "1e3"}, "--members 应为整数"),
        ({"seed": "-3"}, "--seed 不能为负数"),
        ({"orgs": "9999999999", "members": "1"}, "--orgs 不能超过"),
    ],
)
def test_wrong_arguments_get_a_chinese_message(options, message):
    # Checked before the database is touched, so no database is needed.
    with pytest.raises(CommandError, match=message):
        demo(**options)


def test_wrong_arguments_exit_non_zero_on_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "dangjian", "demo", "--members", "100"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "还需要同时给出 --orgs" in done.stderr
    assert done.stdout == ""


@pytest.mark.django_db
def test_loads_once_then_says_so_and_reset_loads_again():
    out = demo(orgs="40", members="300", seed="2")
    assert "已载入" in out and "http://127.0.0.1:" in out and "dangjian2026" in out
    assert (Organization.objects.count(), Member.objects.count()) == (40, 300)
    first_ids = sorted(Member.objects.values_list("id_number", flat=True))

    out = demo(orgs="60", members="500")
    assert "演示数据已经载入" in out and "--reset" in out
    assert (Organization.objects.count(), Member.objects.count()) == (40, 300)
    assert "county" in out  # the logins are printed again

    out = demo(orgs="60", members="500", reset=True)
    assert "已清空数据表" in out
    assert (Organization.objects.count(), Member.objects.count()) == (60, 500)
    assert AuditEvent.objects.count() == 1
    assert get_user_model().objects.filter(username="admin", is_superuser=True).count() == 1

    demo(orgs="40", members="300", seed="2", reset=True)
    assert sorted(Member.objects.values_list("id_number", flat=True)) == first_ids


@pytest.mark.django_db
def test_other_data_is_left_alone_without_reset(county):
    out = demo(orgs="20", members="50")
    assert "已有党组织数据" in out
    assert Organization.objects.filter(code="T").exists()
    assert not Organization.objects.filter(code="P").exists()

    demo(orgs="20", members="50", reset=True)
    assert not Organization.objects.filter(code="T").exists()
    assert not get_user_model().objects.filter(username="town_a").exists()
    assert Organization.objects.count() == 20
