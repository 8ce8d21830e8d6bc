"""The engines of one consultation, built from a configuration, and how to run it."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from consultsim.agents.doctor import KGDoctor, LLMDoctor, OracleDoctor, RandomDoctor
from consultsim.agents.doctor.base import DoctorView
from consultsim.agents.moderator import Moderator
from consultsim.agents.replies import Reply
from consultsim.agents.specialists import (
    CONSULTABLE,
    LLMSpecialist,
    OfflineSpecialist,
    Opinion,
    check_specialties,
)
from consultsim.scenarios.model import Case
from langgraph.types import Command

from consultsim.consultation.transcript import Turn
from consultsim.errors import UserError
from consultsim.scoring import Scorecard, Usage, score

DOCTORS = ("kg", "random", "oracle", "human", "llm:PROVIDER:MODEL")


@dataclass
class Config:
    doctor: str = "kg"
    patient: str = "offline"
    specialists: str = "auto"  # auto, none, panel, or a comma-separated list
    max_turns: int = 20
    seed: int = 0
    style: str | None = None
    bias: str | None = None
    judge: str | None = None  # llm:PROVIDER:MODEL for the moderator, off by default
    specialist_model: str | None = None  # llm:PROVIDER:MODEL for role-played specialists; offline by default
    sources: list[str] | None = None  # disease sources the knowledge-graph doctor considers (OMIM, ORPHA...)

    def specialist_mode(self) -> str | list[str]:
        if self.specialists in ("auto", "none", "panel"):
            return self.specialists
        names = [s.strip() for s in self.specialists.split(",") if s.strip()]
        try:
            return check_specialties(names)
        except ValueError as err:
            raise UserError(str(err)) from None


def _model(spec: str):  # noqa: ANN202
    from consultsim.models import chat_model

    if not spec.startswith("llm:"):
        raise UserError(f"{spec!r}: an LLM engine is written llm:PROVIDER:MODEL")
    return chat_model(spec[4:])


class Runtime:
    """Patient, examiner, knowledge graph, doctor policy and specialists for one case."""

    def __init__(self, case: Case, config: Config, kg=None):  # noqa: ANN001
        from consultsim.agents.examiner import Examiner
        from consultsim.agents.patient import OfflinePatient, patient_view
        from consultsim.kg import get_kg

        if config.max_turns < 1:
            raise UserError("--max-turns must be at least 1")
        self.case = case
        self.config = config
        self.kg = kg or get_kg()
        self.max_turns = config.max_turns
        self.mode = config.specialist_mode()
        self.models: list[str] = []
        self.human = config.doctor == "human"
        view = patient_view(case)
        self._patient_factory = lambda: OfflinePatient(view, seed=config.seed, style=config.style, bias=config.bias)
        if config.patient == "offline":
            self.patient = self._patient_factory()
        else:
            from consultsim.agents.patient import LLMPatient

            model = _model(config.patient)
            self.models.append(config.patient[4:])
            self._patient_factory = lambda: LLMPatient(view, model, seed=config.seed, style=config.style, bias=config.bias)
            self.patient = self._patient_factory()
        self._asked = 0  # doctor questions the live patient has heard
        self.examiner = Examiner(case, seed=config.seed)
        if config.doctor == "kg":
            self.doctor = KGDoctor(self.kg, specialists=self.mode, seed=config.seed, sources=config.sources)
        elif config.doctor == "random":
            self.doctor = RandomDoctor(self.kg, seed=config.seed)
            self.doctor.sources = config.sources
        elif config.doctor == "oracle":
            self.doctor = OracleDoctor(self.kg, case)
        elif config.doctor == "human":
            self.doctor = KGDoctor(self.kg, specialists="none")  # only for the final commitment fallback
        elif config.doctor.startswith("llm:"):
            self.doctor = LLMDoctor(_model(config.doctor), config.doctor[4:])
            self.models.append(config.doctor[4:])
        else:
            raise UserError(f"unknown doctor {config.doctor!r}; choose from {', '.join(DOCTORS)}")
        # Reads the transcript's words into HPO terms for specialists and the graph tool; the kg
        # doctor already does exactly that.
        self.reader = self.doctor if isinstance(self.doctor, KGDoctor) else KGDoctor(self.kg, specialists="none")
        self._specialist_model = _model(config.specialist_model) if config.specialist_model else None
        if self._specialist_model is not None:
            self.models.append(config.specialist_model[4:])
        self.judge = _model(config.judge) if config.judge else None
        if self.judge is not None:
            self.models.append(config.judge[4:])
        self.specialist_calls = 0

    # -- the patient, kept in step with the transcript -----------------------------------

    def patient_opening(self) -> Reply:
        return self.patient.opening()

    def patient_ask(self, transcript: list[dict], question: str) -> Reply:
        asks = [t["text"] for t in transcript if t["role"] == "doctor" and t["action"] == "ask"]
        # A resumed run has a fresh patient: replay what it was asked before, in order.
        if self._asked > len(asks) - 1:
            self.patient = self._patient_factory()
            self._asked = 0
        for earlier in asks[self._asked : len(asks) - 1]:
            self.patient.ask(earlier)
        self._asked = len(asks)
        return self.patient.ask(question)

    # -- specialists and the graph tool -----------------------------------------------------

    def allowed_specialties(self, asked: list[str]) -> list[str]:
        if self.mode == "none":
            return []
        return [s for s in asked if s in CONSULTABLE]

    def coded_evidence(self, view: DoctorView) -> tuple[list[str], list[str]]:
        present, absent, _ = self.reader.evidence(view)
        return present, absent

    def specialist_opinion(self, specialty: str, present: list[str], absent: list[str]) -> Opinion:
        self.specialist_calls += 1
        if self._specialist_model is not None:
            return LLMSpecialist(self.kg, specialty, self._specialist_model).opinion(present, absent)
        return OfflineSpecialist(self.kg, specialty).opinion(present, absent)

    def kg_summary(self, view: DoctorView) -> str:
        present, absent = self.coded_evidence(view)
        if not present and not absent:
            return "No findings coded yet."
        ranked = self.kg.rank(present, absent, top=5, explain=False, negatives="asked").diseases
        return "Leading diseases: " + "; ".join(f"{d.name} ({d.probability:.2f})" for d in ranked)

    def doctor_final(self, view: DoctorView):  # noqa: ANN201
        return self.doctor.final(view)


class ConsultationResult:
    """What one run produced: the transcript, the answer, the scorecard."""

    def __init__(self, case: Case, config: Config, state: dict, thread_id: str, usage: Usage, kg, judge=None):  # noqa: ANN001
        self.case = case
        self.config = config
        self.thread_id = thread_id
        self.failure: str | None = state.get("failure")
        self.transcript = [Turn(**t) for t in state.get("transcript", [])]
        self.diagnosis: str | None = state.get("diagnosis")
        self.differential: list[str] = state.get("differential") or []
        self.committed = bool(state.get("committed"))
        self.scorecard: Scorecard = score(
            case, self.transcript, self.diagnosis, self.differential, self.committed, kg=kg, moderator=Moderator(case, kg, judge), usage=usage
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "thread_id": self.thread_id,
            "config": self.config.__dict__,
            "failure": self.failure,
            "diagnosis": self.diagnosis,
            "differential": self.differential,
            "committed": self.committed,
            "score": self.scorecard.model_dump(mode="json"),
            "transcript": [t.model_dump(mode="json", exclude_defaults=True) for t in self.transcript],
        }


@dataclass
class Consultation:
    """Start, continue (a human doctor's next action) or resume a checkpointed consultation."""

    case: Case
    config: Config = field(default_factory=Config)
    checkpointer: Any = None
    thread_id: str | None = None
    kg: Any = None

    def __post_init__(self) -> None:
        from langgraph.checkpoint.memory import InMemorySaver

        from consultsim.consultation.graph import build_graph

        self.runtime = Runtime(self.case, self.config, self.kg)
        self.kg = self.runtime.kg
        self.checkpointer = self.checkpointer or InMemorySaver()
        self.graph = build_graph(self.runtime, self.checkpointer)
        self.thread_id = self.thread_id or f"{self.case.id}-{uuid.uuid4().hex[:12]}"
        self._started = time.perf_counter()
        self.failure: str | None = None

    @property
    def _durability(self) -> str:
        # A checkpoint in memory dies with the process anyway: write it when the graph stops
        # (at the end or an interrupt). On disk, write every step so a killed run resumes.
        from langgraph.checkpoint.memory import InMemorySaver

        return "exit" if isinstance(self.checkpointer, InMemorySaver) else "sync"

    @property
    def _run_config(self) -> dict:
        # Each doctor action takes two to four graph steps.
        return {"configurable": {"thread_id": self.thread_id}, "recursion_limit": 20 + 6 * self.config.max_turns}

    def state(self) -> dict:
        return self.graph.get_state(self._run_config).values

    def waiting_for_human(self) -> bool:
        return bool(self.graph.get_state(self._run_config).next)

    def run(self) -> ConsultationResult:
        """Run to the end (or to the first interrupt for a human doctor); resumes a started thread."""
        existing = self.graph.get_state(self._run_config)
        if existing.values and not existing.next:
            return self.result()  # already finished
        start = None if existing.next else {"transcript": []}
        self._invoke(start)
        return self.result()

    def answer(self, text: str) -> ConsultationResult:
        """The human doctor's next action ("Do you smoke?", "EXAM: chest", "DIAGNOSIS: ...")."""
        self._invoke(Command(resume=text))
        return self.result()

    def _invoke(self, start) -> None:  # noqa: ANN001
        from langgraph.errors import GraphRecursionError

        self.failure = None
        try:
            self.graph.invoke(start, self._run_config, durability=self._durability)
        except GraphRecursionError:
            self.failure = "the consultation did not end within its step limit"
        except Exception as err:  # noqa: BLE001 - a dead endpoint or a bad reply is the run's failure, not a crash
            self.failure = f"{type(err).__name__}: {err}"

    def result(self) -> ConsultationResult:
        usage = Usage(
            turns=len(self.state().get("transcript", [])),
            model_calls=getattr(self.runtime.doctor, "model_calls", 0) + getattr(self.runtime.patient, "model_calls", 0),
            tokens=getattr(self.runtime.doctor, "tokens", 0),
            wall_seconds=round(time.perf_counter() - self._started, 4),
            models=self.runtime.models,
            malformed_outputs=getattr(self.runtime.doctor, "malformed", 0),
        )
        state = dict(self.state())
        if self.failure:
            state["failure"] = self.failure
        return ConsultationResult(self.case, self.config, state, self.thread_id, usage, self.kg, self.runtime.judge)


def run_consultation(case: Case, config: Config | None = None, checkpointer=None, thread_id: str | None = None, kg=None) -> ConsultationResult:  # noqa: ANN001
    return Consultation(case, config or Config(), checkpointer, thread_id, kg).run()
