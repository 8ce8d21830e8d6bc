"""The consultation as a LangGraph `StateGraph`.

    opening -> doctor -> patient | examiner | specialist* (Send) -> reconcile | kg_tool -> doctor ...
                      -> finish -> END

The doctor node asks its policy for one action per turn; a human doctor is the `human` node,
which is nothing but an `interrupt()` and the routing after it. The engines (patient, examiner,
graph, policies) live in a `Runtime` beside the state, so the state stays plain data that any
checkpointer can store; after a resume the patient is brought back up to date by replaying the
doctor's questions, which it answers deterministically.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from consultsim.agents.doctor.base import Action, DoctorView, Said
from consultsim.agents.doctor.llm_doctor import parse_action
from consultsim.agents.specialists import Opinion, reconcile
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send, interrupt

from consultsim.consultation.transcript import Turn


class ConsultationState(TypedDict, total=False):
    transcript: Annotated[list[dict], operator.add]
    actions: int
    pending: dict | None
    opinions: Annotated[list[dict], operator.add]
    diagnosis: str | None
    differential: list[str]
    committed: bool
    failure: str | None


Route = Literal["patient", "examiner", "specialist", "kg_tool", "finish", "human", "__end__"]


def _turn(state: ConsultationState, **fields: Any) -> dict:
    return Turn(index=len(state.get("transcript", [])), **fields).model_dump(mode="json", exclude_defaults=True)


def view_of(runtime, state: ConsultationState) -> DoctorView:  # noqa: ANN001
    """What the doctor may see: words, never finding ids."""
    turns = [
        Said(t["role"], t["action"], t.get("text", ""), t.get("intent"), t.get("specialty"), tuple(t.get("terms", ())))
        for t in state.get("transcript", [])
    ]
    patient = runtime.case.patient
    return DoctorView(
        age_text=patient.age_text,
        sex=patient.sex.value,
        turns=turns,
        actions_left=max(0, runtime.max_turns - state.get("actions", 0)),
    )


def build_graph(runtime, checkpointer=None):  # noqa: ANN001, ANN201
    """Compile the consultation graph over `runtime` (see consultation.runtime.Runtime)."""

    def opening(state: ConsultationState) -> dict:
        if state.get("transcript"):
            return {}  # resumed: the opening is already in the transcript
        reply = runtime.patient_opening()
        return {"transcript": [_turn(state, role="patient", action="opening", text=reply.text, findings=reply.findings, disclosures=reply.disclosures, intent=reply.intent)], "actions": 0}

    def route(state: ConsultationState, action: Action) -> Command[Route]:
        doctor_turn = _turn(state, role="doctor", action=action.kind, text=action.text or (action.diagnosis or ""), why=action.why, differential=action.differential)
        if action.terms:
            doctor_turn["terms"] = action.terms
        update: dict[str, Any] = {"transcript": [doctor_turn], "actions": state.get("actions", 0) + 1, "pending": action.model_dump()}
        if action.kind == "commit":
            update.update(diagnosis=action.diagnosis, differential=action.differential, committed=True)
            return Command(goto="finish", update=update)
        if action.kind == "ask":
            return Command(goto="patient", update=update)
        if action.kind in ("examine", "test"):
            return Command(goto="examiner", update=update)
        if action.kind == "kg":
            return Command(goto="kg_tool", update=update)
        specialties = runtime.allowed_specialties(action.specialties)
        if not specialties:
            return Command(goto="doctor", update=update)
        present, absent = runtime.coded_evidence(view_of(runtime, {**state, "transcript": state.get("transcript", []) + [doctor_turn]}))
        return Command(
            goto=[Send("specialist", {"specialty": s, "present": present, "absent": absent}) for s in specialties],
            update=update,
        )

    def doctor(state: ConsultationState) -> Command[Route]:
        if state.get("actions", 0) >= runtime.max_turns:
            return Command(goto="finish")
        if runtime.human:
            return Command(goto="human")
        # A failing model raises out of the graph: the checkpoint stays before this step, so the
        # consultation resumes here once the model answers again.
        return route(state, runtime.doctor.decide(view_of(runtime, state)))

    def human(state: ConsultationState) -> Command[Route]:
        # interrupt() re-runs this whole node on resume, so it comes first and the node is small.
        answer = interrupt({"actions_left": runtime.max_turns - state.get("actions", 0), "transcript": state.get("transcript", [])})
        action, _ = parse_action(str(answer))
        return route(state, action)

    def patient(state: ConsultationState) -> Command[Route]:
        question = (state.get("pending") or {}).get("text", "")
        reply = runtime.patient_ask(state.get("transcript", []), question)
        turn = _turn(state, role="patient", action="answer", text=reply.text, findings=reply.findings, disclosures=reply.disclosures, intent=reply.intent)
        return Command(goto="doctor", update={"transcript": [turn]})

    def examiner(state: ConsultationState) -> Command[Route]:
        pending = state.get("pending") or {}
        reply = runtime.examiner.request(pending.get("text", ""))
        turn = _turn(state, role="examiner", action="result", text=reply.text, findings=reply.findings, disclosures=reply.disclosures, intent=reply.intent)
        return Command(goto="doctor", update={"transcript": [turn]})

    def specialist(payload: dict) -> dict:
        opinion = runtime.specialist_opinion(payload["specialty"], payload["present"], payload["absent"])
        return {"opinions": [opinion.model_dump()]}

    def reconcile_node(state: ConsultationState) -> Command[Route]:
        asked = len((state.get("pending") or {}).get("specialties") or []) or 1
        opinions = [Opinion(**o) for o in state.get("opinions", [])[-asked:]]
        text, _ = reconcile(opinions)
        specialty = opinions[0].specialty if len(opinions) == 1 else "panel"
        turn = _turn(state, role="specialist", action="opinion", text=text, specialty=specialty)
        return Command(goto="doctor", update={"transcript": [turn]})

    def kg_tool(state: ConsultationState) -> Command[Route]:
        text = runtime.kg_summary(view_of(runtime, state))
        return Command(goto="doctor", update={"transcript": [_turn(state, role="kg", action="kg", text=text)]})

    def finish(state: ConsultationState) -> dict:
        if state.get("committed"):
            return {}
        action = runtime.doctor_final(view_of(runtime, state))
        turn = _turn(state, role="doctor", action="commit", text=action.diagnosis or "", why=action.why or "the turn budget ended", differential=action.differential)
        return {"transcript": [turn], "diagnosis": action.diagnosis, "differential": action.differential, "committed": False}

    builder = StateGraph(ConsultationState)
    builder.add_node("opening", opening)
    builder.add_node("doctor", doctor)
    builder.add_node("human", human)
    builder.add_node("patient", patient)
    builder.add_node("examiner", examiner)
    builder.add_node("specialist", specialist)
    builder.add_node("reconcile", reconcile_node)
    builder.add_node("kg_tool", kg_tool)
    builder.add_node("finish", finish)
    builder.add_edge(START, "opening")
    builder.add_edge("opening", "doctor")
    builder.add_edge("specialist", "reconcile")
    builder.add_edge("finish", END)
    return builder.compile(checkpointer=checkpointer)
