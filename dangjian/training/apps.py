"""Education and training (党员教育培训): sessions, education bases, attendance, online courses with a quiz, and each member's class hours for the year against the yearly minimum."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "dangjian.training"
    label = "training"
    verbose_name = "教育培训"

    def ready(self):
        from dangjian.rollups import services as rollups

        from . import desk, figures

        for source in figures.SOURCES:
            rollups.register(source)
        desk.register_all()
