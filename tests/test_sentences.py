import pytest

from trainer.sentences import split_sentences

CASES = [
    ("Dr. Lee met Mr. Smith on Jan. 5. They talked.", ["Dr. Lee met Mr. Smith on Jan. 5.", "They talked."]),
    (
        "Output rose 3.5% and the deal was worth $2.5bn. Shares fell.",
        ["Output rose 3.5% and the deal was worth $2.5bn.", "Shares fell."],
    ),
    ("The firm moved to the U.S. The move cost jobs.", ["The firm moved to the U.S.", "The move cost jobs."]),
    ("Officials in the U.S. Senate voted. It passed.", ["Officials in the U.S. Senate voted.", "It passed."]),
    ("George W. Bush spoke. J. K. Rowling wrote.", ["George W. Bush spoke.", "J. K. Rowling wrote."]),
    ('He said, "It is over." Then he left.', ['He said, "It is over."', "Then he left."]),
    ("“Is it?” she asked. Nobody knew.", ["“Is it?” she asked.", "Nobody knew."]),
    ("(This is bracketed.) Next one.", ["(This is bracketed.)", "Next one."]),
    ("Wait... what? Nobody knows... The end.", ["Wait... what?", "Nobody knows...", "The end."]),
    ("Intro:\n- First point\n- Second point", ["Intro:", "- First point", "- Second point"]),
    ("Steps:\n1. Mix it\n2. Bake it.", ["Steps:", "1. Mix it", "2. Bake it."]),
    ("Apple Inc. rose 2%. Analysts cheered.", ["Apple Inc. rose 2%.", "Analysts cheered."]),
    ("It starts at 5 p.m. on Monday. Rain is due.", ["It starts at 5 p.m. on Monday.", "Rain is due."]),
    ("Room No. 5 was empty! Why? Nobody said.", ["Room No. 5 was empty!", "Why?", "Nobody said."]),
    ("First paragraph without a stop\n\nSecond paragraph.", ["First paragraph without a stop", "Second paragraph."]),
    ("A line that is\nhard-wrapped here. Next.", ["A line that is\nhard-wrapped here.", "Next."]),
    ("", []),
    ("   \n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences_handles_news_text(text, expected):
    assert split_sentences(text) == expected


def test_sentences_are_slices_of_the_input():
    text = "  One.  Two?\tThree!  "
    assert all(s in text for s in split_sentences(text))
    assert "".join(split_sentences(text)) == "".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Regression: a sentence ending in a decimal was glued to the next one.
        (
            "The fee fell from £4.10 to £3.65. Nobody was consulted.",
            ["The fee fell from £4.10 to £3.65.", "Nobody was consulted."],
        ),
        (
            "The index fell to 87.6 from 88.0. Carmakers cut jobs.",
            ["The index fell to 87.6 from 88.0.", "Carmakers cut jobs."],
        ),
        ("It is thought to be around £1.5m. Fans protested.", ["It is thought to be around £1.5m.", "Fans protested."]),
        # Regression: a capital letter after a lowercase word is not an initial.
        ("He said so in a post on X. Officials disagreed.", ["He said so in a post on X.", "Officials disagreed."]),
    ],
)
def test_regressions_from_the_corpus(text, expected):
    assert split_sentences(text) == expected
