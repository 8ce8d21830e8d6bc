"""The offline doctor: asks the knowledge graph's most informative question through the patient,
in plain words, and reads the answers back into HPO findings. It never reads the case."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from consultsim.agents.doctor.base import Action, DoctorView
from consultsim.kg import KGError, KnowledgeGraph
from consultsim.kg.questions import TEMPERATURE  # the same calibration as question selection

CONFIDENT = 0.8  # commit once the leading disease has this (tempered) posterior
MIN_QUESTIONS = 5  # and not before this many questions
MIN_GAIN_BITS = 0.02  # below this no question is worth asking
MIN_QUESTION_IC = 2.0  # "Abnormality of body height" is not a question a clinician asks
EXAMS = {
    "cardiology": "examine the heart and take the blood pressure",
    "pulmonology": "examine the chest and listen to the lungs",
    "neurology": "do a neurological examination",
    "gastroenterology": "examine the abdomen",
    "hepatology": "examine the abdomen",
    "dermatology": "examine the skin",
    "ophthalmology": "examine the eyes",
    "rheumatology": "examine the joints",
    "hematology": "examine for lymph nodes, bruising and the spleen",
    "nephrology": "check the blood pressure and examine for oedema",
    "genetics": "do a general examination including the face, hands and growth measurements",
}
OPEN_QUESTION = "What else have you noticed? Is anything else troubling you?"
ROUTINE_TESTS = "full blood count, renal function, liver function, CRP and urinalysis"
_CLAUSES = re.compile(r"[.;!?\n]|,|\bbut\b")
_NEGATED = re.compile(r"\b(no|not|never|none|nil|haven't|hasn't|don't|doesn't|didn't|isn't|wasn't|denies|without|normal|negative|absent|unremarkable)\b", re.I)


def _tempered_leader(ranked) -> float:  # noqa: ANN001
    if not ranked:
        return 0.0
    scores = np.array([d.score for d in ranked])
    p = np.exp((scores - scores.max()) / TEMPERATURE)
    return float(p[0] / p.sum())


class KGDoctor:
    """`kg` policy. `specialists` is none, auto, panel or a list of specialty names."""

    name = "kg"

    def __init__(self, kg: KnowledgeGraph, specialists: str | list[str] = "auto", seed: int = 0, sources: list[str] | None = None):
        self.kg = kg
        self.sources = sources
        self.specialists = specialists
        self.seed = seed
        self.model_calls = 0
        self._code = lru_cache(maxsize=4096)(self._code_clause)

    # -- reading the transcript ------------------------------------------------------------

    def _code_clause(self, clause: str) -> tuple[str, ...]:
        return tuple(h.id for h in self.kg.code(clause))

    def code_text(self, text: str) -> list[str]:
        """HPO terms named in free text, clause by clause; negated clauses are skipped."""
        terms: list[str] = []
        for clause in _CLAUSES.split(text):
            if _NEGATED.search(clause):
                continue
            for term in self._code(clause.lower()):
                if term not in terms:
                    terms.append(term)
        return terms

    def evidence(self, view: DoctorView) -> tuple[list[str], list[str], list[str]]:
        """(present, absent, asked) HPO ids from what was said so far."""
        present: list[str] = []
        absent: list[str] = []
        asked: list[str] = []
        pending: tuple[str, ...] = ()
        for said in view.turns:
            if said.role == "doctor":
                pending = said.terms if said.action == "ask" else ()
                asked.extend(t for t in said.terms if t not in asked)
                continue
            if said.role == "patient" and said.action == "answer" and pending:
                if said.intent == "confirm":
                    # Believe what the patient described, not the question: a "yes" may be about
                    # a neighbouring finding ("not chest pain, more a tightness").
                    described = self.code_text(said.text)
                    present.extend(described or pending)
                elif said.intent == "deny":
                    absent.extend(pending)
                elif said.intent == "unmentioned":
                    pass  # "not that I've noticed" is no evidence either way: asked, not excluded
                else:
                    present.extend(self.code_text(said.text))
            elif said.role in ("patient", "examiner") and said.action in ("opening", "answer", "result"):
                present.extend(self.code_text(said.text))
            pending = ()
        present = list(dict.fromkeys(present))
        absent = [t for t in dict.fromkeys(absent) if t not in present]
        return present, absent, asked

    # -- deciding --------------------------------------------------------------------------

    def _ranked(self, present: list[str], absent: list[str], top: int = 10):
        try:
            return self.kg.rank(present, absent, sources=self.sources, top=top, explain=False, negatives="asked").diseases
        except KGError:
            return []

    def decide(self, view: DoctorView) -> Action:
        present, absent, asked = self.evidence(view)
        ranked = self._ranked(present, absent) if present or absent else []
        leader_p = _tempered_leader(ranked)
        did = {(t.role, t.action) for t in view.turns}
        questions = len(view.questions_asked)
        budget = view.actions_left + sum(1 for t in view.turns if t.role == "doctor")
        if ranked and leader_p >= CONFIDENT and questions >= MIN_QUESTIONS:
            return self._commit(ranked, f"leading diagnosis has posterior {leader_p:.2f}")
        half_way = view.actions_left <= budget // 2
        if half_way and ranked and ("doctor", "consult") not in did and self._wants_specialists(leader_p):
            specialties = self._specialties_for(ranked)
            if specialties:
                return Action(kind="consult", specialties=specialties, text=f"Please see this patient: {', '.join(specialties)}", why="uncertain at half the budget")
        if half_way and ("doctor", "examine") not in did:
            specialty = self._specialties_for(ranked, 1)
            exam = EXAMS.get(specialty[0] if specialty else "", "do a general physical examination and check the vital signs")
            return Action(kind="examine", text=exam, why="examination of the system the leading diseases involve")
        if half_way and ("doctor", "test") not in did:
            return Action(kind="test", text=ROUTINE_TESTS, why="routine tests")
        if present and self._open_question_due(view):
            return Action(kind="ask", text=OPEN_QUESTION, why="targeted questions stopped telling anything new; an open question")
        try:
            questions_ = self.kg.next_findings(present, absent, asked=asked, sources=self.sources, leaders=50, limit=25)
        except KGError:
            questions_ = []
        ic = self.kg.ranker.ic
        fresh = [
            q for q in questions_
            if q.id not in asked and q.gain_bits >= MIN_GAIN_BITS and ic[self.kg.compiled.term_index[q.id]] >= MIN_QUESTION_IC
        ]
        if not present and not absent:
            fresh = []
        if not fresh:
            if not present and questions == 0:
                return Action(kind="ask", text="What brings you in today? Tell me more.", why="open question to start")
            if ranked and questions >= MIN_QUESTIONS:
                return self._commit(ranked, "no question left that would change the differential")
            if ranked:
                return Action(kind="ask", text="Is there anything else you have noticed?", why="no informative question; an open one instead")
            return Action(kind="ask", text="Is there anything else you have noticed?", why="nothing coded yet")
        best = fresh[0]
        return Action(
            kind="ask",
            text=self.phrase(best.id),
            terms=[best.id],
            why=f"asks about {best.label} ({best.id}): expected gain {best.gain_bits:.2f} bits",
        )

    def _open_question_due(self, view: DoctorView) -> bool:
        """After two targeted questions in a row that told nothing, unless the last open
        question itself told nothing: patients say most when asked openly."""
        pairs = []  # (open?, productive?) per question answered
        question = None
        for said in view.turns:
            if said.role == "doctor":
                question = said if said.action == "ask" else None
            elif said.role == "patient" and said.action == "answer" and question is not None:
                is_open = not question.terms
                # A reply is productive when it told something the graph can use.
                productive = said.intent == "confirm" or (said.intent not in ("deny", "unmentioned") and bool(self.code_text(said.text)))
                pairs.append((is_open, productive))
                question = None
        last_open = next((p for o, p in reversed(pairs) if o), True)
        trailing = 0
        for is_open, productive in reversed(pairs):
            if is_open or productive:
                break
            trailing += 1
        return trailing >= 2 and last_open

    def final(self, view: DoctorView) -> Action:
        present, absent, _ = self.evidence(view)
        ranked = self._ranked(present, absent) if present or absent else []
        if not ranked:
            return Action(kind="commit", diagnosis=None, differential=[], why="budget ended with no findings coded")
        return self._commit(ranked, "the turn budget ended")

    def _commit(self, ranked, why: str) -> Action:  # noqa: ANN001
        # The id goes with the name: the moderator then matches by id, and a student can look it up.
        names = list(dict.fromkeys(f"{d.name} ({d.id})" for d in ranked))
        return Action(kind="commit", diagnosis=names[0], differential=names[:10], why=why)

    def _wants_specialists(self, leader_p: float) -> bool:
        if self.specialists == "none" or self.specialists == []:
            return False
        if self.specialists == "auto":
            return leader_p < 0.5
        return True

    def _specialties_for(self, ranked, count: int | None = None) -> list[str]:  # noqa: ANN001
        if isinstance(self.specialists, list):
            return self.specialists
        if not ranked:
            return []
        counts: dict[str, float] = {}
        for d in ranked[:5]:
            index = self.kg.compiled.disease_index.get(d.id)
            if index is None:
                continue
            for s in self.kg.specialties.of_disease(index):
                counts[s] = counts.get(s, 0.0) + d.probability
        order = sorted(counts, key=lambda s: -counts[s])
        limit = count or (3 if self.specialists == "panel" else 1)
        return order[:limit]

    def phrase(self, term_id: str) -> str:
        """A question a patient understands: the lay word where the HPO has one."""
        term = self.kg.ontology.terms.get(term_id)
        if term is None:
            return f"Have you noticed {term_id}?"
        lay = sorted(term.layperson, key=len)
        words = (lay[0] if lay else term.name).rstrip(".")
        words = words[0].lower() + words[1:] if words[:2] != words[:2].upper() else words
        return f"Have you had or been told about {words}?"
