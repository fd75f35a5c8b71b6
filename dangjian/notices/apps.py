from django.apps import AppConfig
from django.core import checks


class NoticesConfig(AppConfig):
    name = "dangjian.notices"
    label = "notices"
    verbose_name = "通报"

    def ready(self):
        from . import desk

        desk.register_all()
        checks.register(check_fonts)


def check_fonts(app_configs=None, **kwargs):
    """A server without a Chinese font would print notices' PDFs as empty boxes."""
    from .pdf import cjk_fonts

    if cjk_fonts():
        return []
    return [
        checks.Warning(
            "No font covering Chinese is installed: notices' PDFs would show boxes.",
            hint="Run `make install` as root, or `apt-get install fonts-noto-cjk`.",
            id="notices.W001",
        )
    ]
