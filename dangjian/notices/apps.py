from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "dangjian.notices"
    label = "notices"
    verbose_name = "通报"
