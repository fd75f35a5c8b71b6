"""Weak organizations (软弱涣散党组织): flags from the records and by hand, confirmed or dismissed by the county, the year's fixed list, and each one's rectification ledger (整改台账)."""

from django.apps import AppConfig


class WeakorgsConfig(AppConfig):
    name = "dangjian.weakorgs"
    label = "weakorgs"
    verbose_name = "软弱涣散党组织"

    def ready(self):
        from . import desk, history

        desk.register_all()
        history.register()
