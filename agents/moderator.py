"""The moderator: does a named diagnosis match the case's? By id, then names, then fuzzy names;
an LLM judge only when one is configured, its verdict parsed robustly and kept with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from consultsim.scenarios.model import Case, Diagnosis
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

FUZZY_THRESHOLD = 80.0
_ID = re.compile(r"\b(OMIM:\d{6}|ORPHA:\d+|DECIPHER:\d+|MONDO:\d{7}|ICD10:[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)\b")
# Words that qualify a name without changing the disease ("acute", "syndrome"...).
_FILLER = re.compile(r"\b(acute|chronic|syndrome|disease|disorder|type|the|of|with|and|primary|idiopathic)\b")


@dataclass(frozen=True)
class Verdict:
    correct: bool
    how: str  # id, name, synonym, kg-name, fuzzy, llm, none
    matched: str | None = None  # the case name or id it matched
    score: float = 0.0
    reason: str = ""

    def as_dict(self) -> dict:
        return {"correct": self.correct, "how": self.how, "matched": self.matched, "score": round(self.score, 1), "reason": self.reason}


def _key(text: str) -> str:
    return " ".join(_FILLER.sub(" ", default_process(text)).split())


class Moderator:
    """Judges answers against one case's diagnosis and its acceptable alternatives."""

    def __init__(self, case: Case, kg=None, judge=None):  # noqa: ANN001 - optional engines
        self.case = case
        self.judge = judge  # a LangChain chat model, used only when the rules find no match
        self.judge_calls = 0
        self.targets: list[Diagnosis] = [case.diagnosis, *case.alternatives]
        self.ids = {i for d in self.targets for i in d.ids}
        names: list[tuple[str, str]] = []
        for d in self.targets:
            names.append((d.name, "name"))
            names.extend((s, "synonym") for s in d.synonyms)
            if kg is not None:
                for disease_id in d.ids:
                    label = kg.label(disease_id) if disease_id in kg.compiled.disease_index else None
                    if label:
                        names.append((label, "kg-name"))
        self.names = [(n, how, _key(n)) for n, how in names if _key(n)]

    def judge_answer(self, answer: str) -> Verdict:
        answer = (answer or "").strip()
        if not answer:
            return Verdict(False, "none", reason="no answer")
        ids = set(_ID.findall(answer))
        if ids & self.ids:
            hit = sorted(ids & self.ids)[0]
            return Verdict(True, "id", hit, 100.0)
        # "Myasthenia gravis (ORPHA:589)": the name is judged without the id that did not match.
        key = _key(re.sub(r"\(\s*\)|\[\s*\]", " ", _ID.sub(" ", answer)))
        for name, how, name_key in self.names:
            if key == name_key:
                return Verdict(True, how, name, 100.0)
        # Whole-string similarity, not token overlap: "diabetes" must not match "diabetic
        # ketoacidosis", while a misspelling ("Fabri disease") should.
        best = max(((fuzz.ratio(key, k), name) for name, _, k in self.names), default=(0.0, None))
        if best[1] is not None and best[0] >= FUZZY_THRESHOLD:
            return Verdict(True, "fuzzy", best[1], best[0])
        if self.judge is not None:
            return self._ask_judge(answer)
        return Verdict(False, "none", best[1], best[0])

    def rank_in(self, differential: list[str]) -> tuple[int | None, Verdict | None]:
        """1-based position of the first differential entry that matches, and its verdict."""
        for position, entry in enumerate(differential, 1):
            verdict = self.judge_answer(entry)
            if verdict.correct:
                return position, verdict
        return None, None

    def _ask_judge(self, answer: str) -> Verdict:
        from langchain_core.messages import HumanMessage, SystemMessage

        self.judge_calls += 1
        truth = "; ".join(f"{d.name} ({', '.join(d.ids + d.synonyms)})" for d in self.targets)
        messages = [
            SystemMessage(content="You judge whether a proposed diagnosis names the same disease as the true diagnosis. Answer 'VERDICT: YES' or 'VERDICT: NO', then 'REASON:' and one sentence."),
            HumanMessage(content=f"True diagnosis: {truth}\nProposed: {answer}"),
        ]
        try:
            text = str(self.judge.invoke(messages).content)
        except Exception as err:  # noqa: BLE001 - a judge that fails leaves the rule-based verdict
            return Verdict(False, "none", reason=f"judge failed: {type(err).__name__}")
        match = re.search(r"verdict\s*[:=]?\s*\**\s*(yes|no|correct|incorrect|true|false)", text, re.I)
        if not match:
            match = re.search(r"\b(yes|no)\b", text, re.I)
        reason = re.search(r"reason\s*[:=]\s*(.+)", text, re.I | re.S)
        correct = bool(match) and match.group(1).lower() in ("yes", "correct", "true")
        return Verdict(correct, "llm", None, 100.0 if correct else 0.0, (reason.group(1).strip() if reason else text.strip())[:300])
