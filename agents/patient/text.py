"""Words of questions and findings: cleaning, tokens, a light stemmer, stop words, concepts.

General English and clinical vocabulary only; nothing here is keyed to a particular case.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_INPUT = 2000  # characters of a question that are read; the rest is ignored
MAX_SEGMENTS = 8
MAX_TOKEN = 30

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def clean_input(text: object) -> str:
    """Printable text of at most MAX_INPUT characters, whitespace collapsed."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: MAX_INPUT * 2]
    text = _CONTROL.sub(" ", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_INPUT]


# "where's", "I've", "you're", "mum's": the clitic carries no content ("where's" -> "where").
_CONTRACTION = re.compile(r"(?<=[a-z])'(?:s|re|ve|m|ll|d)\b")


def norm(text: str) -> str:
    """Lower-case words separated by single spaces (apostrophes dropped: "don't" -> "dont")."""
    text = text.lower().replace("’", "'").replace("n't", " not")
    text = _CONTRACTION.sub("", text).replace("'", "")
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text) if len(w) <= MAX_TOKEN)


STOP = frozenset(
    """
    a an the of to in on at for with about from by as into onto over under up down out off than then
    and or but nor so if because while whether though although also too very really quite just
    i me my mine myself we us our you your yours yourself he him his she her hers they them their it its
    this that these those there here what which who whom whose when where why how
    do does did done doing have has had having be is am are was were been being get gets got getting
    can could would should will shall may might must
    any anything some something everything nothing all every each other else another more most much many
    ever never always often sometimes usually recently lately now currently still yet already today
    tell told say said describe explain mention noticed notice notic experience experienc experiencing
    feel feeling felt having go going gone went come coming came bring brings brought
    please ok okay yes no not nope yeah well right sure thanks thank doctor dr
    kind sort type like bit little lot lots way thing things stuff
    problem problems issue issues trouble troubles symptom symptoms complaint complaints condition
    complain complains complained complaining
    let lets mind think know want need seem seems look looks
    anywhere somewhere elsewhere around round point moment through anyone anybody someone somebody at all
    happen happens happened happening u ur whilst during actually currently lately normal normally time times
    after without within take takes taking took taken illness illnesses
    """.split()
)

_IRREGULAR = {
    "breathing": "breath",
    "breathe": "breath",
    "breathes": "breath",
    "breathed": "breath",
    "breathless": "breath",
    "breathlessness": "breath",
    "vomited": "vomit",
    "vomiting": "vomit",
    "feet": "foot",
    "teeth": "tooth",
    "children": "child",
    "women": "woman",
    "men": "man",
    "ate": "eat",
    "eaten": "eat",
    "slept": "sleep",
    "sleeping": "sleep",
    "fell": "fall",
    "fallen": "fall",
    "lost": "lose",
    "loss": "lose",
    "losing": "lose",
    "drank": "drink",
    "drunk": "drink",
    "smoker": "smoke",
    "smokes": "smoke",
    "smoking": "smoke",
    "smoked": "smoke",
    "drinker": "drink",
    "swollen": "swell",
    "ached": "ache",
    "aching": "ache",
    "achy": "ache",
    "aches": "ache",
    "itchy": "itch",
    "itching": "itch",
    "dizzy": "dizzi",
    "dizziness": "dizzi",
    "tired": "tire",
    "tiredness": "tire",
    "weak": "weak",
    "weakness": "weak",
    "medicines": "medicin",
    "medication": "medicin",
    "medications": "medicin",
    "meds": "medicin",
    "medicine": "medicin",
    "worsen": "wors",
    "worsens": "wors",
    "worsened": "wors",
    "worsening": "wors",
    "worse": "wors",
    "feverish": "fever",
    "fevers": "fever",
    "nauseous": "nausea",
    "nauseated": "nausea",
    "diarrhoea": "diarrhea",
    "oedema": "edema",
    "dyspnoea": "dyspnea",
    "anaemia": "anemia",
    "anaemic": "anemia",
    "haemorrhage": "hemorrhage",
    "painful": "pain",
    "pains": "pain",
}
_SUFFIXES = (
    ("ingly", ""),
    ("edly", ""),
    ("ish", ""),
    ("iness", "y"),
    ("ness", ""),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("ly", ""),
    ("e", ""),
    ("y", ""),
)

_DERIVING = frozenset({"ingly", "edly", "iness", "ness", "ments", "ment", "ly", "ish"})


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: len(word) - len(suffix)] + repl
            if suffix in _DERIVING:
                return stem(word)  # 'blueness' and 'blue' share a stem, as do 'tiredness' and 'tired'
            if suffix in ("ing", "ed", "ings") and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


# An irregular form stands for its base word's stem, so 'lost', 'lose' and 'losing' meet, as do
# 'achy' and 'ache'.
_IRREGULAR = {k: v if v in _IRREGULAR else stem(v) for k, v in _IRREGULAR.items()}


# Derivational endings: 'urinary', 'urination' and 'urine' name one thing, as do 'allergic' and
# 'allergy' or 'nervous' and 'nerve'. Used only to let a question word meet a case word when their
# stems differ; stems themselves stay as they are.
_DERIVATIONAL = ("ation", "ition", "ious", "osis", "otic", "ical", "ous", "ary", "ion", "ive", "ic", "ar", "al", "at", "er")


@lru_cache(maxsize=50_000)
def root(word_stem: str) -> str:
    for suffix in _DERIVATIONAL:
        if word_stem.endswith(suffix) and len(word_stem) - len(suffix) >= 4:
            return word_stem[: -len(suffix)]
    return word_stem


