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
* ``advice``: words of advice and obligation (rule 1, or a reported rule);
* ``rule``: words of rules, requirements and eligibility, which make a figure
  a stated threshold rather than a hedged one (rule 3: "at least 18" in a rule).

Words are lowercase tokens as the tokenizer makes them ("shouldn't" gives
``shouldn`` and ``t``, "half-baked" gives ``half`` and ``baked``), in ASCII
only. A word belongs to one class at most. The evaluative list leaves out
words that carry judgement in commentary but are everyday words of neutral
reports ("major", "strong", "serious", "crude", "offensive", "guilty",
"devastating", "extreme"): they would fire on facts.
"""

from __future__ import annotations

__all__ = [
    "ATTRIBUTION_VERBS",
    "ATTRIBUTION_WORDS",
    "BOUND_WORDS",
    "CONCESSIVE_WORDS",
    "COPULAS",
    "CUE_CLASSES",
    "CUE_WORDS",
    "FIGURE_HEDGES",
    "HEDGE_REACH",
    "IMPERATIVE_OPENERS",
    "LEADING_WORDS",
    "QUANTITY_WORDS",
    "QUOTED_CUES",
    "RULE_MODALS",
    "SENTENCE_WORDS",
    "VERDICT_WORDS",
    "WRITER_WORDS",
]

_WORDS = {
    # hedge, by theme: approximation; estimates; round quantities; unverified reports.
    "hedge": """
        about almost approx approximate approximated approximately approximation around ballpark
        circa least nearly nigh practically roughly somewhere thereabouts upward upwards virtually
        estimate estimated estimates estimating estimation guesstimate guesstimates
        billions countless dozens hundreds millions scores tens thousands trillions untold
        allegedly apparently purportedly reportedly unconfirmed unverified
        """,
    # forecast, by theme: expectation; forecasts and projections; polls and odds; likelihood.
    "forecast": """
        anticipate anticipated anticipates anticipating anticipation envisage envisaged envisages
        envisaging envision envisioned envisions expect expectation expectations expected expecting
        expects foresee foreseeable foreseeing foreseen foresees
        extrapolate extrapolated extrapolating extrapolation forecast forecasted forecaster
        forecasters forecasting forecasts modeled modeling modelled modelling outlook outlooks
        predict predicted predicting prediction predictions predicts prognosis projected projecting
        projection projections prospect prospects simulation simulations trajectory
        bookies bookmakers odds poll polled polling polls pollster pollsters survey surveyed surveys
        tipped
        chance chances imminent imminently improbable likelihood likely poised probabilities
        probability probable probably unlikely
        """,
    "possibility": """
        conceivable conceivably could couldn hypothetical hypothetically may maybe might mightn
        perhaps possibilities possibility possible possibly potential potentially presumably
        supposing
        """,
    # reporting, by theme: saying; explaining; claims and denials; admissions; asking, urging and
    # promising; reported praise and blame; sources and testimony.
    "reporting": """
        according add added adding adds affirmed announce announced announcement announces answered
        assert asserted asserting asserts called calls comment commented commenting comments declare
        declared declares declaring emailed joked mentioned messaged mused noted notes observed
        posted quip quipped quips remark remarked remarks replied replies responded retorted said
        say saying says stated statement statements tells texted told tweet tweeted tweets writes
        wrote
        characterised characterized clarified described describes emphasised emphasized explained
        explains hinted indicated pointed recalled recounted reiterated reiterates signaled
        signalled stressed suggested underlined
        allegation allegations allege alleged alleges alleging argued argues arguing claim claimed
        claiming claims contended countered denial denied denies denying insisted insisting insists
        maintained
        acknowledge acknowledged acknowledges acknowledging admits admitted admitting apologised
        apologized concede conceded concedes conceding confessed confirm confirmed confirming
        confirms disclosed revealed
        advised appealed asked asks boasted bragged cautioned pledged promised urged urges urging
        vowed vows warn warned warning warns wondered
        accused accuses accusing blamed branded complained condemned criticised criticized decried
        denounced dubbed hailed labeled labelled lambasted lamented praised slammed welcomed
        briefed briefing briefings cited citing informed quoted quotes quoting report reported
        reporter reporters reports speculated spokesman spokesmen spokespeople spokesperson
        spokeswoman spokeswomen testified testify testifying testimony
        """,
    # stance, by theme: certainty; candour and emphasis; attitude.
    "stance": """
        absolutely assuredly certainly clearly decidedly definitely demonstrably doubtless evidently
        indisputably manifestly obviously patently plainly surely truly unarguably undeniably
        undoubtedly unquestionably
        actually admittedly arguably basically candidly crucially essentially frankly fundamentally
        genuinely honestly importantly indeed literally merely needless personally really simply
        totally truthfully utterly
        alas amazingly astonishingly bizarrely conveniently curiously embarrassingly fortunately
        funnily hopefully incredibly inevitably interestingly ironically laughably luckily
        mercifully mistakenly oddly painfully predictably regrettably remarkably revealingly rightly
        sadly shamefully strangely supposedly surprisingly tellingly thankfully tragically
        unbelievably unfortunately unsurprisingly weirdly
        """,
    "advice": """
        advisable gotta imperative inadvisable must mustn needn ought oughtn should shouldn
        """,
    # rule, by theme: requirements and obligations; eligibility; permission and prohibition; limits
    # and thresholds; legal instruments.
    "rule": """
        compliance complies comply compulsorily compulsory mandate mandated mandates mandating
        mandatory obligated obligation obligations obligatory oblige obliged obliges prerequisite
        prerequisites prescribed require required requirement requirements requires requisite shall
        stipulate stipulated stipulates stipulation
        criteria criterion disqualification disqualified disqualify eligibility eligible entitle
        entitled entitlement entitlements entitles exempt exempted exemption exemptions inclusive
        ineligible qualifies qualify qualifying waiver waivers
        allowable allowed authorised authorized ban banned banning bans forbade forbid forbidden
        forbids illegal impermissible lawful lawfully legally licence licences license licensed
        licensing permissible permit permits permitted prohibit prohibited prohibiting prohibition
        prohibitions prohibits restrict restricted restriction restrictions restricts unauthorised
        unauthorized unlawful unlawfully
        allowance allowances cap capped capping caps ceiling ceilings cutoff limit limits maximum
        maximums minimum minimums quorum quota quotas supermajority threshold thresholds
        binding bylaw bylaws legislation liable ordinance ordinances penalties penalty regulation
        regulations statute statutes statutory
        """,
    # evaluative, by theme: praise of work and performance; praise of character and judgement;
    # faults of work and performance; moral condemnation; fiascos, messes and scandals; incompetence
    # and failure; faults of character; folly and foolishness; corruption, sleaze and waste; loaded
    # political description; loaded verbs of speech; loaded verbs of action; alarm and astonishment;
    # feelings; general verdicts; weak claims and arguments; verdicts on measures; brazenness,
    # brutality and betrayal; boldness and timidity; interjections; name-calling; then a second
    # list, written apart in the same themes with aesthetic judgement, intensifiers, online slang and
    # profanity, in one alphabetical run; last, common verdicts on measures that the lists missed.
    "evaluative": """
        admirable admirably adorable adroit adroitly amazing artful artfully awesome beautiful
        beautifully beguiling bewitching blistering breathtaking breathtakingly brilliance brilliant
        brilliantly captivating charisma charismatic charm charming charmingly classy commendable
        commendably compelling compellingly dazzling dazzlingly deft deftly delicious delight
        delightful delightfully divine electrifying elegant elegantly enchanting engrossing
        enjoyable enthralling epic evocative excellent excellently exemplary exhilarating exquisite
        exquisitely fab fabulous fantastic fantastically finesse flair flawless flawlessly funny gem
        gems genius glorious gloriously gorgeous gorgeously graceful gracefully gripping gusto
        haunting hauntingly heartfelt heartwarming hilarious hilariously iconic immaculate
        immaculately impeccable impeccably imperious impressive impressively incomparable ingenious
        ingeniously inspirational inspiring invaluable inventive irresistible joy joyful joyous
        joyously legendary lovely luminous lyrical magnificent magnificently majestic marvellous
        marvellously marvelous marvelously masterful masterfully masterly masterpiece masterpieces
        masterstroke memorable mesmerising mesmerizing meticulous miraculous neat nice pacey pacy
        panache peerless perfect perfectly phenomenal pleasure pleasures poetic poignant polished
        priceless radiant rapturous refreshing refreshingly remarkable resonant rewarding riveting
        rousing scintillating sensational sensationally snappy spectacular spectacularly splendid
        splendidly standout stellar stirring stunning stunningly sublime sublimely sumptuous superb
        superbly superlative taut terrific thrilling thrillingly timeless treasured triumph
        triumphant triumphantly unbeatable unforgettable unmissable unparalleled unrivaled
        unrivalled uplifting verve vibrant virtuosic virtuoso vivid witty wonderful wonderfully
        wondrous worthy wow zippy

        adept astute astutely boon brave bravely bravery canny clever cleverly commonsense
        compassionate conscientious courage courageous courageously decency decent decently
        dignified diligent earnest enlightened farsighted fearless forthright gallant generous
        generously godsend gracious gutsy heroic heroically heroism honest honorable honourable
        humane incisive insightful intelligent judicious judiciously kindhearted laudable
        levelheaded likable likeable magnanimous noble nobly plucky pragmatic praiseworthy
        principled prudent prudently resolute sagacious savvy selfless selflessly sensible sensibly
        shrewd shrewdly skilful skilfully skillful skillfully spirited statesmanlike steadfast
        talented thoughtful thoughtfully tireless tirelessly trustworthy upstanding valiant virtue
        virtues virtuous visionary wise wisely

        amateurish annoying annoyingly anodyne awful awfully awkward awkwardly banal banality bland
        blandly bloat bloated bombast bombastic boring boringly charmless cheesy cliche cliched
        cliches clumsily clumsy clunker clunkily clunky contrived convoluted corny cringe
        cringeworthy cringey cringy crummy disappointing disappointingly disjointed dismal dismally
        dour drab dreadful dreadfully dreary drivel dross dud dull dully flabby flop flopped flops
        forgettable formulaic garbled garish gaudy gimmick gimmicks gimmicky glib graceless grating
        gritty hackneyed hokey humdrum humorless humourless insipid interminable interminably
        jarring joyless kitsch kitschy labored laborious laboured lackluster lacklustre lame lamely
        leaden lifeless limp limply listless lousy lukewarm lumbering maudlin mawkish meandering
        mediocre mediocrity messy middling milquetoast miscast misfire misfired misfires monotonous
        muddled mundane murky naff nondescript overcooked overlong overrated overwritten overwrought
        passable plodding ponderous preachy predictable pretentious risible rote saccharine samey
        schlocky schmaltzy scrappy shapeless shoddily shoddy sketchy slapdash slipshod sloppily
        sloppy soporific soulless stale stilted stodgy subpar substandard tacky tasteless tedious
        tediously tepid threadbare tiresome tosh trite turgid twee unbearable unbearably underrated
        underwhelmed underwhelming unfunny unimaginative uninspired uninspiring unlistenable
        unoriginal unreadable unremarkable unwatchable vacuous vague vapid woeful woefully woolly
        wretched yawn

        abhorrent abominable abomination appalling appallingly atrocious atrociously atrocities
        atrocity barbaric barbarism barbarity beastly contemptible contemptuous dastardly deplorable
        deplorables deplorably depraved depravity despicable detestable diabolical disgrace
        disgraceful disgracefully disgusting disgustingly dishonorable dishonourable disrespectful
        egregious egregiously evil evils execrable ghastly grotesque grotesquely grubby gruesome
        heinous hideous hideously horrendous horrendously horrible horribly horrid horrific
        horrifically ignoble indefensible inexcusable inexcusably infamous inhumane iniquitous
        insulting loathsome malevolent monstrous monstrously nauseating nauseatingly nefarious
        objectionable obnoxious obscene obscenely odious outrageous outrageously perverse perversely
        putrid rancid repellent reprehensible repugnant repulsive revolting sadistic scandalous
        scandalously scurrilous seedy shabbily shabby shameful shameless shamelessly sickening
        sickeningly sinister sleaze sleazy sordid squalid travesty unconscionable unforgivable
        unforgivably unsavory unsavoury unspeakable vicious viciously vile villain villainous
        villains warped wicked wickedness

        calamitous calamity catastrophe chaotic charade cockup debacle disastrous disastrously farce
        farcical fiasco mess mockery omnishambles outrage scandal shambles shame shitshow sideshow
        snafu tragedy tragic trainwreck

        aimless aimlessly blunder blundered blundering blunders botch botched botches botching
        bumbling bungle bungled bungler bunglers bungling careless carelessly clueless cluelessly
        complacency complacent complacently directionless dither dithered dithering dithers
        dysfunctional feckless flail flailed flailing flounder floundered floundering flounders
        foolhardy fumble fumbled fumbles fumbling gaffe gaffes gutless hamstrung haphazard
        haphazardly hapless haplessly helpless hopeless hopelessly incoherence incoherent
        incompetence incompetent incompetently ineffectual inept ineptitude ineptly irresponsible
        irresponsibly lackadaisical lax mishandled mishandling misjudged misjudgement misjudgment
        mismanaged mismanagement misstep missteps moribund muddle muddling negligent ossified
        ramshackle reckless recklessly recklessness rudderless sclerotic shambolic spineless
        squander squandered squandering squanders stumble stumbled stumbles toothless useless
        uselessly wishful

        abject abjectly abrasive arrogance arrogant arrogantly boorish bootlicker bootlicking brash
        callous callously callousness churlish condescending condescendingly condescension cowardice
        cowardly craven cravenly credulous cruel cruelly cynical cynically cynicism deceitful
        deceitfully devious dishonest dishonestly dishonesty disingenuous disingenuously duplicitous
        duplicity egotistical fawning grandstanding grasping greed greedily greedy groveling
        grovelling gullible heartless hubris hypocrisy hypocrite hypocrites hypocritical
        hypocritically insincere insufferable insufferably lazily lazy loutish manipulative mealy
        mendacious mendacity narcissism narcissist narcissistic nasty obsequious opportunism
        opportunist opportunistic opportunists pettiness petulant pomposity pompous pompously
        posturing preening rude rudely ruthless ruthlessly sanctimonious sanctimoniously sanctimony
        selfish selfishly selfishness servile shifty slavish slavishly slimy smarmy smug smugly
        smugness snide sniveling snivelling snobbery snobbish snooty spiteful stingy subservient
        supercilious surly sycophant sycophantic sycophants tetchy thuggish truculent unscrupulous
        vain vanity venal vindictive vindictiveness weasel weaselly weasels whiny wimp wimpish wimps
        wimpy

        absurd absurdity absurdly asinine barmy batty boneheaded bonkers brainless buffoon
        buffoonery buffoons clown clownish clowns crackpot crackpots crazy daft deluded delusion
        delusional delusions demented dimwit dimwitted dopey dumb dumbest fatuous folly foolish
        foolishly foolishness gormless halfwit harebrained idiocy idiot idiotic idiots ignorance
        ignorant imbecile inane inanity insane insanely insanity irrational ludicrous ludicrously
        lunacy lunatic lunatics mad madness mindless mindlessly misguided misinformed moron moronic
        morons muppet muppets naive naively naivety nonsensical numpties numpty nutty obtuse
        paranoid preposterous preposterously ridiculous ridiculously silliness silly simplistic
        stupid stupidity stupidly thoughtless thoughtlessly unhinged unthinking wacko wacky witless
        wrongheaded

        backhander backhanders bonanza boondoggle boondoggles chicanery chumocracy corrupt cronies
        crony cronyism crook crooked crooks exorbitant exorbitantly extortionate extravagance
        extravagant fatcat fatcats freeloaders freeloading frivolous giveaway giveaways grift
        grifter grifters grifting indulgent kleptocracy kleptocrat kleptocratic kleptocrats lavish
        lavishly malfeasance nepotism nepotistic opulent overpaid overpriced pricey profligacy
        profligate rotten ruinous ruinously scrounger scroungers shady shenanigans skulduggery
        skullduggery slush spendthrift sponger spongers swindler swindlers wasteful whitewash
        whitewashed whitewashing

        alarmism alarmist apologist apologists appeasement bellicose bigot bigoted bigotry bigots
        brainwashed brainwashing chauvinism chauvinist chauvinistic cheerleading commie commies
        cultish demagogic demagogue demagoguery demagogues despotic dogmatic doomsayer doomsayers
        dystopia dystopian elitism elitist fanatic fanatical fanatics fanboys fascistic fearmonger
        fearmongering globalist globalists goon goons henchman henchmen histrionic histrionics
        hyperbole hyperbolic hyperpartisan hysteria hysterical hysterically indoctrination jingoism
        jingoistic kafkaesque labyrinthine lackey lackeys leftie lefties lefty libs libtard libtards
        loony luvvies melodramatic mouthpiece mudslinging neocon neocons normies orwellian overblown
        overheated overhyped propaganda propagandist propagandists puppet remoaner remoaners
        scaremonger scaremongering scaremongers sheeple shill shills shrill smear smears snowflake
        snowflakes stooge stooges strident stridently tankie tankies theatrics tyrannical tyranny
        warmonger warmongering warmongers wingnut wingnuts woke wokeness wokery zealot zealotry
        zealots

        bicker bickering blather blathering bleat bleated bleating bloviate bloviating bluster
        blustered blustering blusters carping crowing gloat gloated gloating gripe gripes griping
        grumble grumbling harangue harangued haranguing hector hectoring moan moaned moaning moans
        moralise moralising moralizing pontificate pontificated pontificating rant ranted ranting
        rants raved raves scoff scoffed scoffing screech screeched screeching sermonising shriek
        shrieked shrieking shrieks smirk smirking sneer sneered sneering sneers spout spouted
        spouting squabble squabbling squeal squealed squealing wail wailed whine whined whines
        whinge whinged whingeing whinger whingers whinges whinging whining

        backpedaling backpedalling backstabbing bamboozle bamboozled belittle belittled belittling
        besmirch besmirched browbeating butchered capitulate capitulated capitulating capitulation
        caved coddle coddled coddling crippling demonise demonised demonising demonize demonized
        demonizing denigrate denigrated denigrating disparaging dupe duped equivocate equivocating
        equivocation fleeced fritter frittered frittering fudged fudging gaslight gaslighting gaslit
        grovel hobbled hoodwink hoodwinked kowtow kowtowed kowtowing lurch lurched lurches lurching
        meddle meddled meddlesome meddling mollycoddle mollycoddled nannying neutered obfuscate
        obfuscated obfuscating obfuscation overbearing pamper pampered pander pandered pandering
        panders parroted parroting patronise patronising patronizing peddle peddled peddles peddling
        prevaricate prevaricating prevarication regurgitate regurgitated regurgitating ruined
        ruining scapegoat scapegoating scapegoats spew spewed spewing spews splurge splurged
        splurging sullied tarnish tarnished torpedoed trashed trashing trivialise trivialised
        trivialising trivialize trivialized vilified vilify vilifying waffling wriggling

        agonising agonizing alarming alarmingly amused amusing amusingly astonishing astounding
        astoundingly baffling bafflingly bewildering bewilderingly bizarre chilling chillingly
        creepy distressing distressingly disturbing disturbingly dumbfounded eerie excruciating
        excruciatingly fascinated fascinating flabbergasted frightening frighteningly gobsmacked
        harrowing heartbreaking heartbreakingly heartrending horrifying horrifyingly
        incomprehensible incredible inexplicable inexplicably interesting intriguing menace menacing
        nightmare nightmarish odd ominous ominously outlandish peculiar perplexing puzzling scary
        scourge shocking shockingly staggering staggeringly strange surreal terrible terribly
        terrifying terrifyingly troubling troublingly unbelievable uncanny unfathomable unnerving
        unsettling weird worrisome worrying worryingly

        admire admires adore adored adores afraid aggrieved aghast angrily angry annoyed anxious
        anxiously appalled applaud applauds apprehensive ashamed bleak bored charmed chuffed commend
        delighted demoralising demoralizing depressing depressingly deserve deserved deservedly
        deserves despairing desperate desperately despise despised despises detest detested detests
        dire disappointed disappointment disgusted disheartened disheartening dismayed dismaying
        dispirited dispiriting doomed doubtful ecstatic elated embarrassed embarrassing
        embarrassment enchanted enraged enraging envious euphoria euphoric exasperated exasperating
        exasperatingly excited fearful frightened frustrated frustrating frustratingly furious
        futile galling glad gloomy grateful grim happy hated hateful hates heartbroken heartened
        heartening hollow horrified humiliated humiliating humiliation ignominious impressed
        incensed infuriated infuriating infuriatingly inglorious irate irked irks irritated
        irritating irritatingly jealous jubilant lamentable lamentably livid loathe loathed loathes
        loathing love loves lovingly maddening maddeningly meaningless miffed miserable miserably
        mortified nervously optimistic outraged overjoyed peeved pessimistic pitiable pitiful
        pitifully pity pleased pointless pointlessly proud proudly regrettable repulsed resent
        resentful sad saddened saddening sadness scared sceptical sickened skeptical sorry terrified
        thankful thrilled undeserved uneasy unhappy unimpressed vexing worried worthless

        abysmal abysmally bad best better bollocks bullshit crap crappy finest garbage good greatest
        inferior joke jokes laughable nastiest nicest pathetic pathetically rubbish shitty silliest
        smartest stupidest sucks ugliest wisest worse

        baseless bogus canard claptrap convincing dodgy dubious erroneous facile fallacious fallacy
        fanciful fishy flawed flimsy gibberish gobbledygook groundless guff hogwash implausible liar
        liars misconceived misplaced mistaken nonsense persuasive phoney phony platitude platitudes
        plausible questionable shaky sham sophistry specious spurious tenuous tripe twaddle
        unconvincing unfounded untruths wrong

        belated belatedly blinkered burdensome counterproductive derisory draconian excessively
        gratuitous gratuitously injustice insignificant intolerable irrelevant justified lenient
        meager meagre measly myopic needlessly negligible onerous oppressive overkill overreach
        overreaching overzealous paltry piddling piecemeal punishing shortsighted tardy tokenism
        tokenistic trivial unacceptable unacceptably unduly unfair unfairly unjust unjustifiable
        unjustifiably unjustified unnecessarily unrealistic unrealistically unsustainable untenable
        unwise unworkable utopian

        betray betrayal betrayed betrays blatant blatantly brazen brazenly brutal brutally crass
        flagrant flagrantly lurid savage savagely sellout sellouts sensationalism sensationalist
        traitor traitors treachery turncoat ugly vulgar

        bold boldly feeble feebly hidebound intransigence intransigent meek meekly nimble obstinate
        pigheaded tame tamely timid timidly weakling

        boo bravo duh facepalm ffs haha hooray hurrah kudos lmao lmfao lol meh omg pfft phew rofl
        sigh smh ugh wtf yay yikes

        blowhard bozo braggart busybodies busybody charlatan charlatans crank cranks cretin cretins
        crybabies crybaby gasbag hothead hotheads huckster jerk killjoy killjoys loudmouth lowlife
        luddite luddites naysayer naysayers nutcase nutcases nutter nutters pariah philistine
        philistines prat prats rabble scum scumbag scumbags sleazebag spoilsport thug thugs twit
        twits weirdo weirdos windbag
        abhor absurdities achingly acumen addled adorably agog airhead aloof altruistic amateurishly
        amoral anticlimactic anticlimax antsy apoplectic appalls appals apparatchik argh arse
        arsehole asshole assholes astounded astroturfing audacious audacity avarice avaricious
        babble babbling bah balderdash ballsy baloney bampot bandaid bastard bastards bedlam
        befuddled bellend bellyache bellyaching belter bemused bewildered bigmouth bimbo bingeable
        bitch bitching bitchy blabber blabbering blandness bleakest bleats blimey blinder blindingly
        blissful blockhead bloodcurdling bloodthirsty bloviation boastful bodge boggling bonehead
        boor bothsidesism bottler bottlers brag brainwash brainy brat brats bratty bravest bravura
        brextremist brill brouhaha bugger buggered bullcrap bumbler bummed bungs cabal cantankerous
        capricious cartoonishly catastrophising cesspool chagrin chaotically chav cheapen cheapened
        cheapens cheeky cherrypicked cherrypicking chic chickened chickenhawk chump clanger clangers
        cleverest clickbait clowning clumsiness clusterfuck cobblers cockamamie cocksure cocky
        codswallop cojones colossally comically conceit conceited considerate conspiracist cosset
        cosseted courteous coward cowards crabby cranky crazier craziest crestfallen crikey crowed
        cuck cunt cunts curmudgeon cushy cute cuteness dammit damn damned darn dazzle dazzled
        debacles debase degenerate deliciously delish demeaning dependable derision despondent
        despot diatribe diatribes dickhead dictatorial dilettante dilettantes dirtbag disarmingly
        discerning disconcerting disdain disdainful disgusts dislike disliked disquieting
        domineering doomster dork doublespeak doublethink douchebag dowdy downright dozy dreamy
        dreariest duds dullest dullness dumbass dumbed dumber dumbing dunce dweeb edgelord eejit
        effing effortless effortlessly egghead egomaniac elegance eloquent eloquently empathetic
        enamoured enthralled erudite eviscerated ew eww exaggerated exasperates exasperation
        exuberant eyesore eyewatering fainthearted farfetched fathead faultless fearmongers feisty
        fetishise fiascos fickle fiendish figleaf flavorless flavourless fleecing flipflop
        flipflopping flippant fluff flummoxed flunky fml fool fools freaking freaky freeloader
        frigging frumpy fubar fuck fucked fuckers fuckery fucking fucks fuckup fudge fugly fulminate
        fuming funniest fussy gamechanger gee geez ghoul ghoulish gimmickry glam glamorous gleeful
        gleefully gloats glum godawful goddamn goofed goofy gosh graciously grandiose grandstand
        grandstander greediest grimmest grossly grotty grouchy groupthink grousing grr grumpy
        gumption halfbaked halfhearted halfheartedly hamfisted hammy handwaving handwringing
        harangues hardworking harpy hatemonger hatemongering haughty heartlessness heavyhanded
        hectored hellhole hellscape hick hideousness hokum hooey horseshit hotheaded howler howlers
        hubristic humbug hurray hustler hyped ick ideologue ignoramus illiberal illiberalism
        illogical imbeciles imho immoral immorality imo impertinent impetuous impossibly imprudent
        incompetents inconsiderate indefatigable indignant indignation indomitable inedible
        ineffectually ineptness infuriates ingenuity inhumanity inordinately insidious insolent
        insultingly intrepid irrationality irredeemably jackass jackbooted jawdropping jeez jingoist
        jobsworth jobsworths judgemental judgmental junket kerfuffle kindest kneejerk knucklehead
        kooky kvetching lamest laudably laughingstock layabout laziest laziness lecherous lemmings
        letdown lickspittle lionise lionised loopy lout louts lovable lovelier loveliest lowlifes
        magats magical magnanimity malarkey manipulator mansplain mansplaining masterclass
        masterwork meanness meanspirited meathead megalomaniac melodrama mesmerised mesmerized
        mettle middlebrow mindblowing mindboggling minging minions miserly misguidedly mishmash
        moaner moaners mollycoddling moneygrubbing monstrosity monumentally moonbat moreish
        mouthwatering muppetry nannyish narrowminded nastier naysaying ngl nicer nincompoop
        nitpicking nitwit nonentity nonevent nonplussed nonstarter noob nothingburger nuanced
        numbskull nutjob oaf obnoxiously oddball oi oof overacting overcautious overcomplicated
        overconfident overdone overegged overhype overplayed overpraised pah palaver perceptive
        perfection pernicious perplexed perturbed piffle pigsty pillock pillory pinko pipedream piss
        pissed pisshead pisspoor pitiless plonker pontificates poppycock prattle prattling
        preachiness presumptuous pretension pretensions prettiest prickly pseudoscience psycho
        psychobabble psychos puerile puffery punchy pushy quackery quacks quisling quixotic
        railroaded rambling rancour rankled rankles rapacious ravings redneck reeks resourceful
        rethuglican retrograde revelatory reviled revulsion ridiculousness riffraff righteous
        rigmarole riled ripoff ripoffs ropey rort rube saddest saddo sarcasm sarcastic sardonic
        savviest scandalised scandalized schemer scheming schlock schmaltz scold scolding scorn
        scornful scoundrel scoundrels screed screwup screwy scrote scrounge scrounging scrumptious
        scrupulous scummy seamless seethe seething selfserving sermonise sermonize sermonizing sexy
        shafted shakedown shambolically sheesh shit shite shitstorm shittiest shoddiness
        shortsightedness showboat showboating showoff showstopper shyster sickens sicko sickos simp
        simpering simpleton sincere sinecure skank skewered skewering slackers sleazeball sleaziest
        slimeball slob slog sloppiest sloppiness sly smokescreen snark snarky sneaky sniffy
        snoozefest snotty sociopathic sodding sop soyboy spellbinding spellbound spite spiv splendor
        splendour spooky spouts squawk squawking squib steamrollered stinker stinkers stinks stinky
        stoic strangest strawman stultifying stupendous stylish succulent sugarcoat sugarcoated
        sulking supremely sus swanky sweetest swoon sycophancy tactless tastier tastiest tasty tatty
        tawdry tbh tedium tenacious tenacity tendentious thuggery tickled timidity tirade tirades
        toady toerag tonedeaf tosser tossers touchy transfixed trashes trashy travesties tremendous
        tremendously trenchant troglodyte trougher troughing trumptards truther tsk turd tutting
        twat tyrant uglier unabashedly unapologetically unashamedly unattractive uncouth undercooked
        underwhelm unethical unflappable unflattering unflinching unfocused ungodly ungrateful
        unhelpfully unholy unimpressive uninteresting unkind unmatched unpalatable unpersuasive
        unpleasant unprincipled unputdownable unreal unsatisfying unselfish unsightly unspeakably
        unsubtle untrustworthy unwisely unworkably urgh uselessness vengeful vexed vindictively
        virtuosity vulgarity waffle waffled wally wanker wankers weirder weirdest weirdness
        whataboutery whataboutism whiner whitewashes whoa wholesome wistful wokeism woohoo
        workmanlike worldie wowed wuss xenophobe yapping yawnfest yawns yippee yob yobbo yobs yokel
        yuck yummy zany
        damning illegitimate inappropriate ineffective inefficient misleading problematic
        unaffordable unhelpful unnecessary unreasonable unwelcome confusing worthwhile
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

