"""Party dues (党费): monthly amounts from the national brackets by category and income base, the yearly re-base, and the collection ledger month by month per member, with arrears."""

from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self):
        from . import desk

        desk.register_all()
