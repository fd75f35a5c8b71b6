from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "dangjian.supervision"
    label = "supervision"
    verbose_name = "督查整改"
