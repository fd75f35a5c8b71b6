"""Roll-up figures stay equal to a rebuild when writers race, and duplicates are refused
with a message instead of a server error.

The threads are real connections: on PostgreSQL they run at the same time (the tree lock
and the unique constraint decide); on SQLite they take turns."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from dangjian.members import services as members
from dangjian.members.models import Member
from dangjian.orgs import services as orgs
from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup
from dangjian.testing import build_county, member_data


def figures_now():
    return {
        (o, k, v) for o, k, v in Rollup.objects.values_list("organization_id", "key", "value") if v
    }


def assert_rollups_equal_rebuild():
    incremental = figures_now()
    rollups.rebuild()
    assert incremental == figures_now()


def run_together(jobs):
    """Run each callable in its own thread with its own connection; return what each
    returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    # The in-memory SQLite test database shares one cache between threads and answers
    # "table is locked" instead of waiting as a file database does (busy timeout): there
    # the threads take turns, as the IMMEDIATE transactions of a real file would make them.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def run(i, job):
        try:
            barrier.wait()
            with turns:
                results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_a_member_moved_into_an_organization_read_before_its_move_counts_where_it_is_now(db):
    county = build_county()
    stale_target = Organization.objects.get(code="TB01")  # read, then moved by someone else
    orgs.move(Organization.objects.get(code="TB01"), county.town_a)
    members.move(county.members["TA01"][0], stale_target)
    town_a = Organization.objects.get(code="TA")
    town_b = Organization.objects.get(code="TB")
    assert rollups.figures(town_a)["members"] == 9
    assert rollups.figures(town_b).get("members", 0) == 0
    assert_rollups_equal_rebuild()


@pytest.mark.django_db(transaction=True)
def test_concurrent_organization_and_member_moves_keep_the_rollup_equal_to_a_rebuild():
    county = build_county()
    villages = [county.village_a1, county.village_a2, county.village_b1]
    towns = [county.town_a, county.town_b]

    def move_org(code, to):
        return lambda: orgs.move(Organization.objects.get(code=code), to)

    def move_member(member, to):
        return lambda: members.move(Member.objects.get(pk=member.pk), to)

    jobs = [
        move_org("TA01", county.town_b),
        move_org("TB01", county.town_a),
        move_org("TA02", county.town_b),
        move_member(county.members["TA01"][1], villages[2]),
        move_member(county.members["TB01"][1], villages[0]),
        move_member(county.members["TA02"][1], villages[0]),
        move_org("TA02", county.town_a),
        move_member(county.members["TA01"][2], villages[1]),
    ]
    for round_ in range(3):
        results = run_together(jobs if round_ % 2 == 0 else list(reversed(jobs)))
        errors = [
            r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
        ]
        assert errors == []
        towns.reverse()
    assert Member.objects.count() == 9
    assert rollups.figures(county.root)["members"] == 9
    assert_rollups_equal_rebuild()


@pytest.mark.django_db(transaction=True)
def test_the_same_member_registered_six_times_at_once_is_stored_once_with_messages():
    county = build_county()
    data = member_data()

    results = run_together([lambda: members.create(county.village_a1, **data)] * 6)

    created = [r for r in results if isinstance(r, Member)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(created) == 1 and len(refused) == 5, results
    assert all("已经在册" in str(e.message_dict["id_number"]) for e in refused)
    assert Member.objects.filter(id_number=data["id_number"]).count() == 1
    assert rollups.figures(county.root)["members"] == 10
