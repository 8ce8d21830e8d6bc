"""Shared helpers for the importers: sentences, ages, voices and first-person patient wording.

Benchmarks describe patients in the third person ("The patient reports a 1-month history of double
vision. She denies chest pain or fever.") or speak to an actor in the second person ("You are a
55-year-old woman who has noticed your skin darkening"). A consultsim patient speaks in the first
person, and a caregiver speaks about the child. The rules here are grammatical (pronouns,
subject-verb agreement, reporting verbs, denial lists), not fitted to particular records:

    text = first_person("The patient reports a 1-month history of double vision.", Voice())
    # -> "For the past month, I've had double vision."

`Voice` says who speaks (the patient, or a caregiver about a child of a given sex). Texts are
first normalised into third person with marked references to the patient (so that second-person
and third-person sources share one set of rewrites), then rendered in the voice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# --- small text utilities ---------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_ABBREVIATIONS = (
    "dr",
    "mr",
    "mrs",
    "ms",
    "st",
    "vs",
    "approx",
    "e.g",
    "i.e",
    "etc",
    "no",
    "fig",
    "figs",
    "resp",
    "temp",
    "min",
    "hr",
    "hrs",
    "mo",
    "yr",
    "yrs",
    "wk",
    "wks",
    "dept",
    "jr",
    "sr",
    "inc",
)


def clean(text: str) -> str:
    """Whitespace collapsed, straight apostrophes, stray markdown bold removed."""
    text = text.replace("’", "'").replace("‘", "'").replace("**", "")
    return _SPACE.sub(" ", text).strip()


def sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def end_sentence(text: str) -> str:
    """Capitalised, with a full stop unless it already ends a sentence."""
    text = sentence_case(text.strip().rstrip(",;:").strip())
    if text and text[-1] not in ".!?":
        text += "."
    return text


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; decimals ('5.4 kg'), abbreviations ('Dr.', 'e.g.') and list
    numbers ('1.') do not end a sentence."""
    text = clean(text)
    if not text:
        return []
    out: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])", text):
        end = match.end()
        before = text[start : match.start()]
        last = re.split(r"[\s(]", before)[-1].lower() if before else ""
        if (
            last.rstrip(".") in _ABBREVIATIONS
            or re.fullmatch(r"\d{1,2}", last)
            and len(before.split()) <= 1
        ):
            continue
        if re.fullmatch(r"[a-z]", last):  # an initial, as in "E. coli"
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def split_list(text: str) -> list[str]:
    """Items of a list such as 'chest pain, palpitations, or recent infections'.

    Commas and semicolons always separate items; a bare 'x or y' / 'x and y' is split only when
    both sides are short and the left side has no preposition ('changes in bowel or bladder
    habits' stays whole, 'nausea and vomiting' is split)."""
    text = clean(text).strip(" .;:")
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"\s*[;,]\s*(?![^()]*\))", text) if p.strip()]
    items: list[str] = []
    for part in parts:
        part = re.sub(r"^(?:and|or|nor|as well as|and/or)\s+", "", part, flags=re.I).strip()
        if not part:
            continue
        pieces = re.split(r"\s+(?:or|and|nor)\s+", part)
        distributive = re.search(
            r"\b(history|use|abuse|symptoms|changes|habits|problems|diseases?|function|disorders?|issues)$",
            pieces[-1],
            re.I,
        ) and not re.search(
            r"\b(history|use|abuse|symptoms|changes|habits|problems|diseases?|function|disorders?|issues)\b",
            pieces[0],
            re.I,
        )
        left_words = re.sub(r"^(?:an?|the|any|some)\s+", "", pieces[0], flags=re.I).split()
        adjectival = (
            len(pieces) == 2
            and len(left_words) > 1
            and re.search(r"(ed|al|ic|ous|ive)$", left_words[0].lower())
            and len(pieces[1].split()) == 1
        )
        if (
            len(pieces) == 2
            and not distributive
            and not adjectival
            and all(len(p.split()) <= 3 for p in pieces)
            and len(pieces[0].split()) >= len(pieces[1].split())
            and not re.search(
                r"\b(in|of|on|with|to|from|at|for|without|after|before|during)\b", pieces[0], re.I
            )
        ):
            items.extend(pieces)
        else:
            items.append(part)
    return [i.strip(" .") for i in items if i.strip(" .")]


def slug(text: str, limit: int = 48) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", clean(text).lower()).strip("-")
    if len(value) > limit:
        value = value[:limit].rsplit("-", 1)[0] or value[:limit]
    return value or "finding"


def unique_id(base: str, used: set[str]) -> str:
    """`base` made unique in `used` (base, base-2, base-3 ...), and recorded there."""
    base = slug(base)
    candidate = base
    n = 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def humanize_key(key: str) -> str:
    """'Acetylcholine_Receptor_Antibodies' -> 'acetylcholine receptor antibodies'; acronyms kept."""
    words = re.split(r"[_\s]+", str(key).strip())
    out = []
    for word in words:
        if not word:
            continue
        letters = re.sub(r"[^A-Za-z]", "", word)
        if len(letters) >= 2 and letters.isupper() or re.search(r"[a-z][A-Z]|\d", word):
            out.append(word)
        else:
            out.append(word.lower())
    return " ".join(out)


def lower_first(text: str) -> str:
    """Lower-case the first letter unless it starts an acronym or a name ('Crohn's disease')."""
    if not text:
        return text
    first = text.split()[0]
    if (
        len(first) > 1
        and (first[:2].isupper() or first.endswith(("'s", "’s")))
        or len(first) == 1
        and first.isupper()
        and first != "A"
    ):
        return text
    if re.match(r"[A-Z][a-z]+\b", first) and re.match(
        r"[A-Z][a-z]+['’]?s?\s+(disease|syndrome|sarcoma|phenomenon|palsy|sign|lymphoma|test)\b",
        text,
    ):
        return text
    return text[:1].lower() + text[1:]


def uninformative(text: str) -> bool:
    """True for placeholders such as 'NA', 'Information not provided', 'No additional symptoms
    mentioned', 'Not applicable given age'."""
    t = clean(text).lower().strip(" .")
    if not t or t in {
        "na",
        "n/a",
        "none",
        "nil",
        "unknown",
        "not available",
        "-",
        "not applicable",
        "newborn",
        "neonate",
        "infant",
        "baby",
        "child",
        "adult",
    }:
        return True
    patterns = (
        r"^(information|details?|data|history)?\s*(is |was |were )?not (provided|specified|available|given|mentioned|reported|documented|applicable)\b",
        r"\bnot (provided|specified|applicable|mentioned|available)\b\W*$",
        r"^(n/?a|not applicable)\b",
        r"^no (?:(?:additional|other|further|pertinent|relevant|significant|detailed|specific|known)\s+)*(symptoms?|information|complaints?|findings|details|history|social history|family history|data)\b.*\b(provided|mentioned|noted|reported|given|available|related to symptoms|specified)\b",
        r"^no (additional|other|further|pertinent|relevant) (symptoms?|complaints?|information|history|social history|details)$",
        r"^(does not|did not|didn't|doesn't) (specify|provide|mention)\b",
        r"^(the )?patient (did not|didn't|does not) provide\b",
        r"^(the )?patient details on\b.*\bnot provided",
        r"\b(unable to provide|not able to provide) (a |any )?(comprehensive )?(review|history)\b",
        r"^(occupation|hobbies|occupation and hobbies) not specified$",
        r"^no\b.*\b(additional|other|further|more)\b.*\b(symptoms?|complaints?|information|history|findings|details)\b.*\b(provided|mentioned|noted|reported|given|available|specified|by the \w+)\W*$",
        r"^(?:all )?other systems (?:reviewed )?(?:are )?(?:within normal limits|negative|unremarkable)",
        r"^all systems(?: review)? (?:is |are )?(?:essentially )?(?:negative|unremarkable|normal)",
        r"^no mention of\b",
        r"\b(?:is|are) unknown$",
        r"^no\b.*\b(?:system|systems) review\b",
        r"\b(?:was|were) (?:not )?(?:mentioned|provided) due to\b",
        r"^(?:ros|review of systems)(?: is)? (?:otherwise )?(?:negative|unremarkable|non-?contributory)",
    )
    return any(re.search(p, t) for p in patterns)


# --- ages and sexes ---------------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_UNIT_YEARS = {
    "year": 1.0,
    "yr": 1.0,
    "month": 1 / 12,
    "mo": 1 / 12,
    "week": 7 / 365.25,
    "wk": 7 / 365.25,
    "day": 1 / 365.25,
    "hour": 1 / 8766,
}


def parse_age(text: str | None) -> float | None:
    """Age in years from '35-year-old female', '2-month-old boy', 'A 41-year-old woman',
    '12 months', '24 years old', '41', 'Newborn, female', '2-day-old male infant'."""
    if text is None:
        return None
    t = clean(str(text)).lower()
    t = re.sub(
        r"\b(?:born\s+)?(?:at|after|of)?\s*(?:the\s+)?\d+(?:st|nd|rd|th)?[\s-]*(?:weeks?|wks?)['’]?\s*(?:of\s+)?gestation(?:al)?(?:\s+(?:age|week))?",
        " ",
        t,
    )
    t = re.sub(r"\b\d+(?:st|nd|rd|th)\s+gestational\s+week", " ", t)
    t = re.sub(r"\b(?:gravida|para|g|p)\s*\d+", " ", t)
    if re.fullmatch(r"\d+(\.\d+)?", t):
        value = float(t)
        return value if value <= 130 else None
    match = re.search(
        r"(\d+(?:\.\d+)?|" + "|".join(k for k in _NUMBER_WORDS if len(k) > 2) + r")[\s-]*"
        r"(year|yr|month|mo|week|wk|day|hour)s?[\s-]*(?:old|of age)?",
        t,
    )
    if match:
        raw = match.group(1)
        number = float(raw) if raw[0].isdigit() else float(_NUMBER_WORDS[raw])
        years = number * _UNIT_YEARS[match.group(2)]
        return round(years, 3) if years <= 130 else None
    if re.search(r"\b(newborn|neonate|new-born|just born|hours? old)\b", t):
        return 0.0
    return None


def parse_iso_duration(value: str | None) -> float | None:
    """Years from an ISO 8601 duration: P25Y, P3M, P2Y6M, P1M23D, P4W."""
    if not value:
        return None
    match = re.fullmatch(
        r"P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T.*)?",
        value.strip().upper(),
    )
    if not match or not any(match.groups()):
        return None
    y, m, w, d = (float(g) if g else 0.0 for g in match.groups())
    return round(y + m / 12 + w * 7 / 365.25 + d / 365.25, 3)


_FEMALE = r"\b(woman|female|girl|lady|mother|wife|daughter|gravida|pregnant|primigravida|nulliparous|postpartum|postmenopausal|she|her|herself)\b"
_MALE = r"\b(man|male|boy|gentleman|father|husband|son|he|him|his|himself)\b"


def parse_sex(text: str | None) -> str | None:
    """'female' / 'male' from demographics ('35-year-old female', 'Newborn, female', '8-month-old
    boy'); None when the text does not say."""
    if not text:
        return None
    t = clean(str(text)).lower()
    if re.fullmatch(r"f|female|woman|girl", t):
        return "female"
    if re.fullmatch(r"m|male|man|boy", t):
        return "male"
    female = re.search(r"\b(woman|female|girl|lady|gravida|pregnant|nulliparous|primigravida)\b", t)
    male = re.search(r"\b(man|male|boy|gentleman)\b", t)
    if female and not male:
        return "female"
    if male and not female:
        return "male"
    if female and male:  # "a 2-day-old male infant of a 30-year-old woman": the first one
        return "female" if female.start() < male.start() else "male"
    return None


def sex_from_pronouns(text: str) -> str | None:
    """The patient's sex guessed from the pronouns of a narrative ('She notes ...'); relatives'
    pronouns are discounted by ignoring sentences whose subject is a relative."""
    t = clean(text)
    female = male = 0
    for sentence in split_sentences(t):
        if re.match(
            r"^(the |his |her |patient's |the patient's )?(mother|father|wife|husband|parents?|daughter|son|sister|brother)\b",
            sentence,
            re.I,
        ):
            continue
        female += len(re.findall(r"\b(she|her|herself)\b", sentence, re.I))
        male += len(re.findall(r"\b(he|him|his|himself)\b", sentence, re.I))
    if female > male:
        return "female"
    if male > female:
        return "male"
    return None


def age_phrase(age: float | None, sex: str | None) -> str:
    """'35-year-old woman', '8-month-old boy', 'newborn girl', 'adult' (age unknown)."""
    noun_adult = {"female": "woman", "male": "man"}.get(sex or "", "adult")
    noun_child = {"female": "girl", "male": "boy"}.get(sex or "", "child")
    if age is None:
        return {"female": "female patient", "male": "male patient"}.get(sex or "", "patient")
    if age < 1 / 12:
        return f"newborn {noun_child if sex else 'baby'}".strip()
    if age < 2:
        months = max(1, round(age * 12))
        return f"{months}-month-old {noun_child if sex else 'baby'}"
    years = int(age)
    return f"{years}-year-old {noun_child if years < 18 else noun_adult}"


# --- voices -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """Who speaks: the patient ('I'), or a caregiver about the child ('my son ... he')."""

    caregiver: str | None = None  # 'mother', 'father', 'parent' ...; None: the patient speaks
    sex: str | None = None  # the patient's
    age_years: float | None = None

    @property
    def is_caregiver(self) -> bool:
        return self.caregiver is not None

    @property
    def child_noun(self) -> str:
        if self.age_years is not None and self.age_years < 1:
            return "my baby"
        return {"female": "my daughter", "male": "my son"}.get(self.sex or "", "my child")

    @property
    def pronoun(self) -> str:
        return {"female": "she", "male": "he"}.get(self.sex or "", self.child_noun)

    def subject(self, start: bool = False) -> str:
        if not self.is_caregiver:
            return "I"
        return sentence_case(self.child_noun) if start else self.pronoun

    @property
    def obj(self) -> str:
        if not self.is_caregiver:
            return "me"
        return {"female": "her", "male": "him"}.get(self.sex or "", "them")

    @property
    def poss(self) -> str:
        if not self.is_caregiver:
            return "my"
        return {"female": "her", "male": "his"}.get(self.sex or "", "their")

    @property
    def reflexive(self) -> str:
        if not self.is_caregiver:
            return "myself"
        return {"female": "herself", "male": "himself"}.get(self.sex or "", "themselves")

    @property
    def family_poss(self) -> str:
        """Whose family: 'my' for the patient, 'our' for a parent."""
        return "our" if self.is_caregiver else "my"

    def has_had(self, start: bool = True) -> str:
        """ "I've had" / "My son has had" / "he's had"."""
        if not self.is_caregiver:
            return "I've had"
        return (
            f"{self.subject(start)} has had"
            if start or self.sex is None
            else f"{self.pronoun}'s had"
        )

    def has_not_had(self, start: bool = False) -> str:
        if not self.is_caregiver:
            return "I haven't had"
        return f"{self.subject(start)} hasn't had"

    def has_not_been(self, start: bool = False) -> str:
        return "I haven't been" if not self.is_caregiver else f"{self.subject(start)} hasn't been"

    def does_not(self, start: bool = False) -> str:
        return "I don't" if not self.is_caregiver else f"{self.subject(start)} doesn't"

    def has(self, start: bool = True) -> str:
        return "I have" if not self.is_caregiver else f"{self.subject(start)} has"

    def is_(self, start: bool = True) -> str:
        return "I'm" if not self.is_caregiver else f"{self.subject(start)} is"


PATIENT = Voice()


