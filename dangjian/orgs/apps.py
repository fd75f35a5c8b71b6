from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from django.utils.translation import gettext as _

        from dangjian.core.audit import history_target
        from dangjian.core.forms import register_org_resolver
        from dangjian.rollups import registry
        from dangjian.rollups.services import Source, register

        from .models import Kind, Officer, Organization, Sector
        from .selectors import find_officer, find_organization, resolve_typed

        register_org_resolver(resolve_typed)

        def own_counts(org):
            # An organization is in its own subtree's counts, not among its sub-organizations.
            if org.is_dissolved:
                return {}
            return {
                "organizations": 1,
                f"organizations.kind.{org.kind}": 1,
                f"organizations.sector.{org.sector}": 1,
            }

        history_target(Organization, "organization", find_organization)
        history_target(Officer, "officer", find_officer)

        register(
            Source(
                "orgs_organization",
                "id",
                [
                    "'organizations'",
                    "'organizations.kind.' || r.kind",
                    "'organizations.sector.' || r.sector",
                ],
                "r.dissolved_on IS NULL",
            )
        )
        # The Party's own statistics (党内统计) count grassroots organizations apart from
        # groups and from the root (rules.is_grassroots).
        register(
            Source(
                "orgs_organization",
                "id",
                ["'grassroots_organizations'"],
                f"r.dissolved_on IS NULL AND r.kind <> '{Kind.GROUP}' AND r.depth > 1",
            )
        )
        register(
            Source(
                "orgs_organization",
                "id",
                ["'groups'"],
                f"r.dissolved_on IS NULL AND r.kind = '{Kind.GROUP}'",
            )
        )
        registry.breakdown(
            "kind",
            lambda year: _("下属组织（按类别）"),
            registry.choice_rows("organizations.kind", Kind.choices),
            "organizations",
            order=60,
            own=own_counts,
        )
        registry.breakdown(
            "sector",
            lambda year: _("下属组织（按领域）"),
            registry.choice_rows("organizations.sector", Sector.choices),
            "organizations",
            chart="pie",
            order=70,
            own=own_counts,
        )
