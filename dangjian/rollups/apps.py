from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RollupsConfig(AppConfig):
    name = "dangjian.rollups"
    label = "rollups"
    verbose_name = "汇总数"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from .services import rebuild_if_stale

        post_migrate.connect(rebuild_if_stale, sender=self, dispatch_uid="rollups.rebuild_if_stale")
