"""The consultation graph, the doctor policies, specialists, checkpoints and faults."""

from __future__ import annotations

import sqlite3

import pytest
from consultsim.agents.doctor import parse_action
from consultsim.scenarios import load_case, resolve_case
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from consultsim.consultation.runtime import Config, Consultation
from consultsim.errors import UserError


@pytest.fixture(scope="module")
def hht():
    return load_case(resolve_case("nosebleeds-38f"))


def _llm(config: Config, responses: list[str]) -> Config:
    config.doctor = "llm:fake:doctor"
    return config


def _with_model(consultation: Consultation, responses: list[str]) -> Consultation:
    consultation.runtime.doctor.model = FakeListChatModel(responses=responses)
    return consultation


def test_kg_doctor_runs_offline_and_is_scored(hht):
    result = Consultation(hht, Config(max_turns=20)).run()
    roles = {t.role for t in result.transcript}
    assert {"patient", "doctor", "examiner"} <= roles
    assert result.transcript[0].action == "opening"
    questions = [t for t in result.transcript if t.role == "doctor" and t.action == "ask"]
    assert questions and all(t.text.endswith("?") for t in questions)
    # The doctor never sees finding ids; its questions are words.
    assert not any("-" in t.text.split()[0] for t in questions)
    card = result.scorecard
    assert card.questioning.questions == len(questions)
    assert card.diagnostic.diagnosis == result.diagnosis
    assert card.kg_differential and "hereditary hemorrhagic" in card.kg_differential[0]["name"].lower()


def test_same_seed_same_consultation(hht):
    first = Consultation(hht, Config(max_turns=8, seed=3)).run()
    second = Consultation(hht, Config(max_turns=8, seed=3)).run()
    assert [t.text for t in first.transcript] == [t.text for t in second.transcript]


def test_budget_ends_a_doctor_that_never_commits(hht):
    consultation = _with_model(Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=3, specialists="none")), ["Any fever?"] * 3 + ["DIAGNOSIS: Migraine\nDIFFERENTIAL: Migraine; Anaemia"])
    result = consultation.run()
    assert not result.committed
    assert result.diagnosis == "Migraine" and result.differential == ["Migraine", "Anaemia"]
    assert result.scorecard.questioning.questions == 3
    assert result.scorecard.questioning.repeated_questions == 2
    assert result.scorecard.diagnostic.committed is False


def test_llm_doctor_actions_and_a_correct_diagnosis(hht):
    script = [
        "Do you get nosebleeds?",
        "EXAM: examine the skin and the mouth",
        "TEST: full blood count",
        "DIAGNOSIS: Hereditary haemorrhagic telangiectasia\nDIFFERENTIAL: HHT; von Willebrand disease",
    ]
    result = _with_model(Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=10, specialists="none")), script).run()
    kinds = [t.action for t in result.transcript if t.role == "doctor"]
    assert kinds == ["ask", "examine", "test", "commit"]
    assert result.committed and result.scorecard.diagnostic.correct
    assert result.scorecard.questioning.exams_ordered == 1 and result.scorecard.questioning.tests_ordered == 1
    assert result.scorecard.usage.model_calls >= 4


def test_panel_fans_out_and_reconciles(hht):
    script = ["Do you get nosebleeds?", "CONSULT: hematology, pulmonology, genetics", "DIAGNOSIS: HHT"]
    result = _with_model(Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=6, specialists="panel")), script).run()
    opinions = [t for t in result.transcript if t.role == "specialist"]
    assert len(opinions) == 1 and opinions[0].specialty == "panel"
    for name in ("Hematology", "Pulmonology", "Genetics"):
        assert name in opinions[0].text
    assert "Team view" in opinions[0].text


def test_failing_model_ends_the_run_as_failed(hht):
    class Broken(FakeListChatModel):
        def invoke(self, *args, **kwargs):
            raise TimeoutError("endpoint did not answer")

    consultation = Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=5))
    consultation.runtime.doctor.model = Broken(responses=["x"])
    result = consultation.run()
    assert result.failure and "TimeoutError" in result.failure


def test_malformed_model_output_is_tolerated_and_counted(hht):
    consultation = _with_model(Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=2, specialists="none")), ["", "", "gibberish with no tag"])
    result = consultation.run()
    assert result.scorecard.usage.malformed_outputs >= 2
    assert result.failure is None


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (Config(doctor="surgeon"), "unknown doctor"),
        (Config(doctor="llm:nomodel"), "PROVIDER:MODEL"),
        (Config(specialists="cardiology,astrology"), "unknown specialist astrology"),
        (Config(max_turns=0), "at least 1"),
    ],
)
def test_bad_configuration_fails_before_anything_runs(hht, config, message):
    with pytest.raises(UserError, match=message):
        Consultation(hht, config)


