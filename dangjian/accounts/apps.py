from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        # Models and the modules that use them can only be imported here, once apps load.
        from . import (
            history,
            middleware,  # noqa: F401  marks a new session as just renewed
            permissions,  # noqa: F401  registers the rules predicates
        )

        history.register()
