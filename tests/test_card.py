"""The model card is a Hugging Face model card: its front matter parses and holds the held-out metrics."""

from huggingface_hub import ModelCard

from trainer.store import read_metadata


def test_model_card_parses_as_a_hugging_face_card(model_dir):
    card = ModelCard.load(model_dir / "README.md")
    meta = read_metadata(model_dir)
    assert card.data.library_name == "sklearn"
    assert card.data.license and card.data.language == "en"
    assert card.data.pipeline_tag == "text-classification"
    assert "logistic-regression" in card.data.tags and card.data.datasets
    f1 = next(r for r in card.data.eval_results if r.metric_type == "f1")
    assert f1.metric_value == round(meta["heldout_metrics"]["macro"]["f1"], 4)
    assert "# trainer model" in card.text and "TextFeatures" in card.text
