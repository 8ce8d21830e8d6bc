"""How the patient words a reply: the speaker's voice, the style and AgentClinic-style biases.

Styles and biases change wording and willingness, never the facts: they only add remarks that
carry no clinical content, shorten a finding's own text, or wrap it; the findings a reply
discloses are chosen before any of this runs.
"""

from __future__ import annotations

import random
import re

from consultsim.agents.patient.view import PatientView
from consultsim.scenarios.importers.wording import Voice, lower_first, split_sentences
from consultsim.scenarios.model import Speaker, Style

# AgentClinic's patient biases: cognitive (recency, frequency, false consensus, self-diagnosis)
# and implicit distrust of the doctor (gender, race, sexual orientation, culture, education,
# religion, socio-economic background).
COGNITIVE_BIASES = ("recency", "frequency", "false_consensus", "self_diagnosis")
DISTRUST_BIASES = ("gender", "race", "sexual_orientation", "cultural", "education", "religion", "socioeconomic")
BIASES = COGNITIVE_BIASES + DISTRUST_BIASES
_BIAS_ALIASES = {b.replace("_", "-"): b for b in BIASES} | {
    "false-consensus": "false_consensus",
    "self-diagnosis": "self_diagnosis",
    "sexual-orientation": "sexual_orientation",
    "culture": "cultural",
    "socioeconomic-distrust": "socioeconomic",
    "cultural-distrust": "cultural",
    "education-distrust": "education",
    "personal": "gender",
    "personal-distrust": "gender",
}


def parse_bias(value: str | None) -> str | None:
    if value is None or value == "" or value == "none":
        return None
    key = value.strip().lower().replace(" ", "_")
    if key in BIASES:
        return key
    key = _BIAS_ALIASES.get(key.replace("_", "-"))
    if key:
        return key
    raise ValueError(f"unknown patient bias {value!r} (choose from {', '.join(BIASES)})")


def parse_style(value: str | Style | None) -> Style | None:
    if value is None or isinstance(value, Style):
        return value
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Style(key)
    except ValueError:
        raise ValueError(f"unknown patient style {value!r} (choose from {', '.join(s.value for s in Style)})") from None


_BIAS_REMARKS = {
    "recency": ["A friend of mine had something like this not long ago and it turned out to be serious, so it's been on my mind."],
    "frequency": ["I've read that most of the time this sort of thing turns out to be something serious."],
    "false_consensus": ["Everyone I've talked to thinks it must be something serious."],
    "self_diagnosis": ["I've been reading about it online and I'm fairly sure I know what it is, whatever you find."],
    "gender": ["No offence, doctor, but I'd rather have seen someone else."],
    "race": ["No offence, but I'm not sure you'll really understand someone like me."],
    "sexual_orientation": ["I'm not sure I'm comfortable talking about all this with you, to be honest."],
    "cultural": ["Where I come from we see these things differently, so I'm not sure you'll understand."],
    "education": ["Where did you train, by the way? I hope you know what you're doing."],
    "religion": ["I'm not sure you share my beliefs, so I don't know how much you'll understand."],
    "socioeconomic": ["I don't suppose you often see people from my background, do you?"],
}
_CAREGIVER_BIAS = {
    "self_diagnosis": ["I've been reading about it online and I'm fairly sure I know what it is, whatever you find."],
    "recency": ["A friend's child had something like this not long ago and it turned out to be serious, so I'm worried."],
}
_LOWERABLE = frozenset("It It's That That's There There's He He's She She's They They're My The His Her Our We We're".split())
_FILLERS = [
    "Anyway, I hope that helps.",
    "Sorry, I do go on a bit.",
    "You know how it is.",
    "I wasn't sure whether to mention it.",
]
_ANXIOUS = [
    "Is that bad, doctor?",
    "Should I be worried about that?",
    "I've been really worried, to be honest.",
    "It's been frightening.",
]
_CAREGIVER_ANXIOUS = [
    "Is that bad, doctor?",
    "Should I be worried?",
    "I've been so worried, to be honest.",
]
_HARD_WORD = re.compile(
    r"\b\w{4,}(?:itis|osis|algia|pnoea|pnea|uria|emia|aemia|ectomy|opathy|orrhoea|orrhea|orrhage|phagia|"
    r"phasia|plegia|paresis|trophy|cytosis|penia|megaly|iasis)\b|\b(?:diaphoresis|syncope|dyspn\w+|haematuria|"
    r"hematuria|haemoptysis|hemoptysis|melaena|melena|paraesthesi\w*|paresthesi\w*|pruritus|orthopnoea|orthopnea|"
    r"claudication|photophobia|diplopia|dysuria|polyuria|polydipsia|anorexia|malaise|pyrexia|rigors|myalgia|"
    r"arthralgia|edema|oedema|jaundice|icterus|emesis|haematemesis|hematemesis|epistaxis|tinnitus|vertigo|"
    r"ptosis|dysphagia|odynophagia|nocturia|tenesmus|erythema|urticaria|pleuritic|exertional|radiat\w*|"
    r"intermittent|paroxysmal|nocturnal|postprandial|cyanosis|palpitations?)\b",
    re.I,
)


def voice_of(view: PatientView) -> Voice:
    p = view.patient
    caregiver = (p.caregiver or "parent") if p.speaker is Speaker.caregiver else None
    return Voice(caregiver=caregiver, sex=p.sex.value if p.sex.value in ("female", "male") else None, age_years=p.age_years)