def patient_block(age: float | None, sex: str | None, voice: Voice) -> dict[str, Any]:
    """The case's `patient` mapping: who speaks, with age and sex when known."""
    patient: dict[str, Any] = {"sex": sex or "unknown"}
    if age is not None:
        patient["age_years"] = round(age, 3)
    if voice.is_caregiver:
        patient["speaker"] = "caregiver"
        patient["caregiver"] = voice.caregiver or "parent"
    return patient

# --- verbs ------------------------------------------------------------------------------------

# Base forms of verbs that clinical narratives use with a third-person subject ("She notes ...").
VERBS = frozenset(
    """
    report note mention describe complain present state say explain endorse admit recall deny
    consume include lead cause involve interfere help prefer prevent provide contain consist reveal
    watch cook refuse fail claim reside share struggle pass spend rest sit stand lift drive ride
    swim hike camp read write speak talk live smoke chew inject snort inhale
    have be do take drink smoke work live use enjoy attend experience feel appear notice develop
    go come seem look sleep eat walk run play study wake need want try keep get become start stop
    continue remain suffer lose gain show exhibit demonstrate display avoid comment cry yell vomit
    cough wheeze sweat bleed bruise itch ache hurt complain believe think know remember like
    travel spend engage reach maintain follow babble mimic attain receive undergo require wear
    bring seek plan hope worry fear tend occur affect improve worsen persist radiate resolve
    change return manage exercise participate volunteer visit own care practice perform
    """.split()
)
_MODALS = frozenset("can could will would shall should may might must".split())
_ADVERBS = frozenset(
    """
    also always often never still now just only recently sometimes occasionally currently then
    initially already further frequently usually really even first later previously otherwise
    additionally not rarely regularly subsequently since again certainly definitely suddenly
    """.split()
)
_LY_VERBS = frozenset("apply reply rely supply fly multiply comply".split())
_IRREGULAR_PAST = frozenset(
    """
    had was were did went came felt lost found began became took gave got made saw said told
    thought knew kept fell broke brought bought ate drank slept woke wore ran sat stood
    underwent quit put cut hurt spent sought met heard held
    """.split()
)
_PAST_VERBS = frozenset(
    "regained developed noticed started experienced stopped fainted collapsed vomited passed woke "
    "lost gained fell began became took went underwent suffered received".split()
)
_PARTICIPLES = frozenset(
    "been had got gotten gone done seen taken given made known become felt lost noticed".split()
)


def _is_adverb(word: str) -> bool:
    w = word.lower()
    return w in _ADVERBS or (w.endswith("ly") and w not in _LY_VERBS and len(w) > 3)


def to_base(word: str) -> str:
    """'reports' -> 'report', 'denies' -> 'deny', 'goes' -> 'go', 'has' -> 'have'."""
    w = word.lower()
    special = {"has": "have", "is": "be", "does": "do", "goes": "go", "was": "was"}
    if w in special:
        return special[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def third_person(word: str) -> str:
    """'feel' -> 'feels', 'try' -> 'tries', 'have' -> 'has'; past forms and modals unchanged."""
    w = word.lower()
    special = {
        "have": "has",
        "are": "is",
        "am": "is",
        "were": "was",
        "do": "does",
        "go": "goes",
        "don't": "doesn't",
        "haven't": "hasn't",
        "aren't": "isn't",
        "weren't": "wasn't",
    }
    if w in special:
        out = special[w]
    elif w in _MODALS or w in _IRREGULAR_PAST or w.endswith("ed") or "'" in w or w.endswith("n't"):
        out = w
    elif re.search(r"[^aeiou]y$", w):
        out = w[:-1] + "ies"
    elif w.endswith(("s", "sh", "ch", "x", "z", "o")):
        out = w + "es"
    else:
        out = w + "s"
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def _first_person_verb(word: str) -> str:
    """The verb after 'I' for a verb written after 'he'/'she' ('is' -> 'am', 'notes' -> 'note')."""
    w = word.lower()
    special = {
        "is": "am",
        "isn't": "am not",
        "has": "have",
        "hasn't": "haven't",
        "does": "do",
        "doesn't": "don't",
        "was": "was",
        "wasn't": "wasn't",
    }
    if w in special:
        return special[w]
    if (
        w.endswith("s")
        and not w.endswith(("ss", "us", "is"))
        and to_base(w) in VERBS | {"have", "do", "go"}
    ):
        return to_base(w)
    if (
        w.endswith("s")
        and not w.endswith(("ss", "us", "is"))
        and len(w) > 3
        and not w.endswith("ous")
    ):
        base = to_base(w)
        if base in VERBS or base + "e" in VERBS:
            return base
        return base  # after a subject pronoun a word in -s is a verb
    return w


def _plural_verb(word: str) -> str:
    """The verb after 'we' for a verb written after 'he'/'she'."""
    w = word.lower()
    special = {
        "is": "are",
        "isn't": "aren't",
        "was": "were",
        "wasn't": "weren't",
        "has": "have",
        "hasn't": "haven't",
        "does": "do",
        "doesn't": "don't",
    }
    if w in special:
        return special[w]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        return to_base(w)
    return w


# --- normalising references to the patient ---------------------------------------------------

# Markers for references to the patient (subject, object, possessive, reflexive) and to the
# speaking caregiver ("I" / "we"); private-use characters never occur in source text.
S, OBJ, P, R, CI, CWE = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004", "\ue005"
_MARKERS = S + OBJ + P + R + CI + CWE

_CLAUSE_WORDS = frozenset(
    "and but or that because when while although though since if as so after before until where "
    "who which whether once nor whereas then".split()
)
_NOT_NOUN_AFTER_HER = frozenset(
    """
    to that and but or when while with for from at in on by about as than if so because since
    until after before up down out off over into onto under the a an this these those is was
    were are be been has have had will would can could should may might must not who which
    she he they it i you we
    """.split()
)
_OBJECT_CONTEXT = frozenset(
    """
    to for with at from about by of on in into around than like toward towards upon without behind
    tell told give gave ask asked help helps helped make makes made let lets bother bothers
    bothered wake wakes woke keep keeps kept cause causes caused see saw seen examine examined
    take took bring brought send sent call called show showed shown treat treated prescribe
    prescribed referred refer admitted admit bit bites hit hits follow followed advise advised
    """.split()
)
_CHILD_WORDS = r"(?:child|infant|newborn|neonate|baby|boy|girl|toddler|son|daughter|kid)"
_PATIENT_WORDS = (
    r"(?:patient|man|woman|gentleman|lady|teen|teenager|adolescent|student|" + _CHILD_WORDS[3:]
)
_RELATIVES = r"(?:mother|father|parents?|mom|mum|dad|grandmother|grandfather|grandparents?|brother|sister|siblings?|husband|wife|partner|boyfriend|girlfriend|son|daughter|uncle|aunt|cousin|roommates?|family|caregivers?|guardian|teacher|friends?|wife's|husband's)"

_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[\ue000-\ue005]|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")


def _tokens(text: str) -> list[str]:
    """Words, markers, numbers and punctuation, with whitespace kept as separate tokens."""
    out: list[str] = []
    pos = 0
    for match in _WORD_RE.finditer(text):
        if match.start() > pos:
            out.append(text[pos : match.start()])
        out.append(match.group())
        pos = match.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def _prev_word(tokens: list[str], i: int) -> str | None:
    j = i - 1
    while j >= 0 and tokens[j].isspace():
        j -= 1
    return tokens[j] if j >= 0 else None


def _next_index(tokens: list[str], i: int) -> int | None:
    j = i + 1
    while j < len(tokens) and tokens[j].isspace():
        j += 1
    return j if j < len(tokens) else None


_FINITE = frozenset(
    "is was has had does did can could will would should may might must isn't wasn't hasn't "
    "doesn't didn't can't couldn't won't appears seems remains".split()
)


def _subject_position(tokens: list[str], i: int) -> bool:
    nxt = _next_index(tokens, i)
    while nxt is not None and _is_adverb(tokens[nxt]):
        nxt = _next_index(tokens, nxt)
    if nxt is not None:
        word = tokens[nxt].lower()
        if word in _FINITE or (word.endswith("s") and to_base(word) in VERBS):
            return True
    prev = _prev_word(tokens, i)
    if prev is None:
        return True
    if prev in {",", ";", ":", "(", "-", "—", "–", '"', "'"}:
        return True
    if prev.lower() in _CLAUSE_WORDS:
        return True
    return False


def normalise(text: str, voice: Voice, *, second_person: bool = False) -> str:
    """Mark references to the patient (and to the speaking caregiver) in a third-person or
    second-person text. Verbs after a marked subject are left in the third person."""
    t = clean(text)
    t = re.sub(rf"\b({_BODY}) of (?:the |this )?patient\b", r"\1", t, flags=re.I)
    # Multi-word references first.
    child_ref = r"(?:the|this) (?:\d+[- ](?:day|week|month|year)[- ]old )?(?:(?:male|female|young|little|previously healthy) )*"
    possessive_patient = (
        rf"\b(?:the |this )?(?:patient|{_CHILD_WORDS[3:-1]})['’]s\b"
        if voice.is_caregiver or (voice.age_years is not None and voice.age_years < 18)
        else r"\b(?:the |this )?patient['’]s\b"
    )
    t = re.sub(possessive_patient, P, t, flags=re.I)
    who_words = (
        f"patient|{_CHILD_WORDS[3:-1]}"
        if voice.is_caregiver or (voice.age_years is not None and voice.age_years < 18)
        else "patient|man|woman|gentleman|lady"
    )
    t = re.sub(rf"\b{child_ref}(?:{who_words})\b(?![-'’])", "\ue010", t, flags=re.I)
    t = re.sub(r"^(?:patient)\b(?!['’])", "\ue010", t, flags=re.I)
    t = re.sub(r"(?<=[,;]\s)patient\b(?!['’])", "\ue010", t, flags=re.I)
    t = re.sub(
        r"\b(?:of|for|in|on|to|from) (?:the )?patient\b",
        lambda m: m.group().rsplit(" ", 2 if "the" in m.group() else 1)[0] + " \ue010",
        t,
        flags=re.I,
    )

    if voice.is_caregiver:
        speaker = voice.caregiver or "parent"
        who = (
            r"(?:mother|mom|mum)"
            if speaker == "mother"
            else r"(?:father|dad)"
            if speaker == "father"
            else r"(?:mother|father|parent)"
        )
        # "The mother", "his mother", "the patient's mother", "Mother" -> the speaker.
        t = re.sub(
            rf"(?:\b(?:the|his|her|its|their)\s+|{P}\s*|^|(?<=[.;,]\s))(?:{who})\b(?!['’]s)",
            CI,
            t,
            flags=re.I,
        )
        t = re.sub(
            rf"(?:\b(?:the|his|her|their)\s+|{P}\s*)(?:{who})['’]s\b", "\ue011", t, flags=re.I
        )
        t = re.sub(
            rf"(?:\b(?:the|his|her|their)\s+|{P}\s*|^)parents\b(?=\s+(?:also\s+)?(?:report|reports|reported|note|notes|noted|say|says|said|state|states|are|were|have|had|noticed|observed|brought|describe|describes|mention|mentions|deny|denies|recall|recalls)\b)",
            CWE,
            t,
            flags=re.I,
        )

    tokens = _tokens(t)
    mark_female = voice.sex in (None, "female")
    mark_male = voice.sex in (None, "male")
    # When a caregiver mother speaks about a son, "she"/"her" is the mother herself.
    mother_speaks = voice.is_caregiver and voice.caregiver == "mother" and voice.sex == "male"
    father_speaks = voice.is_caregiver and voice.caregiver == "father" and voice.sex == "female"
    out: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        new = tok
        if tok == "\ue010":
            new = S if _subject_position(tokens, i) else OBJ
        elif tok == "\ue011":
            new = "\ue011"
        elif second_person and low in {
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves",
            "you're",
            "you've",
            "you'd",
            "you'll",
        }:
            if low == "you":
                prev = _prev_word(tokens, i)
                new = (
                    OBJ
                    if prev is not None
                    and (
                        prev.lower() in _OBJECT_CONTEXT
                        or prev.lower().endswith("ed")
                        and prev.lower() not in _CLAUSE_WORDS
                    )
                    else S
                )
            elif low in {"your"}:
                new = P
            elif low in {"yours"}:
                new = P + "s"
            elif low in {"yourself", "yourselves"}:
                new = R
            else:  # contractions: you're -> S is, you've -> S has
                new = (
                    S
                    + " "
                    + {"you're": "is", "you've": "has", "you'd": "would", "you'll": "will"}[low]
                )
        elif low in {"she", "he"} and (
            (low == "she" and (mark_female or mother_speaks))
            or (low == "he" and (mark_male or father_speaks))
        ):
            if (low == "she" and mother_speaks) or (low == "he" and father_speaks):
                new = CI
            else:
                new = S
        elif low in {"she's", "he's"} and (
            (low == "she's" and mark_female) or (low == "he's" and mark_male)
        ):
            nxt = _next_index(tokens, i)
            word = tokens[nxt].lower() if nxt is not None else ""
            new = S + (" has" if word in _PARTICIPLES or word.endswith("ed") else " is")
        elif low in {"her", "his", "him", "herself", "himself", "hers"} and (
            (low in {"her", "herself", "hers"} and (mark_female or mother_speaks))
            or (low in {"his", "him", "himself"} and (mark_male or father_speaks))
        ):
            speaker_ref = (low in {"her", "herself", "hers"} and mother_speaks) or (
                low in {"his", "him", "himself"} and father_speaks
            )
            if low in {"herself", "himself"}:
                new = "myself" if speaker_ref else R
            elif low == "his" or low == "hers":
                new = "\ue011" if speaker_ref else P
            elif low == "him":
                new = "me" if speaker_ref else OBJ
            else:  # her: possessive before a noun, else object
                nxt = _next_index(tokens, i)
                word = tokens[nxt] if nxt is not None else ""
                possessive = (
                    bool(re.match(r"[A-Za-z0-9]", word)) and word.lower() not in _NOT_NOUN_AFTER_HER
                )
                if speaker_ref:
                    new = "\ue011" if possessive else "me"
                else:
                    new = P if possessive else OBJ
        out.append(new)
        # Second person: put the verb after a "you" subject into the third person.
        if second_person and new == S and low == "you":
            pass
    text_out = "".join(out)
    if second_person:
        text_out = _second_to_third_verbs(text_out)
    return text_out


def _second_to_third_verbs(text: str) -> str:
    """After a marked subject that came from 'you', conjugate the verb (and verbs coordinated
    with it: 'you are on therapy and have ...') in the third person."""
    tokens = _tokens(text)
    keep = {"is", "has", "was", "does", "would", "will", "doesn't", "hasn't", "isn't", "wasn't"}

    def fix(word: str) -> str:
        return word if word.lower() in keep else third_person(word)

    for i, tok in enumerate(tokens):
        if tok != S:
            continue
        j = _next_index(tokens, i)
        while j is not None and _is_adverb(tokens[j]):
            j = _next_index(tokens, j)
        if j is None or not re.match(r"[A-Za-z]", tokens[j]):
            continue
        tokens[j] = fix(tokens[j])
        k = _next_index(tokens, j)
        while k is not None:
            word = tokens[k].lower()
            if (
                word in _CLAUSE_STOP
                or tokens[k] in {".", ";", ":", "!", "?"}
                or tokens[k] in _MARKERS
            ):
                break
            if word in {"and", "but", "or"}:
                n = _next_index(tokens, k)
                if n is not None and tokens[n].lower() in {
                    "are",
                    "have",
                    "were",
                    "do",
                    "don't",
                    "haven't",
                    "aren't",
                    "feel",
                    "experience",
                    "notice",
                    "need",
                    "want",
                }:
                    tokens[n] = third_person(tokens[n])
            k = _next_index(tokens, k)
    return "".join(tokens)


# --- rewriting reports into speech (on normalised, third-person text) -------------------------

_DURATION_UNITS = r"(?:hour|day|week|month|year)"
_NUM = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many|a few)"
_REPORT_VERBS = r"(?:reports|reported|notes|noted|mentions|mentioned|describes|described|complains of|complained of|endorses|endorsed|admits to|admitted to|presents with|presented with|is presenting with|has|had|experienced|experiences|states|stated)"


