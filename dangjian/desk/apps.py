from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "dangjian.desk"
    label = "desk"
    verbose_name = "工作台"

    def ready(self):
        # The reminders of the user's own organizations are the core's, not a domain app's.
        from . import registry
        from .reminders import reminders_provider

        registry.register(
            "desk.reminders",
            reminders_provider,
            roles=(registry.BRANCH, registry.UPPER),
            order=900,
        )
