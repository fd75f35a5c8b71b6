from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "dangjian.health"
    label = "health"
    verbose_name = "组织建设"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from dangjian.core import reminders

        from . import desk, history
        from .services import term_reminders

        reminders.register(term_reminders)
        history.register()
        desk.register_all()
