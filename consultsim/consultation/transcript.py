"""The transcript: every turn says who spoke, what was asked, what it disclosed and why."""

from __future__ import annotations

from typing import Literal

from consultsim.agents.replies import Disclosure
from pydantic import BaseModel, Field

Role = Literal["patient", "doctor", "examiner", "specialist", "kg", "system"]
Action = Literal[
    "opening", "ask", "answer", "examine", "test", "result", "consult", "opinion", "kg", "commit", "budget", "error"
]


class Turn(BaseModel):
    index: int
    role: Role
    action: Action
    text: str
    findings: list[str] = Field(default_factory=list, description="Case finding ids disclosed by this turn.")
    disclosures: list[Disclosure] = Field(default_factory=list)
    intent: str | None = None
    specialty: str | None = None
    why: str | None = Field(None, description="The doctor's reason, or how a reply was chosen.")
    differential: list[str] = Field(default_factory=list, description="For a commit: the ranked differential.")
