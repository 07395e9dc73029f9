"""``trainer predict --explain`` on the CLI path (the predictor): the features named occur in the sentence."""

import json

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
