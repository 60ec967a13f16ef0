"""The layers contract (`.importlinter`, run by `make lint`): kept by the code, broken by a wrong import."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_CONFIG = configparser.ConfigParser()
_CONFIG.read(ROOT / ".importlinter")
# Every package the contract names (a new app there is copied too).
PACKAGES = _CONFIG["importlinter"]["root_packages"].split()


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_code_keeps_the_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_against_the_direction_breaks_the_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "fixtures"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    models = tmp_path / "network" / "models.py"
    models.write_text("from indicators.models import Indicator  # the ground importing the roof\n" + models.read_text())
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "network is not allowed to import indicators" in result.stdout
    assert "network.models -> indicators.models" in result.stdout
