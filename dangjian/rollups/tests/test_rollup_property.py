"""Property: after any sequence of writes through the services, the incrementally kept
figures equal a full recomputation from the records."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.members import services as members
from dangjian.members.models import Category, Member
from dangjian.orgs import services as orgs
from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup
from dangjian.testing import add_member

BRANCHES = ["TA01", "TA02", "TB01", "TA0101"]
ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(BRANCHES)),
        st.tuples(st.just("category"), st.integers(0, 50), st.sampled_from(Category.values)),
        st.tuples(st.just("move_member"), st.integers(0, 50), st.sampled_from(BRANCHES)),
        st.tuples(st.just("remove"), st.integers(0, 50)),
        st.tuples(
            st.just("move_org"),
            st.sampled_from(["TA01", "TA02", "TB01"]),
            st.sampled_from(["TA", "TB"]),
        ),
        st.tuples(st.just("new_branch"), st.sampled_from(["TA", "TB"])),
    ),
    max_size=12,
)


def _figures():
    return {(r.organization_id, r.key): r.value for r in Rollup.objects.all() if r.value}


def _member(i):
    active = list(Member.objects.active().order_by("pk"))
    return active[i % len(active)] if active else None


def _apply(op, counter):
    kind = op[0]
    if kind == "add":
        add_member(Organization.objects.get(code=op[1]))
    elif kind == "category" and (m := _member(op[1])):
        members.update(m, category=op[2])
    elif kind == "move_member" and (m := _member(op[1])):
        target = Organization.objects.get(code=op[2])
        if m.organization_id != target.pk:
            members.move(m, target)
    elif kind == "remove" and (m := _member(op[1])):
        members.remove(m, reason="测试")
    elif kind == "move_org":
        orgs.move(Organization.objects.get(code=op[1]), Organization.objects.get(code=op[2]))
    elif kind == "new_branch":
        parent = Organization.objects.get(code=op[1])
        orgs.create_child(parent, code=f"NEW{next(counter)}", name="新支部", kind="branch")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=ops)
def test_incremental_figures_never_drift(county, sequence):
    import itertools

    counter = itertools.count()
    with transaction.atomic():
        for op in sequence:
            _apply(op, counter)
        incremental = _figures()
        rollups.rebuild()
        assert _figures() == incremental
        transaction.set_rollback(True)
