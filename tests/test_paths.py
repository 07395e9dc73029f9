"""One rule for the default corpus and model directory (trainer.paths), and the first-use fit."""

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import FAST
from trainer import paths
from trainer.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = ("sentences.jsonl", "challenge.jsonl", "GUIDELINES.md", "README.md", "kupiansk-article.txt")


@pytest.fixture(autouse=True)
def _no_override(monkeypatch):
    monkeypatch.delenv(paths.MODEL_DIR_ENV, raising=False)


def test_corpus_is_read_as_package_data_from_the_data_directory():
    package = resources.files(paths.CORPUS_PACKAGE)
    for name in CORPUS_FILES:
        assert (package / name).is_file(), name
        assert paths.corpus_file(name).resolve() == ROOT / "data" / name
    assert paths.default_data().resolve() == ROOT / "data" / "sentences.jsonl"
    assert paths.default_challenge().resolve() == ROOT / "data" / "challenge.jsonl"


def test_inside_a_checkout_the_default_model_is_the_repositorys(tmp_path, monkeypatch):
    assert paths.checkout_root() == ROOT
    assert paths.default_model_dir().resolve() == ROOT / "models" / "default"
    monkeypatch.chdir(tmp_path)
    assert paths.default_model_dir() == ROOT / "models" / "default"
    monkeypatch.chdir(ROOT)
    assert paths.default_model_dir() == Path("models/default")


def test_outside_a_checkout_the_default_model_is_per_user(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.checkout_root() is None
    assert paths.default_model_dir() == tmp_path / "xdg" / "trainer" / "models" / "default"


def test_the_environment_variable_overrides_both(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.MODEL_DIR_ENV, str(tmp_path / "mine"))
    assert paths.default_model_dir() == tmp_path / "mine"
    monkeypatch.setattr(paths, "_ROOT", tmp_path / "site-packages")
    assert paths.default_model_dir() == tmp_path / "mine"


def test_library_and_cli_defaults_follow_the_rule(model_dir, runner, monkeypatch):
    import trainer

    monkeypatch.setenv(paths.MODEL_DIR_ENV, str(model_dir))
    assert list(trainer.load_model().classes_) == list(trainer.load_predictor().classes_)
    assert trainer.read_metadata()["model_file"]
    for args in (["predict", "Prices rose 3% in May."], ["inspect"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "No model at" not in result.output


def test_help_shows_the_resolved_defaults(runner, tmp_path, monkeypatch):
    monkeypatch.setenv(paths.MODEL_DIR_ENV, str(tmp_path / "mine"))
    for command in ("fit", "predict", "evaluate", "inspect", "challenge"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, result.output
        assert f"[default:{tmp_path / 'mine'}]" in _unwrapped(result.output), command
    assert f"[default:{paths.default_data()}]" in _unwrapped(runner.invoke(main, ["fit", "--help"]).output)
    assert f"[default:{paths.default_challenge()}]" in _unwrapped(runner.invoke(main, ["challenge", "--help"]).output)


def _unwrapped(text: str) -> str:
    """Help text without white space (click wraps long paths anywhere)."""
    return "".join(text.split())


def test_command_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from trainer.cli import main\n"
        "try:\n    main(['predict', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sklearn', 'datasets', 'pandas', 'scipy') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@pytest.fixture
def quick_default_fit(monkeypatch, tiny_jsonl):
    """The first-use fit, on the tiny corpus with a small search (the real one takes a minute)."""
    import trainer.training

    real_fit = trainer.training.fit
    calls = []

    def fit(**kwargs):
        calls.append(kwargs)
        return real_fit(**kwargs, config=FAST)

    monkeypatch.setattr(paths, "default_data", lambda: tiny_jsonl)
    monkeypatch.setattr(trainer.training, "fit", fit)
    return calls


def test_predict_trains_the_default_model_on_first_use(runner, tmp_path, monkeypatch, quick_default_fit):
    target = tmp_path / "user" / "models" / "default"
    monkeypatch.setenv(paths.MODEL_DIR_ENV, str(target))
    result = runner.invoke(main, ["predict", "--format", "jsonl", "Prices rose 3% in May."])
    assert result.exit_code == 0, result.output
    notice = result.stderr.strip().splitlines()
    assert len(notice) == 1 and notice[0].startswith(f"No model at {target} yet: training the default model")
    assert '"label"' in result.stdout
    assert (target / "metadata.json").is_file()
    assert quick_default_fit == [{"model_dir": target}]
    again = runner.invoke(main, ["predict", "Prices rose 3% in May."])
    assert again.exit_code == 0 and again.stderr == ""
    assert len(quick_default_fit) == 1


def test_an_explicit_missing_model_is_still_an_error(runner, tmp_path, quick_default_fit):
    missing = tmp_path / "missing"
    result = runner.invoke(main, ["predict", "--model", str(missing), "Prices rose 3% in May."])
    assert result.exit_code == 1
    assert "No model directory at" in result.output
    assert not missing.exists() and quick_default_fit == []


def test_a_damaged_default_model_is_reported_not_replaced(runner, tmp_path, monkeypatch, quick_default_fit):
    target = tmp_path / "default"
    target.mkdir()
    (target / "model.joblib").write_bytes(b"not a model")
    monkeypatch.setenv(paths.MODEL_DIR_ENV, str(target))
    result = runner.invoke(main, ["predict", "Prices rose 3% in May."])
    assert result.exit_code == 1
    assert "metadata.json is missing" in result.output
    assert quick_default_fit == [] and [p.name for p in target.iterdir()] == ["model.joblib"]
