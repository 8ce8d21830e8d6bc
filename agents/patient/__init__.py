"""The simulated patient (or caregiver): grounded in the case, leak-proof by construction.

    from consultsim.agents.patient import OfflinePatient, patient_view
    patient = OfflinePatient(patient_view(case), seed=0, style="anxious", bias="self_diagnosis")
    patient.opening(); patient.ask("any fever or chills? and do you smoke?")

Engines are built from a `PatientView` (the patient-facing part of a case) only.
"""

from consultsim.agents.patient.offline import OfflinePatient
from consultsim.agents.patient.view import PatientView, patient_view
from consultsim.agents.patient.voice import (
    BIASES,
    COGNITIVE_BIASES,
    DISTRUST_BIASES,
    parse_bias,
    parse_style,
)

__all__ = [
    "BIASES",
    "COGNITIVE_BIASES",
    "DISTRUST_BIASES",
    "LLMPatient",
    "OfflinePatient",
    "PatientView",
    "make_patient",
    "parse_bias",
    "parse_style",
    "patient_view",
]


def __getattr__(name: str):
    if name == "LLMPatient":
        from consultsim.agents.patient.llm import LLMPatient

        return LLMPatient
    if name == "make_patient":
        from consultsim.agents.patient.llm import make_patient

        return make_patient
    raise AttributeError(name)
