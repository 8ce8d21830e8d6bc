"""The README's examples are the documentation: each command shown there is run here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from consultsim.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("consultsim "):
                commands.append(line)
    return commands


COMMANDS = _commands()


def test_readme_shows_the_two_set_up_commands():
    text = README.read_text()
    assert 'pip install . && .venv/bin/consultsim run nosebleeds-38f' in text
    assert 'pip install ".[dev]" && .venv/bin/pytest' in text


RUNNABLE = [
    c
    for c in COMMANDS
    if c.split()[1] in ("kg", "run") or c.split()[:3] in (["consultsim", "case", "ask"], ["consultsim", "case", "exam"])
]
# Commands that need a file the reader makes first, or a model key.
RUNNABLE = [c for c in RUNNABLE if "--batch" not in c and "cases/" not in c and "openai" not in c]


@pytest.mark.parametrize("command", RUNNABLE)
def test_examples_run(command, capsys, monkeypatch):
    monkeypatch.setenv("CONSULTSIM_DB", ":memory:")
    assert main(shlex.split(command)[1:]) == 0


@pytest.mark.parametrize("command", [c for c in COMMANDS if " case import " in c])
def test_import_examples_run_on_the_shared_samples(command, shared_data, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command.replace("../shared/data", str(shared_data)))[1:]
    assert main(argv) == 0
    out = Path(argv[argv.index("--out") + 1])
    assert any(out.glob("*.yaml"))


def test_educator_example_case_is_valid(tmp_path, capsys):
    block = re.search(r"```yaml\n(schema_version: 1.*?)```", README.read_text(), re.S)
    path = tmp_path / "example.yaml"
    path.write_text(block.group(1))
    assert main(["case", "validate", "--strict", str(path)]) == 0
