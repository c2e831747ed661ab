"""Word lists for the rule-based quote engine: cue verbs, titles, pronouns, organisation words,
first names by gender. Plain frozensets, built once at import and never mutated (thread-safe)."""

from __future__ import annotations

import re


def _ws(words: str) -> frozenset[str]:
    """A word set from a whitespace-separated list (keeps the long lists readable)."""
    return frozenset(words.split())


#: Finite verbs (and a few multi-word cues) that introduce or close a direct quote.
CUE_FINITE = _ws(
    """said says say told tells tell added adds wrote writes tweeted tweets asked asks insisted insists
    recalled recalls explained explains noted notes argued argues continued continues stated states
    declared declares warned warns claimed claims announced announces replied replies responded
    responds acknowledged acknowledges admitted admits suggested suggests observed observes remarked
    remarks conceded concedes cautioned cautions complained complains emphasized emphasizes
    emphasised emphasises stressed stresses predicted predicts promised promises vowed vows joked
    jokes quipped quips shouted shouts yelled yells posted posts commented comments concluded
    concludes countered counters boasted boasts testified testifies urged urges recounted recounts
    mused muses wondered wonders agreed agrees scoffed scoffs laughed laughs sighed sighs confirmed
    confirms denied denies reported reports proclaimed proclaims assured assures reminded reminds
    maintained maintains contended contends charged charges alleged alleges described describes
    called calls dubbed dubs labeled labelled branded brands lamented laments texted emailed
    messaged offered offers elaborated elaborates whispered whispers screamed cried cries exclaimed
    exclaims thundered blasted slammed retorted retorts interjected interrupted began begins echoed
    echoes reasoned reasons reiterated reiterates affirmed affirms questioned questions demanded
    demands pleaded pleads begged begs asserted asserts signaled signalled summed sums read reads
    instructed instructs ordered orders advised advises recommended recommends pledged pledges
    speculated speculates estimated estimates opined opines griped gripes grumbled grumbles groused
    marveled marvelled raved gushed gushes bragged brags fumed fumes snapped snaps mocked mocks
    chided chides criticized criticised criticizes criticises praised praises hailed hails answered
    answers attacked attacks expressed vented state characterized characterizes characterised
    referred refers accused accuses dismissed dismisses chanted chant chants sang sings spoke speaks"""
)

#: Participles that attribute a quote to the subject of their main clause.
CUE_PARTICIPLE = _ws(
    """saying adding noting telling writing arguing explaining calling insisting warning claiming
    asking declaring stating tweeting describing recalling suggesting urging joking quipping
    complaining conceding acknowledging admitting promising vowing predicting lamenting boasting
    posting characterizing characterising dubbing labeling labelling branding referring pointing"""
)

#: Words that may sit between a subject and its cue verb ("he later said", "Smith has said").
ADVERBS = _ws(
    """also later then previously once recently simply has had have would will was were is earlier
    repeatedly often frequently flatly bluntly quickly again further first finally just reportedly
    privately publicly separately subsequently similarly likewise still even only himself herself
    themselves itself sometimes always never already since now angrily proudly calmly quietly
    softly loudly sharply firmly ominously candidly frankly tersely curtly cheerfully happily
    defiantly emphatically matter-of-factly could might may should must did does do"""
)

PRONOUNS_SUBJ = frozenset({"he", "she", "they", "i", "we", "it", "you"})
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

#: Titles before a name. Keys are lower-cased without the final dot; value: implied gender.
_NEUTRAL_TITLES = _ws(
    """rabbi dr sen senator rep representative gov governor president vice secretary minister prime
    chancellor judge justice gen general col colonel lt capt captain sgt sergeant adm admiral rev
    reverend mayor chief officer detective attorney professor prof speaker leader director
    commissioner ambassador councillor sheriff coach pastor imam bishop cardinal inspector
    superintendent lieutenant major sec treasurer police state foreign deputy former candidate
    nominee presidential democrat republican mp mep premier president-elect first executive trustee"""
)
_MALE_TITLES = _ws(
    "mr sir lord king prince father brother mister pope councilman congressman assemblyman chairman"
)
_FEMALE_TITLES = _ws(
    """mrs ms miss lady dame queen princess sister madam madame councilwoman congresswoman
    assemblywoman chairwoman"""
)
#: Titles of address that say who someone is, not what they do: never a role.
HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"])
TITLES: dict[str, str | None] = {
    **dict.fromkeys(_NEUTRAL_TITLES, None),
    **dict.fromkeys(_MALE_TITLES, "m"),
    **dict.fromkeys(_FEMALE_TITLES, "f"),
}

