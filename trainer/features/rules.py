r"""What the model sees of a sentence: the rules, written once, in plain Python.

A sentence becomes a list of tokens:

* "May" with a capital after a word or a figure ("on 12 May", "in May", "Theresa
  May") becomes the token ``_month_may_`` (`mark_months`), so that the month never
  reads as the modal "may" of a possibility;
* quotation marks and apostrophes written in other conventions are read as the
  marks they stand for (`normalize_marks`): the HTML entities of scraped text
  (``&quot;``, ``&#39;``) and the doubled marks of plain-text wire copy
  (````We will win,'' he said.``);
* it is lowercased and each number is replaced by its shape (`normalize_text`);
* tokens are the matches of `TOKEN_PATTERN`: words (digits and underscores
  included) and the symbols ``% $ € £ ? !``; a number written as a word is the
  token of its shape (`NUMBER_WORDS`: "seventeen" as "17", "a thousand" as "a
  1000"), so that "Seventeen civilians were killed" reads as the exact figure it is;
* with ``quotes=True``, every token inside a quotation made with double quotation
  marks (``"``, ``“ ”``, ``« »``) is marked ``q:`` (``"a disgrace"`` gives
  ``q:a q:disgrace``). A straight ``"`` opens a quotation after white space, an
  opening bracket or a dash, and closes one elsewhere. A sentence whose first
  mark closes a quotation began inside it (the end of a quotation that started in
  an earlier sentence), so its tokens before that mark are quoted too. Single
  quotation marks (``'`` and ``‘ ’``, as British copy writes quotations) count as
  double ones where they pair up within the sentence (`pair_single_quotes`): an
  opening mark after a non-word character, a closing one before one, apostrophes
  inside words ("don't") left alone;
* with ``cues=True``, each token that belongs to a class of `trainer.features.cues`
  also gives that class's cue (``[hedge]``, ``[evaluative]``, ``[q:evaluative]``
  ...; a hedge of quantities such as "about" only before a quantity: "about 300",
  not "worry about the money"), and the sentence's quotation structure gives ``[quotation]``,
  ``[starts_quoted]`` and ``[all_quoted]``;
* also with ``cues=True``, four cues of the whole sentence (`SENTENCE_CUES`)
  that a linear model cannot build from single words: ``[imperative]`` (its first
  token, after any of `LEADING_WORDS`, is one of `IMPERATIVE_OPENERS` outside a
  quotation: the writer's own advice), ``[rule_figure]`` (a ``[rule]`` cue and a
  figure: a threshold stated by a rule, not a hedged one), ``[judgement]`` (outside
  quotations, a copula predicates an evaluative word or one of `VERDICT_WORDS`:
  "the guidance is confusing", "the deal was a historic mistake", not "the
  brilliant striker scored twice") and ``[judged_figure]`` (such a judgement and a
  figure: "a 3% offer is an insult"). A figure is any number shape but a year.

A sentence is read alone, except that `read_in_context` gives a sentence of a text
with no quotation mark of its own an opening mark when it continues a quotation an
earlier sentence opened (the middle of a quoted passage is the speaker's words).

The model's features are the word n-grams of the tokens plus the cues, weighted by
tf-idf. `trainer.features.tokens` computes the same tokens fast, on UTF-8 bytes;
this module is the reference it is tested against.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence
from itertools import groupby, pairwise

from .cues import (
    ATTRIBUTION_VERBS,
    BOUND_WORDS,
    CONCESSIVE_WORDS,
    COPULAS,
    CUE_CLASSES,
    FIGURE_HEDGES,
    HEDGE_REACH,
    IMPERATIVE_OPENERS,
    IMPERSONAL_WORDS,
    LEADING_WORDS,
    QUANTITY_WORDS,
    QUOTED_CUES,
    RULE_MODALS,
    VERDICT_WORDS,
    WRITER_WORDS,
)

__all__ = [
    "FEATURIZER_VERSION",
    "MARK_FORMS",
    "MONTH_MAY",
    "NUMBER_WORDS",
    "QUOTATION_MARK",
    "QUOTE_PREFIX",
    "RULE_PREFIX",
    "SENTENCE_CUES",
    "SHAPES",
    "STRUCTURE_CUES",
    "TOKEN_PATTERN",
    "analyze",
    "cue_name",
    "mark_months",
    "normalize_marks",
    "normalize_text",
    "pair_single_quotes",
    "quote_spans",
    "read_in_context",
]

#: Version of these rules. A model records it; a model of another version is refused.
FEATURIZER_VERSION = 14

#: Words (digits and underscores included) and the symbols that tell a label.
TOKEN_PATTERN = r"\w+|[%$€£?!]"
_TOKEN = re.compile(TOKEN_PATTERN)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?")
_RANGE = re.compile(r".*\d\s?[-–]\s?\d.*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_YEAR = re.compile(r"(?:19|20)\d\d")
#: The token of "May" the month (or the name), which `mark_months` writes in its place.
MONTH_MAY = "_month_may_"
# The literal first, the lookbehind after it: `re` scans for the literal fast.
_MONTH_MAY = re.compile(r"May\b(?<=[\w,;:)%] May)")

#: The tokens that stand for numbers, by shape.
SHAPES = ("_range_", "_decimal_", "_year_", "_round_number_", "_exact_number_")
_RANGE_, _DECIMAL_, _YEAR_, _ROUND_, _EXACT_ = (f" {shape} " for shape in SHAPES)

#: Numbers written as words -> the shape of the same number in figures ("seventeen" is
#: exact, as "17" is; "ten", "twenty" and "thousand" are round, as "10", "20" and "1000"
#: are). "One" is left out: it is more often a pronoun ("one of them", "no one") than a figure.
NUMBER_WORDS = {
    **dict.fromkeys(
        "two three four five six seven eight nine eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen".split(),
        _EXACT_.strip(),
    ),
    **dict.fromkeys(
        "ten twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion".split(),
        _ROUND_.strip(),
    ),
}

#: Marks a token inside a quotation (no token of the text can hold a colon).
QUOTE_PREFIX = "q:"
#: Marks a word that bounds a rule's figure (one of `BOUND_WORDS`, next to a figure in a
#: sentence of a rule, see `_rule_bounds`): a threshold the rule sets, not a hedge.
RULE_PREFIX = "r:"
#: How far before an attribution verb `WRITER_WORDS` keep it the writer's own ("I have long argued").
ATTRIBUTION_REACH = 3
#: How many words a clause after a comma may have to attribute what comes before it
#: ("..., the opposition leader told MPs.").
TAIL_LENGTH = 6
_CLAUSE_COMMA = re.compile(r",(?=\s)")
#: How many bound words in a row, before or after a figure, `RULE_PREFIX` marks ("no more than").
BOUND_REACH = 3
#: The tokens of a figure's unit, passed over between a figure and its bound words.
UNITS = ("%", "$", "€", "£")
_OPENING_MARKS = "“«"
_CLOSING_MARKS = "”»"
#: A double quotation mark of any kind.
QUOTATION_MARK = re.compile(r"[\"“”«»]")
# Before a straight quote that opens a quotation: white space, an opening bracket or a dash.
_BEFORE_OPENING = "([{-–—"

#: The sentence-level cues of quotation structure.
STRUCTURE_CUES = ("[quotation]", "[starts_quoted]", "[all_quoted]")

#: The cues of the whole sentence: an imperative, a rule with a figure, a judgement with a figure,
#: a judgement.
SENTENCE_CUES = ("[imperative]", "[rule_figure]", "[judged_figure]", "[judgement]")

#: Number shapes that count as a figure for `SENTENCE_CUES` (a year is a date, not a quantity).
FIGURE_SHAPES = ("_range_", "_decimal_", "_round_number_", "_exact_number_")


def _number_shape(match: re.Match[str]) -> str:
    number = match.group(0)
    if _RANGE.fullmatch(number):
        return _RANGE_
    digits = number.replace(",", "").replace(".", "")
    if "." in number and not _THOUSANDS.fullmatch(number):
        return _DECIMAL_
    if _YEAR.fullmatch(number):
        return _YEAR_
    if len(digits) > 1 and len(digits.rstrip("0")) <= 1:
        return _ROUND_
    return _EXACT_


def normalize_text(text: str) -> str:
    """Lowercase a sentence and replace each number by its shape.

    Whether a figure is exact, round, a year or a decimal says more about a
    reported fact or an estimate than its value does, so ``1,047`` becomes
    ``_exact_number_``, ``2,000`` becomes ``_round_number_``, ``2024``
    becomes ``_year_``, ``3.5`` becomes ``_decimal_`` and ``11-13`` becomes ``_range_``.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    str
        The normalised sentence.

    Examples
    --------
    >>> normalize_text("About 2,000 fled in 2024; 1,047 stayed.")
    'about  _round_number_  fled in  _year_ ;  _exact_number_  stayed.'
    """
    return _NUMBER.sub(_number_shape, text.lower())


def mark_months(text: str) -> str:
    """Write each "May" that follows a word or a figure as `MONTH_MAY`.

    A capital "May" after a word and a space is the month or a name ("on 12 May",
    "in May", "Theresa May"); at the start of a sentence or a quotation it may be
    the modal ("May I ask ..."), and it is left alone, as is "may".

    Parameters
    ----------
    text : str
        A sentence, or sentences joined by line breaks.

    Returns
    -------
    str

    Examples
    --------
    >>> mark_months("May prices fall? They may, and did on 12 May.")
    'May prices fall? They may, and did on 12 _month_may_.'
    """
    return _MONTH_MAY.sub(MONTH_MAY, text) if "May" in text else text


#: Quotation marks and apostrophes of other conventions -> the mark they stand for.
MARK_FORMS = {
    "&quot;": '"',
    "&#34;": '"',
    "&ldquo;": "“",
    "&rdquo;": "”",
    "&#39;": "'",
    "&apos;": "'",
    "&rsquo;": "’",
    "&lsquo;": "‘",
    "``": "“",
    "''": '"',  # opens or closes by what stands before it, as a straight mark does
    "&amp;": "&",
}
# The entities (a literal first character: `re` finds the candidates fast).
_ENTITY = re.compile("&(?:" + "|".join(form[1:-1] for form in MARK_FORMS if form.startswith("&")) + ");")
_DOUBLED_APOSTROPHE = re.compile("''")


def normalize_marks(text: str) -> str:
    """Write the quotation marks and apostrophes of other conventions as the marks they stand for.

    Scraped text often holds HTML entities (``&quot;``, ``&#39;``), and plain-text wire
    copy opens a quotation with two backticks and closes it with two apostrophes;
    without this, such quotations would not be read as quoted.

    Parameters
    ----------
    text : str
        A sentence, or sentences joined by line breaks.

    Returns
    -------
    str

    Examples
    --------
    >>> print(normalize_marks("``It is a betrayal,'' the union said of Smith&#39;s plan."))
    “It is a betrayal," the union said of Smith's plan.
    """
    # The cheapest scans first: a predict chunk is a megabyte of text, and most hold none.
    if "&" in text:  # one pass: "&amp;quot;" gives "&quot;", as HTML reads it
        text = _ENTITY.sub(lambda match: MARK_FORMS[match.group()], text)
    if "`" in text:
        text = text.replace("``", MARK_FORMS["``"])
    if _DOUBLED_APOSTROPHE.search(text):  # faster than `in` for two characters of a non-ASCII text
        text = text.replace("''", MARK_FORMS["''"])
    return text


# An opening single mark (not after a word or another mark: the lookbehind, after the
# mark, keeps the pattern's first item a plain character set, which `re` scans for fast),
# then the quotation, whose apostrophes sit between letters, then a closing mark before
# a non-word character. Never across a line break.
_SINGLE_QUOTED = re.compile(r"['‘](?<![\w'‘’]['‘])(?=[^\s'‘’])((?:[^'‘’\n]|(?<=\w)['’](?=\w))*?(?<=\S))['’](?!\w)")


def pair_single_quotes(text: str) -> str:
    """Write single quotation marks that pair up as double ones (“ ”), leaving apostrophes.

    Parameters
    ----------
    text : str
        A sentence, or sentences joined by line breaks.

    Returns
    -------
    str
        The text with each pair of single quotation marks replaced by “ and ”.

    Examples
    --------
    >>> pair_single_quotes("The senator called the plan 'a disaster'.")
    'The senator called the plan “a disaster”.'
    >>> pair_single_quotes("'We don't accept it,' the workers' union said.")
    "“We don't accept it,” the workers' union said."
    """
    if "'" not in text and "‘" not in text:
        return text
    # What ``_SINGLE_QUOTED.sub`` does, three times faster: a match can only start at a mark,
    # and ``str.find`` reaches the marks faster than the regex scanner (lookbehinds see before pos).
    pieces, done, match = [], 0, _SINGLE_QUOTED.match
    for position in heapq.merge(_find_all(text, "'"), _find_all(text, "‘")):
        if position >= done and (found := match(text, position)) is not None:
            pieces += (text[done:position], "“", found.group(1), "”")
            done = found.end()
    return "".join([*pieces, text[done:]]) if pieces else text


def _find_all(text: str, mark: str) -> Iterator[int]:
    position = text.find(mark)
    while position >= 0:
        yield position
        position = text.find(mark, position + 1)


def _opens(text: str, position: int) -> bool:
    """Whether the quotation mark at ``position`` opens a quotation."""
    mark = text[position]
    if mark in _OPENING_MARKS:
        return True
    if mark in _CLOSING_MARKS:
        return False
    return position == 0 or text[position - 1].isspace() or text[position - 1] in _BEFORE_OPENING


def _marks(text: str) -> list[tuple[int, bool]]:
    return [(m.start(), _opens(text, m.start())) for m in QUOTATION_MARK.finditer(text)]


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Cut a sentence at its double quotation marks into ``(start, end, quoted)`` spans.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    list of tuple
        Spans between the marks, in order (empty ones left out); ``quoted`` tells
        whether a span lies inside a quotation.

    Examples
    --------
    >>> quote_spans('He said "no" twice.')
    [(0, 8, False), (9, 11, True), (12, 19, False)]
    >>> quote_spans('we will win." Then he left.')[0]
    (0, 12, True)
    """
    return _spans(text, _marks(text))


def _spans(text: str, marks: list[tuple[int, bool]]) -> list[tuple[int, int, bool]]:
    inside = bool(marks) and not marks[0][1]  # the first mark closes: the sentence began inside
    spans, start = [], 0
    for position, opens in marks:
        spans.append((start, position, inside))
        inside = opens
        start = position + 1
    spans.append((start, len(text), inside))
    return [span for span in spans if span[1] > span[0]]


#: How many sentences in a row without a quotation mark may continue a quotation opened
#: before them (more are taken for an unclosed mark, a typo, and read as they are).
CONTINUED_SENTENCES = 3


def read_in_context(sentences: Sequence[str]) -> list[str]:
    """The consecutive sentences of one text as the model reads them.

    A sentence without a quotation mark of its own that follows a quotation left
    open by the sentence before it (up to `CONTINUED_SENTENCES` in a row) lies wholly
    inside that quotation: it is given an opening mark, so that its tokens are quoted
    as those of the sentences around it are. Other sentences are returned unchanged.

    Parameters
    ----------
    sentences : sequence of str
        The sentences of one text (or one document), in order.

    Returns
    -------
    list of str
        One string per sentence.

    Examples
    --------
    >>> read_in_context(['"We are devastated.', "This should never have happened.", 'We want answers," she said.'])
    ['"We are devastated.', '"This should never have happened.', 'We want answers," she said.']
    """
    if not QUOTATION_MARK.search(normalize_marks("".join(sentences))):  # most texts: one scan
        return list(sentences)
    read, inside, run = [], False, 0
    for sentence in sentences:
        marks = _marks(normalize_marks(sentence))
        if marks:
            inside, run = marks[-1][1], 0
            read.append(sentence)
        elif inside and run < CONTINUED_SENTENCES:
            run += 1
            read.append('"' + sentence)
        else:
            inside = False
            read.append(sentence)
    return read


def cue_name(cue_class: str, *, quoted: bool = False) -> str:
    """The feature name of a cue class: ``[hedge]``, or ``[q:evaluative]`` inside a quotation."""
    return f"[q:{cue_class}]" if quoted and cue_class in QUOTED_CUES else f"[{cue_class}]"


def analyze(text: str, *, quotes: bool = True, cues: bool = True) -> tuple[list[str], list[str]]:
    """Tokens and cues of a sentence, by the rules above (the reference implementation).

    Parameters
    ----------
    text : str
        A sentence.
    quotes : bool
        Mark tokens inside quotations with ``q:``.
    cues : bool
        Also return the sentence's cues.

    Returns
    -------
    tokens : list of str
        In order; n-grams are taken over them.
    cues : list of str
        One cue per cue word, then the quotation-structure cues (empty if ``cues`` is false).

    Examples
    --------
    >>> analyze('The mayor called it "a reckless plan".')[0]
    ['the', 'mayor', 'called', 'q:it', 'q:a', 'q:reckless', 'q:plan']
    >>> analyze('The mayor called it "a reckless plan".')[1]
    ['[reporting]', '[q:evaluative]', '[quotation]']
    """
    text = mark_months(normalize_marks(text))
    if quotes:
        text = pair_single_quotes(text)
    marks = _marks(text) if quotes else []
    words, clauses = _clause_words(text, marks)
    all_quoted = bool(words) and all(quoted for _, quoted in words)
    if quotes:  # reported speech without quotation marks is read as quoted
        before = _trailing_attribution(words, clauses)
        after = _attribution([(w, q or c == before > 0) for (w, q), c in zip(words, clauses, strict=True)], clauses)
        end = _attribution_end(words, clauses, after)
        words = [(word, quoted or after < i < end or clauses[i] < before) for i, (word, quoted) in enumerate(words)]
    bounds = _rule_bounds(words) if cues else set()
    tokens = [
        RULE_PREFIX + word if i in bounds else QUOTE_PREFIX + word if quoted else word
        for i, (word, quoted) in enumerate(words)
    ]
    if not cues:
        return tokens, []
    # A rule's bound word is no hedge: it gives no cue; nor does a hedge of quantities without one.
    found = [
        cue_name(CUE_CLASSES[word], quoted=quoted)
        for i, (word, quoted) in enumerate(words)
        if word in CUE_CLASSES and i not in bounds and (word not in FIGURE_HEDGES or _hedges_a_quantity(words, i))
    ]
    if marks:
        found.append(STRUCTURE_CUES[0])
        if not marks[0][1] or (marks[0][0] == 0 and marks[0][1]):
            found.append(STRUCTURE_CUES[1])
        if all_quoted:
            found.append(STRUCTURE_CUES[2])
    found.extend(_sentence_cues(tokens, found))
    return tokens, found


def _hedges_a_quantity(words: list[tuple[str, bool]], i: int) -> bool:
    """Whether a quantity (one of `QUANTITY_WORDS` or a number's shape) follows word ``i`` closely."""
    return any(word in QUANTITY_WORDS or word in SHAPES for word, _ in words[i + 1 : i + 1 + HEDGE_REACH])


def _words(text: str) -> list[str]:
    return [NUMBER_WORDS.get(word, word) for word in _TOKEN.findall(normalize_text(text))]


def _clause_words(text: str, marks: list[tuple[int, bool]]) -> tuple[list[tuple[str, bool]], list[int]]:
    """The words of a sentence with whether each is quoted, and the clause of each.

    Clauses are cut at `_CLAUSE_COMMA` (a comma before white space; a comma inside
    a number never is one): the clause of a word is the number of such commas before it.
    """
    words, clauses, clause = [], [], 0
    for start, end, quoted in _spans(text, marks):
        for k, piece in enumerate(_CLAUSE_COMMA.split(text[start:end])):
            clause += k > 0
            found = _words(piece)
            words += [(word, quoted) for word in found]
            clauses += [clause] * len(found)
    return words, clauses


def _trailing_attribution(words: list[tuple[str, bool]], clauses: list[int]) -> int:
    """The clause before which the words are attributed by a short clause after a comma (0: none).

    The last clause of at most `TAIL_LENGTH` words, after a comma, that holds one of
    `ATTRIBUTION_VERBS` after its subject (not just after one of `IMPERSONAL_WORDS`),
    or opens with "according", outside quotation marks, and holds none of
    `WRITER_WORDS`: "The offer is an insult, the union said.", "..., according to the
    minister.", but not "..., as critics say." nor "Smith, the minister, said it ..."
    (the verb opens its clause: what follows it is attributed).
    """
    found = 0
    for clause, group in groupby(range(len(words)), key=clauses.__getitem__):  # clauses never decrease
        tail = list(group)
        if tail[0] == 0 or len(tail) > TAIL_LENGTH or any(words[i][0] in WRITER_WORDS for i in tail):
            continue
        if any(
            not words[i][1]
            and (
                (words[i][0] in ATTRIBUTION_VERBS and i > tail[0] and words[i - 1][0] not in IMPERSONAL_WORDS)
                or (words[i][0] == "according" and i == tail[0])
            )
            for i in tail
        ):
            found = clause
    return found


def _attribution(words: list[tuple[str, bool]], clauses: list[int]) -> int:
    """Position of the verb that attributes the rest of the sentence to someone else (or past the end).

    The first of `ATTRIBUTION_VERBS` outside quotation marks, after at least one
    word and before any quoted one (a verb after a quotation attributes that
    quotation), with none of `WRITER_WORDS` in the `ATTRIBUTION_REACH` words before
    it, none of `IMPERSONAL_WORDS` just before it, and not in the first clause of a
    sentence that one of `CONCESSIVE_WORDS` opens: "Smith said the plan was a
    mistake", "Critics argue that it is unfair", but not "I think ...", "As critics
    argued, ...", "It has to be said that ..." or "Whatever Smith says, ...".
    """
    concession = bool(words) and words[0][0] in CONCESSIVE_WORDS
    for i, (word, quoted) in enumerate(words):
        if quoted:
            break
        if i == 0 or word not in ATTRIBUTION_VERBS or words[i - 1][0] in IMPERSONAL_WORDS:
            continue
        if concession and clauses[i] == 0:
            continue
        if not any(before in WRITER_WORDS for before, _ in words[max(0, i - ATTRIBUTION_REACH) : i]):
            return i
    return len(words)


def _attribution_end(words: list[tuple[str, bool]], clauses: list[int], after: int) -> int:
    """Where the speech that the verb at ``after`` attributes ends (past the end: at the end of the sentence).

    At the first word outside quotation marks that follows the close of a quotation
    across a comma: the quotation was what was said, the clause after it is the
    writer's again ('She called the verdict "a victory for common sense", and she is
    right.', 'He insisted they were "working", a claim the figures belie.').
    """
    for j in range(after + 2, len(words)):
        if words[j - 1][1] and not words[j][1] and clauses[j] > clauses[j - 1]:
            return j
    return len(words)


def _rule_bounds(words: list[tuple[str, bool]]) -> set[int]:
    """Positions of the `BOUND_WORDS` that bound a figure in a sentence of a rule.

    A sentence is a rule's when it holds a rule word, one of `RULE_MODALS` or "may
    not". A bound word outside quotation marks is one when it is in a run of at
    most `BOUND_REACH` of them that ends just before, or starts just after, a figure
    outside quotation marks and its unit ("more than $50", "40% or more").
    """
    plain = [word for word, _ in words]
    rule_words = any(CUE_CLASSES.get(word) == "rule" or word in RULE_MODALS for word in plain)
    if not rule_words and ("may", "not") not in pairwise(plain):
        return set()
    bounds = set()
    for i, (word, quoted) in enumerate(words):
        if word in FIGURE_SHAPES and not quoted:
            for step in (-1, 1):
                j = i + step
                if 0 <= j < len(words) and words[j][0] in UNITS:
                    j += step
                for _ in range(BOUND_REACH):
                    if not (0 <= j < len(words) and words[j][0] in BOUND_WORDS and not words[j][1]):
                        break
                    bounds.add(j)
                    j += step
    return bounds


def _sentence_cues(tokens: list[str], found: list[str]) -> list[str]:
    """The `SENTENCE_CUES` of a sentence, from its tokens and its other cues."""
    sentence = []
    first = next((token for token in tokens if token not in LEADING_WORDS), None)
    if first in IMPERATIVE_OPENERS:  # a quoted token has the q: prefix, so it never matches
        sentence.append(SENTENCE_CUES[0])
    figures = [token for token in tokens if token.removeprefix(QUOTE_PREFIX) in FIGURE_SHAPES]
    if figures and "[rule]" in found:
        sentence.append(SENTENCE_CUES[1])
    if _predicates_a_judgement(tokens):
        if any(token in FIGURE_SHAPES for token in figures):
            sentence.append(SENTENCE_CUES[2])
        sentence.append(SENTENCE_CUES[3])
    return sentence


#: How many tokens before an evaluative word a copula may stand ("is a slap", "was truly awful").
JUDGEMENT_REACH = 3


def _predicates_a_judgement(tokens: list[str]) -> bool:
    """Whether an evaluative or verdict word outside quotation marks follows one of `COPULAS` closely."""
    return any(
        _judges(token) and any(t in COPULAS for t in tokens[max(0, i - JUDGEMENT_REACH) : i])
        for i, token in enumerate(tokens)
    )


def _judges(token: str) -> bool:
    return CUE_CLASSES.get(token) == "evaluative" or token in VERDICT_WORDS
