"""What a simulated role says back, and exactly which case findings it disclosed and why.

Every reply carries the finding ids it disclosed so that the transcript alone is enough to score
a consultation (DESIGN.md, principle 3).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Disclosure(BaseModel):
    """One finding disclosed by a reply."""

    finding: str = Field(description="The case finding id.")
    present: bool = Field(description="Whether the finding is present (False: a denial).")
    matched: str = Field(description="The words of the question that selected it.")
    via: str = Field(description="What they matched: label, synonym, hpo, text, category, open, follow-up...")
    score: float = Field(ge=0, le=100)


class Reply(BaseModel):
    """A reply of the patient (or caregiver) or of the examiner."""

    text: str
    findings: list[str] = Field(default_factory=list, description="Ids of the findings disclosed.")
    disclosures: list[Disclosure] = Field(default_factory=list)
    intent: Literal[
        "opening", "confirm", "deny", "unmentioned", "open", "mixed", "refuse", "unclear", "exam", "test"
    ] = "unclear"
    requested: str | None = Field(None, description="For the examiner: the exam or test asked for.")
    normal: bool = Field(False, description="For the examiner: an unlisted routine result reported normal.")

    def as_json(self) -> dict:
        return {"reply": self.text, **self.model_dump(exclude={"text"})}