#: Verbs in the base form that open an imperative: the writer's own advice or demand
#: (rule 1: "Stop building on flood plains.", "Don't wait for the letter."), and the
#: formulas with which a writer addresses praise or thanks ("Congratulations to the
#: board on ...", "Hats off to ...", "Thank you, council"): sincere or sarcastic, the
#: writer's own evaluation. Words
#: that often open a sentence as a noun or an adjective are left out ("back", "close",
#: "support", "demand", "pay", "fund", "trust", "clean"): they would fire on facts.
IMPERATIVE_OPENERS = frozenset(
    """
    accept add admit apologise apologize apply ask avoid axe be believe borrow bring build buy call carry
    cancel check choose come compare congratulate congratulations congrats consider contact cut ditch do don
    dont drive drop dump
    eat find fix follow forget get give go grab grow hats hire hold ignore imagine insist install invest join
    keep learn lend let lift listen lock look make move never pack pick please protect pull push
    put quit raise read reconsider refuse register reject remember remove resign resist rethink reverse
    ring sack save scrap seize sell shout shut sign sit skip sleep speak spend stand start stay stop switch
    take tell thank think treat try turn unplug use vote wait wake walk wash watch wear write
    """.split()
)

#: Words that may come before an imperative's verb without changing what it is
#: ("So stop pretending.", "Just give them the money.").
LEADING_WORDS = frozenset("and but first just now oh so simply then well".split())

