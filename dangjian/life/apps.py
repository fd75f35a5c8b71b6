from django.apps import AppConfig


class LifeConfig(AppConfig):
    name = "dangjian.life"
    label = "life"
    verbose_name = "组织生活"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from dangjian.core import reminders
        from dangjian.rollups import services as rollups

        from . import desk, history
        from .bindings import register_bindings
        from .services import MEETING_SOURCE, missing_meeting_reminders

        rollups.register(MEETING_SOURCE)
        register_bindings()
        reminders.register(missing_meeting_reminders)
        history.register()
        desk.register_all()
        from dangjian.members import timeline as member_timeline

        from . import timeline

        member_timeline.register(timeline.entries)