# Words that ask about a quality of a complaint (when, how long, which side, how bad, what it is
# like) rather than name one: a case that lacks them lacks no symptom.
FRAME = frozenset(
    stem(w)
    for w in """
    loads load lots first start started began begin onset last lasted lasting ago since long often frequent frequently time
    day days week weeks month months year years hour hours minute minutes age old young side sides left right
    both which whereabouts exactly particular particularly sharp sharper dull constant worse worst better bad
    severe mild different difference change changed changes same similar usual unusual sudden suddenly gradual
    gradually big small more less much enough quick quickly slow slowly come came one ones
    affect affects affected bother bothers bothering night nights morning mornings evening evenings today
    yesterday tonight daytime past previous previously prior history
    """.split()
)


# Parts of the body, lay and clinical: a question about one the case never names is not about
# a finding of another part ('neck stiffness' to stiff shoulders).
ANATOMY = frozenset(
    stem(w)
    for w in """
    head scalp face forehead temple eye eyes eyelid ear ears nose nostril mouth lip lips tongue tooth teeth gum gums
    jaw throat neck shoulder shoulders arm arms elbow elbows wrist wrists hand hands finger fingers thumb nail nails
    chest breast breasts rib ribs back spine hip hips groin buttock buttocks leg legs thigh thighs knee knees calf
    calves shin ankle ankles foot feet heel toe toes skin joint joints muscle muscles bone bones abdomen belly
    tummy stomach bowel bladder kidney kidneys liver lung lungs heart penis testicle testicles vagina vulva anus
    rectum bottom armpit
    """.split()
)


def words(text: str) -> list[str]:
    return norm(text).split()


def content_stems(text: str) -> list[str]:
    """Stems of the content words of a text, in order, without repeats."""
    out: list[str] = []
    for w in words(text):
        if w in STOP or len(w) < 2:
            continue
        s = stem(w)
        if s in STOP or len(s) < 2:
            continue
        if s not in out:
            out.append(s)
    return out


# --- question shapes ----------------------------------------------------------------------------

GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening|day)|greetings|howdy|nice to meet you|"
    r"pleased to meet you|how are you(?: doing| today)?|how do you do)\b[\s,.!]*",
    re.I,
)
THANKS = re.compile(r"^(?:thanks?(?: you)?(?: very much)?|cheers|great|ok(?:ay)?|alright|i see|right|got it|understood)[\s,.!]*$", re.I)
GOODBYE = re.compile(r"^(?:bye|goodbye|see you|take care)\b", re.I)

OPEN = re.compile(
    r"\b(?:what brings you|what brought you|how can i help|what can i do for you|what(?:'s| is| seems to be) (?:the )?(?:problem|matter|trouble|wrong)|"
    r"what seems to be|what happened|tell me (?:more|everything|about (?:it|that|this|what|your (?:symptoms|problem|complaint)))|"
    r"tell me more|can you describe|could you describe|describe (?:it|that|the|your)|go on|carry on|continue|"
    r"anything else|what else|something else|any other (?:symptoms?|problems?|complaints?|concerns?|things?)\b(?! (?:medical|health|illness))|"
    r"is there anything|how(?: are| have|'ve) you been feeling|how (?:do|are) you feel(?:ing)?\b|what are your symptoms|why are you here|why did you come|"
    r"in your own words|say more|elaborate|walk me through)",
    re.I,
)
# An invitation to tell the story in other words ('so what's the main problem?', 'what's been
# going on lately?', 'what's happening with your baby?'): a question word and nothing but the
# words people use for "your problem".
_INVITING = re.compile(
    r"^(?:(?:so|and|ok|okay|right|well|now|alright|hi|hello)\b[ ,]*)*(?:what|how|why|tell me|talk me|can you tell|could you tell|describe)\b",
    re.I,
)
_PROBLEM_TALK = frozenset(
    stem(w)
    for w in """
    problem problems issue issues matter wrong trouble troubles go going goes gone happen happening happened
    bother bothering bothered concern concerns concerned worry worrying worried bring brings brought help
    today lately recently recent main moment current currently symptom symptoms complaint complaints feel
    feeling felt come came coming baby child kid son daughter boy girl little one thing things everything
    stuff day days week weeks past couple few see seeing visit here lead led made make appointment doctor
    clinic hospital emergency department ed today's tonight morning
    """.split()
)


def invites_story(text: str) -> bool:
    """A question that asks the patient to say what is wrong, in no particular words."""
    return bool(_INVITING.match(text.strip())) and set(content_stems(text)) <= _PROBLEM_TALK


MORE_ABOUT = re.compile(r"\b(?:more about|describe|about)\s+(?:the |your |that |this |those )?(.+)$", re.I)
REFERRING = re.compile(r"\b(?:it|that|this|they|them|those|these|the same)\b", re.I)
TIMING = re.compile(
    r"\b(?:how long|since when|when did|when was|when (?:does|do) (?:it|they|that|this)|when.*start|start(?:ed)?|began|begin|onset|first (?:notice|start)|how many (?:days|weeks|months|years))",
    re.I,
)
FREQUENCY = re.compile(r"\bhow (?:often|frequent\w*|regular\w*)\b|\bhow many (?:times|episodes|attacks|a (?:day|week|month))\b", re.I)
FREQ_IN_TEXT = re.compile(
    r"\b(?:every|daily|weekly|monthly|nightly|once|twice|times|per|most (?:days|nights|weeks)|each (?:day|week|month)|"
    r"(?:a|an) (?:day|week|month|year)|often|occasionally|constant\w*|all the time|\d+ (?:episodes|bouts|attacks))\b",
    re.I,
)
TIME_IN_TEXT = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|couple)\s+(?:hours?|days?|weeks?|months?|years?)\b|"
    r"\b(?:ago|since|started|began|yesterday|last (?:week|month|year|night)|for the (?:past|last)|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)