#: Lower-case words that describe a role and may precede a name in a mention
#: ("assistant foreign minister Hua Chunying", "union leader Jo Bell").
ROLE_WORDS = _ws(
    """secretary minister leader chairman chairwoman chair spokesman spokeswoman spokesperson president
    vice director chief foreign assistant deputy senior former state economist analyst adviser
    advisor aide strategist professor founder co-founder executive officer manager head commissioner
    governor senator representative congressman congresswoman mayor candidate nominee hopeful lawyer
    attorney general counsel judge justice prosecutor sheriff inspector detective superintendent
    ambassador envoy diplomat correspondent reporter editor columnist author writer host anchor
    commentator pollster organizer organiser activist campaigner coach captain player star actor
    actress singer rapper musician comedian billionaire businessman businesswoman entrepreneur
    investor owner partner consultant researcher scientist expert historian scholar physician doctor
    nurse surgeon pastor bishop rabbi imam priest treasurer councillor councilman councilwoman
    member lawmaker legislator politician official trustee operative staffer chairperson treasury
    commerce defense defence homeland education health energy interior finance transport
    transportation labor labour trade agriculture culture environment assembly campaign party union
    press communications policy political national top presidential vice-presidential republican
    democratic conservative liberal independent opposition prime acting interim public international
    chief-of-staff of the and for"""
)

DETERMINERS = _ws(
    """the a an one another two three four five several some many most his her their its our
    your this that these those other both each every no any"""
)

#: Heads of descriptive subjects that denote an unnamed person ("a source", "one official").
ANON_HEADS = _ws(
    """source sources official officials aide aides spokesman spokeswoman spokesperson person people
    insider insiders staffer staffers adviser advisers advisor advisors diplomat diplomats observer
    observers analyst analysts expert experts critic critics supporter supporters resident residents
    witness witnesses voter voters member members lawmaker lawmakers worker workers employee
    employees officer officers friend friends relative relatives neighbour neighbours neighbor
    neighbors executive executives strategist strategists operative operatives veteran veterans
    someone"""
)

#: Last words of organisation names.
#: Words that join an organisation's name across a lower-case word ("Ministry of Health").
ORG_JOINERS = frozenset({"of", "for"})
ORG_WORDS = _ws(
    """house department ministry party committee council inc inc. corp corp. corporation company co co.
    ltd ltd. plc llc group bank energy campaign times post news agency office court union
    association institute university college foundation service services commission police
    government administration authority board bureau center centre network fund trust church
    coalition alliance federation league club team organisation organization society senate congress
    parliament assembly cabinet kremlin pentagon embassy consulate army navy force forces command
    fbi cia nasa un nato eu who statement spokesperson channel journal magazine press tribune herald
    guardian telegraph reuters insider airlines airways motors industries holdings partners
    laboratories labs hospital school schools clinic"""
)

#: Abbreviated titles and the word a later description uses for them ("Sen. Ada Price" … "the
#: senator").
TITLE_WORDS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "lt": "lieutenant",
    "capt": "captain",
    "col": "colonel",
    "sgt": "sergeant",
    "adm": "admiral",
    "det": "detective",
    "insp": "inspector",
    "supt": "superintendent",
    "prof": "professor",
    "cllr": "councillor",
    "rev": "reverend",
    "pres": "president",
    "sec": "secretary",
}

#: Head nouns of a description that stands for a company named before it ("the firm said").
COMPANY_HEADS = _ws(
    """firm business conglomerate retailer lender insurer carrier airline chain manufacturer maker
    supplier developer broadcaster publisher utility startup brewer miner grocer supermarket
    carmaker automaker"""
)