#: Verbs that predicate a judgement of something ("is unacceptable", "was a disgrace"): an
#: evaluative word just after one is the sentence's claim, not a passing adjective ("the
#: brilliant striker scored twice").
COPULAS = frozenset(
    """
    am are be became become becomes been being feels felt is looked looks remain remained remains
    seem seemed seems sounds was were
    """.split()
)

#: Words of a verdict that judge only when a copula predicates them ("the deal was a mistake",
#: "the guidance is dangerous", "the reform is long overdue") and are neutral words of reports
#: elsewhere ("a mistake in the data", "dangerous driving", "key workers", "the right to vote"):
#: they count for the ``[judgement]`` cue (`trainer.features.rules`), never as ``[evaluative]``.
#: Words that a copula often precedes in plain reports are left out ("serious" and "critical",
#: as in "is in a critical condition"; "guilty", as in "was found guilty"; "clear", as in "it
#: was not clear whether"; "effective", "safe", "necessary", "late", "major", "strong").
VERDICT_WORDS = frozenset(
    """
    acceptable affordable appropriate cheap cheaper complex complicated costly crucial devastating
    difficult disaster disasters easier easy efficient enough essential expensive failure failures
    fair fairer great greater hard harder helpful important insult key legitimate mistake mistakes
    offensive overdue poor poorer poorest premature problem problems realistic reasonable right
    significant simple success successes sustainable unimportant useful vital welcome
    antiquated archaic corrosive damaging disproportionate divisive encouraging excessive impractical
    inequitable outdated promising regressive timely undemocratic unwarranted
    """.split()
)

