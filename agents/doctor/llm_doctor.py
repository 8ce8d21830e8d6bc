"""An LLM doctor in the spirit of AgentClinic's: one question at a time, exams, tests, specialist
consults and a final diagnosis, written as tagged lines and parsed leniently."""

from __future__ import annotations

import re

from consultsim.agents.doctor.base import Action, DoctorView

SYSTEM = """You are a doctor seeing a patient. You may do ONE thing per turn:
- ask the patient one question (just write the question);
- EXAM: <what to examine>
- TEST: <tests to order>
- CONSULT: <specialties, comma-separated>
- DIAGNOSIS: <your diagnosis>  followed by a line  DIFFERENTIAL: <diagnosis 1>; <diagnosis 2>; ...
You have {left} actions left. Ask about one thing at a time. Commit with DIAGNOSIS when confident."""

_TAG = re.compile(r"^\W*(exam(?:ine)?|physical exam(?:ination)?|test|request test|order|consult|diagnosis(?: ready)?|final diagnosis|differential)\W*[:\-]\s*(.*)$", re.I)


def parse_action(text: str) -> tuple[Action, bool]:
    """An action from a model's reply, and whether the reply was well-formed."""
    text = (text or "").strip()
    if not text:
        return Action(kind="ask", text="Can you tell me more about how you are feeling?", why="empty model output"), False
    lines = [re.sub(r"[*_`#>]+", "", line).strip() for line in text.splitlines() if line.strip()]
    diagnosis, differential = None, []
    for line in lines:
        match = _TAG.match(line)
        if not match:
            continue
        tag, body = match.group(1).lower(), match.group(2).strip()
        if tag.startswith(("diagnosis", "final")):
            diagnosis = body
        elif tag == "differential":
            differential = [d.strip(" .") for d in re.split(r";|\n|\d+\.\s|,\s(?=[A-Z])", body) if d.strip(" .")]
        elif tag.startswith(("exam", "physical")):
            return Action(kind="examine", text=body, why="model asked to examine"), True
        elif tag in ("test", "request test", "order"):
            return Action(kind="test", text=body, why="model ordered tests"), True
        elif tag == "consult":
            names = [s.strip().lower().replace(" ", "-") for s in re.split(r",|\band\b", body) if s.strip()]
            return Action(kind="consult", specialties=names, text=body, why="model asked for a consult"), True
    if diagnosis is not None:
        if diagnosis and diagnosis not in differential:
            differential.insert(0, diagnosis)
        return Action(kind="commit", diagnosis=diagnosis or None, differential=differential, why="model committed"), True
    question = lines[0] if len(lines) == 1 else next((line for line in lines if line.endswith("?")), lines[0])
    return Action(kind="ask", text=question[:500], why="model question"), True


class LLMDoctor:
    name = "llm"

    def __init__(self, model, model_name: str = ""):  # noqa: ANN001 - a LangChain chat model
        self.model = model
        self.model_name = model_name
        self.model_calls = 0
        self.malformed = 0
        self.tokens = 0

    def _messages(self, view: DoctorView, extra: str = ""):  # noqa: ANN202
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        messages = [SystemMessage(content=SYSTEM.format(left=view.actions_left) + f"\nThe patient is {view.age_text}, {view.sex}.")]
        for said in view.turns:
            if said.role == "doctor":
                messages.append(AIMessage(content=said.text))
            else:
                who = {"patient": "Patient", "examiner": "Result", "specialist": f"Consultant ({said.specialty})", "kg": "Knowledge graph"}.get(said.role, said.role)
                messages.append(HumanMessage(content=f"{who}: {said.text}"))
        if extra:
            messages.append(HumanMessage(content=extra))
        return messages

    def _call(self, messages) -> str:  # noqa: ANN001
        self.model_calls += 1
        reply = self.model.invoke(messages)
        usage = getattr(reply, "usage_metadata", None) or {}
        self.tokens += int(usage.get("total_tokens", 0) or 0)
        return str(reply.content)

    def decide(self, view: DoctorView) -> Action:
        action, ok = parse_action(self._call(self._messages(view)))
        self.malformed += not ok
        return action

    def final(self, view: DoctorView) -> Action:
        text = self._call(self._messages(view, "You have no actions left. Reply now with DIAGNOSIS: and DIFFERENTIAL: lines."))
        action, ok = parse_action(text)
        self.malformed += not ok
        if action.kind != "commit":
            self.malformed += 1
            return Action(kind="commit", diagnosis=None, differential=[], why="model did not commit")
        return action
