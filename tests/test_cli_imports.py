"""The pre-commit case: `validate` loads only what validation needs."""

import subprocess
import sys

from helpers import FIXTURES

PROBE = """
import sys
from generator.cli.main import main
main(["validate", "--root", sys.argv[1], "ledgers/arrears/sl-jtj.yaml"])
print(sorted(name for name in ("pandas", "openpyxl", "mkdocs", "jieba", "markdown", "generator.validate.ci_reports",
                                 "multiprocessing")
             if name in sys.modules))
"""


def test_validate_does_not_load_the_site_or_workbook_libraries():
    """Nor the CI report writers (their XML character class takes longer to compile than a
    one-file check takes), nor a process pool for a handful of files."""
    result = subprocess.run([sys.executable, "-c", PROBE, str(FIXTURES / "mini")], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