class Phraser:
    def __init__(self, view: PatientView, style: Style, bias: str | None, seed: int):
        self.voice = voice_of(view)
        self.style = style
        self.bias = bias
        self.seed = seed

    def pick(self, options: list[str], turn: int, slot: str) -> str:
        return random.Random(f"{self.seed}:{turn}:{slot}").choice(options)

    @property
    def we(self) -> str:
        return "we're" if self.voice.is_caregiver else "I'm"

    # -- pieces --------------------------------------------------------------------------------

    def finding_text(self, text: str, repeated: bool, turn: int, slot: str) -> str:
        text = text.strip()
        if self.style is Style.terse:
            sentences = split_sentences(text)
            text = sentences[0] if sentences else text
        if repeated:
            lead = self.pick(["Like I said,", "As I said,", "As I mentioned,"], turn, slot + "r")
            first = text.split(" ", 1)[0]
            low = text[:1].lower() + text[1:] if first in _LOWERABLE else lower_first(text)
            text = f"{lead} {low}"
        return text

    def unmentioned(self, words: str | None, not_sure: bool, turn: int, slot: str) -> str:
        w = words.strip() if words else ""
        if not_sure:
            if self.style is Style.terse:
                return "Not sure."
            options = [f"I'm not sure about {w}." if w else "I'm not sure.", "I don't really know, to be honest."]
            return self.pick(options, turn, slot)
        if self.style is Style.terse:
            return "No."
        if self.voice.is_caregiver:
            options = [f"No {w} that I've noticed." if w else "Not that I've noticed.", "No, not that I've seen."]
        else:
            options = [f"No {w} that I've noticed." if w else "Not that I've noticed.", "No, nothing like that."]
        return self.pick(options, turn, slot)

    def unmentioned_category(self, category: str, not_sure: bool, turn: int, slot: str) -> str:
        if not_sure:
            return "I'm not sure." if self.style is not Style.terse else "Not sure."
        if self.style is Style.terse:
            return "No."
        poss = self.voice.poss
        if category == "medications":
            return "No regular medicines that I know of." if not self.voice.is_caregiver else f"No, {self.voice.pronoun} isn't on any regular medicines."
        if category == "allergies":
            return "No allergies that I know of."
        if category == "family":
            return f"Not that I know of, no. Nothing runs in {self.voice.family_poss} family that I'm aware of."
        if category == "past_history":
            return "No, nothing else that I know of." if not self.voice.is_caregiver else f"No, {poss} health has been fine otherwise."
        return self.pick(["No.", "No, not really."], turn, slot)

    def unclear(self, turn: int) -> str:
        return self.pick(
            ["Sorry, I didn't catch that — could you ask me again?", "Sorry, I'm not sure what you mean — could you ask me again?"],
            turn,
            "unclear",
        )

    def foreign(self) -> str:
        return "Sorry, I only speak English — could you ask me again?"

    def greeting(self, turn: int) -> str:
        return self.pick(["Hello, doctor.", "Hi, doctor.", "Hello."], turn, "greet")

    def how_are_you(self) -> str:
        return "Not great, to be honest." if not self.voice.is_caregiver else "Worried, to be honest."

    def thanks(self) -> str:
        return "Okay."

    def goodbye(self) -> str:
        return "Thank you, doctor."

    def refuse_diagnosis(self, turn: int) -> str:
        return self.pick(
            [
                f"I don't know what it is — that's why {self.we} here.",
                f"I really don't know, doctor. That's what {self.we} hoping you'll tell {'us' if self.voice.is_caregiver else 'me'}.",
            ],
            turn,
            "refuse",
        )

    def refuse_results(self, turn: int) -> str:
        return self.pick(
            ["I haven't been told any results.", "Nobody's told me any results, I'm afraid."], turn, "results"
        )

    def nothing_more(self, topic: bool) -> str:
        if topic:
            return "That's about all I can tell you about it, really."
        return "No, I think that's everything." if self.style is not Style.talkative else "No, I think I've told you everything, really."

    def not_sure_detail(self, turn: int) -> str:
        return self.pick(["I'm not sure exactly.", "I couldn't say exactly."], turn, "detail")

    # -- the whole reply -----------------------------------------------------------------------

    def finish(self, text: str, turn: int, question: str = "", clinical: bool = True) -> str:
        """Style and bias wording around a reply's text (no facts added)."""
        text = text.strip()
        if self.style is Style.low_health_literacy and question and _HARD_WORD.search(question):
            text = f"{self.pick(['Sorry, I don’t know that word.', 'I’m not sure what that means, doctor.'], turn, 'lhl')} {text}".replace("’", "'")
        elif self.style is Style.talkative and clinical:
            text = f"{text} {self.pick(_FILLERS, turn, 'talk')}"
        elif self.style is Style.anxious and clinical:
            options = _CAREGIVER_ANXIOUS if self.voice.is_caregiver else _ANXIOUS
            text = f"{text} {self.pick(options, turn, 'anx')}"
        if self.bias and (turn <= 1 or turn % 4 == 0):
            remarks = (_CAREGIVER_BIAS.get(self.bias) if self.voice.is_caregiver else None) or _BIAS_REMARKS[self.bias]
            remark = self.pick(remarks, turn, "bias")
            if self.bias in DISTRUST_BIASES:
                text = f"{text} {remark}" if turn else f"{remark} {text}"
            else:
                text = f"{text} {remark}"
        return text
