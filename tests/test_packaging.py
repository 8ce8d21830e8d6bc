"""The installed distribution: one namespace, no bare top-level names, a headless core."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEADLESS = ("consultsim.scenarios", "consultsim.kg", "consultsim.agents", "consultsim.cli")


def _fresh(code: str, tmp_path) -> str:
    # A fresh interpreter started outside the checkout, so the repository root is not on sys.path.
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_namespace_imports_and_bare_names_do_not(tmp_path):
    out = _fresh(
        "import importlib, json\n"
        "import consultsim.kg, consultsim.scenarios, consultsim.agents, consultsim.tui\n"
        "bare = {}\n"
        "for name in ('kg', 'agents', 'scenarios', 'tui'):\n"
        "    try:\n"
        "        importlib.import_module(name); bare[name] = True\n"
        "    except ModuleNotFoundError:\n"
        "        bare[name] = False\n"
        "print(json.dumps(bare))\n",
        tmp_path,
    )
    assert json.loads(out) == {"kg": False, "agents": False, "scenarios": False, "tui": False}


def test_headless_core_never_imports_the_ui(tmp_path):
    out = _fresh(
        "import json, sys\n"
        f"for name in {HEADLESS!r}: __import__(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('textual', 'consultsim.tui')))))\n",
        tmp_path,
    )
    assert json.loads(out) == []


def test_built_in_library_ships_as_package_data(tmp_path):
    out = _fresh(
        "from consultsim.scenarios import builtin_case_files\nprint(len(builtin_case_files()))\n",
        tmp_path,
    )
    assert int(out) >= 12


def test_console_script_runs(tmp_path):
    # The script is installed beside the interpreter that runs the tests.
    exe = Path(sys.executable).parent / "consultsim"
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("consultsim ")
