"""Developing members (发展党员): applicants through activists, candidates and probation to full membership, every step checked against the Development Rules 2014; the four cultivations (四个培养) and double-strong (双强) tags."""

from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self):
        from dangjian.rollups import services as rollups

        from . import desk, figures

        for source in figures.SOURCES:
            rollups.register(source)
        desk.register_all()
