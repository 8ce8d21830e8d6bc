"""The LLM patient: the grounded selection chooses the findings, a chat model only words them.

    patient = LLMPatient(patient_view(case), init_chat_model("openai:gpt-4o-mini"))

Every reply is checked: one that mentions a finding of the case that was not selected, or an
HPO-recognisable symptom that none of the selected findings (or the doctor's own question, when
denied) carries, is rejected and the offline wording is used instead. Model errors fall back too.
`rejections` and `errors` count both.
"""

from __future__ import annotations

import re

from consultsim.agents.patient.concepts import ROOTS, is_word_in
from consultsim.agents.patient.offline import OfflinePatient
from consultsim.agents.patient.text import clean_input, content_stems, norm, stem
from consultsim.agents.patient.view import PatientView
from consultsim.agents.replies import Reply
from consultsim.scenarios.model import Style

_NEGATION = re.compile(r"\b(?:no|not|never|nothing|none|without|haven't|hasn't|don't|doesn't|didn't|isn't|aren't|wasn't|nope)\b", re.I)


_GENERIC = frozenset(stem(w) for w in ("pain", "history", "medical", "medication", "medicine", "family", "social", "allergy", "past", "smoke", "drink"))


class LLMPatient:
    kind = "llm"

    def __init__(self, view: PatientView, model, seed: int = 0, style: Style | str | None = None, bias: str | None = None, kg=None):
        self.offline = OfflinePatient(view, seed=seed, style=style, bias=bias, kg=kg)
        self.view = view
        self.model = model
        self.rejections = 0
        self.errors = 0
        self.accepted = 0

    # Same conversation state as the grounded selection.
    @property
    def disclosed(self) -> dict[str, int]:
        return self.offline.disclosed

    def opening(self) -> Reply:
        return self.offline.opening()

    def ask(self, question: str) -> Reply:
        grounded = self.offline.ask(question)
        if grounded.intent in ("unclear", "refuse"):
            return grounded
        try:
            text = self._word(clean_input(question), grounded)
        except Exception:  # noqa: BLE001 - any model failure falls back to the offline wording
            self.errors += 1
            return grounded
        if not text or not self.faithful(text, grounded, question):
            self.rejections += 1
            return grounded
        self.accepted += 1
        return grounded.model_copy(update={"text": text})

    # -- wording ------------------------------------------------------------------------------

    def _persona(self) -> str:
        p = self.view.patient
        who = (
            f"the {p.caregiver or 'parent'} of a {p.age_text} old {p.sex.value} patient, answering for them"
            if p.speaker.value == "caregiver"
            else f"a {p.age_text} old {p.sex.value} patient"
        )
        persona = f" Background: {p.persona}" if p.persona else ""
        style = self.offline.style.value.replace("_", " ")
        return (
            f"You are {who} talking to a doctor.{persona} Speaking style: {style}. Reply in one to three "
            "short sentences in everyday words. Say ONLY the facts listed below, in your own words; do not "
            "add any other symptom, illness, test, result or diagnosis, and never guess what the illness is."
        )

    def _word(self, question: str, grounded: Reply) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        facts = [self.view.finding(i).text for i in grounded.findings]
        if facts:
            listed = "\n".join(f"- {t}" for t in facts)
            task = f"Facts to tell the doctor:\n{listed}"
        else:
            task = f"You have nothing to add on this; answer along these lines: {grounded.text}"
        messages = [
            SystemMessage(content=f"{self._persona()}\n\n{task}"),
            HumanMessage(content=question or "(the doctor says nothing)"),
        ]
        result = self.model.invoke(messages)
        content = getattr(result, "content", result)
        if isinstance(content, list):
            content = " ".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
        return re.sub(r"\s+", " ", str(content)).strip()[:2000]

    # -- the check ----------------------------------------------------------------------------

    def faithful(self, text: str, grounded: Reply, question: str = "") -> bool:
        """True when the text mentions nothing beyond the selected findings."""
        matcher = self.offline.matcher
        said = norm(text)
        selected = [matcher.by_id[i] for i in grounded.findings if i in matcher.by_id]
        allowed_text = norm(" ".join([e.finding.text for e in selected] + [grounded.text, self.view.opening]))
        asked = norm(question)
        negated = bool(_NEGATION.search(text))
        # A finding of the case that was not selected.
        for e in matcher.entries:
            if e in selected:
                continue
            for phrase, _via in e.phrases:
                if len(phrase) >= 5 and is_word_in(phrase, said) and not is_word_in(phrase, allowed_text):
                    if negated and is_word_in(phrase, asked) and not e.finding.present:
                        continue
                    return False
        said_stems = set(content_stems(text))
        allowed_stems = set(content_stems(" ".join([e.finding.text for e in selected] + [grounded.text, question])))
        for e in matcher.entries:
            if e in selected or not e.finding.label:
                continue
            label = set(content_stems(e.finding.label))
            if len(label) >= 1 and label <= said_stems and not label <= allowed_stems and not (label & _GENERIC):
                return False
        # An HPO-recognisable symptom that the selected findings do not carry.
        allowed_terms: set[str] = set()
        for e in selected:
            allowed_terms |= e.declared | e.expanded | e.text_terms
        index = matcher.index
        allowed_terms |= {t for t, _ in index.find(allowed_text)}
        asked_terms = {t for t, _ in index.find(asked)}
        for term_id, phrase in index.find(text):
            if term_id in ROOTS or term_id in allowed_terms:
                continue
            if any(a in allowed_terms for a in index.ancestors(term_id)) and is_word_in(phrase, allowed_text):
                continue
            if term_id in asked_terms and negated:
                continue
            return False
        return True


def make_patient(view: PatientView, spec: str = "offline", seed: int = 0, style=None, bias=None, kg=None):
    """A patient engine from a spec: 'offline' or 'llm:PROVIDER:MODEL' (needs consultsim[llm])."""
    spec = (spec or "offline").strip()
    if spec == "offline":
        return OfflinePatient(view, seed=seed, style=style, bias=bias, kg=kg)
    if not spec.startswith("llm:") or spec.count(":") < 2 or not all(spec.split(":", 2)[1:]):
        raise ValueError(f"bad patient {spec!r}: use 'offline' or 'llm:PROVIDER:MODEL' (e.g. llm:openai:gpt-4o-mini)")
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as err:
        raise ImportError("the LLM patient needs langchain: install consultsim[llm]") from err
    model = init_chat_model(spec[4:])
    return LLMPatient(view, model, seed=seed, style=style, bias=bias, kg=kg)