def duration_text(number: str | None, unit: str) -> str:
    """'1', 'month' -> 'the past month'; '2', 'week' -> 'the past 2 weeks'."""
    if number is None or number.lower() in {"1", "one", "a", "an"}:
        return f"the past {unit}"
    if number.lower() in {"several", "few", "a few", "many"}:
        return f"the past {number.lower()} {unit}s"
    return f"the past {number} {unit}s"


_NOMINAL_GERUNDS = frozenset(
    "bleeding swelling itching vomiting wheezing sweating burning tingling ringing bruising snoring "
    "fainting morning evening hearing increasing worsening decreasing recurring ongoing persisting "
    "throbbing shooting stabbing crushing radiating lingering progressing something nothing".split()
)

_HISTORY_OF = (
    rf"(?:an? |the )?(?:(?P<n>{_NUM})[- ])?(?P<u>{_DURATION_UNITS})s?[- ](?:long[- ])?history of "
    r"(?:(?P<g>experiencing|having|feeling|being) )?(?P<x>.+)$"
)


def _has_had(x: str, gerund: str | None) -> str:
    """'has had X' / 'has been feeling X' for the gerund of a 'history of' phrase."""
    first = x.split()[0].lower() if x.split() else ""
    if not gerund and first.endswith("ing") and first not in _NOMINAL_GERUNDS:
        return f"has been {x}"
    if gerund in ("feeling", "being"):
        return f"has been {gerund} {x}"
    if gerund == "experiencing":
        return f"has been experiencing {x}"
    return f"has had {x}"


def _reporting_object(t: str, subject: str) -> str:
    """The rest of a sentence after '<subject> reports', as a statement about the subject."""
    m = re.match(_HISTORY_OF, t)
    if m:
        return f"For {duration_text(m.group('n'), m.group('u'))}, {subject} {_has_had(m.group('x'), m.group('g'))}"
    m = re.match(
        r"^(?:an? )?(?:(?:past |prior |remote |significant |medical |long |known )*)history of (?P<x>.+)$",
        t,
    )
    if m:
        return f"{subject} has a history of {m.group('x')}"
    m = re.match(
        r"^(experiencing|having|getting|feeling|noticing|developing|losing|gaining|being) (?P<x>.+)$",
        t,
    )
    if m:
        verb = {
            "experiencing": "has been experiencing",
            "having": "has had",
            "getting": "has had",
            "feeling": "has been feeling",
            "noticing": "has noticed",
            "developing": "has developed",
            "losing": "has lost",
            "gaining": "has gained",
            "being": "has been",
        }[m.group(1)]
        return f"{subject} {verb} {m.group('x')}"
    m = re.match(r"^no (?P<x>.+)$", t)
    if m:
        return f"{subject} has not had {m.group('x')}"
    m = re.match(r"^([a-z]+ing) (?P<x>.+)$", t)
    if m and m.group(1) not in {
        "increasing",
        "worsening",
        "decreasing",
        "recurring",
        "ongoing",
        "persisting",
        "throbbing",
        "shooting",
        "stabbing",
        "crushing",
        "radiating",
        "lingering",
        "progressing",
        "debilitating",
        "excruciating",
        "disabling",
        "alarming",
        "concerning",
        "bleeding",
        "swelling",
        "itching",
        "vomiting",
        "wheezing",
        "sweating",
        "burning",
        "tingling",
        "ringing",
        "bruising",
        "snoring",
        "fainting",
        "morning",
        "evening",
        "hearing",
        "something",
        "nothing",
        "anything",
        "everything",
    }:
        tense = (
            "was"
            if re.search(
                r"\b(ago|yesterday|last (?:night|week|month|year)|earlier|this morning)\b", t
            )
            else "has been"
        )
        return f"{subject} {tense} {t}"
    if re.search(r"\b(ago|yesterday|last night|this morning|earlier today)\b", t):
        return f"{subject} noticed {t}"
    return f"{subject} has had {t}"


_REPORTS = r"(?:reports|reported|notes|noted|mentions|mentioned|describes|described|complains of|complained of|is complaining of|complaining of|endorses|endorsed|admits to|admitted to|presents with|presented with|is presenting with|complains about)"
_RELATIVE_SUBJECT = rf"(?:(?:{P}|the|his|her|my|their) {_RELATIVES}|{_RELATIVES[3:-1]})"


def _rewrite(t: str) -> str:
    """Turn clinical reporting into plain statements about the marked subject (third person)."""
    subj = rf"(?:{S}|{CI}|{CWE})"
    t = t.strip()
    # Subjectless fragments: "Reports fever.", "Drinks wine occasionally.", "Works as a designer."
    adv = re.match(r"([A-Z][a-z]+ly) ([a-z]+s)\b", t)
    if adv and to_base(adv.group(2)) in VERBS:
        t = f"{S} {adv.group(1).lower()} {t[len(adv.group(1)) + 1 :]}"
    first = re.match(r"([A-Z][a-z]+)\b", t)
    if first and not t.startswith(S):
        word = first.group(1)
        base = to_base(word)
        low = word.lower()
        if (
            low.endswith("s")
            and low
            not in {"this", "is", "was", "has", "does", "his", "hers", "its", "parents", "siblings"}
            and (base in VERBS or base + "e" in VERBS)
        ):
            t = f"{S} {low}{t[len(word) :]}"
        elif low in {"has", "is", "was", "does", "complains", "presents"}:
            t = f"{S} {low}{t[len(word) :]}"
        elif re.match(
            r"(Treated|Diagnosed|Born|Seen|Admitted|Hospitalized|Delivered|Started|Operated|Vaccinated|Immunized|Managed|Referred|Brought|Told|Found|Involved)(?:\s+\w+ly)?\s+(for|with|at|on|in|by|to|via|as|after|next|near|unconscious)\b",
            t,
        ):
            t = f"{S} was {t[0].lower()}{t[1:]}"
        elif re.match(r"(Enrolled|Employed|Engaged|Interested)\s+(in|at|as|with)\b", t):
            t = f"{S} is {t[0].lower()}{t[1:]}"
        elif re.match(
            r"(Underwent|Had|Stopped|Quit|Took|Began|Developed|Noticed|Experienced|Received|Completed|Moved|Returned|Traveled|Travelled|Immigrated|Emigrated|Visited|Used|Smoked|Drank|Fell|Sustained|Suffered|Lost|Gained|Went)\b|(Recently|Previously|Currently|Never|Occasionally|Rarely|Regularly|Also|Still) [a-z]+(?:s|ed)\b",
            t,
        ):
            t = f"{S} {t[0].lower()}{t[1:]}"
        elif re.match(rf"^{_RELATIVES[3:-1]}\b", t, re.I) and not re.match(
            r"^(Family|Friends?)\b", t
        ):
            t = f"{P} {t[0].lower()}{t[1:]}"
    # "S reports that X" -> "X"
    t = re.sub(
        rf"^({subj}) (?:also |further |additionally )?(?:reports|report|notes|note|mentions|mention|states|state|says|say|explains|explain|adds|add|reported|noted|mentioned|stated|said|describes|described|reveals|revealed|admits|admitted|recalls|recalled) that ",
        "",
        t,
    )
    t = re.sub(
        rf"^({S}) (?:also )?(?:reports|notes|mentions|states|says|explains|reveals|admits|stated|said|mentioned) (?={S} )",
        "",
        t,
    )
    m = re.match(
        rf"^{S} (?:also )?(?:states|says|explains|stated|said) (?:that )?(?P<rest>(?:this|it|there|these|those|the|his|her|{P})\b.*)$",
        t,
    )
    if m and _SENTENCE_VERB.search(" ".join(m.group("rest").split()[:5])):
        t = m.group("rest")
    # Coming in: "S presents to the emergency department with X" -> "S presents with X"
    t = re.sub(
        rf"^({subj}) (?:presents|presented|is presenting) to (?:the |an? |her |his |{P} )?[\w\s'-]{{0,60}}?(?=\b(?:with|because of|due to|for|complaining of)\b)",
        r"\1 presents ",
        t,
    )
    t = re.sub(
        rf"^({subj}) (?:was|is|has been) brought to (?:the |an? )?[\w\s'-]{{0,60}}?(?=\b(?:with|because of|due to|for|after|by)\b)",
        r"\1 was brought in ",
        t,
    )
    t = re.sub(
        rf"^({subj}) (?:presents|presented|comes|came|is here|is seen) (?:to (?:the |an? |her |his |{P} )?[\w\s'-]{{0,60}}? )?for ",
        r"\1 is here for ",
        t,
    )
    t = re.sub(
        rf"^({subj}) (?:presents|presented|comes|came) (?:to (?:the |an? |her |his |{P} )?[\w\s'-]{{0,60}}? )?(?:because of|due to) ",
        r"\1 has come in because of ",
        t,
    )
    t = re.sub(rf"^({subj}) presents? complaining of ", r"\1 presents with ", t)
    t = re.sub(
        rf"^({subj}) (?:is|was|has been) (?:brought|presented|accompanied) (?:in )?(?:to [\w\s'-]+? )?by (?P<who>[^,]+?)(?: (?P<prep>due to|because of|for|after) (?P<why>.+))?$",
        lambda mm: (
            f"{mm.group('who')} brought {OBJ} in"
            + (
                (
                    " because of "
                    if mm.group("prep") in ("due to", "because of")
                    else f" {mm.group('prep')} "
                )
                + mm.group("why")
                if mm.group("why")
                else ""
            )
        ),
        t,
    )
    t = re.sub(
        rf"^({S}) (?:is|was|has been) brought in (?:due to|because of) ",
        r"\1 was brought in because of ",
        t,
    )
    t = re.sub(
        rf"^({S}) (?:also )?(?:describes|described) (.+?) as ", r"\1 would describe \2 as ", t
    )
    # The patient reports: "S reports a 1-month history of X", "S complains of X" ...
    m = re.match(
        rf"^({S}) (?:also |further |additionally |initially )?{_REPORTS}(?: (?:complaints?|a complaint) of)? (?P<rest>.+)$",
        t,
    )
    if m and not m.group("rest").startswith("that "):
        t = _reporting_object(m.group("rest"), S)
    m = re.match(rf"^({S}) (?:has|had) (?P<rest>{_HISTORY_OF[:-1]})$", t)
    if m:
        t = _reporting_object(m.group("rest"), S)
    # A speaking caregiver reports: "The mother reports having had no prenatal care"
    m = re.match(
        rf"^({CI}|{CWE}) (?:also )?(?:reports|report|notes|note|mentions|mention|observes|observe|has noticed|have noticed|describes|describe)(?: that)? (?P<rest>.+)$",
        t,
    )
    if m:
        rest = m.group("rest")
        g = re.match(r"^(?:having )?(had|experienced|noticed|seen|taken) (.+)$", rest)
        n = re.match(r"^(noticing|seeing|observing|finding) (.+)$", rest)
        if g:
            t = f"{m.group(1)} {g.group(1)} {g.group(2)}"
        elif n:
            t = f"{m.group(1)} {'has' if m.group(1) == CI else 'have'} {n.group(1)[:-3].replace('notic', 'notice').replace('observ', 'observe')}{'d' if n.group(1) in ('noticing', 'observing') else 'n' if n.group(1) == 'seeing' else ''} {n.group(2)}".replace(
                "has findn", "has found"
            ).replace("have findn", "have found")
        elif re.match(rf"^(?:{S}|the |this |his |her |{P}|[A-Z])", rest) and _SENTENCE_VERB.search(
            " ".join(rest.split()[:6])
        ):
            t = rest
        else:
            t = f"{m.group(1)} {'has' if m.group(1) == CI else 'have'} noticed {rest}"
    # Third parties: "The patient's daughter reports a 1-week history of X" / "His wife adds that ..."
    m = re.match(
        rf"^({_RELATIVE_SUBJECT}) (?:also )?(?:reports|report|notes|note|mentions|states|adds|observes|recalls|says)(?: that)? (?P<rest>.+)$",
        t,
        re.I,
    )
    if m:
        who, rest = m.group(1), m.group("rest")
        plural = who.lower().endswith(("parents", "roommates", "friends", "siblings"))
        hm = re.match(_HISTORY_OF, rest)
        if hm:
            t = f"{who} {'say' if plural else 'says'} {S} {_has_had(hm.group('x'), hm.group('g'))} for {duration_text(hm.group('n'), hm.group('u'))}"
        elif _SENTENCE_VERB.search(" ".join(rest.split()[:6])):
            t = f"{who} {'say' if plural else 'says'} {rest}"
        else:
            t = f"{who} {'have' if plural else 'has'} noticed {rest}"
    # "... because of a 4-month history of feeling sad" -> "... because S has been feeling sad for ..."
    t = re.sub(
        rf"\bbecause of (?:an? )?(?:(?P<n>{_NUM})[- ])?(?P<u>{_DURATION_UNITS})s?[- ](?:long[- ])?history of (?:(?P<g>experiencing|having|feeling|being) )?(?P<x>.+)$",
        lambda mm: (
            f"because {S} {_has_had(mm.group('x'), mm.group('g'))} for {duration_text(mm.group('n'), mm.group('u'))}"
        ),
        t,
    )
    # Coordinated reporting: "..., and reports new-onset difficulty walking"
    t = re.sub(
        r",? and (?:also )?(?:reports|notes|mentions|complains of|describes|endorses) (?!that\b)(?:experiencing |having )?",
        f", and {S} has had ",
        t,
    )
    t = re.sub(rf"^({S}) presents with ", r"\1 has had ", t)
    t = re.sub(r"^(?:positive for|reports?) ", f"{S} has had ", t, flags=re.I)
    t = re.sub(
        r"^(?:(?:the |his |her |chief |main )*)complaint (?:is|was) ",
        f"{S} has had ",
        t,
        flags=re.I,
    )
    t = re.sub(r"^(?:history|h/o) of ", f"{S} has a history of ", t, flags=re.I)
    return t


_CONTRACT_I = (
    (
        r"\bI have (been|had|got|gotten|noticed|lost|gained|started|stopped|developed|tried|taken|never|also|always|not|seen|felt)\b",
        r"I've \1",
    ),
    (r"\bI am\b", "I'm"),
    (r"\bI have not\b", "I haven't"),
    (r"\bI've not\b", "I haven't"),
    (r"\bI do not\b", "I don't"),
    (r"\bI did not\b", "I didn't"),
    (r"\bI was not\b", "I wasn't"),
    (r"\bI'm not able\b", "I'm not able"),
)


def _coordinated_first_person(m: re.Match[str]) -> str:
    verb = m.group(3)
    if verb in ("has", "is", "does", "hasn't", "isn't", "doesn't") or to_base(verb) in VERBS:
        verb = _first_person_verb(verb)
    return f"{m.group(1)} {m.group(2) or ''}{verb}"


_CLAUSE_STOP = frozenset(
    "that which who whom because when while although though if since until he she they it we you i".split()
)