LEADING = re.compile(
    r"\b(?:diagnos\w*|what (?:do|did|does|have) (?:you|they|the doctors?|your (?:doctor|gp)|anyone) (?:think|say|said|tell|told)\b.*\b(?:have|is|wrong|it)|"
    r"what (?:do|did) you (?:think|reckon) (?:it is|you have|is wrong|it might be|it could be)|"
    r"what do you have|what(?:'s| is) your (?:condition|disease|illness)|have you been told (?:what|you have)|"
    r"(?:could|might|may) (?:it|this|that) be\b|do you think (?:it's|it is|you have|this is)|"
    r"what (?:disease|illness|condition|syndrome)|which (?:disease|illness|condition|syndrome))",
    re.I,
)
IS_IT = re.compile(r"^(?:so |and |but )?(?:is (?:it|this|that)|are you|do you have|have you got) (?:a |an |the )?(.+?)\??$", re.I)
ATTRIBUTE = re.compile(
    r"^(?:worse|better|bad|painful|sore|constant|there|always|getting|still|sharp|dull|severe|mild|new|itchy|"
    r"any|ok|okay|every|all|only|on|in|at|when|like|just|made|better|associated|related|affected|triggered|"
    r"a problem|a lot|often|frequent|continuous|intermittent|worse|improving|similar|the same|here|swollen|red|hot|"
    r"tender|allergic|pregnant|sexually|married|working|taking|on any|smoking|drinking|eating|sleeping|able)\b",
    re.I,
)
# 'any previous diagnoses?', 'have you ever been diagnosed with anything?': the past history, not
# a question about the present diagnosis.
PAST_DIAGNOSES = re.compile(
    r"\b(?:previous|past|prior|other|earlier|old|existing|before|ever|pmhx?|medical history|long[- ]term|chronic|"
    r"been diagnosed with|diagnosed with (?:any|anything|other|something))\b",
    re.I,
)
# A guess 'is it X?' names a condition in a few words, not a question with its own subject ('is
# this the first time you've had something like this?').
_NOT_A_GUESS = re.compile(
    r"\b(?:you|your|you've|you're|i|me|my|something|anything|first|time|times|same|before|again|normal|okay|ok|usual)\b", re.I
)


def names_a_guess(guess: str) -> bool:
    return len(guess.split()) <= 5 and not _NOT_A_GUESS.search(guess)


DISEASE_WORD = re.compile(
    r"\b\w+(?:itis|osis|oma|emia|aemia|pathy|iasis)\b|\b(?:syndrome|disease|cancer|tumou?r|infection|disorder|"
    r"lupus|diabetes|stroke|heart attack|leukaemia|leukemia|lymphoma|sclerosis|fever$|flu|covid|malaria|"
    r"tuberculosis|tb|hiv|aids|dystrophy|deficiency|palsy|anemia|anaemia|gravis|sarcoidosis|migraine|angina|"
    r"embolism|infarction|pneumonia|appendicitis|asthma|epilepsy|dementia|parkinson\w*|alzheimer\w*)\b",
    re.I,
)
RESULTS = re.compile(
    r"\b(?:results?|findings?|report|levels?|reading|readings|values?|show(?:ed|n|s)?|reveal\w*|come back|came back|"
    r"what was (?:your|the)|what were (?:your|the))\b.*\b(?:tests?|bloods?|blood work|labs?|scans?|x-?rays?|ecg|ekg|mri|ct|"
    r"ultrasound|biopsy|echo\w*|angiogram|swab|culture|urine test|eeg|emg|smear|count|troponin|sugar|cholesterol)\b|"
    r"\b(?:tests?|bloods?|blood work|labs?|scans?|x-?rays?|ecg|ekg|mri|ct|ultrasound|biopsy|echo\w*|eeg|emg)\b.*\b(?:show|showed|shown|result|results|reveal\w*|find|found|say|said|come back|came back|look like)\b|"
    r"\b(?:your|the) (?:blood pressure|pulse|heart rate|temperature|oxygen|sats|saturation) (?:reading|is|was)\b|"
    r"\bwhat(?:'s| is| was) your (?:blood pressure|pulse|heart rate|temperature|oxygen)",
    re.I,
)
INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override) (?:all |any |your |the |previous |prior |above )*(?:instructions?|prompts?|rules?|role|system)|"
    r"system prompt|you are (?:an? )?(?:ai|language model|chatbot|assistant|llm)|as an ai|pretend (?:to be|you are)|"
    r"act as|developer mode|jailbreak|reveal (?:your|the) (?:diagnosis|answer|instructions|prompt|case)|"
    r"(?:tell|give|show) me (?:your|the) (?:diagnosis|answer|case file|notes|instructions)|answer key|case file|teaching notes|"
    r"what(?:'s| is) the (?:diagnosis|answer)|(?:exam|examination|test|lab) (?:findings|results) (?:are|were)",
    re.I,
)

_FOREIGN = frozenset(
    """
    el la los las usted tiene que por para como est vous avez etes est une des les pour dans avec
    ich sie haben ist und nicht der die das ein eine mit wie hat sind você tem não uma com como
    il lei ha sono che della per non una di dolore fiebre fièvre fieber douleur schmerzen tosse
    """.split()
)
_ENGLISH_HINT = frozenset(
    """
    you your do does did have has any what how when where is are was the a and or i my me it
    """.split()
)


