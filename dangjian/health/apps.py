from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "dangjian.health"
    label = "health"
    verbose_name = "组织建设"
