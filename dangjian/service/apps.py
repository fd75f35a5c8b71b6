from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "dangjian.service"
    label = "service"
    verbose_name = "服务群众"
