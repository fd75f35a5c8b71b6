from django.apps import AppConfig


class LifeConfig(AppConfig):
    name = "dangjian.life"
    label = "life"
    verbose_name = "组织生活"

    def ready(self):
        from dangjian.core import reminders
        from dangjian.ledger import services as ledger

        from .services import MEETING_SOURCE, missing_meeting_reminders

        ledger.register(MEETING_SOURCE)
        reminders.register(missing_meeting_reminders)
