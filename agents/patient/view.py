"""What the simulated patient may know of a case, and nothing else.

A `PatientView` holds the patient-facing part of a case only: who the patient is, the opening
statement and the history findings. It never holds the diagnosis, the alternatives, the
differential, teaching notes, educators' notes, or exam and test findings, so an engine built
from it cannot leak them whatever it is asked.
"""

from __future__ import annotations

from typing import Literal

from consultsim.scenarios.model import Case, Finding, Patient
from pydantic import BaseModel, ConfigDict


class PatientView(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    case_id: str
    patient: Patient
    opening: str
    findings: tuple[Finding, ...]
    unmentioned: Literal["no", "not_sure"] = "no"

    def finding(self, finding_id: str) -> Finding:
        for item in self.findings:
            if item.id == finding_id:
                return item
        raise KeyError(finding_id)


def patient_view(case: Case) -> PatientView:
    """The patient-facing part of a case (exam and test findings and educators' notes removed)."""
    findings = tuple(
        f.model_copy(update={"note": None}, deep=True) for f in case.findings if f.category.patient_facing
    )
    return PatientView(
        case_id=case.id,
        patient=case.patient.model_copy(deep=True),
        opening=case.opening,
        findings=findings,
        unmentioned=case.options.unmentioned,
    )
