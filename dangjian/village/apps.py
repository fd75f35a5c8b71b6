"""Village venues (活动场所) with the five-haves checklist and six-in-one functions, office and service funds, and village cadre pay (村干部报酬) computed from the county's rule."""

from django.apps import AppConfig


class VillageConfig(AppConfig):
    name = "dangjian.village"
    label = "village"
    verbose_name = "阵地与报酬"

    def ready(self):
        from django.db.models.signals import post_migrate

        from dangjian.core import public_board
        from dangjian.rollups import services as rollups

        from . import desk, figures, permissions, selectors, totals

        post_migrate.connect(totals.rebuild_if_empty, sender=self)
        permissions.register()
        for source in figures.SOURCES:
            rollups.register(source)
        desk.register_all()
        public_board.register(
            public_board.Section(
                key="village.venue",
                template="village/board_venue.html",
                context=selectors.board_venue,
                stamp=selectors.board_venue_stamp,
                order=70,
            )
        )
