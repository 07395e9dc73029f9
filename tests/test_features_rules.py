"""The reference rules of `trainer.features.rules`: the cues of the whole sentence."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.features.rules import _SINGLE_QUOTED, SENTENCE_CUES, analyze, pair_single_quotes, read_in_context

IMPERATIVE, RULE_FIGURE, JUDGED_FIGURE, JUDGEMENT = SENTENCE_CUES


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Stop building on flood plains.", {IMPERATIVE}),
        ("So just give them the money.", {IMPERATIVE}),
        ("Don't wait for the letter.", {IMPERATIVE}),
        ('"Stop the cuts," the union said.', set()),  # quoted: the union's words, not the writer's
        ("The council stopped the scheme.", set()),
        ("Back in 2019 the bridge closed.", set()),  # "back" opens facts: not an opener
        ("The law bans gatherings of more than 50 people.", {RULE_FIGURE}),
        ("The ban took effect in 2024.", set()),  # a year is a date, not a figure
        ("A 19% rise is unacceptable.", {JUDGED_FIGURE, JUDGEMENT}),
        ('The "unacceptable" 19% rise was approved.', set()),  # quoted judgement: reported speech
        ("Vote for the cap of 6%, which is unacceptable.", {IMPERATIVE, RULE_FIGURE, JUDGED_FIGURE, JUDGEMENT}),
        ("The new guidance is confusing and dangerous.", {JUDGEMENT}),
        ("The agreement signed in Geneva was a historic mistake.", {JUDGEMENT}),  # a verdict word, predicated
        ("The report found a mistake in the data.", set()),  # the same word in passing
        ("Key workers were given priority.", set()),
        ("The strikes were disproportionate and the rules are outdated.", {JUDGEMENT}),
        ("A disproportionate share of outdated buses broke down.", set()),  # the same words in passing
        ('The union said the deal "is a disaster".', set()),  # quoted: reported speech
    ],
)
def test_sentence_cues(sentence, expected):
    assert set(analyze(sentence)[1]) & set(SENTENCE_CUES) == expected


def test_no_sentence_cues_without_cues():
    assert analyze("Stop building on flood plains.", cues=False)[1] == []


QUOTED_PASSAGE = ['"We are devastated.', "This should never have happened.", 'We want answers," she said.']


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (QUOTED_PASSAGE, ['"We are devastated.', '"This should never have happened.', 'We want answers," she said.']),
        (["Prices rose.", "That is a disgrace."], ["Prices rose.", "That is a disgrace."]),
        (['He said "no".', "It is over."], ['He said "no".', "It is over."]),  # the quotation was closed
        (["“It is over.", "We lost.", "Nobody came.", "We left.", "It rained."], None),  # three at most
        (['"Open.', 'Closed," he said.', "Plain."], ['"Open.', 'Closed," he said.', "Plain."]),
    ],
)
def test_read_in_context(sentences, expected):
    if expected is None:
        expected = [sentences[0], *('"' + s for s in sentences[1:4]), sentences[4]]
    assert read_in_context(sentences) == expected


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("The plan is 'a disaster' for the town.", ["q:a", "q:disaster"]),
        ("'We are thrilled,' said Ms Lee.", ["q:we", "q:are", "q:thrilled"]),
        ("‘We don't accept it,’ he said.", ["q:we", "q:don", "q:t", "q:accept", "q:it"]),
        ("The workers' union met on Friday.", []),  # an apostrophe, not a quotation
        ("It's over, and they're gone.", []),
    ],
)
def test_single_quotation_marks_that_pair_up_quote(sentence, quoted):
    tokens, _ = analyze(sentence)
    assert [t for t in tokens if t.startswith("q:")] == quoted


@pytest.mark.parametrize(
    ("sentence", "judged"),
    [
        ("Waiting 14 hours in A&E is unacceptable.", True),
        ("A pay offer of 2% was truly pathetic.", True),
        ("The brilliant young striker scored 2 goals.", False),  # a passing adjective, no copula before it
        ('The 3% rise "is unacceptable", the union said.', False),  # quoted: reported speech
    ],
)
def test_judged_figure_needs_a_judgement_predicated_by_a_copula(sentence, judged):
    assert (JUDGED_FIGURE in analyze(sentence)[1]) is judged


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The talks collapsed on 12 May.", ["_month_may_"]),
        ("Theresa May resigned.", ["_month_may_"]),
        ("Prices may fall in May.", ["may", "_month_may_"]),
        ("May prices fall?", ["may"]),  # the first word: the modal may open a question
        ('"May I ask?" she said.', ["q:may"]),
    ],
)
def test_may_the_month_is_not_the_modal(sentence, expected):
    assert [t for t in analyze(sentence)[0] if t.removeprefix("q:") in {"may", "_month_may_"}] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Seventeen civilians were killed.", ["_exact_number_", "civilians", "were", "killed"]),
        ("A thousand volunteers came.", ["a", "_round_number_", "volunteers", "came"]),
        ("Twenty-five stayed.", ["_round_number_", "_exact_number_", "stayed"]),
        ("One of them left for the tenth time.", ["one", "of", "them", "left", "for", "the", "tenth", "time"]),
        ("Thousands fled.", ["thousands", "fled"]),  # a round report, a hedge: not a figure
    ],
)
def test_a_number_written_as_a_word_is_the_token_of_its_shape(sentence, expected):
    assert analyze(sentence)[0] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "``It is a betrayal,'' the union said.",  # plain-text wire copy
        "''It is a betrayal,'' the union said.",
        "&quot;It is a betrayal,&quot; the union said.",  # HTML entities of scraped text
        '"It is a betrayal," the union said.',
    ],
)
def test_quotation_marks_of_other_conventions_quote(sentence):
    assert analyze(sentence)[0][:4] == ["q:it", "q:is", "q:a", "q:betrayal"]


def test_a_quotation_in_backticks_continues_into_the_next_sentence():
    assert read_in_context(["``We are devastated.", "It should never have happened."])[1][0] == '"'


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("Whatever the minister says, the strikes were a disgrace.", []),  # the writer's, after a concession
        ("Whatever the board says, the minister insisted the plan was dead.", ["the", "plan", "was", "dead"]),
        ("The minister says the strikes were a disgrace.", ["the", "strikes", "were", "a", "disgrace"]),
    ],
)
def test_a_concession_attributes_nothing_in_its_clause(sentence, quoted):
    assert [t.removeprefix("q:") for t in analyze(sentence)[0] if t.startswith("q:")] == quoted


@pytest.mark.parametrize(
    ("sentence", "hedges"),
    [
        ("About 300 people came.", 1),
        ("Around half the staff and nearly a third of the pupils stayed.", 2),
        ("Roughly £40m was lost, about twice the forecast.", 2),
        ("Landlords only care about profit.", 0),  # "about" hedges no quantity
        ("It is almost certainly wrong, and the shops around the corner know it.", 0),
        ("Some 40 boats and roughly seventeen crews.", 1),  # "some" is no hedge word; "seventeen" is a quantity
    ],
)
def test_a_hedge_of_quantities_is_a_hedge_only_before_a_quantity(sentence, hedges):
    assert analyze(sentence)[1].count("[hedge]") == hedges


@pytest.mark.parametrize(
    ("sentence", "bounds"),
    [
        ("Landlords may not raise rents by more than 10% a year.", ["r:more", "r:than"]),
        ("Firms with more than 250 staff must publish the gap.", ["r:more", "r:than"]),
        ("Tenants cannot sublet for more than 90 days.", ["r:more", "r:than"]),
        ("More than 300 people came.", []),  # a hedged report
        ("Prices may rise by more than 10%.", []),  # a possibility, not a prohibition
    ],
)
def test_a_modal_of_obligation_makes_a_bounded_figure_the_rules_threshold(sentence, bounds):
    assert [t for t in analyze(sentence)[0] if t.startswith("r:")] == bounds


def test_a_number_word_bounded_in_a_rule_is_the_rules_threshold():
    tokens, found = analyze("Gatherings of more than fifty people are banned.")
    assert tokens[2:5] == ["r:more", "r:than", "_round_number_"] and "[rule_figure]" in found


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="ab '‘’\"“”\n.,-_1é", max_size=40))
def test_single_quotes_pair_as_the_pattern_substitutes(text):
    # pair_single_quotes walks the marks with str.find for speed: it must equal the plain re.sub
    assert pair_single_quotes(text) == _SINGLE_QUOTED.sub(r"“\1”", text)


@pytest.mark.parametrize(
    ("sentence", "marked"),
    [
        ("The law bans gatherings of more than 50 people.", ["r:more", "r:than"]),
        ("More than 50 people gathered.", []),  # no rule word: a hedged report (rule 2)
        ("A quorum requires at least 40% or more.", ["r:at", "r:least", "r:or", "r:more"]),
        ("The cap is no more than £200.", ["r:no", "r:more", "r:than"]),  # past the unit
        ('The ban covers "more than 50" people.', []),  # a quoted bound is the rule-maker's words
        ("The limit rose by more than half.", []),  # no figure
    ],
)
def test_bound_words_of_a_rule_figure_are_marked(sentence, marked):
    tokens, cues = analyze(sentence)
    assert [t for t in tokens if t.startswith("r:")] == marked
    assert ("[hedge]" in cues) is ("least" in sentence and not marked)


@pytest.mark.parametrize(
    ("sentence", "reported"),
    [
        ("Smith said the decision was a mistake.", ["the", "decision", "was", "a", "mistake"]),
        ("Critics argue that it is unfair.", ["that", "it", "is", "unfair"]),
        ('Lee said the plan was "reckless" and unfair.', ["the", "plan", "was", "reckless", "and", "unfair"]),
        ('"We are thrilled," said Ms Lee.', ["we", "are", "thrilled"]),  # the verb attributes the quotation
        # the speech ends where its quotation closes across a comma: the writer speaks again
        ('Lee called the ruling "a farce", and she is right.', ["the", "ruling", "a", "farce"]),
        ('Lee said it was "working", a claim the figures belie.', ["it", "was", "working"]),
        ('Lee said it was "working" and left.', ["it", "was", "working", "and", "left"]),  # no comma: no end
        ('Lee said, "It is working", then left.', ["it", "is", "working"]),
        ("I think the plan is reckless.", []),  # the writer's own view
        ("We have long argued it is unfair.", []),
        ("As critics argued, the plan is reckless.", []),  # the writer takes the view up
        ("It has to be said that the minister looked lost.", []),  # impersonal
        ("Said to be fine.", []),  # no one before the verb
    ],
)
def test_what_follows_an_attribution_verb_is_reported_speech(sentence, reported):
    tokens, _ = analyze(sentence)
    assert [t.removeprefix("q:") for t in tokens if t.startswith("q:")] == reported
    assert "q:" not in "".join(analyze(sentence, quotes=False)[0])


@pytest.mark.parametrize(
    ("sentence", "reported"),
    [
        ("The offer is an insult, the union said.", ["the", "offer", "is", "an", "insult"]),
        ("The scheme is a disgrace, according to the minister.", ["the", "scheme", "is", "a", "disgrace"]),
        ("It is absurd, Ms Lee told reporters.", ["it", "is", "absurd"]),
        # the verb opens its clause: it attributes what follows, not the subject before it
        ("Marta Lee, the union's leader, called it a shameful decision.", ["it", "a", "shameful", "decision"]),
        (
            "It cost 1,500, or 2,000 with tax, officials said.",  # commas in numbers cut no clause
            ["it", "cost", "_exact_number_", "or", "_round_number_", "with", "tax"],
        ),
        ("The plan is a disaster, as critics say.", []),  # the writer takes the view up
        ("It failed, needless to say.", []),  # impersonal
        # too long to attribute what comes before; its own verb attributes what follows it
        ("The plan failed, and the council that drew it up last year told the residents.", ["the", "residents"]),
    ],
)
def test_what_a_short_clause_after_a_comma_attributes_is_reported_speech(sentence, reported):
    tokens, _ = analyze(sentence)
    assert [t.removeprefix("q:") for t in tokens if t.startswith("q:")] == reported
