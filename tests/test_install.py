"""Built as a wheel and installed in a fresh venv, trainer works from a directory outside the checkout.

Offline: the wheel is built without build isolation (setuptools of this environment), installed
with --no-deps --no-index, and the new venv finds the dependencies in this environment's
site-packages through a .pth file of plain paths, so no .pth file of this environment runs there
(among them its editable install of trainer) and trainer comes from the wheel alone.
"""

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import tiny_rows, write_jsonl

# One worker runs them all: the module's wheel and venv are built once, on one worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("install")
ROOT = Path(__file__).resolve().parent.parent
# What the build reads: the package, the corpus it ships and the project files.
SOURCES = ("pyproject.toml", "README.md", "trainer", "data")
CORPUS_FILES = ("sentences.jsonl", "challenge.jsonl", "GUIDELINES.md", "README.md", "kupiansk-article.txt")
SENTENCE = "Prices rose 3% in May."


def _run(args, *, cwd, env=None, timeout=300):
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a fresh venv with the wheel installed, the wheel, the copied sources, environment, cwd)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "parts")
    for name in SOURCES:
        # A copy, so the build leaves no build/ or egg-info in the checkout and no stale build/ gets in.
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = base / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source], cwd=base)
    (wheel,) = wheels.glob("trainer-*.whl")

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base)
    python = venv / "bin" / "python"
    purelib = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=base).stdout.strip()
    )
    (purelib / "_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    _run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], cwd=base)

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TRAINER_MODEL_DIR", "VIRTUAL_ENV")}
    env.update(
        XDG_DATA_HOME=str(base / "user-data"),
        HF_HOME=str(base / "hf"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    assert not elsewhere.resolve().is_relative_to(ROOT)
    return python, wheel, source, env, elsewhere


def test_the_wheel_holds_every_module_and_the_corpus(installed):
    _, wheel, source, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"trainer/{p.relative_to(source / 'trainer').as_posix()}" for p in (source / "trainer").rglob("*.py")}
    assert modules <= names
    assert {"trainer/features/__init__.py", "trainer/paths.py"} <= names
    assert {f"trainer/corpus/{name}" for name in CORPUS_FILES} <= names
    assert not [n for n in names if "parts/" in n or n.startswith(("data/", "tests/", "models/"))]


def test_the_installed_package_reads_its_own_corpus_and_a_per_user_model_dir(installed):
    python, _, source, env, elsewhere = installed
    code = (
        "import json, trainer, trainer.paths as p\n"
        "print(json.dumps({'package': trainer.__file__, 'checkout': str(p.checkout_root()), "
        "'data': str(p.default_data()), 'challenge': str(p.default_challenge()), "
        "'guidelines': str(p.corpus_file('GUIDELINES.md')), 'model': str(p.default_model_dir())}))"
    )
    found = json.loads(_run([python, "-c", code], cwd=elsewhere, env=env).stdout)
    venv = python.parent.parent
    assert Path(found["package"]).is_relative_to(venv)
    assert found["checkout"] == "None"
    for key, name in (("data", "sentences.jsonl"), ("challenge", "challenge.jsonl"), ("guidelines", "GUIDELINES.md")):
        path = Path(found[key])
        assert path.is_relative_to(venv) and path.parent.name == "corpus", found
        assert path.read_bytes() == (source / "data" / name).read_bytes()
    assert Path(found["model"]) == Path(env["XDG_DATA_HOME"]) / "trainer" / "models" / "default"

    help_text = _run([python.parent / "trainer", "predict", "--help"], cwd=elsewhere, env=env).stdout
    assert f"[default:{found['model']}]" in "".join(help_text.split())  # click wraps long paths anywhere


def test_fit_predict_and_load_from_another_directory(installed):
    python, _, _, env, elsewhere = installed
    # Paths relative to a directory outside the checkout (the full corpus is fitted once, in the next test).
    write_jsonl(elsewhere / "tiny.jsonl", tiny_rows())
    fitted = _run(
        [python, "-m", "trainer", "fit", "--data", "tiny.jsonl", "--no-search", "--model", "M"], cwd=elsewhere, env=env
    )
    model = elsewhere / "M"
    assert json.loads((model / "metadata.json").read_text(encoding="utf-8"))["data"]["sources"] == "tiny.jsonl"
    assert "saved to M" in fitted.stdout

    predicted = _run(
        [python, "-m", "trainer", "predict", "--model", "M", "--format", "jsonl", SENTENCE], cwd=elsewhere, env=env
    )
    label = json.loads(predicted.stdout.splitlines()[0])["label"]
    code = f"import trainer; model = trainer.load_model('M'); print(model.predict([{SENTENCE!r}])[0])"
    assert _run([python, "-c", code], cwd=elsewhere, env=env).stdout.strip() == label

    # The environment variable moves the default for the commands and load_model() alike.
    moved = {**env, "TRAINER_MODEL_DIR": str(model)}
    inspected = _run([python.parent / "trainer", "inspect", "--top", "3"], cwd=elsewhere, env=moved)
    assert "No model at" not in inspected.stderr
    code = "import trainer; print(type(trainer.load_model()).__name__)"
    assert _run([python, "-c", code], cwd=elsewhere, env=moved).stdout.strip() == "Pipeline"


def test_fit_then_predict_and_load_with_the_per_user_default(installed):
    python, _, source, env, elsewhere = installed
    default = Path(env["XDG_DATA_HOME"]) / "trainer" / "models" / "default"
    fitted = _run([python.parent / "trainer", "fit", "--no-search"], cwd=elsewhere, env=env)
    assert f"saved to {default}" in fitted.stdout
    corpus = Path(json.loads((default / "metadata.json").read_text(encoding="utf-8"))["data"]["sources"])
    assert corpus.is_relative_to(python.parent.parent) and corpus.name == "sentences.jsonl"
    assert corpus.read_bytes() == (source / "data" / "sentences.jsonl").read_bytes()
    assert f"({corpus})" in fitted.stdout
    predicted = _run([python.parent / "trainer", "predict", "--format", "jsonl", SENTENCE], cwd=elsewhere, env=env)
    assert predicted.stderr == "" and json.loads(predicted.stdout)["label"] == "reported_fact"
    code = f"import trainer; print(trainer.load_model().predict([{SENTENCE!r}])[0])"
    assert _run([python, "-c", code], cwd=elsewhere, env=env).stdout.strip() == "reported_fact"
    evaluated = _run([python.parent / "trainer", "evaluate"], cwd=elsewhere, env=env)
    assert "labelled at fit time by the model fitted on the training documents only" in evaluated.stdout
    assert "Warning" not in evaluated.stderr  # true held-out scores: nothing to warn about
    inspected = _run([python.parent / "trainer", "inspect", "--top", "3"], cwd=elsewhere, env=env)
    assert "Strongest n-grams per label" in inspected.stdout
    challenged = _run([python.parent / "trainer", "challenge"], cwd=elsewhere, env=env)
    assert "Mean per-capability accuracy" in challenged.stdout
    assert not list(elsewhere.glob("models"))
