"""What docs/operations.md tells an operator to set for citizens' questions in
/etc/bhxh/env reaches the processes (section 12)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.helpers import production_env

ROOT = Path(__file__).resolve().parents[2]
SET = {
    "PUBLISHING_QUESTIONS_INTERVAL": "900",
    "PUBLISHING_QUESTIONS_RETENTION": "180",
    "PUBLISHING_ZALO_WEBHOOK_MAX_AGE": "120",
    "ZALO_OA_SECRET_KEY": "oa-secret-from-env",
}
SCRIPT = (
    "from publishing.conf import setting as s;"
    "print(s('PUBLISHING_QUESTIONS_INTERVAL'), s('PUBLISHING_QUESTIONS_RETENTION'),"
    " s('PUBLISHING_ZALO_WEBHOOK_MAX_AGE'),"
    " s('PUBLISHING_NETWORKS')['zalo']['OPTIONS']['oa_secret_key'])"
)


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_the_questions_settings_are_read_from_the_environment():
    env = production_env(**SET)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["900", "180", "120", "oa-secret-from-env"]
    documented = (ROOT / "docs" / "operations.md").read_text()
    assert all(f"\n{name}=" in documented for name in SET)