def _agree(tokens: list[str], i: int, conjugate) -> None:
    """Conjugate the verb after the subject at `i`, and verbs coordinated with it ('I smoke and
    drink'), stopping where another clause starts."""
    j = _next_index(tokens, i)
    while j is not None and _is_adverb(tokens[j]):
        j = _next_index(tokens, j)
    if j is None or not re.match(r"[A-Za-z]", tokens[j]):
        return
    tokens[j] = conjugate(tokens[j])
    k = _next_index(tokens, j)
    while k is not None:
        word = tokens[k].lower()
        if word in _CLAUSE_STOP or tokens[k] in {".", ";", ":", "!", "?"} or tokens[k] in _MARKERS:
            return
        if word in {"and", "but", "or"} or (tokens[k] == "," and False):
            n = _next_index(tokens, k)
            while n is not None and _is_adverb(tokens[n]):
                n = _next_index(tokens, n)
            if n is not None and re.match(r"[A-Za-z]", tokens[n]):
                verb = tokens[n].lower()
                if verb in {"has", "is", "does", "was", "hasn't", "isn't", "doesn't", "wasn't"} or (
                    verb.endswith("s") and to_base(verb) in VERBS
                ):
                    tokens[n] = conjugate(tokens[n])
        k = _next_index(tokens, k)


def render(text: str, voice: Voice) -> str:
    """Replace the markers of a normalised text by the voice's words, fixing verb agreement."""
    tokens = _tokens(text)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok not in _MARKERS + "\ue011":
            out.append(tok)
            continue
        prev = _prev_word(tokens, i)
        start = prev is None or prev in {".", "!", "?"}
        if tok == S:
            subject = voice.subject(start)
            out.append(subject)
            if subject == "I":
                _agree(tokens, i, _first_person_verb)
        elif tok == OBJ:
            out.append(voice.obj)
        elif tok == P:
            out.append(voice.poss if not start else sentence_case(voice.poss))
        elif tok == R:
            out.append(voice.reflexive)
        elif tok == "\ue011":
            out.append("my" if not start else "My")
        elif tok == CI and (prev or "").lower() in _OBJECT_CONTEXT:
            out.append("me")
        elif tok == CI:
            out.append("I")
            _agree(tokens, i, _first_person_verb)
        elif tok == CWE:
            out.append("we" if not start else "We")
            _agree(tokens, i, _plural_verb)
    text = "".join(out)
    for pattern, repl in _CONTRACT_I:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\bI am not\b", "I'm not", text)
    text = re.sub(r"\bme myself\b", "me", text)
    text = re.sub(r"^I and (my [a-z]+)\b", lambda m: sentence_case(m.group(1)) + " and I", text)
    text = re.sub(r"\b(he|she) has (been|had)\b", r"\1's \2", text)
    text = re.sub(r"\bwe has\b", "we have", text)
    return text


_BODY = (
    r"(?:head|face|forehead|scalp|eyes?|eyelids?|ears?|nose|mouth|lips?|tongue|teeth|tooth|gums?|jaw|chin|"
    r"cheeks?|neck|throat|shoulders?|arms?|elbows?|forearms?|wrists?|hands?|fingers?|thumbs?|palms?|"
    r"chest|breasts?|back(?! of)|abdomen|belly|stomach|flanks?|hips?|groin|buttocks?|thighs?|legs?|knees?|shins?|"
    r"calf|calves|ankles?|foot|feet|toes?|heels?|skin|trunk|extremities|limbs?|joints?|penis|scrotum|"
    r"testicles?|testis|vagina|vulva|anus|rectum|spine|body|nails?|hair|eyebrows?|eyelashes|"
    r"upper (?:limbs?|extremities|arms?|back)|lower (?:limbs?|extremities|legs?|back))"
)


def own_body(text: str) -> str:
    """'a lesion on the right leg' -> 'a lesion on P right leg' (rendered 'my right leg')."""
    return re.sub(
        rf"\b(on|in|of|to|over|around|at|behind|under|from|above|below|near|into|across|along|down) (the )?"
        rf"((?:(?:left|right|upper|lower|inner|outer|back of the|front of the|side of the|both|affected|dorsal|volar|bilateral|anterior|posterior|medial|lateral|ring|index|middle|little|big|great) )*)({_BODY})\b",
        lambda m: (
            m.group(0)
            if not m.group(2) and not m.group(3) and not m.group(4).endswith("s")
            else (
                f"{m.group(1)} both {P} {m.group(3)[5:]}{m.group(4)}"
                if m.group(3).startswith("both ")
                else f"{m.group(1)} {P} {m.group(3)}{m.group(4)}"
            )
        ),
        text,
        flags=re.I,
    )


def first_person(text: str, voice: Voice = PATIENT, *, second_person: bool = False) -> str:
    """Third-person (or, with `second_person`, second-person) clinical text as the patient (or
    caregiver) would say it, ending with a full stop."""
    m = re.search(
        r"\b(?:has |have )?no (?:other )?(?:complaints?|symptoms?|problems?) (?:other than|except|apart from|besides|aside from) (.+?)\.?$",
        clean(text),
        re.I,
    )
    if m:
        what = render(own_body(normalise(m.group(1), voice)), voice)
        return end_sentence(f"Apart from {what}, {voice.has_not_had(True)} any other problems")
    t = normalise(sentence_case(clean(text).rstrip(" .!;:")), voice, second_person=second_person)
    t = own_body(t)
    t = _rewrite(t)
    out = render(t, voice)
    out = re.sub(r"\s+([,.;:])", r"\1", out)
    return end_sentence(out)


# --- denials and pertinent negatives ----------------------------------------------------------

_DENIAL_START = re.compile(
    r"^(?:(?:the |this )?(?:patient|child|infant|baby|newborn|boy|girl|man|woman|son|daughter)|he|she|they|you|[\ue000])?\s*"
    r"(?:also |otherwise |further |specifically |currently |additionally )?"
    r"(?:denies|denied|deny|reports no|reported no|report no|has no|had no|have no|has not had|hasn't had|has had no|had no|have not had|haven't had|"
    r"does not report|did not report|doesn't report|does not have|doesn't have|do not have|don't have|has not noticed|hasn't noticed|have not noticed|haven't noticed|"
    r"has never had|has never noticed|has not experienced|have not experienced|haven't experienced|no reports? of|no complaints? of|"
    r"does not present with|doesn't present with|does not complain of|does not|doesn't|do not|don't|did not|didn't|"
    r"negative for|without|there (?:is|was|has been|were|are|have been) no|no (?:history|h/o) of|no|not)\b\s*",
    re.I,
)


def denial_items(clause: str) -> list[str] | None:
    """The denied items of a clause that denies ('She denies chest pain, palpitations, or fever',
    'No fever or vomiting', 'Negative for X and Y'), else None."""
    c = clean(clause).strip(" .")
    if re.search(
        r"\bno (?:other )?(?:complaints?|symptoms?|problems?) (?:other than|except|apart from|besides|aside from)\b",
        c,
        re.I,
    ):
        return None
    c = re.sub(
        r"^(?:on (?:review|questioning|further questioning|systems review)|upon (?:further )?questioning|specifically|otherwise)\s*,?\s*(?:there(?:'s| is| was) )?",
        "",
        c,
        flags=re.I,
    )
    m = _DENIAL_START.match(c)
    if not m or not m.group(0).strip():
        return None
    rest = c[m.end() :]
    rest = re.sub(
        r"^(?:any |experiencing |having |feeling |a history of |history of |any history of |recent history of |episodes of |signs of |symptoms of )+",
        "",
        rest,
        flags=re.I,
    )
    rest = re.sub(r"^any ", "", rest, flags=re.I)
    if not rest or len(rest.split()) > 40:
        return None
    items = []
    rest = re.sub(
        r"\s+(?:was |were |is |are |has been |have been )?(?:reported|noted|mentioned|observed|documented|identified|seen)$",
        "",
        rest,
        flags=re.I,
    )
    rest = re.sub(r"\s*\((?:no|not|without)\b[^)]*\)", "", rest, flags=re.I)
    for item in split_list(rest):
        item = re.sub(
            r"^(?:any|a|an|the|no|denies|deny|reports no|reported|known|other known)\s+",
            "",
            item,
            flags=re.I,
        ).strip()
        item = re.sub(
            r"\s+(?:was |were )?(?:reported|noted|mentioned|observed|documented)$",
            "",
            item,
            flags=re.I,
        ).strip()
        if item and not uninformative(item):
            items.append(item)
    return items or None


def split_clauses(sentence: str) -> list[str]:
    """A sentence split where a denial or a new statement starts ('Complains of X but denies Y';
    'No recent illnesses, denies fever'; 'X; Y')."""
    s = clean(sentence)
    parts = re.split(
        r"\s*;\s*|,?\s+(?:but|and|while|although)\s+(?=(?:also\s+)?(?:denies|deny|reports no|has no|had no|no\s|without\b|negative for|has not|hasn't|does not|doesn't))"
        r"|,\s+(?=(?:also\s+)?(?:denies|deny|reports|reports no|negative for|positive for)\b)"
        r"|,\s+and\s+(?=(?:the|his|her|my|this|these|your)\s+(?:\w+\s+){0,3}?(?:is|are|was|were|has|have|had)\b)",
        s,
        flags=re.I,
    )
    return [p.strip(" ,.") for p in parts if p and p.strip(" ,.")]


_VP_VERBS = frozenset(
    "smoke drink consume use take recall remember follow engage reach maintain mimic know feel eat sleep walk "
    "exercise work live travel attend wear need want go play speak seem appear look remain".split()
)


def negative_text(item: str, voice: Voice = PATIENT, *, second_person: bool = False) -> str:
    """'chest pain' -> "No, I haven't had chest pain."; 'smoking' -> "No, I haven't been smoking.";
    'tobacco or alcohol use' -> "No, I don't use tobacco or alcohol."; a caregiver says "he"."""
    item = clean(item).strip(" .")
    low = lower_first(item)
    low = render(own_body(normalise(low, voice, second_person=second_person)), voice)
    first_word = low.split()[0] if low.split() else ""
    if (
        first_word in _VP_VERBS
        and not low.startswith("use of")
        and (len(low.split()) > 1 or first_word in {"smoke", "drink"})
    ):
        return end_sentence(f"No, {voice.does_not()} {low}")
    m = re.match(
        r"^(?:a |any )?(?:known |significant |positive )?family history of (.+)$", low
    ) or re.match(r"^(.+?) in (?:the|my|our|his|her) family$", low)
    if m:
        return end_sentence(f"No, nobody in {voice.family_poss} family has had {m.group(1)}")
    m = re.match(
        r"^(?:any )?(recent )?((?:foreign|international|overseas) )?travel(?:s|ling|ing)?(?: history)?\b(.*)$",
        low,
    )
    if m:
        where = " abroad" if m.group(2) else ""
        return end_sentence(
            f"No, {voice.has_not_had().replace(' had', '')} travelled{where}{m.group(3)} recently"
        )
    m = re.match(r"^(?:use of|using) (.+)$", low)
    if m:
        return end_sentence(f"No, {voice.does_not()} use {m.group(1)}")
    m = re.match(r"^(.+?) (?:use|usage|consumption|intake|abuse)$", low)
    if m and len(m.group(1).split()) <= 5:
        things = re.sub(r"\bdrug$", "drugs", m.group(1))
        parts = [p for p in re.split(r",? (?:or|and) |, ", things) if p]
        said: list[str] = []
        for part in parts:
            if re.search(r"alcohol|beer|wine|liquor", part):
                said.append(f"drink {part}")
            else:
                said.append(("use " if not said or said[-1].startswith("drink") else "") + part)
        return end_sentence(f"No, {voice.does_not()} " + " or ".join(said))
    first = low.split()[0] if low.split() else ""
    if first.endswith("ing") and first not in {
        "tingling",
        "bleeding",
        "swelling",
        "itching",
        "vomiting",
        "wheezing",
        "sweating",
        "burning",
        "ringing",
        "feeling",
        "bruising",
        "snoring",
        "fainting",
        "morning",
        "evening",
        "hearing",
    }:
        return end_sentence(f"No, {voice.has_not_been()} {low}")
    head = re.split(r"\s+(?:of|in|on|with|to|from|at|when|after|during|that|or|and)\b", low)[0]
    if re.match(r"^(any|a|an|the|my|his|her|some|our|their)\b", low):
        phrase = low
    elif re.search(r"[^s]s\b", head) or re.search(
        r"\b(symptoms|problems|changes|issues|complaints)\b", head
    ):
        phrase = "any " + low
    else:
        phrase = with_article(low)
    return end_sentence(f"No, {voice.has_not_had()} {phrase}")


# --- noun phrases -----------------------------------------------------------------------------

_COUNT_NOUNS = frozenset(
    """
    rash cough fever headache lump mass lesion ulcer wound sore blister bump spot nodule cyst
    murmur seizure episode infection cold injury fracture fall tremor delivery surgery operation
    section transplant history feeling sensation ache bleed nosebleed growth tumor tumour abscess
    stroke attack tic twitch abdomen head face tongue skull nose chin forehead neck chest palate
    lip liver spleen heart kidney belly stomach body voice plaque papule macule patch scar mark
    bruise cut burn bite sting fissure hernia gait posture appetite discharge cleft defect hole
    dislocation sprain tear rupture gash boil mole wart pimple bulge limp lisp stammer stutter
    diagnosis miscarriage pregnancy baby procedure biopsy scan thumb eye bone arm finger toe ear
    foot hand leg jaw mouth neck nail philtrum forehead brow eyebrow eyelid nipple scalp spine
    chest navel umbilicus bridge tip septum valve aneurysm murmur hernia cataract coloboma root
    """.split()
)
_DETERMINERS = r"(?:a|an|the|my|his|her|their|our|your|some|any|no|one|two|three|several|multiple|many|few|this|that|these|those|each|every|both|\d)"


def with_article(np: str) -> str:
    """'distended abdomen' -> 'a distended abdomen'; 'double vision' unchanged."""
    np = np.strip()
    if not np or re.match(rf"^{_DETERMINERS}\b", np, re.I):
        return np
    chunk = re.split(
        r"\s+(?:of|on|in|with|that|which|at|over|to|from|for|after|during|since|and|or|when|while|despite|without|around|near|below|above|under)\b|[(]|,\s+(?=\w+\s+(?:of|on|in|with)\b)",
        np,
        maxsplit=1,
    )[0]
    words = chunk.split()
    if not words:
        return np
    head = re.sub(r"[^a-z-]", "", words[-1].lower())
    if head in _COUNT_NOUNS or head.endswith(("ectomy", "otomy", "plasty")):
        article = (
            "an" if re.match(r"[aeio]|u(?!ni|s[eu]|r[ei]|t)|h(?:our|onest)", np, re.I) else "a"
        )
        return f"{article} {np}"
    return np


_NEGATED_NP = re.compile(
    r"^(?:no|not|denies|deny|denied|absence of|absent|without|negative for|never)\b\s*", re.I
)


def negated_phrase(np: str) -> str | None:
    """'No fever' -> 'fever'; 'Not painful' -> 'painful'; otherwise None."""
    m = _NEGATED_NP.match(clean(np))
    if not m:
        return None
    rest = clean(np)[m.end() :].strip(" .")
    rest = re.sub(r"^(?:any|a|an|history of|recent history of)\s+", "", rest, flags=re.I)
    return rest or None


_SENTENCE_VERB = re.compile(
    r"\b(is|are|was|were|has|have|had|does|did|do|reports?|notes?|shows?|appears?|seems?|denies|"
    r"presents?|experiences|feels|complains|started|began|occurred|noticed|noted|observed|died|includes?|included|"
    r"became|remains?|persists?|improves?|worsens?|radiates?|resolved)\b",
    re.I,
)


def is_clause(text: str) -> bool:
    """Does the text read as a statement with a verb rather than a bare noun phrase?"""
    t = clean(text)
    words = t.split()
    if len(words) < 2:
        return False
    main = re.split(
        r"\s+(?:that|which|who|whom|where|when|while|after|before|because|since|until|despite)\s+|,",
        t,
    )[0]
    if _SENTENCE_VERB.search(main):
        # "Pain worsens with movement", "Lesions are painless", "Mother reports ..."
        return True
    first = words[0].lower()
    return first in _IRREGULAR_PAST | _PAST_VERBS


