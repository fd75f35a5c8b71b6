"""Run every benchmark under bench/ in turn (`make bench`). Each prints its own figures.

Arguments are passed on to each script, e.g. `bench/run.py --regenerate`.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        # The load test runs alone: it needs the `bench` extra (locust) and takes minutes;
        # load_users.py is its locustfile.
        if script.name in ("run.py", "__init__.py", "load.py", "load_users.py"):
            continue
        print(f"== {script.name} ==", flush=True)
        failed |= subprocess.run(
            [sys.executable, str(script), *sys.argv[1:]], check=False
        ).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
