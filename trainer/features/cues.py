"""Cue word lists: classes of words that tell a label whatever the topic.

A word of a class gives the model a cue feature (``[hedge]``, ``[evaluative]``
...) besides its own n-grams. The model learns one weight per class from the
corpus, so a word it never saw in training still counts through its class:
"grotesque" weighs toward opinion because the class of evaluative words does.
Inside a quotation the classes in `QUOTED_CUES` give a cue of their own
(``[q:evaluative]``): a quoted judgement is reported speech, not the
writer's opinion.

The lists are written by the project for the label rules in ``data/GUIDELINES.md``:

* ``hedge``: words that make a figure approximate (rule 2);
* ``forecast``: words of expectation, projection and polling (rule 2);
* ``possibility``: modal words of what may happen (rule 2 or 1, by context);
* ``reporting``: verbs and phrases of attribution (rule 3: what someone said);
* ``evaluative``: words of judgement, feeling and loaded description (rule 1);
* ``stance``: adverbs with which a writer takes a position (rule 1);
* ``advice``: words of advice and obligation (rule 1, or a reported rule).

Words are lowercase tokens as the tokenizer makes them ("shouldn't" gives
``shouldn`` and ``t``). A word belongs to one class at most.
"""

from __future__ import annotations

__all__ = ["CUE_CLASSES", "CUE_WORDS", "QUOTED_CUES"]

_WORDS = {
    "hedge": """
        about around approximately approx roughly nearly almost circa estimated estimate estimates
        estimating upwards dozens hundreds thousands tens millions billions scores
        reportedly allegedly
        """,
    "forecast": """
        expect expects expected expecting expectation expectations forecast forecasts forecasting
        forecaster forecasters predict predicts predicted predicting prediction predictions projected
        projection projections likely unlikely probably probable anticipate anticipates
        anticipated outlook poll polls polling pollster pollsters survey surveys surveyed modelling
        modeling odds chance chances poised
        """,
    "possibility": "could may might perhaps possibly potentially",
    "reporting": """
        said says say saying told tells added adds claimed claims claim stated states announced
        announces confirmed confirms reported according insisted insists argued argues warned warns
        wrote writes posted tweeted testified alleged denied denies noted notes explained explains
        replied replies acknowledged admitted admits declared declares described describes called
        calls urged urges asked asks quoted spokesman spokeswoman spokesperson statement
        """,
    "stance": """
        frankly honestly clearly obviously surely undoubtedly arguably certainly truly utterly
        simply absolutely totally seriously literally basically frankly unfortunately fortunately
        sadly thankfully mercifully hopefully regrettably shamefully predictably inevitably
        apparently supposedly laughably painfully embarrassingly
        """,
    "advice": "should shouldn must mustn ought",
    "evaluative": """
        good bad great terrible awful excellent brilliant superb wonderful fantastic marvellous
        marvelous outstanding remarkable impressive stunning dazzling masterful masterly masterpiece
        magnificent splendid delightful charming lovely beautiful gorgeous elegant exquisite
        glorious triumphant triumph gem joy pleasure treat thrilling gripping compelling riveting
        poor weak feeble limp lame dull boring tedious bland lifeless stale clumsy
        sloppy shoddy mediocre forgettable overrated underwhelming disappointing disappointment
        dreadful horrible horrendous appalling atrocious abysmal dire woeful wretched miserable
        pitiful pathetic laughable ludicrous ridiculous absurd preposterous farcical farce
        nonsense rubbish garbage joke mess shambles shambolic chaotic fiasco debacle disaster
        disastrous catastrophe catastrophic calamitous calamity travesty tragedy tragic
        scandal scandalous disgrace disgraceful shameful shame outrage outrageous outrageously
        obscene grotesque vile nasty ugly sordid squalid repugnant repellent despicable deplorable
        contemptible reprehensible indefensible inexcusable unforgivable unacceptable intolerable
        reckless careless negligent irresponsible incompetent inept hapless clueless feckless
        spineless toothless gutless cowardly timid craven weakling bold brave courageous heroic
        admirable commendable laudable praiseworthy principled honourable honorable decent
        sensible wise prudent shrewd smart clever astute savvy canny solid
        foolish stupid dumb silly idiotic moronic naive misguided wrongheaded deluded delusional
        dishonest corrupt crooked sleazy shady cynical cynically hypocritical hypocrisy hypocrite
        arrogant smug complacent entitled greedy selfish callous cruel heartless ruthless
        vindictive petty spiteful lazy sluggish bloated wasteful extravagant lavish
        overblown overhyped overpriced bargain ripoff robbery pricey steep
        radical extreme extremist dangerous alarming worrying troubling disturbing chilling
        frightening terrifying scary shocking staggering astonishing astounding breathtaking
        baffling bewildering puzzling bizarre weird strange peculiar fascinating
        interesting intriguing refreshing welcome overdue belated tardy hollow empty
        meaningless pointless futile useless worthless hopeless helpless desperate doomed
        dismal bleak grim gloomy sorry sad depressing heartbreaking heartening encouraging
        promising hopeful optimistic pessimistic naive unfair unjust unjustified justified
        deserved undeserved shameless brazen blatant flagrant egregious gross crass tasteless
        vulgar cheap tacky garish gaudy lurid sensational sensationalist hysterical hysteria
        alarmist paranoid fearmongering scaremongering propaganda spin spun smear witch
        betrayal betray betrayed sellout cowardice courage folly madness insanity insane mad
        crazy nuts bonkers lunacy idiocy stupidity incompetence arrogance greed cruelty
        hubris vanity vain pompous pretentious preachy sanctimonious condescending patronising
        patronizing insulting offensive disrespectful rude crude boorish thuggish bullying
        shriek shrieking shrill whine whining whinge moan moaning rant ranting screech bluster
        lurch lurched lurching flounder floundering stumble stumbling bungle bungled botched
        squander squandered squandering fumble fumbled blunder blundered gaffe
        wrong mistaken misplaced overdue better worse worst best finest
        greatest weakest poorest dumbest smartest wisest unbelievable incredible credible
        implausible plausible convincing unconvincing persuasive flimsy shaky dubious
        questionable suspect suspicious fishy dodgy bogus fake phony phoney fraudulent sham
        cowardly noble insignificant trivial
        irrelevant marginal negligible paltry meagre meager
        modest generous stingy harsh brutal savage draconian punitive lenient soft
        tough robust resilient fragile flawed broken rotten toxic poisonous sick sickening
        nauseating revolting disgusting disgusted appalled horrified outraged furious angry
        annoyed irritated frustrated frustrating infuriating maddening exasperating galling
        embarrassing embarrassment humiliating humiliation ignominious inglorious glorious
        proud pride ashamed guilty grateful thankful glad happy pleased delighted
        thrilled excited worried afraid scared nervous anxious uneasy hate love adore loathe
        detest despise admire respect deserve deserves deserved overreach overreaching
        """,
}

#: Classes whose words inside a quotation give a ``[q:...]`` cue of their own.
QUOTED_CUES = frozenset({"evaluative", "stance", "advice"})


def _classes() -> dict[str, str]:
    classes: dict[str, str] = {}
    for name, text in _WORDS.items():
        for word in text.split():
            classes.setdefault(word, name)
    return classes


#: Word -> its cue class.
CUE_CLASSES: dict[str, str] = _classes()

#: Every cue word, sorted.
CUE_WORDS: tuple[str, ...] = tuple(sorted(CUE_CLASSES))
