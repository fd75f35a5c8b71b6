from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "dangjian.tasks"
    label = "tasks"
    verbose_name = "清单式工作"

    def ready(self):
        from dangjian.core import reminders

        from .services import report_back_reminders

        reminders.register(report_back_reminders)
