from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "dangjian.governance"
    label = "governance"
    verbose_name = "村务治理"

    def ready(self):
        from . import desk

        desk.register_all()
