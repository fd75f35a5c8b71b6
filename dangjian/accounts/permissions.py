"""Object permissions as `rules` predicates, so `user.has_perm(name, obj)` works everywhere.

Who may do what (DOMAIN.md "Who uses it"):
- any manager role (county admin, township secretary, organization officer, branch
  secretary) reads and edits members and officers in its subtree, and creates
  organizations under its own;
- renaming, moving or dissolving an organization needs a manager role strictly above it,
  so nobody restructures the organization that grants their own authority;
- full ID numbers are shown to county admins and organization officers, and to the member.
"""

import rules

from .models import RoleName
from .scoping import ID_NUMBER_ROLES, covers


def _org_of(obj):
    return obj if obj.__class__.__name__ == "Organization" else obj.organization


@rules.predicate
def manages(user, obj):
    return obj is not None and covers(user, _org_of(obj))


@rules.predicate
def manages_above(user, obj):
    return obj is not None and covers(user, _org_of(obj), strict=True)


@rules.predicate
def sees_id_numbers(user, member):
    if member is None:
        return False
    own = getattr(user, "member", None)
    if own is not None and own.pk == member.pk:
        return True
    return covers(user, member.organization, roles=ID_NUMBER_ROLES)


@rules.predicate
def county_covers(user, obj):
    """The county's organization department (a county admin at or above the record)."""
    return obj is not None and covers(user, _org_of(obj), roles={RoleName.COUNTY_ADMIN})


rules.add_perm("orgs.add_child", manages)
rules.add_perm("orgs.change_organization", manages_above)
rules.add_perm("orgs.move_organization", manages_above)
rules.add_perm("orgs.dissolve_organization", manages_above)
rules.add_perm("orgs.manage_officers", manages)
rules.add_perm("members.add_member", manages)
rules.add_perm("members.change_member", manages)
rules.add_perm("members.remove_member", manages)
rules.add_perm("members.view_id_number", sees_id_numbers)
rules.add_perm("core.view_history", manages)
rules.add_perm("life.record", manages)
rules.add_perm("tasks.issue", manages)
rules.add_perm("tasks.report", manages)
rules.add_perm("notices.issue", manages)
rules.add_perm("governance.record", manages)
rules.add_perm("assessment.manage", manages)
rules.add_perm("assessment.score", manages_above)
# The county's points scheme (积分办法): its managers (the county organization department).
rules.add_perm("points.edit_scheme", manages)
rules.add_perm("service.record", manages)
rules.add_perm("training.record", manages)
# Supervision: the ledger is kept by the organization and those above (sign-off and
# interviews are the level above's: supervision.services checks that too); inspections by
# the inspecting organization's managers.
rules.add_perm("supervision.record", manages)
rules.add_perm("supervision.inspect", manages)
# Weak organizations: the levels above flag by hand; only the county confirms or dismisses.
rules.add_perm("weakorgs.flag", manages_above)
rules.add_perm("weakorgs.decide", county_covers)
# Development: the branch and those above record the steps; the higher committee's
# decisions (admission, conversion) need a manager strictly above the branch.
rules.add_perm("development.record", manages)
rules.add_perm("development.decide", manages_above)
# Dues: the branch and those above keep the ledger and set bases; a hardship reduction is
# approved by a manager strictly above the branch.
rules.add_perm("dues.record", manages)
rules.add_perm("dues.approve", manages_above)