def symptom_text(np: str, voice: Voice = PATIENT, *, duration: str | None = None) -> str:
    """A symptom noun phrase as the patient says it: 'Double vision' -> "I've had double vision.";
    'Weakness in upper limbs' -> "I've had weakness in my upper limbs."; a statement ('Pain worsens
    with movement') is put in the first person instead."""
    raw = clean(np).strip(" .")
    if is_clause(raw):
        sentence = raw
        if not re.match(
            rf"^(?:the |this |a |an |my |his |her |{_RELATIVES})", raw, re.I
        ) and re.match(
            r"^[A-Z][a-z]+ (?:is|are|was|were|has|have|worsens|improves|radiates|started|began)\b",
            raw,
        ):
            # "Pain worsens with movement" -> "The pain worsens with movement"
            sentence = "The " + lower_first(raw)
        if re.match(rf"^{_RELATIVES[3:-1]}\b", raw, re.I) and not voice.is_caregiver:
            sentence = f"{P} " + lower_first(raw)
        elif re.match(rf"^(?:(?:left|right|both|upper|lower)\s+)*{_BODY}\b", raw, re.I):
            sentence = f"{P} " + lower_first(raw)
        elif raw.split()[0].lower() in _IRREGULAR_PAST | _PAST_VERBS:
            sentence = f"{S} " + lower_first(raw)
        return first_person(sentence, voice)
    m = re.match(r"^(?:the )?presence of (.+)$", raw, re.I)
    if m:
        raw = m.group(1)
    if re.match(r"^(worse|better)\b", raw, re.I):
        return end_sentence(f"It gets {lower_first(raw)}")
    if re.match(
        r"^(unaware|aware|unable|able|afraid|concerned|worried|anxious|unsure|reluctant)\b",
        raw,
        re.I,
    ):
        return end_sentence(render(f"{S} is {lower_first(own_body(raw))}", voice))
    m = re.match(r"^(?:family|familial) history of (.+)$", raw, re.I)
    if m:
        return end_sentence(
            f"There's a history of {lower_first(m.group(1))} in {voice.family_poss} family"
        )
    if re.match(r"^[A-Za-z]+ly [a-z]+ed\b", raw):  # "Exclusively breastfed"
        return end_sentence(render(f"{S} is {lower_first(raw)}", voice))
    if re.match(r"^(?:history|h/o) of ", raw, re.I):
        body = own_body(lower_first(re.sub(r"^(?:history|h/o) of ", "", raw, flags=re.I)))
        body = re.sub(r"\b(his|her)\b", P, body)
        return end_sentence(render(f"{S} has had {with_article(body)} before", voice))
    body = normalise(lower_first(raw), voice)
    body = own_body(body)
    phrase = render(f"{S} has had {with_article(body)}", voice)
    if duration:
        phrase += f" for {duration}"
    return end_sentence(phrase)


# --- findings a patient would not know ---------------------------------------------------------

_EXAM_MARKERS = re.compile(
    r"\b(on (?:physical |clinical )?exam(?:ination)?|(?:physical|clinical|neurological|abdominal|pelvic|rectal|cardiac|lung|skin|eye|fundoscopic|ophthalmologic|mental status|general) exam(?:ination)?|"
    r"examination|exam\b|palpation|palpable|auscultation|percussion|reflex(?:es)?|murmur|bowel sounds|breath sounds|heart sounds|"
    r"retractions|fasciculations?|clonus|babinski|plantar responses?|nystagmus|conjunctiva[el]?|scleral icterus|icterus|"
    r"hepatomegaly|splenomegaly|hepatosplenomegaly|lymphadenopathy|rales|rhonchi|crackles|bruit|"
    r"blood pressure|hypotension|hypertension(?= (?:on|in|at) )|tachycardia|bradycardia|tachypnea|bradypnea|pulse (?:is|of|rate)|"
    r"heart rate|respiratory rate|respirations (?:are|of)|temperature (?:is|of)|oxygen saturation|vital signs|"
    r"\d+\s*/\s*min\b|mm ?hg|\d\s*°\s*[cf]\b|°[cf]|bpm|"
    r"oriented to|alert and oriented|glasgow coma|gcs|apgar|tanner stage|percentile|bmi\b|"
    r"noted (?:up)?on|noticed (?:up)?on exam|during (?:the )?exam|upon examination|is noted|was noted|were noted|on inspection|"
    r"visual acuity|fundoscop|otoscop|dermoscop|tender(?:ness)? to palpation|rebound|guarding|shifting dullness|"
    r"positive .{0,20}sign|sign is positive|capillary refill|pulses? (?:are|is|were)|regular rate and rhythm|pallor|erythematous|edematous|"
    r"physician finds|on arrival|well-appearing|on evaluation|fully oriented|complexion|pupils?|fontanelle)\b",
    re.I,
)
_OBSERVED_MARKERS = re.compile(
    r"^(?:(?:overall |general )?(?:healthy|well|ill|toxic|unwell|sick)[- ]appear(?:ance|ing)|alert\b|awake and|oriented\b|conscious and|in no (?:acute )?distress)|"
    r"^(?:[\ue000]|the (?:patient|child|infant|newborn|baby|boy|girl|man|woman)|he|she|patient)?\s*(?:also |otherwise )?"
    r"(?:appears|appeared|looks|exhibits|exhibited|shows signs|is (?:alert|somnolent|lethargic|diaphoretic|toxic|well-appearing|in (?:acute |no )?distress|oriented|unkempt|pale|afebrile|febrile)|"
    r"presents as|is noted|was noted|is observed)\b",
    re.I,
)
_TEST_MARKERS = re.compile(
    r"\b((?:laboratory|lab|blood|serum|urine|stool|csf) (?:tests?|testing|studies|work|results?|values?|analysis|findings|data|levels?|count)|"
    r"laboratory|hemoglobin|haemoglobin|hematocrit|leukocyte|platelet|creatinine|sodium|potassium|glucose (?:level|concentration|of)|"
    r"urinalysis|urine (?:culture|dipstick|analysis)|culture|biopsy|histolog|histopatholog|cytolog|smear|serolog|antibod|titer|pcr\b|"
    r"x-?ray|radiograph|ultrasound|ultrasonograph|sonograph|echocardiogra|ecg|ekg|electrocardiogra|eeg|emg|electromyograph|ct\b|computed tomograph|mri\b|magnetic resonance|"
    r"mammogra|angiogra|endoscop|colonoscop|bronchoscop|laryngoscop|anoscop|cystoscop|laparoscop|scan\b|imaging|"
    r"mg/dl|mmol/l|g/dl|/mm3|/mm\^?3|u/l|iu/l|meq/l|ng/ml|pg/ml|μg|ug/|fl\b|per cubic millimeter|reference range|"
    r"cell count|immunohistochem|stain(?:ed|ing)?\b|electrophoresis|cytogenetic|karyotype|genetic testing|sequencing|"
    r"\bserum\b|\bplasma\b|\b(?:reticulocyte|blood|cell|platelet|leukocyte|neutrophil|lymphocyte|eosinophil|cd4) count\b|corpuscular|electrolytes|\bbun\b|\bmcv\b|a1c\b|"
    r"\bmg/|\bμm3|\bfl\b|\bmeq\b|\bmm3\b|\d+(?:\.\d+)?\s*%(?! on room air))",
    re.I,
)


def exam_like(text: str, *, vitals: bool = True) -> bool:
    """Does the text describe an examination finding or vital sign (not something the patient
    would know)? With `vitals` false a temperature ('fever of 40.5°C') does not count: a
    patient or parent reports one."""
    t = clean(text)
    if not vitals:
        t = re.sub(r"\(?\d+(?:\.\d+)?\s*°\s*[CF]\b[^)]*\)?|\btemperature\b", " ", t)
    return bool(_EXAM_MARKERS.search(t))


def observed_like(text: str) -> bool:
    """Does a narrative sentence describe what the clinician observes ('The patient appears
    anxious', 'He is alert and oriented')?"""
    return bool(_OBSERVED_MARKERS.search(clean(text)))


def test_like(text: str) -> bool:
    """Does the text report a laboratory, imaging or other test result?"""
    return bool(_TEST_MARKERS.search(clean(text)))


def image_only(text: str) -> bool:
    """A sentence that only points at a picture the case does not include."""
    t = clean(text).lower()
    return (
        bool(
            re.search(
                r"\b(is|are) (shown|given|depicted|provided)\b|\b(given|shown) in the (picture|image|figure|photo)|\bscatter plot\b|\bshown below\b",
                t,
            )
        )
        and len(t.split()) <= 18
    )


# --- normal or abnormal -----------------------------------------------------------------------

_NORMAL_WORDS = re.compile(
    r"\b(normal|within normal|wnl|unremarkable|negative|non-?reactive|no abnormalit(?:y|ies)|clear|intact|"
    r"appropriate|none|absent|nontender|non-tender|symmetric(?:al)?|regular rate|not (?:detected|present|observed|seen|found|elevated)|"
    r"alert and oriented|oriented to|afebrile|normothermic|well-appearing|no (?:acute )?distress|"
    r"no (?:significant|acute|evidence|signs?|abnormal\w*|focal)|no [\w\s-]{1,40}? (?:detected|noted|seen|found|present|observed|identified))\b",
    re.I,
)
_ABNORMAL_WORDS = re.compile(
    r"(abnormal|elevat|increas|decreas|reduc|diminish|\blow\b|\bhigh\b|positive|\bpresent\b|enlarg|distend|distension|"
    r"tender|\bmass\b|lesion|swollen|swelling|edema|oedema|erythem|rash|murmur|ptosis|weak|atroph|dilat|thicken|opacit|"
    r"effusion|consolidat|fracture|lymphadenopathy|megaly|tachy|brady|hypo|hyper|irregular|ataxi|nystagmus|deficit|"
    r"impair|crackles|wheez|rales|rhonchi|pallor|pale\b|icter|jaund|cyanos|blood|bleed|ulcer|pustul|plaque|papul|vesic|"
    r"blister|nodul|cyst|stenosis|occlusion|obstruct|thromb|infarct|h(a)?emorrhag|inflam|infiltrat|necros|granulom|"
    r"malignan|carcinoma|tumou?r|neoplas|consistent with|suggest|compatible with|indicative of|\bmild|\bmoderate|\bsevere|"
    r"prolong|delay|spasm|rigid|tremor|clonus|absent (?:reflex|pulse)|dullness|bruit|gallop|rub\b|deformit|asymmetr|"
    r"exud|purulent|anemi|an(a)?emia|leukocyt|cytosis|penia|philia|emia\b|uria\b|itis\b|osis\b|blast|atypical|"
    r"lymphocytosis|\d\+|\d/5|grade \d|visualization of|detected|\bseen\b|shows|revealed|identified)",
    re.I,
)
_NOT_KEY = re.compile(
    r"\b(refus|declin|not performed|deferred|pending|not done|was performed|is performed|were performed|ordered)\w*",
    re.I,
)
_NEGATED_SPAN = re.compile(
    r"\b(?:no|without|negative for|absence of|not|nor|denies|non-?)\b[^,.;]*|\bnormal [\w\s-]*?(?=,|;|\.|$| and | with | but )",
    re.I,
)


def is_normal(text: str) -> bool:
    """Is an examination or test result normal (so not a key finding)? 'Normal reflexes
    throughout' and 'Normal, no thymoma detected' are; 'Normal S1 and S2, 2/6 systolic murmur' and
    'Present (elevated)' are not. Results that are neither (a refused examination) count as normal."""
    t = clean(text)
    if _NOT_KEY.search(t):
        return True
    has_normal = bool(_NORMAL_WORDS.search(t))
    rest = _NEGATED_SPAN.sub(" ", t)
    rest = re.sub(r"\b(?:within|in) (?:the )?normal (?:limits|range)\b", " ", rest, flags=re.I)
    abnormal = bool(_ABNORMAL_WORDS.search(rest))
    if abnormal:
        return False
    return has_normal


