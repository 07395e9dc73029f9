"""The README's Python example runs as written (against a small model)."""

import re
import shutil
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs(model_dir, tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "the README has no Python example"
    shutil.copytree(model_dir, tmp_path / "models" / "default")
    monkeypatch.setenv("TRAINER_MODEL_DIR", str(tmp_path / "models" / "default"))
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "reported_fact" in out or "estimate" in out or "opinion" in out


def test_readme_commands_are_the_ones_ci_runs():
    readme = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert test_command.replace(" -q", "") in readme
