"""The `dangjian` command: Django's manage.py under the project's name.

`dangjian demo`, `dangjian stats`, `dangjian serve` (the web server and, beside it, the
background worker `dangjian worker`) and every Django command.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangjian", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