def _numbers(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d+(?:[.,]\d+)?", text)]


def vital_is_normal(name: str, value: str, age_years: float | None) -> bool | None:
    """Whether a vital sign is in the normal range for the age; None when the value cannot be
    judged. Words ('Normal for age', 'Elevated') decide before numbers."""
    n = clean(name).lower()
    v = clean(str(value))
    vl = v.lower()
    if re.search(
        r"\b(normal|within normal|afebrile|normothermic|stable|unremarkable)\b", vl
    ) and not re.search(r"\b(ab|not )normal|elevat|high|low|decreas|increas", vl):
        return True
    if (
        re.search(
            r"\b(elevated|high|low|decreased|increased|abnormal|febrile|tachy|brady|hypo|hyper)", vl
        )
        and "normal" not in vl
    ):
        return False
    child = age_years is not None and age_years < 12
    nums = _numbers(v)
    if not nums:
        return None
    if "temp" in n or re.search(r"°\s*[cf]|\bfever\b", vl):
        m = re.search(r"(\d+(?:\.\d+)?)\s*°?\s*c\b", vl)
        celsius = float(m.group(1)) if m else None
        if celsius is None:
            f = re.search(r"(\d+(?:\.\d+)?)\s*°?\s*f\b", vl)
            celsius = (
                (float(f.group(1)) - 32) * 5 / 9
                if f
                else (nums[0] if nums[0] < 45 else (nums[0] - 32) * 5 / 9)
            )
        return 35.5 <= celsius < 38.0
    if "pressure" in n or re.search(r"\d+\s*/\s*\d+\s*mm", vl):
        m = re.search(r"(\d+)\s*/\s*(\d+)", v)
        if not m:
            return None
        sys_, dia = float(m.group(1)), float(m.group(2))
        if child:
            return 70 <= sys_ <= 120 and dia <= 80
        return 90 <= sys_ < 140 and 50 <= dia < 90
    if "heart" in n or "pulse" in n or "bpm" in vl:
        rate = nums[0]
        if age_years is None or age_years >= 12:
            return 50 <= rate <= 100
        low, high = (
            (100, 180)
            if age_years < 1
            else (80, 150)
            if age_years < 3
            else (70, 140)
            if age_years < 6
            else (65, 120)
        )
        return low <= rate <= high
    if "resp" in n or "breath" in vl:
        rate = nums[0]
        if age_years is None or age_years >= 12:
            return 10 <= rate <= 20
        low, high = (
            (30, 60)
            if age_years < 1
            else (22, 40)
            if age_years < 3
            else (20, 34)
            if age_years < 6
            else (16, 30)
        )
        return low <= rate <= high
    if "saturation" in n or "spo2" in n or "o2" in n or "%" in vl and "oxygen" in (n + vl):
        return nums[0] >= 94
    if "bmi" in n or "bmi" in vl:
        return 18.5 <= nums[0] < 30
    if "percentile" in vl:
        return 3 < nums[0] < 97
    return None


# --- specialties ------------------------------------------------------------------------------

_SPECIALTY_WORDS: dict[str, str] = {
    "dermatology": r"\b(rash|skin|dermat\w*|papul\w*|plaques?|blisters?|pruritic|itch\w*|eczema|psoriasis|melanoma|keratosis|pemphigus|acne|erythema|molluscum|lesions? on|macules?|pustul\w*|urticaria|bite|cellulitis|hyperpigment\w*)\b",
    "cardiology": r"\b(heart|cardiac|cardio\w*|murmur|chest pain|palpitations?|aort\w*|coarctation|septal defect|myocard\w*|pericard\w*|arrhythm\w*|atrial|ventricular|syncope|endocarditis|angina)\b",
    "neurology": r"\b(seizures?|gait|walking|slurred|rigidity|ataxia|neuro\w*|diplopia|double vision|weakness|numbness|tingling|paresthesi\w*|vertigo|dementia|parkinson\w*|myasthenia|stroke|headaches?|tremor|multiple sclerosis|encephal\w*|leukoencephal\w*|syringomyelia|huntington|palsy|neuralgia|neuropathy|migraine|epilep\w*)\b",
    "psychiatry": r"\b(behaviou?r\w*|hallucinations?|delusions?|mood|depress\w*|anxiety|personality|schizo\w*|psychos\w*|psychiatric|suicid\w*|akathisia|oppositional|nightmares?|agitat\w*|adhd|bipolar|paranoi\w*)\b",
    "gastroenterology": r"\b(abdominal|diarrh\w*|bowel|rectal|stools?|vomit\w*|colitis|crohn\w*|gastr\w*|esophag\w*|duoden\w*|hirschsprung|dumping|colon\w*|hemorrhoids?|pancrea\w*|dysphagia|constipation|mesenteric|boerhaave|ileus|appendic\w*|celiac|amebiasis|lactose)\b",
    "hepatology": r"\b(liver|hepat\w*|jaundice|cirrhosis|cholang\w*|biliary|icterus)\b",
    "pulmonology": r"\b(cough\w*|dyspn\w*|shortness of breath|lungs?|pulmonary|pneumon\w*|asthma|bronch\w*|respiratory distress|pleur\w*|tuberculosis|sarcoidosis|wheez\w*)\b",
    "nephrology": r"\b(kidney|renal|nephr\w*|glomerul\w*|proteinuria|hematuria|flank pain|medullary sponge)\b",
    "urology": r"\b(testic\w*|urinary|bladder|cystitis|prostat\w*|penile|penis|scrot\w*|urethr\w*|dysuria|incontinence|torsion)\b",
    "obstetrics": r"\b(pregnan\w*|gestation\w*|postpartum|uterine rupture|gravida|obstetric\w*|placent\w*|preeclampsia|labou?r|prenatal|antenatal|endometritis)\b",
    "gynecology": r"\b(vagin\w*|ovar\w*|menarche|menstru\w*|menses|pelvic inflammatory|uter\w*|cervi\w*|breast|dyspareunia|granulosa|phyllodes|genitopelvic|vulv\w*|postmenopausal)\b",
    "hematology": r"\b(an(a)?emia|bleeding|bruis\w*|leuk(a)?emia|lymphoma|thrombocyt\w*|hemophilia|haemophilia|thrombasthenia|platelets?|coagul\w*|hemoly\w*|erythropoietin|macroglobulinemia|myeloma|eosinophil\w*|neutropeni\w*|pancytopeni\w*|sickle)\b",
    "oncology": r"\b(cancer|tumou?r|carcinoma|lymphoma|leuk(a)?emia|melanoma|malignan\w*|neoplas\w*|adenocarcinoma|metasta\w*|osteoclastoma|sarcoma|mesothelioma|bowen)\b",
    "infectious-disease": r"\b(infect\w*|tuberculosis|hiv|aids|gonococcal|gonorrh\w*|listeri\w*|rubella|leprosy|sepsis|syphilis|cytomegalovirus|viral|bacterial|fung\w*|parasit\w*|schistosom\w*|paracoccidio\w*|candidiasis|herpes|chancroid|roseola|erythema infectiosum|clostridi\w*|c\. difficile|amebiasis|neisseria|lyme|malaria|mycobacter\w*)\b",
    "orthopedics": r"\b(knee|hip|fractures?|tendon|dislocation|shoulder|bursitis|wrist|osteoarthritis|capsulitis|tenosynovitis|disc herniation|perthes|bone|osteo\w*|ligament|meniscus|sprain)\b",
    "ophthalmology": r"\b(eyes?|vision|visual|retin\w*|ocular|cornea\w*|keratoconus|cataract|glaucoma|uveitis|conjunctiv\w*)\b",
    "otolaryngology": r"\b(ears?|hearing|tinnitus|throat|sinus\w*|tonsil\w*|laryn\w*|vocal cords?|dysphonia|hoarse\w*|nose bleed\w*|nosebleed|epistaxis|otitis|labyrinthitis|vertigo|bppv|glossopharyngeal|stridor)\b",
    "endocrinology": r"\b(thyroid\w*|diabet\w*|adrenal|aromatase|pituitar\w*|cortisol|insulin|parathyroid|hormon\w*|endocrin\w*|menarche)\b",
    "rheumatology": r"\b(arthritis|lupus|gout|rheumat\w*|vasculitis|scleroderma|sclero\w*|serum sickness|polymyalgia|spondyl\w*)\b",
    "toxicology": r"\b(intoxication|overdose|poison\w*|toxic\w*|ingestion)\b",
    "vascular": r"\b(venous|varicose|aneurysm|peripheral arterial|deep vein|dvt|claudication|ischemia)\b",
    "allergy": r"\b(allerg\w*|anaphyla\w*|urticaria|angioedema)\b",
    "immunology": r"\b(immunodeficien\w*|immun\w+ deficiency|recurrent infections)\b",
    "metabolic": r"\b(metabolic|inborn error|storage disease|acidemia|aciduria)\b",
}


def guess_specialties(
    diagnosis: str, context: Iterable[str] = (), age_years: float | None = None, limit: int = 2
) -> list[str]:
    """Up to `limit` specialties from words of the diagnosis (weighted) and the presentation;
    'pediatrics' is added for children; 'general' when nothing fits."""
    scores: dict[str, float] = {}
    dx = clean(diagnosis).lower()
    ctx = clean(" ".join(context)).lower()
    for specialty, pattern in _SPECIALTY_WORDS.items():
        score = 3.0 * len(re.findall(pattern, dx)) + 0.5 * min(4, len(re.findall(pattern, ctx)))
        if score:
            scores[specialty] = score
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    chosen = [s for s, v in ranked if v >= 2.5][:limit]
    if not chosen and ranked and ranked[0][1] >= 1.0:
        chosen = [ranked[0][0]]
    if age_years is not None and age_years < 16:
        chosen = chosen[: max(0, limit - 1)] + ["pediatrics"] if chosen else ["pediatrics"]
    return chosen or ["general"]


_SPECIALTY_ALIASES = {
    "internal medicine": ["internal-medicine"],
    "general internal medicine": ["internal-medicine"],
    "family medicine": ["general"],
    "general practice": ["general"],
    "primary care": ["general"],
    "general surgery": ["surgery"],
    "orthopedic surgery": ["orthopedics", "surgery"],
    "orthopaedic surgery": ["orthopedics", "surgery"],
    "orthopaedics": ["orthopedics"],
    "neurosurgery": ["neurology", "surgery"],
    "neurological surgery": ["neurology", "surgery"],
    "cardiothoracic surgery": ["cardiology", "surgery"],
    "thoracic surgery": ["surgery"],
    "vascular surgery": ["vascular", "surgery"],
    "plastic surgery": ["surgery"],
    "cardiovascular disease": ["cardiology"],
    "pulmonary disease": ["pulmonology"],
    "pulmonary": ["pulmonology"],
    "pulmonary and critical care": ["pulmonology"],
    "pulmonology": ["pulmonology"],
    "critical care": ["emergency"],
    "emergency medicine": ["emergency"],
    "infectious disease": ["infectious-disease"],
    "infectious diseases": ["infectious-disease"],
    "allergy and immunology": ["allergy", "immunology"],
    "immunology and allergy": ["immunology", "allergy"],
    "immunology and infectious diseases": ["immunology", "infectious-disease"],
    "obstetrics and gynecology": ["obstetrics", "gynecology"],
    "obstetrics & gynecology": ["obstetrics", "gynecology"],
    "ob/gyn": ["obstetrics", "gynecology"],
    "gynaecology": ["gynecology"],
    "obstetrics and gynaecology": ["obstetrics", "gynecology"],
    "ent": ["otolaryngology"],
    "ear, nose and throat": ["otolaryngology"],
    "endocrinology, diabetes, and metabolism": ["endocrinology", "metabolic"],
    "endocrinology, diabetes and metabolism": ["endocrinology", "metabolic"],
    "medical oncology": ["oncology"],
    "hematology and oncology": ["hematology", "oncology"],
    "hematology/oncology": ["hematology", "oncology"],
    "medical genetics": ["genetics"],
    "medical genetics and genomics": ["genetics"],
    "clinical genetics": ["genetics"],
    "geriatric medicine": ["geriatrics"],
    "psychiatry": ["psychiatry"],
    "child and adolescent psychiatry": ["psychiatry", "pediatrics"],
    "developmental": ["pediatrics"],
    "developmental-behavioral pediatrics": ["pediatrics"],
    "neurodevelopmental disabilities": ["neurology", "pediatrics"],
    "neonatology": ["pediatrics"],
    "neonatal-perinatal medicine": ["pediatrics"],
    "toxicology": ["toxicology"],
    "medical toxicology": ["toxicology"],
    "hepatology": ["hepatology"],
    "transplant hepatology": ["hepatology"],
    "nephrology": ["nephrology"],
    "rheumatology": ["rheumatology"],
    "anesthesiology": ["surgery"],
    "radiology": ["general"],
    "pathology": ["general"],
    "preventive medicine": ["general"],
    "sports medicine": ["orthopedics"],
    "physical medicine and rehabilitation": ["general"],
}


def map_specialty(name: str) -> list[str]:
    """Model specialties for a free-text specialty ('Internal Medicine' -> ['internal-medicine'],
    'Pediatric Hematology' -> ['hematology', 'pediatrics'], 'General Urology' -> ['urology']);
    [] when nothing fits."""
    from consultsim.scenarios.model import SPECIALTIES

    t = clean(name).lower()
    if not t:
        return []
    out: list[str] = []
    pediatric = bool(re.search(r"\bp(a)?ediatric\w*|child neurology\b", t))
    t = re.sub(r"\bp(a)?ediatrics?\b", "", t).strip(" ,-")
    if not t and pediatric:
        return ["pediatrics"]
    t = re.sub(r"\bwith special qualification in .*$", "", t).strip(" ,-")
    candidates = [t, re.sub(r"^(general|medical|clinical|adult)\s+", "", t)]
    for c in candidates:
        if c in _SPECIALTY_ALIASES:
            out = list(_SPECIALTY_ALIASES[c])
            break
        dashed = c.replace(" ", "-").replace("_", "-")
        if dashed in SPECIALTIES:
            out = [dashed]
            break
        if dashed.rstrip("s") in SPECIALTIES:
            out = [dashed.rstrip("s")]
            break
        if c in {"surgery"}:
            out = ["surgery"]
            break
    if not out:
        for specialty in SPECIALTIES:
            if re.search(rf"\b{re.escape(specialty.replace('-', ' '))}", t):
                out.append(specialty)
        if not out and re.search(r"\bsurg", t):
            out = ["surgery"]
    if pediatric:
        out.append("pediatrics")
    seen: list[str] = []
    for s in out:
        if s not in seen:
            seen.append(s)
    return seen


# --- diagnoses --------------------------------------------------------------------------------


def diagnosis_parts(name: str) -> tuple[str, list[str]]:
    """'Progressive multifocal encephalopathy (PML)' -> ('Progressive multifocal encephalopathy
    (PML)', ['Progressive multifocal encephalopathy', 'PML'])."""
    name = clean(name).strip(" .")
    synonyms: list[str] = []
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", name)
    if m and m.group(1):
        synonyms = [m.group(1).strip(), m.group(2).strip()]
    return name, [s for s in synonyms if s and s.lower() != name.lower()]


def mentions(text: str, phrase: str) -> bool:
    """Does `text` name `phrase` (case-insensitive, whole words, at least two letters)?"""
    phrase = clean(phrase).strip(" .").lower()
    if len(phrase) < 4:
        return False
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", clean(text).lower()) is not None


_ASKS_DIAGNOSIS = re.compile(
    r"\b(most likely|most probable|likely|probable|correct|best|underlying|final|working)?\s*diagnos[ie]s\b|"
    r"\bwhat is (?:the )?(?:diagnosis|condition|disease)\b|\bwhich (?:of the following )?(?:is the )?(?:condition|disease|disorder)\b(?! (?:is|was) (?:also|used|treated))|"
    r"\bwhat (?:condition|disease) does\b|\bmost likely cause of (?:this|the) patient'?s? (?:condition|symptoms|presentation|findings)\b|"
    r"\bwhat is (?:the )?most likely cause of (?:the )?(?:following )?findings\b",
    re.I,
)
_NOT_DIAGNOSIS = re.compile(
    r"\b(next (?:best )?step|management|treatment|therapy|mechanism|pathogenesis|etiolog|risk factor|side[- ]effect|"
    r"organism|nerve|drug|agent|medication|contribut|explanation|statement|helpful|intervention|recommendation|"
    r"test|investigation|finding|prognosis|complication|physiolog|estimated|gene|protein|process|regions?)\b",
    re.I,
)


def asks_for_diagnosis(question: str) -> bool:
    """Does a question simply ask for the diagnosis ('What is the most likely diagnosis?')?"""
    q = clean(question)
    if not q:
        return True
    if re.search(r"\bdiagnos[ie]s\b", q, re.I) and not re.search(
        r"\b(helpful|useful|confirm|establish|sequelae|after|step|test)\b", q, re.I
    ):
        return True
    return bool(_ASKS_DIAGNOSIS.search(q)) and not _NOT_DIAGNOSIS.search(q)


# --- presentations ----------------------------------------------------------------------------


@dataclass
class Presentation:
    """What a vignette's first sentence says: who, how they came, and why."""

    age_years: float | None
    sex: str | None
    complaint: (
        str | None
    )  # the reason, as a noun phrase or clause ('double vision', 'she is unable to sit')
    duration: str | None  # 'the past month'
    rest: str  # the sentence without the demographic subject, third person ('presents with X')
    brought_by: str | None = None
    how: str = "with"  # how the complaint is introduced: 'with', 'because', 'for'


_DEMOGRAPHIC_SUBJECT = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:previously healthy\s+|otherwise healthy\s+)?"
    r"(?:(?:\d+(?:\.\d+)?|[a-z]+)[\s-](?:year|month|week|day|hour)s?[\s-]old\s*,?\s*|newborn\s*,?\s*|new-born\s*,?\s*)?"
    r"(?:[A-Za-z-]+\s+){0,4}?"
    r"(?:man|woman|male|female|boy|girl|infant|newborn|neonate|baby|child|toddler|adolescent|teenager|gentleman|lady|patient|primigravida|student)\b"
    r"(?:\s*,[^,]{1,60},)?(?:\s+(?:with|who has) (?:a |an )?(?:history of |known |past )?[^,]{1,80}?(?=\s+(?:presents|presented|comes|came|is brought|was brought|is referred|was referred|is admitted|was admitted|visits|returns)\b))?",
    re.I,
)


