"""What a doctor sees and what it may do.

A doctor never reads the case: it sees the patient's age and sex, and the transcript's words
(who said what), never finding ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, Field

ActionKind = Literal["ask", "examine", "test", "consult", "kg", "commit"]


class Action(BaseModel):
    kind: ActionKind
    text: str = ""
    specialties: list[str] = Field(default_factory=list)
    diagnosis: str | None = None
    differential: list[str] = Field(default_factory=list)
    why: str | None = None
    terms: list[str] = Field(default_factory=list, description="HPO ids the action is about (the doctor's own notes).")


@dataclass(frozen=True)
class Said:
    """One transcript turn as the doctor sees it."""

    role: str
    action: str
    text: str
    intent: str | None = None
    specialty: str | None = None
    terms: tuple[str, ...] = ()


@dataclass
class DoctorView:
    age_text: str
    sex: str
    turns: list[Said] = field(default_factory=list)
    actions_left: int = 0

    @property
    def questions_asked(self) -> list[str]:
        return [t.text for t in self.turns if t.role == "doctor" and t.action == "ask"]


class DoctorPolicy(Protocol):
    name: str
    model_calls: int

    def decide(self, view: DoctorView) -> Action: ...

    def final(self, view: DoctorView) -> Action:
        """The commitment when the budget ends the consultation."""
        ...
