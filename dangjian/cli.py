"""The `dangjian` command: Django's manage.py under the project's name.

`dangjian demo`, `dangjian stats`, `dangjian serve` (the web server and, beside it, the
background worker `dangjian worker`) and every Django command.
"""

import os
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    if argv[:1] == ["demo"]:
        # Loading the demo county is demo mode (settings.py): no secret key needed.
        os.environ.setdefault("DANGJIAN_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangjian", *argv])


if __name__ == "__main__":
    main()
