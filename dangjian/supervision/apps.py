"""Supervision (督查): inspections of four kinds, rectification ledgers (整改台账), red supervision orders (红色督办单), interviews (约谈), inspection notices."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "dangjian.supervision"
    label = "supervision"
    verbose_name = "督查整改"

    def ready(self):
        from . import desk

        desk.register_all()
