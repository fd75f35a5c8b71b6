"""Village venues (活动场所) with the five-haves checklist and six-in-one functions, office and service funds, and village cadre pay (村干部报酬) computed from the county's rule."""

from django.apps import AppConfig


class VillageConfig(AppConfig):
    name = "dangjian.village"
    label = "village"
    verbose_name = "阵地与报酬"
