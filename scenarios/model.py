"""The case model: what an educator writes, what importers produce, what every role reads.

One YAML file is one `Case`. Unknown fields are rejected so that a misspelt key never silently
drops information. The JSON Schema that `consultsim case schema` prints is generated from here.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1

HPO_ID = re.compile(r"^HP:\d{7}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
# Disease identifiers an educator is likely to cite; the prefix decides how the moderator matches.
DISEASE_ID = re.compile(
    r"^(OMIM:\d{6}|ORPHA:\d+|DECIPHER:\d+|MONDO:\d{7}|ICD10:[A-Z]\d{2}(\.[0-9A-Z]{1,4})?"
    r"|ICD11:[0-9A-Z.]+|SNOMEDCT:\d+|UMLS:C\d{7}|MESH:[A-Z]\d+)$"
)

SPECIALTIES = (
    "allergy",
    "cardiology",
    "dermatology",
    "emergency",
    "endocrinology",
    "gastroenterology",
    "general",
    "genetics",
    "geriatrics",
    "gynecology",
    "hematology",
    "hepatology",
    "immunology",
    "infectious-disease",
    "internal-medicine",
    "metabolic",
    "nephrology",
    "neurology",
    "obstetrics",
    "oncology",
    "ophthalmology",
    "orthopedics",
    "otolaryngology",
    "pediatrics",
    "psychiatry",
    "pulmonology",
    "rheumatology",
    "surgery",
    "toxicology",
    "urology",
    "vascular",
)


class Category(StrEnum):
    """Where a finding belongs in a clinical history; exam and test are the examiner's."""

    presenting_complaint = "presenting_complaint"
    history_of_present_illness = "history_of_present_illness"
    past_history = "past_history"
    medications = "medications"
    allergies = "allergies"
    family = "family"
    social = "social"
    review_of_systems = "review_of_systems"
    exam = "exam"
    test = "test"

    @property
    def patient_facing(self) -> bool:
        return self not in (Category.exam, Category.test)


class Reveal(StrEnum):
    """How a finding comes out in the consultation."""

    volunteered = "volunteered"
    on_question = "on_question"
    on_exam = "on_exam"
    on_test = "on_test"


class Sex(StrEnum):
    female = "female"
    male = "male"
    other = "other"
    unknown = "unknown"


class Speaker(StrEnum):
    patient = "patient"
    caregiver = "caregiver"


class Style(StrEnum):
    """How the patient talks; it changes wording and willingness, never the facts."""

    neutral = "neutral"
    terse = "terse"
    talkative = "talkative"
    anxious = "anxious"
    low_health_literacy = "low_health_literacy"


