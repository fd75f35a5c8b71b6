from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from django.utils.translation import gettext as _
        from django.utils.translation import gettext_lazy

        from dangjian.core import reminders
        from dangjian.core.audit import history_target
        from dangjian.orgs import panels
        from dangjian.rollups import registry
        from dangjian.rollups.services import Source, figures, register

        from . import desk
        from .models import Category, Gender, Member, Occupation, Status
        from .rules import UNKNOWN_OCCUPATION, age_band_counts, education_report_counts
        from .selectors import find_member, history_maskers
        from .services import conversion_reminders
        from .transfer_views import transfer_panel
        from .views import conversion_panel

        history_target(Member, "member", find_member, history_maskers)
        reminders.register(conversion_reminders)
        panels.register(conversion_panel)
        panels.register(transfer_panel)
        desk.register_all()

        register(
            Source(
                "members_member",
                "organization_id",
                [
                    "'members'",
                    "'members.status.' || r.status",
                    "'members.category.' || r.category",
                    "'members.gender.' || r.gender",
                    "'members.education.' || r.education",
                    "'members.occupation.' || COALESCE(NULLIF(r.occupation, ''), 'unknown')",
                    "'members.birth_year.' || {year:r.birth_date}",
                ],
                "r.removed_on IS NULL",
            )
        )
        register(
            Source(
                "members_member",
                "organization_id",
                ["'members.mobile'"],
                "r.removed_on IS NULL AND r.is_mobile",
            )
        )

        def count(key):
            return lambda org, period: figures(org, [key]).get(key, 0)

        registry.bind("members.total", gettext_lazy("党员人数"), count("members"))
        registry.bind(
            "members.probationary",
            gettext_lazy("预备党员人数"),
            count("members.status.probationary"),
        )
        registry.bind("members.mobile", gettext_lazy("流动党员人数"), count("members.mobile"))

        for order, (id, title, prefix, choices, chart) in enumerate(
            (
                ("status", gettext_lazy("党员状态"), "members.status", Status.choices, ""),
                ("category", gettext_lazy("人员类别"), "members.category", Category.choices, "pie"),
                ("gender", gettext_lazy("性别"), "members.gender", Gender.choices, ""),
            ),
            start=1,
        ):
            registry.breakdown(
                id,
                lambda year, title=title: str(title),
                registry.choice_rows(prefix, choices),
                "members",
                chart,
                order=order * 10,
            )
        # Education and occupation in the rows of the annual Party statistics (党内统计).
        registry.breakdown(
            "education",
            lambda year: _("学历"),
            lambda figs, year: [(_(label), n) for _row, label, n in education_report_counts(figs)],
            "members",
            chart="bar",
            order=40,
        )

        def occupation_rows(figs, year):
            rows = registry.choice_rows("members.occupation", Occupation.choices)(figs, year)
            if unknown := figs.get(f"members.occupation.{UNKNOWN_OCCUPATION}", 0):
                rows.append((_("未填写"), unknown))
            return rows

        registry.breakdown(
            "occupation", lambda year: _("职业"), occupation_rows, "members", "pie", order=45
        )
        registry.breakdown(
            "age",
            lambda year: _("年龄段（截至%(year)s年底）") % {"year": year},
            lambda figs, year: [(_(label), n) for label, n in age_band_counts(figs, year)],
            "members",
            chart="bar",
            order=50,
        )
