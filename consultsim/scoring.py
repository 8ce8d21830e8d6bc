"""Score a transcript for diagnostic accuracy and proactive questioning, and write a debrief.

Everything is computed from the transcript and the case: the scorer never asks a role again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from consultsim.agents.moderator import Moderator
from consultsim.consultation.transcript import Turn
from consultsim.scenarios.model import Case


class Diagnostic(BaseModel):
    diagnosis: str | None
    correct: bool
    how: str = Field(description="How the answer matched: id, name, synonym, kg-name, fuzzy, llm, none.")
    rank: int | None = Field(None, description="1-based position of the true diagnosis in the differential.")
    top1: bool
    top3: bool
    top10: bool
    committed: bool = Field(description="False when the turn budget ended the consultation.")


class Questioning(BaseModel):
    key_findings: int
    key_elicited: int = Field(description="Key findings first disclosed in reply to the doctor's own requests.")
    key_volunteered: int
    proactive_share: float = Field(description="key_elicited / key_findings.")
    key_known_share: float = Field(description="Key findings known by the end, by any route.")
    questions: int
    question_yield: float = Field(description="Share of questions that disclosed something new.")
    repeated_questions: int
    bits_per_question: float = Field(description="Mean information gained per question on the knowledge graph.")
    premature_closure: bool = Field(description="Committed before half the key findings were known.")
    exams_ordered: int
    tests_ordered: int
    key_exam_tests: int = Field(description="Key exam and test findings in the case: how many were needed.")
    key_exam_tests_found: int
    specialists_consulted: int


class Usage(BaseModel):
    turns: int
    model_calls: int = 0
    tokens: int = 0
    wall_seconds: float = 0.0
    models: list[str] = Field(default_factory=list, description="Model ids as actually called.")
    malformed_outputs: int = 0


class Scorecard(BaseModel):
    case_id: str
    diagnostic: Diagnostic
    questioning: Questioning
    usage: Usage
    missed_key_findings: list[str] = Field(default_factory=list)
    kg_differential: list[dict] = Field(default_factory=list, description="The knowledge graph's differential on all the case's findings, with reasons.")


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _entropy(scores: np.ndarray) -> float:
    shifted = np.exp(scores - scores.max())
    p = shifted / shifted.sum()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def score(
    case: Case,
    transcript: Sequence[Turn],
    diagnosis: str | None,
    differential: list[str],
    committed: bool,
    kg=None,  # noqa: ANN001 - consultsim.kg.KnowledgeGraph, optional for the information figures
    moderator: Moderator | None = None,
    usage: Usage | None = None,
) -> Scorecard:
    moderator = moderator or Moderator(case, kg)
    verdict = moderator.judge_answer(diagnosis or "")
    rank, rank_verdict = moderator.rank_in(differential)
    if verdict.correct and rank is None:
        rank = 1
    diagnostic = Diagnostic(
        diagnosis=diagnosis,
        correct=verdict.correct,
        how=verdict.how if verdict.correct else (rank_verdict.how if rank_verdict else "none"),
        rank=rank,
        top1=rank == 1,
        top3=rank is not None and rank <= 3,
        top10=rank is not None and rank <= 10,
        committed=committed,
    )

    key_ids = [f.id for f in case.key_findings]
    known: set[str] = set()
    volunteered: set[str] = set()
    elicited: set[str] = set()
    questions = 0
    yielding = 0
    seen_questions: set[str] = set()
    repeated = 0
    exams = tests = consults = 0
    known_at_commit: set[str] | None = None
    evidence_steps: list[tuple[set[str], set[str]]] = []  # HPO evidence after each question
    present_hpo: set[str] = set()
    absent_hpo: set[str] = set()
    last_request: str | None = None
    for turn in transcript:
        if turn.role == "doctor":
            last_request = turn.action
            if turn.action == "ask":
                questions += 1
                key = _normal(turn.text)
                if key in seen_questions:
                    repeated += 1
                seen_questions.add(key)
            elif turn.action == "examine":
                exams += 1
            elif turn.action == "test":
                tests += 1
            elif turn.action == "consult":
                consults += 1
            elif turn.action == "commit" and known_at_commit is None:
                known_at_commit = set(known)
            continue
        new = [f for f in turn.findings if f not in known]
        if turn.action == "opening":
            volunteered.update(new)
        elif turn.action in ("answer", "result") and last_request in ("ask", "examine", "test"):
            elicited.update(new)
            if last_request == "ask" and new:
                yielding += 1
        known.update(turn.findings)
        for finding_id in turn.findings:
            try:
                finding = case.finding(finding_id)
            except KeyError:
                continue
            if finding.hpo:
                (present_hpo if finding.present else absent_hpo).add(finding.hpo)
        if turn.action == "answer" and last_request == "ask":
            evidence_steps.append((set(present_hpo), set(absent_hpo - present_hpo)))
        elif turn.action == "opening":
            evidence_steps.insert(0, (set(present_hpo), set(absent_hpo - present_hpo)))

    bits = 0.0
    if kg is not None and questions:
        entropies = []
        for present, absent in evidence_steps:
            if present or absent:
                ev = kg.evidence(sorted(present), sorted(absent), allow_empty=True)
                entropies.append(_entropy(kg.ranker.scores(ev.present, ev.absent, "asked")))
            else:
                entropies.append(math.log2(kg.compiled.n_diseases))
        if len(entropies) > 1:
            bits = max(0.0, (entropies[0] - entropies[-1]) / questions)

    known_for_closure = known_at_commit if known_at_commit is not None else known
    key_exam_tests = [f.id for f in case.key_findings if not f.category.patient_facing]
    questioning = Questioning(
        key_findings=len(key_ids),
        key_elicited=len(elicited & set(key_ids)),
        key_volunteered=len(volunteered & set(key_ids)),
        proactive_share=round(len(elicited & set(key_ids)) / len(key_ids), 4) if key_ids else 0.0,
        key_known_share=round(len(known & set(key_ids)) / len(key_ids), 4) if key_ids else 0.0,
        questions=questions,
        question_yield=round(yielding / questions, 4) if questions else 0.0,
        repeated_questions=repeated,
        bits_per_question=round(bits, 4),
        premature_closure=committed and len(known_for_closure & set(key_ids)) < len(key_ids) / 2,
        exams_ordered=exams,
        tests_ordered=tests,
        key_exam_tests=len(key_exam_tests),
        key_exam_tests_found=len(set(key_exam_tests) & known),
        specialists_consulted=consults,
    )
    missed = [case.finding(f).name for f in key_ids if f not in known]
    return Scorecard(
        case_id=case.id,
        diagnostic=diagnostic,
        questioning=questioning,
        usage=usage or Usage(turns=len(transcript)),
        missed_key_findings=missed,
        kg_differential=kg_differential(case, kg) if kg is not None else [],
    )


def kg_differential(case: Case, kg, top: int = 5) -> list[dict]:  # noqa: ANN001
    """The knowledge graph's differential on every HPO-coded finding of the case, with reasons."""
    from consultsim.kg import KGError

    present = sorted({f.hpo for f in case.findings if f.hpo and f.present})
    absent = sorted({f.hpo for f in case.findings if f.hpo and not f.present} - set(present))
    if not present:
        return []
    try:
        ev = kg.evidence(present, absent)
    except KGError:
        return []
    result = kg.rank_evidence(ev, top=top)
    return [
        {
            "id": d.id,
            "name": d.name,
            "probability": round(d.probability, 3),
            "because": [m.finding_label for m in d.matches if m.present and m.how != "unexplained"][:5],
            "typical_not_found": [label for _, label, _ in d.unexplained[:3]],
        }
        for d in result.diseases
    ]


__all__ = ["Diagnostic", "Questioning", "Scorecard", "Usage", "kg_differential", "score"]
