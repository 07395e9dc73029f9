"""``trainer predict --explain`` on the CLI path (the predictor): the features named occur in the sentence."""

import json

import pytest

from trainer.cli import main
from trainer.features import analyze


def _features_of(text: str) -> set[str]:
    tokens, cues = analyze(text)
    grams = {" ".join(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}
    return grams | set(cues)


def test_explain_in_json_lines_names_features_of_each_sentence(runner, model_dir):
    text = 'Roughly 300 people came, police said. "It is a disgrace," the mayor said. Who knew?'
    result = runner.invoke(main, ["predict", "--model", str(model_dir), "--format", "jsonl", "--explain", "3", text])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 3
    for record in records:
        assert 0 < len(record["explanation"]) <= 3
        assert {name for name, _ in record["explanation"]} <= _features_of(record["text"])
        weights = [w for _, w in record["explanation"]]
        assert weights == sorted(weights, reverse=True) and min(weights) > 0


def test_explain_in_the_table_shows_why(runner, model_dir):
    result = runner.invoke(main, ["predict", "--model", str(model_dir), "--explain", "2", "Prices rose 3% in May."])
    assert result.exit_code == 0 and "why:" in result.output


@pytest.mark.parametrize("encoding", ["undefined", "punycode", "utf-16"])
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_codecs_that_fail_without_naming_a_byte_are_one_line(runner, model_dir, tmp_path, encoding, source):
    # Found by tests/test_fuzz.py: a UnicodeError (not UnicodeDecodeError) went through as a traceback.
    from trainer.cli import main

    path = tmp_path / "in.txt"
    path.write_bytes(b"Prices rose 3% in May.\nIt is a disgrace.\n")
    args = ["predict", "--model", str(model_dir), "--encoding", encoding]
    if source == "file":
        result = runner.invoke(main, [*args, "--file", str(path)])
    else:
        result = runner.invoke(main, args, input=path.read_bytes())
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    # Python 3.11 raises a bare UnicodeError (no byte to name); 3.13 a UnicodeDecodeError for some codecs.
    assert f"cannot be read as {encoding} text" in result.stderr or f"is not valid {encoding}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
