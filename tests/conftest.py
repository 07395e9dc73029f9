"""Tiny in-memory data and fitted models shared by the tests."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.config import SearchConfig, TrainingConfig

# Tests never use the network; set before `datasets` is first imported, which reads these once.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"

# Nine small documents, three sentences each, one of every label.
DOCS = {
    "d1": [
        ("The council approved the budget on Tuesday.", "reported_fact"),
        ("Roughly 300 people attended the meeting.", "estimate"),
        ("Frankly, the whole plan is a disgrace.", "opinion"),
    ],
    "d2": [
        ("Police arrested two men in Leeds on Friday.", "reported_fact"),
        ("The storm is expected to bring up to 80mm of rain.", "estimate"),
        ("We should stop pretending this is normal.", "opinion"),
    ],
    "d3": [
        ("The company reported revenue of $4.2bn for March.", "reported_fact"),
        ("Analysts forecast growth of about 2% next year.", "estimate"),
        ("Who honestly believes these promises anymore?", "opinion"),
    ],
    "d4": [
        ("The minister resigned after the vote.", "reported_fact"),
        ("An estimated 12,000 homes lost power.", "estimate"),
        ("This is the worst decision in a decade.", "opinion"),
    ],
    "d5": [
        ("The court sentenced him to six years.", "reported_fact"),
        ("Nearly half of voters back the measure, a poll found.", "estimate"),
        ("It is absurd to spend $4bn on a stadium.", "opinion"),
    ],
    "d6": [
        ("The airline cancelled 42 flights on Monday.", "reported_fact"),
        ("Prices could rise by as much as 10% this winter.", "estimate"),
        ("Honestly, the regulators should be ashamed.", "opinion"),
    ],
    "d7": [
        ("The bill passed the senate by 61 votes to 39.", "reported_fact"),
        ("Some 200 soldiers remain trapped in the town.", "estimate"),
        ("Nobody with any sense would trust this government.", "opinion"),
    ],
    "d8": [
        ("The school closed its doors in June 2024.", "reported_fact"),
        ("Inflation is projected to stay around 3% until spring.", "estimate"),
        ("What a ridiculous waste of everyone's time.", "opinion"),
    ],
    "d9": [
        ("The senator called the plan a disaster in a statement.", "reported_fact"),
        ("More than a thousand people fled the fires.", "estimate"),
        ("I think the team deserved far better than this.", "opinion"),
    ],
}
TEST_DOCS = {"d8", "d9"}


def tiny_rows(*, with_split: bool = True) -> list[dict]:
    """Rows of the tiny corpus, in document order."""
    rows = []
    for doc, sentences in DOCS.items():
        for text, label in sentences:
            row = {"text": text, "label": label, "doc_id": doc}
            if with_split:
                row["split"] = "test" if doc in TEST_DOCS else "train"
            rows.append(row)
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


FAST = replace(TrainingConfig(), search=SearchConfig(cv_folds=2, space={"C": [1.0, 10.0]}), n_jobs=1)


@pytest.fixture
def tiny_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "tiny.jsonl", tiny_rows())


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model fitted once on the tiny corpus (read-only for tests)."""
    from trainer.training import fit

    root = tmp_path_factory.mktemp("model")
    data = write_jsonl(root / "tiny.jsonl", tiny_rows())
    return fit(data=[data], model_dir=root / "model", config=FAST).model_dir


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# The longest tests (subprocess fits, the wheel install, time-bound races), longest first, as
# measured on 2 cores (2026-12-02). They run first so that the workers of pytest-xdist finish
# together on the short tests instead of one worker ending the run alone on a long one.
# (`--dist loadgroup` in pyproject.toml: the groups, test_install and test_dask, which share a
# module-scoped wheel or cluster, each run on one worker and are sent out before these.)
SLOW_FIRST = (
    "tests/test_faults.py::test_two_fits_into_one_target_never_mix",
    "tests/test_failures.py::test_cli_predicts_racing_saves_never_report_a_changed_file",
    "tests/test_failures.py::test_model_dot_is_read_but_a_fit_into_the_current_directory_is_refused",
    "tests/test_training.py::test_held_out_fit_in_a_worker_process_gives_the_same_model",
    "tests/test_faults.py::test_interrupted_or_killed_fit_leaves_previous_model",
    "tests/test_failures.py::test_a_fit_killed_in_the_search_leaks_no_semaphores_shared_memory_or_temporaries",
    "tests/test_training.py::test_a_script_without_a_main_guard_can_fit",
    "tests/test_failures.py::test_fit_whose_printing_fails_keeps_the_model_and_exits_3",
    "tests/test_cli.py::test_fit_with_search_and_skops",
    "tests/test_data.py::test_a_top_level_null_is_one_line_not_a_crash",
    "tests/test_features_tokens.py::test_random_text",
    "tests/test_failures.py::test_loads_racing_saves_always_read_one_version",
    "tests/test_failures.py::test_fit_workers_die_with_the_parent_and_a_pipe_ends",
    "tests/test_sentences.py::test_same_output_as_the_pre_fix_reference",
    "tests/test_fuzz.py::test_any_json_type_in_any_column_is_read_or_refused",
    "tests/test_predict.py::test_a_line_of_megabytes",
    "tests/test_features_tokens.py::test_the_corpus",
    "tests/test_fuzz.py::test_any_encoding_is_read_or_refused",
    "tests/test_failures.py::test_large_utf16_input_with_a_bom_is_labelled_line_by_line",
    "tests/test_failures.py::test_predict_workers_die_with_the_parent",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the `SLOW_FIRST` tests first, in that order; the rest keep theirs (a stable sort)."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("[")[0], len(rank)))
