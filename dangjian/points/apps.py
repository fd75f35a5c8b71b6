"""Points (积分): a county's points scheme fed only from records already in the system; points per member and organization."""

from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "dangjian.points"
    label = "points"
    verbose_name = "积分"

    def ready(self):
        from . import desk, sources

        sources.register_all()
        desk.register_all()