def presentation(sentence: str) -> Presentation:
    """Parse 'A 41-year-old woman presents to her primary care physician with complaints of
    fatigue and weakness.' into age, sex, complaint ('fatigue and weakness') and duration."""
    s = clean(sentence).strip()
    age = parse_age(s.split(" presents")[0].split(" comes")[0][:80])
    m = _DEMOGRAPHIC_SUBJECT.match(s)
    sex = parse_sex(m.group(0)) if m else parse_sex(s[:60])
    rest = s[m.end() :].strip(" ,") if m else s
    complaint = None
    duration = None
    brought_by = None
    core = rest.rstrip(".")
    bm = re.search(
        r"\b(?:is|was|has been) brought (?:in |to [^,]*? )?by (?P<who>(?:his|her|their|the) [a-z' ]+?)(?= (?:for|because|due|after|to)\b|$|,)",
        core,
    )
    if bm:
        brought_by = bm.group("who")
    hm = re.search(
        rf"(?:an? |the )?(?:(?P<n>{_NUM})[- ])?(?P<u>{_DURATION_UNITS})s?[- ](?:long[- ])?history of (?P<x>.+)$",
        core,
        re.I,
    )
    if hm:
        duration = duration_text(hm.group("n"), hm.group("u").lower())
        complaint = hm.group("x")
    how = "with"
    if not hm:
        cm = re.search(
            r"\b(?P<how>with|because of|due to|complaining of|for evaluation of|for the evaluation of|for (?:a |an )?(?=\w+ (?:of|on|in)\b)|because)\s+(?:complaints? of\s+|a complaint of\s+)?(?P<x>.+)$",
            core,
            re.I,
        )
        if cm:
            complaint = cm.group("x")
            how = "because" if cm.group("how").lower().startswith(("because", "due")) else "with"
        else:
            fm = re.search(
                r"\b(?:presents?|presented|comes|came|is referred|was referred)\b[^,]*?\bfor\s+(?!(?:an? |his |her |the )?(?:follow-up|routine|check-?up|well|annual|health maintenance|physical|examination|evaluation)\b)(?P<x>.+)$",
                core,
                re.I,
            )
            if fm:
                complaint = fm.group("x")
                how = "for"
    if complaint:
        dm = re.search(
            rf"\s+(?:for|over) (?:the )?(?:past |last )?(?P<n>{_NUM}|a|an)? ?(?P<u>{_DURATION_UNITS})s?$",
            complaint,
            re.I,
        )
        if dm and not duration:
            duration = duration_text(dm.group("n"), dm.group("u").lower())
            complaint = complaint[: dm.start()]
        complaint = re.sub(
            r"^(?:complaints? of|a complaint of)\s+", "", complaint.strip(" ,"), flags=re.I
        )
    return Presentation(age, sex, complaint or None, duration, rest, brought_by, how)


def opening_from_presentation(p: Presentation, voice: Voice) -> str | None:
    """The patient's first words for a parsed presentation, or None when it gives no reason."""
    if not p.complaint:
        if re.search(
            r"\b(follow-up|check-?up|health maintenance|annual|routine|well-child|physical examination|examination)\b",
            p.rest,
            re.I,
        ):
            what = re.search(r"\bfor ((?:an? |the |his |her )?.+?)$", p.rest.rstrip("."), re.I)
            purpose = what.group(1) if what else "a check-up"
            purpose = re.sub(r"\b(his|her)\b", voice.poss, purpose)
            if not re.match(r"^(a|an|the)\b", purpose):
                purpose = with_article(purpose)
            if voice.is_caregiver:
                return end_sentence(f"I've brought {voice.child_noun} in for {purpose}")
            return end_sentence(f"I've come in for {purpose}")
        return None
    complaint = p.complaint.strip()
    # "because she is unable to sit" -> a clause about the patient
    clause = re.match(
        r"^(?:he|she|they|the (?:patient|child|infant|baby|boy|girl))\b", complaint, re.I
    )
    if clause:
        said = first_person(complaint, voice)
        if voice.is_caregiver:
            said = re.sub(rf"^{re.escape(voice.subject(True))}\b", voice.pronoun, said)
            return end_sentence(
                f"I've brought {voice.child_noun} in because {said[0].lower() + said[1:].rstrip('.')}"
            )
        return said
    if p.how == "for":
        about = render(own_body(normalise(lower_first(complaint), voice)), voice)
        if voice.is_caregiver:
            return end_sentence(f"I've brought {voice.child_noun} in about {about}")
        return end_sentence(f"I've come in about {about}")
    text = symptom_text(complaint, voice, duration=None)
    text = text.rstrip(".")
    if p.duration:
        text += f" for {p.duration}"
    if voice.is_caregiver:
        return end_sentence(text)
    return end_sentence(text)


def title_for(age: float | None, sex: str | None, complaint: str | None) -> str:
    """A title that does not give the diagnosis away: 'Double vision in a 35-year-old woman'."""
    who = age_phrase(age, sex)
    article = "an" if re.match(r"[aeiou8]|11-|18-", who) else "a"
    if complaint:
        c = re.sub(r"^(?:the )?presence of ", "", clean(complaint).strip(" ."), flags=re.I)
        c = re.sub(
            r"^(?:he|she|they|the patient) (?:is|has|was|had|have|are) (?:been )?",
            "",
            c,
            flags=re.I,
        )
        c = re.sub(r"\b(his|her)\b", "", c).replace("  ", " ")
        if len(c) > 70:
            c = c[:70].rsplit(" ", 1)[0].rstrip(",;") + "…"
        return f"{sentence_case(c)} in {article} {who}"
    return sentence_case(f"{article} {who}")


# --- fragments of social and past history ---------------------------------------------------

_OCCUPATIONS = (
    r"teacher|engineer|student|clerk|farmer|nurse|accountant|cashier|designer|warden|worker|driver|lawyer|"
    r"doctor|physician|manager|mechanic|electrician|chef|cook|waiter|waitress|soldier|officer|athlete|"
    r"bodybuilder|salesman|saleswoman|secretary|programmer|pilot|artist|musician|librarian|banker|carpenter|"
    r"plumber|laborer|labourer|housewife|homemaker|veteran|executive|consultant|assistant|technician|"
    r"scientist|researcher|attorney|firefighter|miner|painter|builder|contractor|janitor|guard|dancer|"
    r"writer|journalist|photographer|pharmacist|dentist|veterinarian|retiree|professor|employee|analyst|"
    r"developer|hairdresser|cleaner|fisherman|truck driver|mother|father|grandmother|grandfather"
)
_ADVERB_OF = {
    "occasional": "occasionally",
    "social": "socially",
    "moderate": "moderately",
    "light": "a little",
    "heavy": "heavily",
    "daily": "every day",
    "regular": "regularly",
    "rare": "rarely",
    "minimal": "a little",
}


def fragment_statement(fragment: str, voice: Voice = PATIENT) -> tuple[str, bool, str] | None:
    """A verbless fragment of a social or past history ('Non-smoker', 'Retired school teacher',
    'Occasional alcohol use') as (first-person text, present, label); None when it is not one of
    the common kinds."""
    f = clean(fragment).strip(" .;,")
    low = normalise(f.lower(), voice)
    subject = voice.subject(True)
    if re.match(
        r"^(?:non-?smoker|never smoker|never smoked|nonsmoker|no (?:tobacco|smoking)(?: use)?)\b",
        low,
    ):
        return end_sentence(f"{voice.does_not(True)} smoke"), False, "Smoking"
    m = re.match(
        r"^(?:former|ex-?|previous|past|quit)[\s-]*(?:cigar(?:ette)?s? |tobacco |pipe )?smoker\b(.*)$",
        low,
    )
    if m:
        return end_sentence(f"{subject} used to smoke{m.group(1)}"), True, "Former smoker"
    m = re.match(r"^(?:current |active |heavy |daily )?smoker\b(.*)$", low)
    if m:
        return end_sentence(render(f"{S} smokes{m.group(1)}", voice)), True, "Smoking"
    m = re.match(
        r"^(occasional|social|moderate|light|heavy|daily|regular|rare|minimal) (?:alcohol|drinking|drinker|wine|beer)(?: (?:use|consumption|intake|drinker))?(.*)$",
        low,
    )
    if m:
        return (
            end_sentence(render(f"{S} drinks alcohol {_ADVERB_OF[m.group(1)]}{m.group(2)}", voice)),
            True,
            "Alcohol use",
        )
    if re.match(r"^(?:no|denies) (?:alcohol|drinking)(?: (?:use|consumption|intake))?$", low):
        return end_sentence(f"{voice.does_not(True)} drink alcohol"), False, "Alcohol use"
    m = re.match(rf"^(?:an? )?((?:[a-z-]+ ){{0,3}}(?:{_OCCUPATIONS})s?\b.*)$", low)
    if (
        m
        and not re.search(r"\b(is|are|was|has|have|had|does|history)\b", low)
        and not re.match(r"^(?:no|not)\b", low)
        and not (low.split()[0].endswith("s") and to_base(low.split()[0]) in VERBS)
    ):
        phrase = m.group(1)
        article = "an" if re.match(r"[aeio]", phrase) else "a"
        return end_sentence(render(f"{S} is {article} {phrase}", voice)), True, "Occupation"
    m = re.match(
        r"^(married|single|divorced|widowed|separated|retired|unemployed|engaged)\b(.*)$", low
    )
    if m:
        return (
            end_sentence(render(f"{S} is {m.group(1)}{m.group(2)}", voice)),
            True,
            sentence_case(m.group(1)),
        )
    if re.match(r"^(?:no known (?:drug )?allergies|nkda|no (?:known )?(?:drug )?allergies)$", low):
        return end_sentence(f"{voice.has(True)} no known allergies"), False, "Allergies"
    if re.match(
        r"^(?:takes no|on no|no|not on any|not taking any|no regular|not on) (?:regular |current |daily |other )?medications?\b",
        low,
    ):
        return (
            end_sentence(f"{voice.does_not(True)} take any regular medications"),
            False,
            "Regular medications",
        )
    m = re.match(
        r"^(?:(?:immunizations?|vaccinations?|vaccines?)(?: are)? (?:up[- ]to[- ]date|complete|current)|up[- ]to[- ]date (?:immunizations?|vaccinations?))(.*)$",
        low,
    )
    if m:
        return (
            end_sentence(render(f"{P} vaccinations are up to date{m.group(1)}", voice)),
            True,
            "Vaccinations up to date",
        )
    m = re.match(
        r"^(?:reported |occasional |regular |daily |heavy |chronic |recreational |current )?(alcohol|tobacco|cannabis|marijuana|cocaine|drug|drugs|illicit drugs?|recreational drugs?|intravenous drugs?|iv drugs?|opioids?|heroin|methamphetamine|anabolic steroids?) use\b(.*)$",
        low,
    )
    if m:
        what = re.sub(r"\bdrug$", "drugs", m.group(1))
        verb = "drinks" if what == "alcohol" else "uses"
        return end_sentence(render(f"{S} {verb} {what}{m.group(2)}", voice)), True, "Substance use"
    m = re.match(r"^sexually active\b(.*)$", low)
    if m:
        return (
            end_sentence(render(f"{S} is sexually active{m.group(1)}", voice)),
            True,
            "Sexual activity",
        )
    m = re.match(
        r"^(inconsistent|occasional|regular|consistent|irregular) (?:condom|contraceptive) use(.*)$",
        low,
    )
    if m:
        adverb = {
            "inconsistent": "inconsistently",
            "occasional": "occasionally",
            "regular": "regularly",
            "consistent": "consistently",
            "irregular": "irregularly",
        }[m.group(1)]
        return (
            end_sentence(render(f"{S} uses condoms {adverb}{m.group(2)}", voice)),
            True,
            "Condom use",
        )
    m = re.match(r"^premature birth\b(.*)$", low)
    if m:
        return (
            end_sentence(render(f"{S} was born prematurely{m.group(1)}", voice)),
            True,
            "Premature birth",
        )
    m = re.match(r"^(?:(?:previously|otherwise|generally)\s+)+healthy\b(.*)$", low)
    if m:
        return (
            end_sentence(render(f"{S} has otherwise been healthy{m.group(1)}", voice)),
            True,
            "Previously healthy",
        )
    return None


_NO_HISTORY = re.compile(
    r"^(?:(?:the )?patient(?:'s)? |she |he )?(?:has |had |reports |denies )?(?:no|unremarkable|non-?contributory|nothing)\b[\w\s,/-]*\b(?:medical|surgical|psychiatric)\b[\w\s,/-]*\bhistory\b|"
    r"^(?:(?:the )?patient(?:'s)? )?past medical history is (?:unremarkable|non-?contributory|negative)|^unremarkable(?: past medical history)?$|"
    r"^no (?:significant |notable |relevant |other |known )*(?:past )?(?:medical |surgical )?(?:history|illnesses|problems)\b",
    re.I,
)


def no_history(text: str) -> bool:
    """'No significant past medical history', 'Unremarkable past medical history'."""
    return bool(_NO_HISTORY.search(clean(text).strip(" .")))


_FAMILY = re.compile(
    rf"(?:\bfamily history|\bfamilial|\bruns in (?:the|my|his|her) family|\bin (?:the|his|her|my) family|"
    rf"^(?:(?:the|{P}|his|her|my|patient's|the patient's|\w+'s)\s*){{0,2}}(?:maternal |paternal |older |younger |twin )?(?:mother|father|brother|sister|siblings?|uncle|aunt|cousin|grand\w+|son|daughter|parents?)\b)",
    re.I,
)
_MEDICATION = re.compile(
    r"\b(takes?|taking(?! note| care| part| place)|took|medications?|medicines?|drugs? (?:regimen|list)|on (?:a )?(?:stable |daily |regular )?regimen|prescribed|started on|currently on|inhaler|tablets?|supplements?|vitamins?|insulin)\b",
    re.I,
)
_SOCIAL = re.compile(
    r"\b(smok\w*|cigarettes?|tobacco|alcohol\w*|drinks? (?:alcohol|beer|wine|socially|occasionally|heavily|\d)|drinking (?:alcohol|beer|wine|heavily)|beers?|wine|vodka|illicit|recreational|cocaine|marijuana|cannabis|heroin|substance|works? (?:as|at|in|for|on)|worked (?:as|at|in|for)|working (?:as|at|in|for)|job|occupation|fast food|cooks?|employ\w*|retired|lives?|living|married|sexually active|sexual (?:partners?|history|behaviou?rs?)|unprotected sex|partners|condoms?|travel\w*|trip|camping|hiking|diet|exercis\w*|gym|school|college|grade|student|incarcerat\w*|prison|daycare|preschool|hobb\w*|pets?|farm\w*|immigrat\w*|emigrat\w*|moved (?:from|to|here))\b",
    re.I,
)
_PAST = re.compile(
    r"\b(history of|medical history|diagnosed|underwent|surgery|operation|\w+ectomy|\w+plasty|transplant\w*|born|birth|deliver\w*|pregnan\w*|gestation|immuniz\w*|vaccin\w*|hospitali[sz]\w*|previous(?:ly)?|prior|years ago|childhood|chronic)\b",
    re.I,
)


def classify(text: str, default: str = "history_of_present_illness") -> str:
    """The history category a statement belongs to: family, medications, social, past_history,
    or `default` (the present illness)."""
    t = clean(text)
    t = re.sub(
        rf"^(?:the |his |her |{P} ?|patient's |the patient's |the \w+'s )?(?:mother|father|parents|wife|husband|daughter|son|roommates?|boyfriend|girlfriend|partner|family|caregiver)\s+(?:also\s+)?(?:reports?|notes?|says?|adds?|recalls?|mentions?|describes?|observes?|has observed|have observed|found|finds|states?|is concerned|perceives?|brought|brings|members have noticed|have noticed|has noticed)\b",
        "",
        t,
        flags=re.I,
    )
    t = re.sub(
        r"\b(?:an? )?(?:\d+|one|two|three|four|five|six|several|few)?[- ]?(?:hour|day|week|month|year)s?[- ](?:long[- ])?history of\b",
        "",
        t,
        flags=re.I,
    )
    if _FAMILY.search(t):
        return "family"
    if re.search(
        r"\b(?:allergic to|allerg(?:y|ies) to|drug allerg\w*|known allerg\w*|allergic reaction)",
        t,
        re.I,
    ):
        return "allergies"
    if _MEDICATION.search(t) and not re.search(r"\b(rash|reaction)\b", t, re.I):
        return "medications"
    if _SOCIAL.search(t):
        return "social"
    if (
        _PAST.search(t)
        and default == "history_of_present_illness"
        and not re.search(
            r"\b(for the past|since|over the past|ago)\b.*\b(pain|swelling|fever|cough|rash)\b",
            t,
            re.I,
        )
    ):
        return "past_history"
    return default


