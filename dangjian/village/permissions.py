"""Who may write venues and pay (as `rules` permissions, registered from VillageConfig):
a village's venue, funds and pay sheet — its managers and those above; confirming or
returning a sheet — a manager strictly above the village (the township or the county); the
county's pay rule — the county's organization department (a county admin at or above)."""

import rules

from dangjian.accounts.permissions import county_covers, manages, manages_above


def register() -> None:
    for name, predicate in (
        ("village.record", manages),
        ("village.confirm", manages_above),
        ("village.set_rule", county_covers),
    ):
        if not rules.perm_exists(name):
            rules.add_perm(name, predicate)