def test_random_and_oracle_baselines(hht):
    random_run = Consultation(hht, Config(doctor="random", max_turns=5)).run()
    assert random_run.scorecard.questioning.questions == 5 and not random_run.committed
    oracle = Consultation(hht, Config(doctor="oracle", max_turns=5)).run()
    assert oracle.committed and oracle.scorecard.diagnostic.top3


@pytest.mark.parametrize("saver", ["memory", "sqlite"])
def test_human_doctor_interrupts_and_resumes_from_the_checkpoint(hht, saver, tmp_path):
    checkpointer = InMemorySaver() if saver == "memory" else SqliteSaver(sqlite3.connect(tmp_path / "c.sqlite", check_same_thread=False))
    first = Consultation(hht, Config(doctor="human", max_turns=5), checkpointer)
    first.run()
    assert first.waiting_for_human()
    first.answer("Do you get nosebleeds?")
    # A new process: same checkpointer and thread, fresh engines.
    again = Consultation(hht, Config(doctor="human", max_turns=5), checkpointer, thread_id=first.thread_id)
    assert again.waiting_for_human()
    again.answer("Have you ever coughed up blood?")
    result = again.answer("DIAGNOSIS: hereditary hemorrhagic telangiectasia")
    doctor = [t.text for t in result.transcript if t.role == "doctor"]
    assert doctor[:2] == ["Do you get nosebleeds?", "Have you ever coughed up blood?"]
    assert result.committed and result.scorecard.diagnostic.correct
    answers = [t for t in result.transcript if t.role == "patient" and t.action == "answer"]
    assert len(answers) == 2 and answers[0].findings


def test_parse_action_is_lenient():
    assert parse_action("**Diagnosis:** Fabry disease")[0].kind == "commit"
    assert parse_action("Exam - listen to the chest")[0].kind == "examine"
    assert parse_action("")[1] is False


def test_a_run_killed_by_a_dead_endpoint_resumes_where_it_stopped(hht, tmp_path):
    class DiesOnThirdCall(FakeListChatModel):
        calls: int = 0

        def invoke(self, *args, **kwargs):
            self.calls += 1
            if self.calls >= 3:
                raise ConnectionError("endpoint down")
            return super().invoke(*args, **kwargs)

    db = tmp_path / "c.sqlite"
    saver = SqliteSaver(sqlite3.connect(db, check_same_thread=False))
    config = Config(doctor="llm:fake:doctor", max_turns=6, specialists="none")
    first = Consultation(hht, config, saver)
    first.runtime.doctor.model = DiesOnThirdCall(responses=["Do you get nosebleeds?", "Any breathlessness?"])
    failed = first.run()
    assert failed.failure and "endpoint down" in failed.failure
    asked = [t.text for t in failed.transcript if t.role == "doctor"]
    assert asked == ["Do you get nosebleeds?", "Any breathlessness?"]
    # The endpoint is back: a new process resumes the same thread from its last checkpoint.
    saver2 = SqliteSaver(sqlite3.connect(db, check_same_thread=False))
    again = _with_model(Consultation(hht, config, saver2, thread_id=first.thread_id), ["DIAGNOSIS: HHT"])
    result = again.run()
    assert result.failure is None and result.committed
    assert [t.text for t in result.transcript if t.role == "doctor"][:2] == asked
    answers = [t for t in result.transcript if t.role == "patient" and t.action == "answer"]
    assert len(answers) == 2


def test_slow_endpoint_times_out_and_rate_limits_are_retried(hht):
    import time

    from consultsim.models import GuardedModel

    class Slow(FakeListChatModel):
        def invoke(self, *args, **kwargs):
            time.sleep(2)
            return super().invoke(*args, **kwargs)

    consultation = Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=3))
    consultation.runtime.doctor.model = GuardedModel(Slow(responses=["Any fever?"]), timeout=0.2, retries=1)
    started = time.perf_counter()
    result = consultation.run()
    assert "did not answer within 0.2 s" in result.failure and time.perf_counter() - started < 2

    class RateLimited(FakeListChatModel):
        failures: int = 2

        def invoke(self, *args, **kwargs):
            if self.failures:
                self.failures -= 1
                raise ConnectionError("429 too many requests")
            return super().invoke(*args, **kwargs)

    consultation = Consultation(hht, Config(doctor="llm:fake:doctor", max_turns=3, specialists="none"))
    consultation.runtime.doctor.model = GuardedModel(RateLimited(responses=["DIAGNOSIS: HHT"]), timeout=5, retries=3, backoff=False)
    result = consultation.run()
    assert result.failure is None and result.committed
