"""Usage errors exit 2 and output errors are one line (regressions of issue 13's small cases)."""

import pytest

from trainer.cli import main


@pytest.mark.parametrize("command", ["fit", "evaluate"])
def test_a_malformed_label_map_is_a_usage_error(runner, command):
    result = runner.invoke(main, [command, "--label-map", "oops"])
    assert result.exit_code == 2
    assert "Expected --label-map pairs like FROM=TO but found 'oops'" in result.output


@pytest.mark.parametrize("jobs", ["0", "-2", "-100"])
def test_bad_job_counts_are_usage_errors(runner, jobs):
    result = runner.invoke(main, ["predict", "--jobs", jobs, "text"])
    assert result.exit_code == 2 and "is not -1" in result.output


def test_an_output_that_cannot_encode_the_text_is_one_line(model_dir, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "predict", "--model", str(model_dir), "Émigrés said “non”."],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Set PYTHONIOENCODING=utf-8" in result.stderr
