from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "dangjian.ledger"
    label = "ledger"