def past_history_statement(item: str, voice: Voice = PATIENT) -> str:
    """One item of a past medical history list ('Essential hypertension', 'Sleeve gastrectomy
    (1 month ago)', 'Treated for anterior uveitis 8 months ago') in the patient's words."""
    f = clean(item).strip(" .;,")
    f = re.sub(
        r"^(?:(?:past )?medical history (?:is )?)?(?:only )?significant (?:only )?for\s+",
        "",
        f,
        flags=re.I,
    )
    fragment = fragment_statement(f, voice)
    if fragment:
        return fragment[0]
    m = re.match(
        r"^(?:(\w+ly)\s+)?(being|been|treated|diagnosed|started|admitted|hospitali[sz]ed|seen|followed|managed|born|delivered|vaccinated|immunized|circumcised|operated|adopted)\b(.*)$",
        f,
        re.I,
    )
    if m:
        verb = "is" if m.group(2).lower() in ("being", "followed", "managed") else "was"
        adverb = f"{m.group(1).lower()} " if m.group(1) else ""
        return end_sentence(render(f"{S} {verb} {adverb}{m.group(2).lower()}{m.group(3)}", voice))
    if is_clause(f) or re.match(r"^(Underwent|Had|Known to)\b", f):
        return first_person(f, voice)
    low = normalise(lower_first(f), voice)
    m = re.match(r"^(?:(?:a |known |significant |remote )*)(?:history|h/o) of (.+)$", low, re.I)
    if m:
        return end_sentence(render(f"{S} has a history of {m.group(1)}", voice))
    low = (
        re.sub(
            r"(?<!,)\s+(diagnosed|treated|managed|controlled|currently|on|with)\b",
            r", \1",
            low,
            count=1,
        )
        if "," not in low and re.search(r"\s(?:diagnosed|treated|managed|controlled)\b", low)
        else low
    )
    if re.search(
        r"(ectomy|otomy|plasty|surgery|operation|transplant\w*|repair|section|delivery|fracture|accident|injury|fall|stay|admission|procedure|biopsy|episode)\b",
        low.split(",")[0].split("(")[0],
    ):
        return end_sentence(render(f"{S} had {with_article(low)}", voice))
    return end_sentence(render(f"{S} has {with_article(low)}", voice))


def has_subject(text: str) -> bool:
    """Does a sentence start with its own subject ('She drinks', 'The patient has', 'Her mother
    is')?"""
    t = clean(text)
    if re.match(rf"^(?:she|he|they|i|you|we|patient|the patient|[{S}{CI}{CWE}])\b", t, re.I):
        return True
    m = re.match(
        rf"^(?:(?:the|this|a|an|her|his|my|their|patient's|{P}) )?(?:\w+ ){{0,2}}?(\w+) (?:also |often |still )?(\w+)\b",
        t,
        re.I,
    )
    if not m:
        return False
    verb = m.group(2).lower()
    return verb in {"is", "are", "was", "were", "has", "have", "had", "does", "did"} or (
        verb.endswith("s") and to_base(verb) in VERBS
    )


def _social_piece(piece: str, voice: Voice, second_person: bool) -> tuple[str, bool, str | None]:
    frag = fragment_statement(piece, voice)
    if frag:
        return frag
    if (
        has_subject(piece)
        or re.match(r"^[A-Za-z]+s\b", piece)
        and to_base(piece.split()[0]) in VERBS
    ):
        return first_person(piece, voice, second_person=second_person), True, None
    low = lower_first(clean(piece).strip(" ."))
    m = re.match(r"^(?:a )?(?:history|h/o) of (.+)$", low)
    if m:
        return end_sentence(render(f"{S} has a history of {m.group(1)}", voice)), True, None
    m = re.match(_HISTORY_OF, low)
    if m:
        return (
            end_sentence(
                render(
                    f"For {duration_text(m.group('n'), m.group('u'))}, {S} {_has_had(m.group('x'), m.group('g'))}",
                    voice,
                )
            ),
            True,
            None,
        )
    m = re.match(
        r"^(?:(?:currently|now|still|presently)\s+)?(?:in|on|at|with|living|working|pregnant|engaged)\b",
        low,
    )
    if m:
        return end_sentence(render(f"{S} is {low}", voice)), True, None
    m = re.match(r"^(\w+ly) (\w+ed)$", low)
    if m:
        return end_sentence(render(f"{S} was {low}", voice)), True, None
    head = (
        re.split(r"\s+(?:of|in|on|with|at|for|from|who|that|to)\b|,", low)[0].split()[-1]
        if low.split()
        else ""
    )
    if (
        not re.match(r"^(?:no|one|two|three|four|\d|several|many|few|multiple)\b", low)
        and re.search(r"(er|or|ist|ian|goer|ee|ant|ent|child|son|daughter|sibling|twin)$", head)
        and head
        not in {
            "water",
            "beer",
            "liquor",
            "cancer",
            "partner",
            "number",
            "paper",
            "dinner",
            "weather",
            "summer",
            "winter",
            "center",
            "centre",
            "chamber",
            "parent",
        }
    ):
        if re.match(r"^(?:first|second|third|only|eldest|oldest|youngest|middle)\b", low):
            return end_sentence(render(f"{S} is the {low}", voice)), True, None
        phrase = (
            low
            if re.match(r"^(a|an|the)\b", low)
            else ("an " if re.match(r"[aeio]", low) else "a ") + low
        )
        return end_sentence(render(f"{S} is {phrase}", voice)), True, None
    said = first_person(piece, voice, second_person=second_person)
    if said.rstrip(".").lower() != low.rstrip(".").lower():
        return said, True, None
    return end_sentence(render(f"{S} has {low}", voice)), True, None


_CONTINUATION = re.compile(
    r"^(?:lasting|occurring|associated|accompanied|resulting|leading|requiring|currently|managed|treated|controlled|diagnosed|on|with|which|who|since|for|requiring|status post|s/p|particularly|especially|including|such as|mainly|mostly|mostly|usually|recently|well[- ]controlled|medicated|respectively)\b",
    re.I,
)


def _merge_continuations(pieces: list[str], social: bool = False) -> list[str]:
    """Join list pieces that continue the previous one ('PCOS', 'currently managed with OCPs';
    'Smoker', 'half a pack a day')."""
    out: list[str] = []
    for piece in pieces:
        if out and (
            _CONTINUATION.match(piece)
            or social
            and re.match(r"^(?:half|one|two|three|\d)", piece, re.I)
        ):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def clinical_label(text: str) -> str:
    """A short label without the speaker's pronouns: 'blood in his urine' -> 'Blood in urine'."""
    t = re.sub(r"\b(?:his|her|their|your|my)\s+", "", clean(text), flags=re.I)
    t = re.sub(r"\b(?:he|she|they|you|I)\b", "patient", t)
    return sentence_case(t.strip())


def negative_statement(
    item: str,
    voice: Voice = PATIENT,
    *,
    default: str = "review_of_systems",
    second_person: bool = False,
) -> tuple[str, str, bool, str]:
    """(category, text, present, label) for one denied item: a past history, a family history,
    a lifestyle fragment ('takes no medications') or a plain pertinent negative."""
    if re.search(
        r"\b(?:(?:past )?medical|surgical|psychiatric)(?: or surgical)? history\b|^(?:chronic |significant |serious )?(?:medical )?(?:illness(?:es)?|conditions|problems)$",
        item,
        re.I,
    ):
        return _no_history_statement(voice)
    frag = fragment_statement(item, voice)
    if frag:
        category = (
            "medications"
            if "medication" in frag[2].lower()
            else "allergies"
            if frag[2] == "Allergies"
            else "social"
        )
        return category, frag[0], frag[1], frag[2]
    if re.search(r"^(?:takes?|taking|on) (?:no|any) medications?", item, re.I):
        return (
            "medications",
            end_sentence(f"{voice.does_not(True)} take any regular medications"),
            False,
            "Regular medications",
        )
    if re.search(r"\bfamily\b", item, re.I):
        return (
            "family",
            negative_text(item, voice, second_person=second_person),
            False,
            clinical_label(item),
        )
    category = default
    if _SOCIAL.search(item) and not re.search(r"symptom|pain|fever", item, re.I):
        category = "social"
    return (
        category,
        negative_text(item, voice, second_person=second_person),
        False,
        clinical_label(item),
    )


def _no_history_statement(voice: Voice) -> tuple[str, str, bool, str]:
    return (
        "past_history",
        end_sentence(f"No, {voice.has_not_had()} any significant medical problems in the past"),
        False,
        "Significant past medical history",
    )


def history_statements(
    text: str,
    voice: Voice = PATIENT,
    *,
    default: str = "history_of_present_illness",
    second_person: bool = False,
) -> list[tuple[str, str, bool, str | None]]:
    """Statements of a free-text history field as (category, first-person text, present, label).

    Denials become one absent finding per denied item; verbless fragments ('Non-smoker, drinks
    wine occasionally') become one statement each; placeholders are dropped."""
    out: list[tuple[str, str, bool, str | None]] = []
    for sentence in split_sentences(text):
        if uninformative(sentence):
            continue
        meds = re.match(
            r"^(?:(?:his|her|the patient's|current|regular|home) )?medications?(?: list| regimen)?\s*(?:includes?|:|are|is)\s*(.+)$",
            sentence.strip(" ."),
            re.I,
        )
        if meds and not re.search(r"\b(no|none|not)\b", meds.group(1), re.I):
            names = [
                n if re.match(r"^[A-Z0-9-]{2,}\b", n) else lower_first(n)
                for n in split_list(meds.group(1))
            ]
            listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            out.append(
                (
                    "medications",
                    end_sentence(
                        f"{'I take' if not voice.is_caregiver else voice.subject(True) + ' takes'} {listed}"
                    ),
                    True,
                    "Current medications",
                )
            )
            continue
        if no_history(sentence):
            out.append(_no_history_statement(voice))
            continue
        for clause in split_clauses(sentence):
            if uninformative(clause):
                continue
            if (
                default in ("social", "past_history")
                and re.match(
                    r"^(?:does not|doesn't|do not|don't|denies|deny|never|no)\b", clause, re.I
                )
                and denial_items(clause)
                and not no_history(clause)
                and not fragment_statement(clause, voice)
            ):
                for item in denial_items(clause) or []:
                    out.append(negative_statement(item, voice, default=default))
                continue
            first_piece = clause.split(",")[0]
            if (
                default in ("social", "past_history")
                and "," in clause
                and not has_subject(clause)
                and not _SENTENCE_VERB.search(first_piece)
                and not (
                    first_piece.split()[0].lower().endswith("s")
                    and to_base(first_piece.split()[0]) in VERBS
                )
            ):
                for piece in _merge_continuations(split_list(clause), social=default == "social"):
                    if uninformative(piece):
                        continue
                    frag = fragment_statement(piece, voice)
                    if default == "past_history":
                        if frag:
                            category = (
                                "medications"
                                if "medication" in frag[2].lower()
                                else classify(piece, "past_history")
                            )
                            out.append((category, frag[0], frag[1], frag[2]))
                        elif no_history(piece):
                            out.append(_no_history_statement(voice))
                        elif denial_items(piece):
                            for item in denial_items(piece) or []:
                                out.append(negative_statement(item, voice, default="past_history"))
                        else:
                            out.append(
                                (
                                    classify(piece, "past_history"),
                                    past_history_statement(piece, voice),
                                    True,
                                    sentence_case(piece),
                                )
                            )
                        continue
                    items = denial_items(piece)
                    if items and not frag:
                        for item in items:
                            out.append(negative_statement(item, voice, default="social"))
                        continue
                    said, present, label = _social_piece(piece, voice, second_person)
                    out.append(
                        ("family" if _FAMILY.search(piece) else "social", said, present, label)
                    )
                continue
            fragment = fragment_statement(clause, voice)
            if fragment:
                category = (
                    "medications"
                    if "medication" in fragment[2].lower()
                    else "allergies"
                    if fragment[2] == "Allergies"
                    else "social"
                    if default == "social"
                    else classify(clause, default)
                )
                out.append((category, fragment[0], fragment[1], fragment[2]))
                continue
            if no_history(clause):
                out.append(_no_history_statement(voice))
                continue
            items = denial_items(clause)
            if items:
                for item in items:
                    cat = (
                        default
                        if default in ("social", "past_history", "family")
                        else "review_of_systems"
                    )
                    out.append(
                        negative_statement(item, voice, default=cat, second_person=second_person)
                    )
                continue
            if default == "past_history" and not has_subject(clause):
                out.append(
                    (
                        classify(clause, "past_history"),
                        past_history_statement(clause, voice),
                        True,
                        None,
                    )
                )
                continue
            if default == "social" and not has_subject(clause):
                said, present, label = _social_piece(clause, voice, second_person)
                out.append(("family" if _FAMILY.search(clause) else "social", said, present, label))
                continue
            said = first_person(clause, voice, second_person=second_person)
            out.append(
                (
                    classify(clause, default)
                    if default != "review_of_systems"
                    else "review_of_systems",
                    said,
                    True,
                    None,
                )
            )
    return out


# --- building findings --------------------------------------------------------------------------


class Findings:
    """Findings of a case under construction: unique slug ids, no duplicate statements."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self._ids: set[str] = set()
        self._texts: set[tuple[bool, str]] = set()
        self._negatives: set[str] = set()

    def add(
        self,
        *,
        category: str,
        text: str,
        label: str | None = None,
        present: bool = True,
        key: bool = False,
        reveal: str | None = None,
        procedure: str | None = None,
        hpo: str | None = None,
        synonyms: Iterable[str] = (),
        note: str | None = None,
        id_hint: str | None = None,
    ) -> dict | None:
        text = clean(text)
        if not text:
            return None
        facing = category not in ("exam", "test")
        norm = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
        if (facing, norm) in self._texts:
            return None
        if not present and facing:
            neg = re.sub(r"[^a-z0-9]+", " ", (label or text).lower()).strip()
            if neg in self._negatives:
                return None
            self._negatives.add(neg)
        self._texts.add((facing, norm))
        base = id_hint or label or " ".join(re.findall(r"[A-Za-z0-9]+", text)[:6])
        if not present and not (id_hint or "").startswith("no-"):
            base = "no " + base
        item: dict = {"id": unique_id(base, self._ids), "category": category, "text": text}
        if label:
            item["label"] = clean(label)[:120]
        if not present:
            item["present"] = False
        if hpo:
            item["hpo"] = hpo
        syn = [clean(x) for x in synonyms if clean(x)]
        if syn:
            item["synonyms"] = list(dict.fromkeys(syn))
        if key:
            item["key"] = True
        if reveal:
            item["reveal"] = reveal
        if procedure:
            item["procedure"] = clean(procedure)
        if note:
            item["note"] = note
        self.items.append(item)
        return item

    @property
    def has_key(self) -> bool:
        return any(i.get("key") for i in self.items)

    def patient_facing(self) -> list[dict]:
        return [i for i in self.items if i["category"] not in ("exam", "test")]

    def ensure_key(self, warnings: list[str]) -> None:
        """Every case needs something to elicit: if nothing is key yet, the first present
        patient-facing finding (else the first exam or test result) becomes key."""
        if self.has_key:
            return
        for group in (
            [
                i
                for i in self.items
                if i["category"] not in ("exam", "test") and i.get("present", True)
            ],
            [i for i in self.items if i["category"] in ("exam", "test")],
        ):
            if group:
                group[0]["key"] = True
                warnings.append(
                    f"no finding was clearly abnormal; marked {group[0]['id']!r} as key"
                )
                return