#: Words that bound a figure ("more than 50", "at least 40%", "40% or more"). Next to a figure
#: in a sentence with a rule word they state the rule's threshold (rule 3: "bans gatherings of
#: more than 50 people"), not a hedged report (rule 2: "more than 50 people came"), and are
#: read as other tokens (``r:more``), so that the hedge's weight does not carry over.
BOUND_WORDS = frozenset(
    "above at below exceed exceeding exceeds fewer least less more most no or over than to under up".split()
)

#: Hedge words that hedge only a quantity ("about 300", "around half", "nearly a third"): they
#: give the ``[hedge]`` cue only when one of `QUANTITY_WORDS` or a number's shape follows within
#: `HEDGE_REACH` tokens, and are plain words elsewhere ("worry about the money", "around the
#: clock", "almost certainly").
FIGURE_HEDGES = frozenset(
    "about almost approximately around circa nearly nigh practically roughly scores somewhere".split()
)
#: Words that count as a quantity after one of `FIGURE_HEDGES` (besides the shapes of numbers).
QUANTITY_WORDS = frozenset("a all an double dozen every half one quarter quarters third thirds triple twice".split())
#: How many tokens after one of `FIGURE_HEDGES` its quantity may stand ("about £300", "around a third").
HEDGE_REACH = 2

