from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "dangjian.tasks"
    label = "tasks"
    verbose_name = "清单式工作"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from dangjian.core import reminders
        from dangjian.members import timeline as member_timeline
        from dangjian.orgs.signals import subtree_moved

        from . import desk, history, timeline

        member_timeline.register(timeline.entries)
        from .services import copy_paths_after_move, report_back_reminders

        reminders.register(report_back_reminders)
        desk.register_all()
        subtree_moved.connect(copy_paths_after_move, dispatch_uid="tasks.report_back_paths")
        history.register()