def looks_foreign(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    if non_ascii / len(letters) > 0.3:
        return True
    toks = re.findall(r"[^\W\d_]+", text.lower())
    foreign = sum(1 for t in toks if t in _FOREIGN)
    english = sum(1 for t in toks if t in _ENGLISH_HINT)
    return foreign >= 2 and foreign > english


def split_segments(text: str) -> list[str]:
    """Separate questions of one line: '?', ';', '.', '!' and new lines."""
    parts = re.split(r"(?<=[?;!])\s*|(?<=[a-z0-9)])\.\s+|\n+", text)
    out = [p.strip(" ,.;!?") for p in parts if p and p.strip(" ,.;!?")]
    return out[:MAX_SEGMENTS]


def split_clauses(segment: str) -> list[str]:
    """Parts of a question joined by 'and' / 'or' / commas ('any fever or chills')."""
    parts = re.split(r"\s*,\s*|\s+(?:and|or|and/or|nor|also|as well as|plus)\s+", segment, flags=re.I)
    parts = [p for p in (x.strip() for x in parts) if p]
    # 'any burning or stinging when you pass urine': the last part's qualifier belongs to the bare
    # symptoms before it too ('burning when you pass urine'), not only to the last.
    if len(parts) > 1:
        m = _QUALIFIER.search(parts[-1])
        if m and m.start() > 0:
            tail = parts[-1][m.start() :]
            parts = [p if _QUALIFIER.search(p) or len(content_stems(p)) > 1 else f"{p} {tail}" for p in parts[:-1]] + [parts[-1]]
    return _share_head(parts) if len(parts) > 1 else parts


def _share_head(parts: list[str]) -> list[str]:
    """A part that names only a body part borrows what the nearest other part says of its own
    ('skin or eyes going yellow' -> 'skin going yellow'; 'pain in your neck or back' -> 'pain in
    your back')."""
    def bare_part(p: str) -> str | None:
        stems = content_stems(p)
        return p if stems and all(s in ANATOMY for s in stems) and len(stems) == 1 else None

    out = list(parts)
    for i, p in enumerate(parts):
        if not bare_part(p):
            continue
        donors = sorted((j for j in range(len(parts)) if j != i and not bare_part(parts[j])), key=lambda j: abs(j - i))
        for j in donors:
            donor = parts[j].split()
            at = next((k for k, w in enumerate(donor) if stem(norm(w) or "_") in ANATOMY), None)
            if at is None or len(content_stems(parts[j])) < 2:
                continue
            own = next(w for w in p.split() if stem(norm(w) or "_") in ANATOMY)
            # What the donor says follows its body part ('eyes gone yellow') or comes before it
            # ('pain in your neck'); the body part's own modifiers ('the whites of') stay behind.
            tail = donor[at + 1 :]
            out[i] = " ".join([own] + tail if content_stems(" ".join(tail)) else donor[:at] + [own])
            break
    # 'have your eyes been red or sore?', 'any sore or gritty eyes?': a bare state ('sore') is said
    # of the body part of the part before it, or else of the part after it.
    for i in range(len(parts)):
        stems = content_stems(parts[i])
        if len(stems) != 1 or stems[0] not in STATES:
            continue
        for j in (i - 1, i + 1):
            donor = [w for w in parts[j].split() if stem(norm(w) or "_") in ANATOMY] if 0 <= j < len(parts) else []
            if donor:
                out[i] = f"{donor[-1]} {parts[i]}" if j < i else f"{parts[i]} {donor[-1]}"
                break
    return out


# States said of a body part: in 'X or Y' the bare one borrows the other part's body part.
STATES = frozenset(
    stem(w)
    for w in """
    sore red swollen swelling itchy itching painful tender stiff numb tingly tingling hot warm cold weak dry
    watery puffy bruised pale blue yellow bleeding crusty sticky blurry blurred
    """.split()
)


_QUALIFIER = re.compile(r"\b(?:when|whenever|while|with|during|after|on|in)\b(?= \w)", re.I)


# Lay and clinical words for the same thing (question word stem -> case word stems to try).
_EQUIVALENT_WORDS: dict[str, tuple[str, ...]] = {
    "exercis": ("exert", "activity", "physical", "exercis", "walk", "stair"),
    "exert": ("exercis", "activity", "physical"),
    "sick": ("nausea", "vomit"),
    "nausea": ("sick",),
    "throw": ("vomit", "sick"),
    "vomit": ("sick", "throw"),
    "tummy": ("abdomen", "abdominal", "stomach", "belly"),
    "belly": ("abdomen", "abdominal", "stomach", "tummy"),
    "stomach": ("abdomen", "abdominal", "tummy", "belly"),
    "abdomen": ("stomach", "tummy", "belly", "abdominal"),
    "abdominal": ("stomach", "tummy", "belly", "abdomen"),
    "poo": ("stool", "bowel", "faec", "fec"),
    "pee": ("urin", "wee", "bladder"),
    "wee": ("urin", "pee", "bladder"),
    "urin": ("pee", "wee"),
    "tire": ("fatigu", "exhaust", "energy", "weak"),
    "fatigu": ("tire", "exhaust", "energy"),
    "breath": ("dyspnea", "breathless", "wind"),
    "temperatur": ("fever",),
    "fever": ("temperatur",),
    "sweat": ("diaphoresi", "clammy"),
    "dizzi": ("lightheaded", "faint", "vertigo"),
    "faint": ("collaps", "pass", "dizzi"),
    "heart": ("cardiac", "palpitation"),
    "weight": ("kg", "stone", "pound"),
    "appetit": ("eat", "hungry"),
    "headach": ("head",),
    "rash": ("spot", "skin"),
    "sleep": ("insomnia", "tire"),
    "swell": ("edema", "puffy"),
    "edema": ("swell",),
    "blood": ("bleed",),
    "bleed": ("blood",),
    "cigarett": ("smoke",),
    "alcohol": ("drink", "wine", "beer", "pint"),
    "drink": ("alcohol", "wine", "beer", "pint"),
    "job": ("work",),
    "loo": ("bowel", "stool", "urin"),
    "toilet": ("bowel", "stool", "urin"),
    "occupation": ("work", "job"),
    "work": ("job",),
    # A question about a quality finds the finding that names one ('what colour is it?' -> 'dark').
    "colour": ("dark", "pale", "black", "red", "yellow", "brown", "white", "green", "clay", "tarry", "bloody"),
    "color": ("dark", "pale", "black", "red", "yellow", "brown", "white", "green", "clay", "tarry", "bloody"),
    "eat": ("appetit", "diet", "food", "meal", "hungry"),
    "food": ("diet", "eat", "meal", "appetit"),
    "diet": ("eat", "food", "meal"),
    "move": ("activity", "exert", "movement", "walk", "exercis"),
    "mouth": ("lip", "oral", "tongue"),
    "lip": ("mouth", "oral"),
    "spot": ("rash", "lesion", "patch", "lump", "skin"),
    "patch": ("rash", "lesion", "spot", "skin"),
    "skin": ("rash", "lesion", "spot", "patch"),
    "concentrat": ("focus", "attention", "concentration"),
    "focus": ("concentrat", "attention"),
    "live": ("home", "alone", "wife", "husband", "partner", "famil", "children"),
    "home": ("live", "alone", "wife", "husband", "partner"),
    "grip": ("hand", "grasp", "hold"),
}


# Which body parts lie within which: 'fingers or toes going blue' asks about the extremities, and
# 'numbness in your hands' is answered by numb fingers. Used both ways.
_PART_OF = {
    "finger fingers thumb thumbs": "hand hands arm arms limb limbs extremity extremities",
    "hand hands wrist wrists forearm forearms elbow elbows": "arm arms limb limbs extremity extremities",
    "toe toes": "foot feet leg legs limb limbs extremity extremities",
    "foot feet heel heels sole soles ankle ankles": "leg legs limb limbs extremity extremities",
    "knee knees calf calves shin shins thigh thighs": "leg legs limb limbs extremity extremities",
    "arm arms leg legs": "limb limbs extremity extremities",
    "lip lips tongue gum gums tooth teeth palate": "mouth oral",
    "cheek cheeks forehead jaw chin": "face facial",
    "scalp temple temples": "head",
}


def _part_equivalents() -> dict[str, tuple[str, ...]]:
    pairs: dict[str, set[str]] = {}
    for parts, wholes in _PART_OF.items():
        for a in parts.split():
            for b in wholes.split():
                pairs.setdefault(a, set()).add(b)
                pairs.setdefault(b, set()).add(a)
    return {k: tuple(sorted(v)) for k, v in pairs.items()}


def _stemmed_equivalents() -> dict[str, tuple[str, ...]]:
    """The table keyed and valued by stems, since questions and findings are compared as stems
    ('tummy' is looked up as 'tumm')."""
    out: dict[str, list[str]] = {}
    for key, alts in [*_EQUIVALENT_WORDS.items(), *_part_equivalents().items()]:
        for k in {key, stem(key)}:
            bucket = out.setdefault(k, [])
            for a in alts:
                for v in (a, stem(a)):
                    if v not in bucket and v != k:
                        bucket.append(v)
    return {k: tuple(v) for k, v in out.items()}


EQUIVALENTS: dict[str, tuple[str, ...]] = _stemmed_equivalents()


# Groups of lay and clinical words for one thing: any word of a group may stand for any other.
_LAY_GROUPS = (
    "itch itchy itchiness pruritus pruritic",
    "quiet quieter soft softer hypophonia",
    "swell swelling swollen puffy puffiness puff",
    "voice speech",
    "numb numbness sensation",
    "fit fits seizure seizures convulsion convulsions epilepsy epileptic",
    "shake shakes shaking shaky tremble trembling tremor tremors",
    "wind flatus flatulence gassy",
    "pee peeing wee weeing urine urinate urinating urination micturition micturating waterworks",
    "poo poos stool stools bowel bowels faeces feces faecal fecal motions defecation",
    "rush urgent urgency",
    "incontinence incontinent leak leaking leakage",
    "faint fainted fainting blackout syncope unconscious consciousness collapse collapsed",
    "bloodshot red injection hyperemia",
    "period periods menses menstruation menstrual",
    "puffy puffiness swelling swollen swell edema oedema",
    "injury injured injuries trauma knock knocked",
    "tb tuberculosis consumption",
    "stress stressed stressful anxious anxiety worry worried",
    "sad depressed depression mood",
    "forget forgetful forgetting memory",
    "numb numbness tingling pins",
    "lump lumps mass swelling",
    "cough coughing coughed",
    "phlegm sputum mucus",
    "sore pain ache burn burning hurt hurts hurting",
    "loo toilet lavatory",
    "thirsty thirst parched polydipsia",
    "jaundice jaundiced icterus icteric yellow",
    "constipation constipated",
    "diarrhea diarrhoea loose runny",
    "hoarse hoarseness voice",
    "vision visual sight eyesight see seeing blurry blurred",
    "hearing hear deaf",
    "ringing tinnitus",
    "nosebleed nosebleeds epistaxis",
    "stiff stiffness rigid rigidity",
    "sleepy drowsy drowsiness somnolence",
    "confused confusion disoriented muddled muddle foggy",
    "nausea nauseous nauseated nauseating queasy queasiness",
    "temperature temperatures temp temps fever fevers feverish pyrexia",
    "vomit vomiting vomited vomits vom voms vomming vommed puke puking regurgitate regurgitation regurgitating",
    "smash smashing smashed break breaking broke",
    "concentrate concentrating concentration focus focusing",
    "sweat sweats sweating sweaty perspire perspiring perspiration diaphoresis clammy",
    "tired tiredness fatigue fatigued exhausted exhaustion lethargy lethargic sluggish drained",
    "slur slurred slurring dysarthria articulation speech",
    "hallucination hallucinations hallucinating hallucinate voices",
    "swallow swallowing dysphagia",
    "jerk jerks jerky jerking twitch twitches twitching involuntary myoclonus",
    "bump bumps pimple pimples papule papules",
    "flu influenza",
    "injury injured injuries trauma knock knocked bang banged accident",
    "blue cyanosis cyanotic dusky",
    "gland glands node nodes lymph lymphadenopathy",
    "grow growing growth development developmental milestones",
    "paranoid paranoia persecution persecuted persecutory",
)


# Groups of words for a course or quality of a complaint rather than a symptom.
_MODIFIER_GROUPS = (
    "better improve improved improvement improving help helps helped relieve relieved relief ease eases",
    "before previous previously again recurrent recurring episode episodes",
    "spread spreads spreading radiate radiates radiating radiation",
    "trigger triggers triggered provoke provoked",
    "contact exposed exposure",
    "flare flares flared flaring worsen worsens worsened worsening",
    "unintentional unintended unintentionally",
    # Parts of a life or a history, not symptoms: a case that lacks them lacks no complaint.
    "travel travelled traveled travelling traveling abroad overseas holiday vacation hotel hotels",
    "school nursery preschool kindergarten daycare",
    "fall falls fell fallen tumble tumbled",
    "ill unwell poorly",
    "grip gripping grasp grasping",
    "mental psychiatric psychological",
    "hard difficult difficulty difficulties struggle struggling struggles",
)


def _lay_map() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in _LAY_GROUPS + _MODIFIER_GROUPS:
        stems = {stem(w) for w in group.split()}
        for s in stems:
            out.setdefault(s, set()).update(stems - {s})
    return {k: frozenset(v) for k, v in out.items()}


LAY = _lay_map()
# Lay words for symptoms and body functions ('poo', 'wee', 'queasy'): clinical words, so a case
# that lacks them must not be matched on the rest of a question alone.
LAY_SYMPTOM = frozenset(stem(w) for group in _LAY_GROUPS for w in group.split())

# Lay turns of phrase rewritten into the words a finding would use (applied to questions only).
LAY_PHRASES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.I), repl)
    for pattern, repl in (
        (r"\b(?:brings?|brought|bringing|sets?|setting|starts?) (?:it|them|this|that|these|those|\w+ \w+|\w+) (?:on|off)\b", "triggers"),
        (r"\b(?:brings?|brought|sets?) (?:on|off)\b", "triggers"),
        (r"\b(?:pass(?:ed|es|ing)?|black(?:ed|s|ing)?|conk(?:ed)?|keel(?:ed)?) (?:out|over)\b", "fainting loss of consciousness"),
        (r"\b(?:go|goes|going|went|move|moves|moving|travel|travels|shoot|shoots|shooting) (?:anywhere|elsewhere|somewhere|"
         r"through|into|down|up|across)\b", "spread"),
        (r"\bopen(?:s|ed|ing)? (?:your|his|her|their|the)? ?bowels?\b", "bowel"),
        (r"\b(?:(?:take|taking|took) )?(?:a )?deep breaths?(?: in)?\b|\bbreath(?:e|es|ing)? in\b", "breathing in"),
        (r"(?:\bnot|\bnever|n't) (?:quite )?(?:finish(?:ed)?|empt(?:y|ied))\b", "incomplete evacuation"),
        (r"\bshort of breath\b", "shortness of breath"),
        # Lay idioms for common findings: weight, water works, bowels, intent.
        (r"\bweight ?loss\b|\b(?:lost|lose|losing|loses|dropped|dropping|drop|shed|shedding)\b(?: (?:any|some|a|a lot of|much|lots of|more))? "
         r"(?:weight|pounds|kilos|kgs?|lbs|stones?)\b", "weight loss"),
        (r"\b(?:put|putting|puts) on (?:any |some |a lot of )?weight\b|\bweight ?gain\b|\bgain(?:ed|ing)? (?:any |some )?weight\b", "weight gain"),
        (r"\bwithout (?:meaning|trying|wanting|intending) to\b|\bnot on purpose\b|\bwithout dieting\b", "unintentional"),
        (r"\b(?:wee|wees|weeing|pee|pees|peeing|urinat\w*|pass(?:ing)? (?:urine|water)|go(?:ing)? for a (?:wee|pee))\b "
         r"(?:a lot|lots|more(?: often)?|more than (?:usual|normal)|loads|all the time|frequently|too often)\b", "polyuria frequent urination"),
        (r"\bwater infections?\b", "urinary tract infection"),
        (r"\bhay ?fever\b", "allergic rhinitis"),
        (r"\b(?:seen|see|saw|consulted|talked to|spoken to|been to) (?:anyone|anybody|someone|a doctor|a gp|your gp|a specialist|the doctor)"
         r"(?= (?:about|for|with))", "sought help from a doctor"),
        (r"\b(?:bright )?lights? (?:\w+ ){0,2}(?:hurt\w*|bother\w*|painful|uncomfortable)\b|\b(?:sensitiv\w*|bothered) (?:to|by) (?:bright )?light\b", "photophobia"),
        (r"\b(?:pale|paler|lighter|white|whiter) (?:\w+ )?(?:patch\w*|spots?|areas?|marks?)\b", "hypopigmented macules hypopigmentation"),
        (r"\b(?:broken|broke|break|breaking|cracked) (?:a |any |your |his |her )?(?:bones?|wrist|arm|leg|hip|rib\w*)\b", "fracture"),
        (r"\b(?:need\w*|go\w*|using|use|run\w*) (?:to )?(?:the )?(?:loo|toilet|bathroom|wc)\b(?= (?:\w+ ){0,2}(?:more|a lot|all the time|loads|often))",
         "increased frequency of urination"),
        # The patient named as the subject ('is your little one eating?') is not a finding word.
        (r"\b(?:your|the|my) (?:little one|little (?:boy|girl)|baby|child|kid|son|daughter)\b", "you"),
        (r"\bthe runs\b|\brunny (?:poo|stools?|tummy)\b", "diarrhea"),
        (r"\bchanged? (?:colou?r|color)\b", "colour"),
        (r"\b(?:what do you do )?for a living\b", "work occupation"),
        (r"\bwho (?:do you live|lives) with\b|\blives? (?:at home )?with\b|\bat home with\b", "live with home"),
        (r"\b(?:out of breath|breathless(?:ness)?|puffed|winded)\b", "shortness of breath"),
        (r"\b(?:mouth|tongue|lip|gum|genital) sores?\b|\bsores? (?:in|on) (?:your |my |the )?(?:mouth|tongue|lips?|gums?)\b", "mouth ulcers"),
        (r"\bchest infections?\b", "chest infection bronchitis pneumonia"),
        # Everyday idioms for common symptoms.
        (r"\bblack(?:ed|ing)? out\b|\bpass(?:ed|ing)? out\b|\blos[et] (?:any )?time\b|\bkeel(?:ed)? over\b", "blackout loss of consciousness"),
        (r"\b(?:came|come|coming) (?:round|around|to)\b", "regained consciousness"),
        (r"\b(?:clothes|trousers|jeans|belt|waistband)\b(?= (?:\w+ ){0,3}(?:loose|looser|baggy|hanging))", "weight loss"),
        (r"\b(?:clothes|trousers|jeans|skirt|waistband|belt)\b(?= (?:\w+ ){0,4}(?:tight|tighter))", "abdominal distension bloating"),
        (r"\b(?:shoes|socks|boots)\b(?= (?:\w+ ){0,3}(?:tight|tighter|dig\w* in))", "swelling feet ankles"),
        (r"\brings?\b(?= (?:\w+ ){0,3}(?:tight|tighter|dig\w* in))", "swelling fingers"),
        (r"\bstop(?:ping)? (?:\w+ )?(?:for|to catch (?:your|my|his|her) )?breath\b|\bcatch (?:your|my|his|her) breath\b", "shortness of breath"),
        (r"\b(?:drenched|soaked|soaking|dripping|wringing)\b", "sweating"),
        (r"\b(?:red|blood) (?:in|when (?:you|I|he|she) (?:go|goes|went)(?: to)?) (?:the )?(?:toilet|pan|bowl|loo)\b", "blood in stool"),
        (r"\b(?:los[est]|losing|no) (?:\w+ )?(?:feeling|sensation)\b|\b(?:can ?not|can't|cant|could not|couldn't) feel\b", "numbness decreased sensation"),
        (r"\b(?:get|getting|gets|find|finding) (?:your |my |his |her |the )?words(?: out)?\b|\bword[- ]finding\b", "difficulty speaking"),
        (r"\bthroat (?:\w+ ){0,2}(?:clos\w*|tight\w*)\b|\b(?:clos\w*|tight\w*) (?:\w+ ){0,2}throat\b", "throat swelling tightness"),
        (r"\bbeen (?:anywhere|abroad|away)\b|\b(?:always )?lived here\b", "travel"),
        (r"\b(?:spare|free) time\b|\bfor fun\b", "hobbies"),
        (r"\b(?:hold|holding|control\w*) (?:your |my |his |her |their )?(?:water|wee|pee|urine|bladder)\b", "urinary incontinence"),
        (r"\brush(?:ing)? to (?:get to )?(?:the )?(?:toilet|loo|bathroom)\b", "urgency"),
        (r"\b(?:bladder|bowel|toilet|wetting|soiling) (?:or (?:bladder|bowel) )?accidents?\b", "incontinence"),
        (r"\bweight (?:\w+ )?chang\w*|\bchang\w* (?:in )?(?:your |his |her )?weight\b", "weight loss weight gain"),
        (r"\b(?:jabs?|shots|injections) (?=(?:\w+ ){0,3}(?:up to date|done|all))|\b(?:jabs|baby jabs)\b", "vaccinations immunizations"),
        (r"\b(?:been|being|was|were|is|get|gets|getting) sick\b(?! (?:of|with|note|leave|pay))", "vomiting"),
        (r"\b(?:feel|feels|felt|feeling) (?:\w+ )?(?:sick|queasy|nauseous|nauseated)\b(?! (?:of|and tired))", "nausea"),
        (r"\b(?:ill|unwell|sick|poorly|under the weather) (?:\w+ ){0,3}before (?:this|that|it|the)\b", "recent infection illness"),
        (r"\b(?:giddy|light[- ]?headed|woozy|wobbly on (?:your|my|his|her) feet)\b", "dizziness"),
        (r"\b(?:shivery|shivering|shivers|rigou?rs)\b", "chills"),
        (r"\bunder the weather\b|\boff colou?r\b|\bout of sorts\b|\bpoorly in (?:your|him|her|my)sel(?:f|ves)\b", "malaise unwell"),
        (r"\bvisual (?:disturbance|problems?|changes?)\b|\bproblems? with (?:your |my |his |her )?(?:eyes|eyesight|vision)\b", "vision problems blurred vision"),
        (r"\b(?:sting\w*|burn\w*|hurt\w*|pain\w*|sore) (?:\w+ ){0,3}(?:pee|wee|urinat\w*|pass(?:ing)? (?:water|urine))\b", "pain with urination dysuria"),
        (r"\bdrink\w* (?:\w+ ){0,2}(?:loads|lots|a lot|much) (?:more|of)\b|\bdrink\w* (?:\w+ ){0,2}more than usual\b", "polydipsia thirst"),
        (r"\b(?:baby|babies|bump) (?:\w+ ){0,2}(?:kick\w*|mov\w*)\b|\b(?:kick\w*|mov\w*) (?:\w+ ){0,2}baby\b|\bfeel(?:ing)? (?:the )?baby\b", "fetal movements baby moving"),
        (r"\btightenings?\b", "contractions"),
        (r"\b(?:tiny|little|pinpoint|pin-?prick) (?:red |purple )?(?:dots|spots)\b", "petechiae"),
        (r"\b(?:getting|got|gotten|grown|growing) (?:any )?(?:bigger|larger)\b|\bgrow(?:n|ing)?\b(?= in size)|\bincreas\w* in size\b", "increase in size enlarging"),
        (r"\b(?:get|getting|gets|go|going|walk|walking|climb|climbing|manage|managing) up (?:the |a |any |your |flights? of )?(?:stairs|steps)\b", "climbing stairs"),
        (r"\bchang\w* (?:in )?(?:its |the |their )?size\b|\bsize (?:\w+ )?chang\w*", "size increase"),
        (r"\bhow often\b(?=.*\b(?:pee|wee|urinat\w*|pass(?:ing)? (?:water|urine)))", "frequency of urination"),
        (r"\bchin (?:on|to|onto) (?:your |my |his |her )?chest\b|\bbend (?:your|my|his|her) (?:head|neck) forward\b", "neck stiffness"),
        (r"\bvaricose veins?\b", "varicose veins dilated tortuous veins"),
        (r"\b(?:one|a) side (?:\w+ ){0,3}(?:weak|numb|dead)\b|\b(?:weak|numb) (?:\w+ ){0,2}one side\b", "weakness on one side hemiparesis"),
        (r"\bb4\b", "before"),
        # Clinicians' shorthand.
        (r"\bhx\b", "history"),
        (r"\bdx\b", "diagnosis"),
        (r"\b(?:tx|rx)\b", "treatment"),
        (r"\bsx\b", "symptoms"),
        (r"\b(?:lscs|c-?sections?|c sections?|caesareans?|cesareans?)\b", "cesarean section delivery"),
        (r"\b(?:any1|ne1)\b", "anyone"),
        (r"\bsome1\b", "someone"),
        (r"\babdo\b", "abdominal"),
        (r"\burself\b", "yourself"),
        (r"\b(?:run|running|ran|had|got|get|getting) (?:a |any )?(?:temp|temps|temperature|temperatures)\b", "fever"),
        (r"\bblack(?:,)? (?:\w+ ){0,2}(?:tar|tarry|sticky)\b|\btarry\b", "melena black stools"),
        (r"\b(?:sweat\w*|soaked|drenched|wet) (?:\w+ ){0,3}(?:at |in the |during the )?nights?\b|\bnight sweat\w*\b", "night sweats"),
        (r"\b(?:ca|can) ?not (?:control|stop)\b|\b(?:could not|unable to|no way to) (?:control|stop)\b|\bout of (?:your|his|her|my) control\b", "involuntary"),
        (r"\b(?:watch\w*|follow\w*|spy\w*|plot\w*) (?:on )?(?:you|him|her|them|me)\b|\bout to get\b|"
         r"\b(?:trying|want\w*|going) to (?:harm|hurt|kill|poison|get)\b", "persecution paranoia"),
        (r"\bsob\b", "shortness of breath"),
        (r"\bwet through\b", "sweating"),  # 'soaked', 'drenched' and 'wringing' are rewritten above
        (r"\b(?:wiped|worn|tired) out\b|\brun ?down\b|\b(?:no|low on|lacking) energy\b", "tired fatigue"),
        (r"\bhear(?:s|ing)? (?:things|voices|noises)\b", "auditory hallucinations"),
        # 'Bringing up' phlegm is coughing, not vomiting.
        (r"\b(?:bring|brings|bringing|brought)(?= (?:\w+ ){0,5}?(?:phlegm|sputum|mucus|blood)\b|.*\bcough)", "coughing"),
        # Food that returns or sticks: 'bring his milk back up', 'does food get stuck?'.
        (r"\b(?:bring|brings|bringing|brought|throw|throws|throwing|threw|spit|spits|spitting) (?:\w+ ){0,2}?(?:back )?up\b|"
         r"\b(?:come|comes|coming|came) back (?:up|out)\b", "regurgitation"),
        (r"\b(?:food|it|things) (?:\w+ ){0,2}stuck\b|\bstuck (?:in|when) (?:your |my |the )?(?:throat|swallow\w*|gullet)\b", "difficulty swallowing"),
        (r"\b(?:can ?not|can't|cant|could not|couldn't|unable to) (?:control|stop)\b", "involuntary"),
        (r"\bunder (?:a lot of |much |any |some )?(?:pressure|strain)\b", "stress"),
        (r"\bbeen away\b", "travel"),
        (r"\b(?:wet|wets|wetting) (?:yourself|himself|herself|themselves|the bed)\b", "urinary incontinence"),
        (r"\b(?:stis?|stds?)\b", "sexually transmitted infection"),
        (r"\bpass(?:es|ed|ing)? (?:urine|water)\b", "urination"),
        (r"\b(?:anyone|anybody|people|someone|others) (?:\w+ ){0,3}(?:ill|sick|unwell|poorly)\b", "sick contacts"),
        (r"\bpick(?:ing|s)? (?:\w+ )?(?:things|stuff|objects|it|them) up\b|\bhold(?:ing|s)? (?:things|objects|stuff)\b", "holding gripping objects"),
    )
)


@lru_cache(maxsize=8192)
def lay_rewrite(text: str) -> str:
    """The text with lay turns of phrase in the words a finding would use (a question's clause
    is rewritten several times while it is read, so the result is kept)."""
    text = re.sub(r"\b(ca|wo|sha)n[’']t\b", lambda m: {"ca": "can", "wo": "will", "sha": "shall"}[m.group(1).lower()] + " not", text, flags=re.I)
    text = text.replace("n't", " not").replace("n’t", " not")
    for pattern, repl in LAY_PHRASES:
        text = pattern.sub(repl, text)
    return text