#: Modals of obligation and prohibition that, like a rule word, make a bounded figure the
#: rule's threshold ("Firms with more than 250 staff must publish ...", "Tenants cannot
#: sublet for more than 90 days"), as "may not" does ("may not raise rents by more than 10%").
RULE_MODALS = frozenset("cannot must mustn".split())

#: Verbs that report what someone else said or thought ("Smith said the plan was a mistake",
#: "Critics argue it is unfair"): the words after one are that person's, reported speech as
#: inside quotation marks (LABELS.md: "the opinion of a named other person that the writer only
#: reports" is not the writer's opinion). Forms that often open a sentence as nouns ("claims",
#: "fears", "hopes", "calls", "notes", "reports") are left out.
ATTRIBUTION_VERBS = frozenset(
    """
    accused accuses acknowledged acknowledges added adds admitted admits alleged alleges announced
    announces argue argued argues asserted asserts believe believed believes branded called conceded
    concedes condemned confirmed confirms contended contends criticised criticized declared declares
    denied denies described describes dubbed explained explains feared feel feels felt hoped insist
    insisted insists labelled maintain maintained maintains praised reckon reckoned reckons said say
    says stressed suggested suggests testified think thinks thought told tells warn warned warns wrote
    writes
    """.split()
)
#: Words that keep such a verb the writer's own when one of them stands up to
#: ``ATTRIBUTION_REACH`` tokens before it: the first and second person ("I think", "we
#: argued", "you say"), "as" ("As critics argued, ...": the writer takes the view up) and
#: the quantifiers of a sweeping claim about what people think ("Every celebrity thinks ...").
WRITER_WORDS = frozenset("anybody anyone as everybody everyone every i me my nobody we our us you".split())
#: Words that open a concession ("Whatever the minister says, the strikes were unlawful."): the
#: verbs of the clause they open attribute nothing, and the clause after it is the writer's.
CONCESSIVE_WORDS = frozenset("contrary despite notwithstanding regardless whatever whoever".split())
#: Words that make the verb impersonal just before it ("It has to be said", "needless to say").
IMPERSONAL_WORDS = frozenset("be been being to".split())
#: The words the attribution of reported speech looks at (with quotation marks on, every
#: model's token table holds them).
ATTRIBUTION_WORDS: tuple[str, ...] = tuple(
    sorted(ATTRIBUTION_VERBS | WRITER_WORDS | IMPERSONAL_WORDS | CONCESSIVE_WORDS | {"according"})
)

#: The words the sentence-level cues look at (every model's token table holds them).
SENTENCE_WORDS: tuple[str, ...] = tuple(
    sorted(
        IMPERATIVE_OPENERS
        | LEADING_WORDS
        | COPULAS
        | VERDICT_WORDS
        | BOUND_WORDS
        | RULE_MODALS
        | QUANTITY_WORDS
        | {"may", "not"}
    )
)
