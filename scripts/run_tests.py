"""Run pytest and never let "no tests ran" (pytest's exit code 5) pass as success."""

import subprocess
import sys

NO_TESTS_COLLECTED = 5

code = subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]])
if code == NO_TESTS_COLLECTED:
    print("pytest collected no tests: treating that as a failure.", file=sys.stderr)
    sys.exit(1)
sys.exit(code)