#: Days of the week: a capitalised run ending in one names a day ("Easter Monday", "Super
#: Tuesday", "Good Friday"), not a person.
WEEKDAYS = _ws("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

#: Capitalised words that are never (the start of) a person's name.
NOT_NAMES = _ws(
    """The A An But And Or Nor So Yet When While If In On At For From To Of By With Without After
    Before During Since Until As Because Although Though This That These Those There Here It Its He
    She They We I You His Her Their Our Your My Him Them Us Me What Who Whom Whose Which Why How
    Where Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Today Yesterday Tomorrow Last Next Then Now
    Still Also Asked According Earlier Later Meanwhile However Instead Indeed Despite Mr Mrs Ms Dr
    Some Many Most Several One Two Three Four Five Both Each Every Such Other Another All Any No Not
    Yes Only Just Even Over Under About Above Below Between Among Against Speaking Like Unlike Amid
    Amidst Through Throughout Toward Towards Within Upon Once Twice Please Thank Thanks Well Oh Sure
    Let Nobody Everyone Someone Anyone Nothing Everything Chinese American British French German
    Russian US U.S. UK EU Democrats Republicans Democrat Republican Democratic GOP Following Neither
    Either Whether Given Including Regarding Unless Perhaps Never Often Again Already Recently
    Currently Previously Ultimately Finally Ironically Notably Separately Additionally Similarly
    Moreover Furthermore Nonetheless Nevertheless Otherwise Thus Therefore Overall Besides Beside
    Alongside Whereas Whilst Except Across Behind Beneath Amongst"""
)

MALE_NAMES = _ws(
    """james john robert michael william david richard joseph thomas charles christopher daniel matthew
    anthony antony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
    edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
    benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam
    nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry
    gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel
    logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason
    philip louis bill barack mitt ted marco jeb ben rand chris mike newt rick bernie tim hugh tom
    dan jim bob ron steve tony ed al nick harry boris rishi keir emmanuel vladimir xi narendra recep
    bibi kim jamie liam oliver jake lewis callum connor craig darren dean gavin graham ian neil
    nigel simon stuart trevor wesley colin derek geoff geoffrey malcolm martin norman oscar owen
    reggie rob robbie sam sid stan travis victor wade xavier yusuf zach abdul ahmed ali mohammed
    muhammad omar hassan hussein ibrahim ivan dmitry sergei sergey pedro carlos luis miguel javier
    diego francisco antonio manuel rafael fernando ricardo eduardo roberto jorge alejandro andres
    hugo marcel pierre francois jacques klaus hans wolfgang olaf friedrich giuseppe giovanni luca
    matteo paolo silvio rudy rudolph chuck lindsey reince herman lincoln jared corey kellyanne mitch
    lamar reid cory"""
) - {"kellyanne", "lindsey"}

FEMALE_NAMES = _ws(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah sara karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna ana brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather
    diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan
    cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn janice alice madison
    doris abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana
    brittany natalie isabella charlotte rose alexis kayla hillary chelsea ivanka melania nikki carly
    kamala condoleezza huma kellyanne hope dana jill lena leah rosa carla paula kate katie jacinda
    ursula giorgia marine gina yellen hua sheila valerie debbie elaine tammy tulsi kirsten claire
    heidi jeanne maxine nita patty lindsey megyn greta mika gwen wendy zoe chloe jade jasmine kylie
    lucy molly natasha priya rita sonia tara vanessa yvonne beth carrie cathy dawn eileen fiona gail
    irene joanne liz mandy nora rosie sally tina vicky"""
)

GROUP_WORDS = _ws(
    """democrats republicans officials critics analysts experts supporters opponents residents
    protesters voters aides advisers lawmakers senators leaders observers economists"""
)

#: Words before a name that make it an object, not a subject ("met Obama", "told Reid").
OBJECT_BEFORE = _ws(
    """to with for from by at on in of about against met meet meets meeting call called calls defeat
    defeated beat beats endorse endorsed endorsing support supported supporting attack attacked
    attacking than like praised criticized criticised thanked invited visited succeed succeeded
    replace replaced join joined told asked interviewed introduced greeted greets over under behind
    into onto toward towards between among"""
)

#: Verbs that only a speaker (a person or a body) does; narrower than the cue list on purpose.
SPEECH_VERBS = _ws(
    """said says told tells added adds wrote writes tweeted tweets asked asks argued argues explained
    explains insisted insists noted notes replied replies responded responds warned warns"""
)

#: Ordinary words that begin place and organisation names ("New Hampshire", "Black Lives Matter").
NAME_STARTS = _ws(
    """new north south east west northern southern eastern western central upper lower black white red
    united national international royal great grand saint st san santa los las fort port mount lake
    general first"""
)

#: Verbs that put a question to someone ("asked Rubio"): the answer that follows is the object's.
ASK_VERBS = _ws("asked asks pressed presses questioned questions quizzed quizzes")

#: Lower-case particles inside a name ("Charles de Gaulle", "Osama bin Laden").
NAME_PARTICLES = _ws("de van von der den da di du la le bin ibn al")

#: Lower-case words that never modify a name: function words, cue verbs, adverbs.
NOT_MODIFIERS = (
    DETERMINERS
    | ADVERBS
    | CUE_FINITE
    | CUE_PARTICIPLE
    | _ws("who which that to of for in on at from with by and or but as when while after before than")
)

#: Abbreviations whose dot does not end a sentence (lower case, no final dot).
ABBREVIATIONS = _ws(
    """a.m adm ariz aug calif capt co col colo conn corp d.c dec dr e.g etc feb fla ft ga gen gov i.e
    ill inc ind jan jr kan ky la lt ltd mass md mich minn miss mo mont mr mrs ms mt n.c n.d n.h n.j
    n.m n.y neb nev no nov oct okla ore p.m pa prof rep rev s.c s.d sec sen sept sgt sr st tenn tex
    u.k u.s va vol vs vt wash wis wyo"""
)

#: Capitalised transcript-line openers that are not speakers.
NOT_LABELS = _ws(
    """A ALSO AUDIO BREAKING CLARIFICATION CORRECTION CROSSTALK EDITOR EDITOR'S EDITOR’S LIVE MORE NOTE
    PHOTO PHOTOS Q READ RELATED SEE SOURCE SOURCES TRANSCRIPT UNIDENTIFIED UNKNOWN UPDATE UPDATED
    VIDEO WARNING WATCH"""
)

#: Words before a cue form that make it a noun ("Trump's remarks", "the comments").
NOUN_BEFORE_CUE = _ws("a an her his its my our such the their these those your")

#: Small words a title-case span may keep in lower case ("Of Mice and Men").
TITLE_SMALL = _ws("a an and at by for from in of on or the to with")

#: Words before an opening mark that name what follows instead of reporting speech.
NAMING_WORDS = _ws(
    """album article as book books branded broadcast called calling calls campaign chant chanted
    chanting chants column commentary documentary dubbed dubs editorial entitled episode essay film
    hashtag headline headlined known label labeled labelled magazine memoir motto movie named
    newspaper nickname nicknamed novel op-ed phrase podcast program programme report series show
    slogan slogans so-called song term terms titled word words"""
)

#: Pronouns the speaker ranker takes as candidate mentions.
CANDIDATE_PRONOUNS = _ws("he i it she they we")

#: Possessives annotators mark as the source ("his call for “…”").
CANDIDATE_POSSESSIVES = _ws("her his their")

#: Relative pronouns annotators mark as the source ("Sanders, who says it is “…”").
CANDIDATE_RELATIVES = _ws("who")

#: Words that end a described speaker ("a longtime adviser | to Trump, who ...").
NP_STOP = _ws(
    """who which that to of in on at for from with by and or but said says told added as when while
    after before during since than is was are were has had have would will"""
)
#: Determiners that open a described candidate ("the senator", "one official").
DESC_DETS = DETERMINERS - {"this", "that", "these", "those", "no", "any", "every", "each", "both"}
#: Heads and endings of a description that denote a person ("the Florida senator", "critics").
PERSON_HEADS = ROLE_WORDS | ANON_HEADS | GROUP_WORDS
PERSON_SUFFIXES = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ant", "ants", "ent", "ents")
#: Words ending in "ly" that are not adverbs.
LY_NOT_ADVERBS = _ws("only early family daily italy ally sally kelly holly")
#: Given names common for either gender (their gender is unknown).
SHARED_NAMES = _ws("jean")
#: Cues that label rather than report speech; a one- or two-word quote after them is a scare quote.
LABEL_CUES = _ws(
    """called calls calling dubbed dubs dubbing labeled labelled labeling labelling branded brands
    branding described describes describing termed terms"""
)
#: Tokens after which a clause (and so a subject) may begin.
CLAUSE_PUNCT = frozenset(
    [",", ".", ";", ":", "(", "—", "–", "-", "--", "“", "”", '"', "‘", "’", "\n", "!", "?"]
)
CLAUSE_OPENERS = _ws(
    """that when while because if as although though since after before until unless whereas so
    then where but nor yet also"""
)

#: Nouns by which a sentence speaks of words as words ("added “circle back” to their list of words").
METALINGUISTIC = _ws(
    """word words term terms phrase phrases expression expressions buzzword buzzwords jargon slang
    vocabulary slogan slogans"""
)

#: Nouns for works with a title ("the film “Night Shift”", "her memoir, “Salt Roads”").
WORK_NOUNS = _ws(
    """album anthem ballad book broadcast documentary drama episode essay exhibition film memoir movie
    musical novel opera painting play podcast poem program programme series show sitcom song"""
)
#: Nouns that cite the quoted words as words ("the term “low-key”", "the hashtag “…”").
CITING_NOUNS = METALINGUISTIC | _ws("catchphrase hashtag moniker motto nickname")


#: "the Portuguese", "the Dutchman", "the Brazilian": a nationality standing for a person named
#: before, as sports and wire copy write it (by its ending; never an organisation word). Not "-an":
#: "the Texan", "the Republican" in political copy are as often someone other than the last subject.
_nationality = re.compile(r"[A-Z][a-z]+(?:man|ese|ian|ish|i|ard)")


def demonym(word: str) -> bool:
    """Whether a capitalised word after "the" reads as a nationality for a person ("Dutchman")."""
    return _nationality.fullmatch(word) is not None and word.lower() not in ORG_WORDS