class Difficulty(StrEnum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


def _hpo_id(value: str | None) -> str | None:
    if value is not None and not HPO_ID.match(value):
        raise ValueError(f"{value!r} is not an HPO id (expected HP: and seven digits, e.g. HP:0001250)")
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a valid id (use lower-case letters, digits, '-', '_' or '.', "
            "starting with a letter or digit)"
        )
    return value


def _disease_id(value: str) -> str:
    if not DISEASE_ID.match(value):
        raise ValueError(
            f"{value!r} is not a disease id (expected e.g. OMIM:154700, ORPHA:558, ICD10:E85.1, "
            "MONDO:0007947)"
        )
    return value


def _specialty(value: str) -> str:
    value = value.strip().lower().replace(" ", "-").replace("_", "-")
    if value not in SPECIALTIES:
        from rapidfuzz import process

        best = process.extractOne(value, SPECIALTIES)
        hint = f" (did you mean {best[0]!r}?)" if best and best[1] >= 70 else ""
        raise ValueError(f"{value!r} is not a known specialty{hint}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


HpoId = Annotated[str, AfterValidator(_hpo_id)]
Slug = Annotated[str, AfterValidator(_slug)]
DiseaseId = Annotated[str, AfterValidator(_disease_id)]
Specialty = Annotated[str, AfterValidator(_specialty)]
Text = Annotated[str, AfterValidator(_not_blank)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)


class Provenance(_Strict):
    """Where a case came from, so that an imported benchmark item can be traced to its record."""

    source: str = Field("consultsim", description="Who wrote or published the case.")
    licence: str | None = Field(None, description="Licence of the source, e.g. 'CC BY 4.0'.")
    original_id: str | None = Field(None, description="Identifier of the record in its source.")
    url: str | None = None
    authors: list[str] = Field(default_factory=list)


class Patient(_Strict):
    """Who the doctor talks to."""

    name: str | None = None
    age_years: float | None = Field(
        None, ge=0, le=130, description="Age in years; fractions for infants (0.5 = six months)."
    )
    sex: Sex = Sex.unknown
    persona: str | None = Field(
        None, description="Free-text background the patient speaks from: job, worries, manner."
    )
    style: Style = Style.neutral
    speaker: Speaker = Field(
        Speaker.patient, description="Who answers: the patient, or a caregiver for a small child."
    )
    caregiver: str | None = Field(
        None, description="Who the caregiver is ('mother', 'father') when the speaker is a caregiver."
    )

    @model_validator(mode="after")
    def _caregiver_named(self) -> Patient:
        if self.speaker is Speaker.caregiver and not self.caregiver:
            self.caregiver = "parent"
        return self

    @property
    def age_text(self) -> str:
        if self.age_years is None:
            return "age unknown"
        if self.age_years < 2:
            months = round(self.age_years * 12)
            return f"{months} month{'s' if months != 1 else ''}"
        return f"{int(self.age_years)} years"


class Finding(_Strict):
    """One fact about the patient: present or documented as absent."""

    id: Slug = Field(description="Unique within the case; used in transcripts and scores.")
    category: Category
    text: Text = Field(
        description="Patient-facing first-person wording for history findings; clinical wording "
        "for exam and test results."
    )
    label: str | None = Field(
        None, description="Short clinical name, e.g. 'Exertional chest pain'; shown in debriefs."
    )
    present: bool = Field(True, description="False for a pertinent negative the case documents.")
    hpo: HpoId | None = None
    synonyms: list[str] = Field(
        default_factory=list, description="Other words a student may use for this finding."
    )
    key: bool = Field(False, description="The doctor is expected to elicit it.")
    reveal: Reveal | None = Field(
        None, description="Defaults by category: exam -> on_exam, test -> on_test, else on_question."
    )
    procedure: str | None = Field(
        None, description="For exam and test findings: the examination or test that gives it."
    )
    note: str | None = Field(None, description="For educators; never shown to the doctor.")

    @model_validator(mode="after")
    def _reveal_fits_category(self) -> Finding:
        default = {Category.exam: Reveal.on_exam, Category.test: Reveal.on_test}.get(
            self.category, Reveal.on_question
        )
        if self.reveal is None:
            # object.__setattr__ avoids re-running this validator through validate_assignment.
            object.__setattr__(self, "reveal", default)
        elif self.category.patient_facing and self.reveal in (Reveal.on_exam, Reveal.on_test):
            raise ValueError(
                f"a {self.category.value} finding is told by the patient; reveal must be "
                "volunteered or on_question"
            )
        elif not self.category.patient_facing and self.reveal is not default:
            raise ValueError(f"an {self.category.value} finding must have reveal: {default.value}")
        return self

    @property
    def name(self) -> str:
        return self.label or self.text


class Diagnosis(_Strict):
    name: Text
    ids: list[DiseaseId] = Field(default_factory=list, description="OMIM, ORPHA, ICD-10, MONDO…")
    synonyms: list[str] = Field(default_factory=list)


class CaseOptions(_Strict):
    """Per-case behaviour of the simulated roles."""

    unmentioned: Literal["no", "not_sure"] = Field(
        "no", description="How the patient answers about something the case never mentions."
    )
    routine_normal: bool = Field(
        True, description="An unlisted routine exam or test comes back normal."
    )


class Case(_Strict):
    """A clinical case."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: Slug
    title: Text
    specialties: list[Specialty] = Field(min_length=1)
    difficulty: Difficulty = Difficulty.medium
    rare: bool = False
    provenance: Provenance = Field(default_factory=Provenance)
    patient: Patient
    opening: Text = Field(description="What the patient (or caregiver) says first.")
    findings: list[Finding] = Field(min_length=1)
    diagnosis: Diagnosis
    alternatives: list[Diagnosis] = Field(
        default_factory=list, description="Other answers that count as correct."
    )
    differential: list[str] = Field(
        default_factory=list, description="The differential an expert would hold; for debriefs."
    )
    question: str | None = Field(
        None, description="The question the doctor must answer, when it is not the diagnosis."
    )
    answer_options: list[str] = Field(
        default_factory=list, description="Multiple-choice options from the source, if any."
    )
    teaching_notes: str | None = None
    options: CaseOptions = Field(default_factory=CaseOptions)

    def finding(self, finding_id: str) -> Finding:
        for item in self.findings:
            if item.id == finding_id:
                return item
        raise KeyError(finding_id)

    @property
    def key_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.key]

    @property
    def patient_findings(self) -> list[Finding]:
        """What the patient may know: never exam or test results."""
        return [f for f in self.findings if f.category.patient_facing]

    @property
    def source(self) -> str:
        return self.provenance.source
