"""Every scorecard figure on hand-made transcripts, and the moderator's matching."""

from __future__ import annotations

import pytest
from consultsim.agents.moderator import Moderator
from consultsim.kg import get_kg
from consultsim.scenarios.model import Case
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from consultsim.consultation.transcript import Turn
from consultsim.scoring import score


@pytest.fixture
def case(case_data) -> Case:
    case_data["findings"] += [
        {"id": "sweating", "category": "history_of_present_illness", "text": "I've been sweating.", "label": "Sweating", "hpo": "HP:0000975", "key": True},
        {"id": "smoker", "category": "social", "text": "I smoke 20 a day.", "key": True},
        {"id": "no-cough", "category": "review_of_systems", "text": "No cough.", "hpo": "HP:0012735", "present": False},
    ]
    case_data["diagnosis"]["synonyms"] = ["inferior STEMI", "heart attack"]
    return Case.model_validate(case_data)


def T(i, role, action, text="", findings=(), **kw):  # noqa: N802 - a short builder reads best here
    return Turn(index=i, role=role, action=action, text=text, findings=list(findings), **kw)


def transcript():
    return [
        T(0, "patient", "opening", "Crushing chest pain.", ["chest-pain"]),
        T(1, "doctor", "ask", "Are you sweaty?"),
        T(2, "patient", "answer", "Yes.", ["sweating"]),
        T(3, "doctor", "ask", "Are you sweaty?"),  # a repeat that discloses nothing new
        T(4, "patient", "answer", "Yes, as I said.", ["sweating"]),
        T(5, "doctor", "ask", "Any cough?"),
        T(6, "patient", "answer", "No cough.", ["no-cough"]),
        T(7, "doctor", "test", "ECG"),
        T(8, "examiner", "result", "ST elevation in II, III, aVF.", ["st-elevation"]),
        T(9, "doctor", "commit", "Inferior STEMI", differential=["Inferior STEMI", "Aortic dissection"]),
    ]


def test_every_figure_on_a_hand_made_transcript(case):
    card = score(case, transcript(), "inferior STEMI", ["inferior STEMI", "Aortic dissection"], committed=True, kg=get_kg())
    d, q = card.diagnostic, card.questioning
    assert (d.correct, d.how, d.rank, d.top1, d.top3, d.top10) == (True, "synonym", 1, True, True, True)
    assert q.key_findings == 4  # chest pain, ST elevation, sweating, smoker
    assert q.key_volunteered == 1  # chest pain, in the opening
    assert q.key_elicited == 2  # sweating (asked) and ST elevation (tested)
    assert q.proactive_share == 0.5 and q.key_known_share == 0.75
    assert q.questions == 3 and q.repeated_questions == 1
    assert q.question_yield == pytest.approx(2 / 3, abs=1e-3)  # the repeat disclosed nothing new
    assert q.tests_ordered == 1 and q.exams_ordered == 0
    assert (q.key_exam_tests, q.key_exam_tests_found) == (1, 1)
    assert q.premature_closure is False  # 3 of 4 key findings known at commit
    assert q.bits_per_question > 0
    assert card.missed_key_findings == ["I smoke 20 a day."]


def test_premature_closure_and_wrong_answer(case):
    turns = transcript()[:1] + [T(1, "doctor", "commit", "Pericarditis")]
    card = score(case, turns, "Pericarditis", ["Pericarditis", "Gastritis"], committed=True)
    assert card.questioning.premature_closure is True
    assert card.diagnostic.correct is False and card.diagnostic.rank is None and not card.diagnostic.top10


def test_rank_of_the_true_diagnosis_in_the_differential(case):
    card = score(case, transcript(), "Aortic dissection", ["Aortic dissection", "Pericarditis", "Heart attack"], committed=False)
    assert card.diagnostic.rank == 3 and card.diagnostic.top3 and not card.diagnostic.top1
    assert card.diagnostic.committed is False


@pytest.mark.parametrize(
    ("answer", "correct", "how"),
    [
        ("ICD10:I21.1", True, "id"),
        ("Inferior ST-elevation myocardial infarction", True, "name"),
        ("heart attack", True, "synonym"),
        ("Inferior ST elevation myocardial infarctoin", True, "fuzzy"),
        ("Myocarditis", False, "none"),
        ("", False, "none"),
    ],
)
def test_moderator_matching(case, answer, correct, how):
    verdict = Moderator(case).judge_answer(answer)
    assert (verdict.correct, verdict.how) == (correct, how)


def test_moderator_uses_knowledge_graph_names_for_disease_ids(case_data):
    case_data["diagnosis"] = {"name": "Fabry disease", "ids": ["OMIM:301500"]}
    moderator = Moderator(Case.model_validate(case_data), get_kg())
    assert moderator.judge_answer("OMIM:301500").how == "id"
    assert moderator.judge_answer("Fabri disease").correct


def test_llm_judge_verdict_is_parsed_and_kept_with_its_reason(case):
    judge = FakeListChatModel(responses=["**Verdict**: yes\nREASON: a STEMI of the inferior wall is the same disease."])
    verdict = Moderator(case, judge=judge).judge_answer("MI of the diaphragmatic wall")
    assert verdict.correct and verdict.how == "llm" and "inferior wall" in verdict.reason
    unclear = Moderator(case, judge=FakeListChatModel(responses=["I cannot tell."])).judge_answer("Something else")
    assert unclear.correct is False and unclear.how == "llm"


def test_a_name_with_an_unrelated_id_is_judged_by_its_name(case_data):
    case_data["diagnosis"] = {"name": "Myasthenia gravis"}
    moderator = Moderator(Case.model_validate(case_data))
    verdict = moderator.judge_answer("Myasthenia gravis (ORPHA:589)")
    assert verdict.correct and verdict.how == "name"
