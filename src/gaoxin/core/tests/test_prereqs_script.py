"""scripts/test-prereqs.sh installs nothing (and touches no network) when all is installed."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
SCRIPT = REPO / "scripts" / "test-prereqs.sh"


def _stub(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/usr/bin/env bash\n" + body + "\n")
    path.chmod(0o755)


@pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="no chromium here")
def test_prereqs_install_nothing_when_fonts_are_listed_first(tmp_path):
    # The CJK font comes first in a long font list: `fc-list | grep -q` under pipefail then
    # failed (grep quits at the match, fc-list dies of SIGPIPE) and reinstalled the fonts.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "apt-get-called"
    _stub(
        bin_dir,
        "fc-list",
        'echo "/usr/share/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC"\n'
        'for i in $(seq 1 20000); do echo "/usr/share/fonts/f$i.ttf: Font $i"; done',
    )
    _stub(bin_dir, "apt-get", f'echo "$@" >> "{marker}"')
    _stub(bin_dir, "id", "echo 0")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for _ in range(3):
        run = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert run.stdout == "" and not marker.exists()
