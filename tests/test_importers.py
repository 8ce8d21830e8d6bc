"""The benchmark importers: AgentClinic (OSCE and NEJM), MediQ and GA4GH phenopackets.

Fixture records are written here, inline; the tests at the end import every record of the real
samples in ../shared/data and skip when that folder is absent.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from consultsim.scenarios.importers import (
    ImportProblem,
    agentclinic,
    import_sources,
    mediq,
    phenopacket,
)
from consultsim.scenarios.importers.wording import (
    Voice,
    denial_items,
    first_person,
    map_specialty,
    negative_text,
    parse_age,
    parse_iso_duration,
    parse_sex,
    split_list,
    split_sentences,
)
from consultsim.scenarios.loading import load_case
from consultsim.scenarios.model import Case, Category

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# Words and values a patient could not know or should not say.
CLINICAL_ONLY = re.compile(
    r"mg/dl|mmol|mm ?hg|\d+\s*/\s*min\b|\bbpm\b|g/dl|/mm3|meq/l|on (?:physical )?exam|examination (?:shows|reveals)",
    re.I,
)


def facing(case: Case) -> list:
    return [f for f in case.findings if f.category.patient_facing]


def by_label(case: Case, label: str):
    matches = [f for f in case.findings if (f.label or "").lower() == label.lower()]
    assert matches, f"no finding labelled {label!r} in {[f.label for f in case.findings]}"
    return matches[0]


def assert_first_person(case: Case) -> None:
    """Patient-facing text is in the speaker's voice: no 'the patient', no clinical values."""
    for finding in facing(case):
        assert not re.search(r"\bthe patient\b|\bpatient's\b", finding.text, re.I), finding.text
        assert not CLINICAL_ONLY.search(finding.text), finding.text
        if case.patient.speaker.value == "patient":
            assert not re.match(r"(he|she|his|the patient)\b", finding.text, re.I), finding.text
    # The opening may quote a value the patient was told (a glucose reading at a pharmacy), but
    # never an examination.
    assert not re.search(
        r"on (?:physical )?exam|examination (?:shows|reveals)|\bbpm\b|/min\b", case.opening, re.I
    )


# --- wording ----------------------------------------------------------------------------------


def test_third_person_history_becomes_first_person() -> None:
    she = Voice(sex="female")
    said = first_person("The patient reports a 1-month history of double vision.", she)
    assert said == "For the past month, I've had double vision."
    said = first_person("She notes that her symptoms worsen after activity.", she)
    assert said == "My symptoms worsen after activity."
    assert first_person("Works as a graphic designer.", she) == "I work as a graphic designer."
    said = first_person(
        "He has a history of colon cancer for which he underwent colectomy.", Voice(sex="male")
    )
    assert said == "I have a history of colon cancer for which I underwent colectomy."


def test_second_person_actor_text_becomes_first_person() -> None:
    said = first_person(
        "You've noticed that your skin has darkened on your face.",
        Voice(sex="female"),
        second_person=True,
    )
    assert said == "I've noticed that my skin has darkened on my face."
    child = Voice(caregiver="parent", sex="male", age_years=9)
    said = first_person("You feel a burning sensation in your hands.", child, second_person=True)
    assert said == "My son feels a burning sensation in his hands."


def test_caregiver_speaks_about_the_child() -> None:
    mother = Voice(caregiver="mother", sex="male", age_years=0.7)
    said = first_person("His mother reports that the child has been gaining weight.", mother)
    assert said == "My baby has been gaining weight."


def test_denial_lists_become_separate_pertinent_negatives() -> None:
    items = denial_items("She denies chest pain, palpitations, or fever")
    assert items == ["chest pain", "palpitations", "fever"]
    assert [negative_text(i) for i in items] == [
        "No, I haven't had chest pain.",
        "No, I haven't had any palpitations.",
        "No, I haven't had a fever.",
    ]
    assert denial_items("Denies fever, weight loss, changes in bowel or bladder function")[-1] == (
        "changes in bowel or bladder function"
    )
    assert denial_items("The lesion has increased in size") is None
    assert negative_text("tobacco or alcohol use") == "No, I don't use tobacco or drink alcohol."
    assert (
        negative_text("fever", Voice(caregiver="parent", sex="female", age_years=3))
        == "No, she hasn't had a fever."
    )


def test_lists_and_sentences_split_sensibly() -> None:
    assert split_list("nausea and vomiting") == ["nausea", "vomiting"]
    assert split_list("visual or auditory disturbances") == ["visual or auditory disturbances"]
    assert split_sentences("Weight loss of 5.4 kg (12 lb). Dr. Smith saw him. He is well.") == [
        "Weight loss of 5.4 kg (12 lb).",
        "Dr. Smith saw him.",
        "He is well.",
    ]


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("35-year-old female", 35.0, "female"),
        ("2-month-old boy", 2 / 12, "male"),
        ("A 41-year-old woman presents with fatigue", 41.0, "female"),
        ("Newborn, born at 33 weeks of gestation", 0.0, None),
        ("32-year-old woman, gravida 2, para 1, at 38 weeks' gestation", 32.0, "female"),
        ("12 months", 1.0, None),
        ("24 years old", 24.0, None),
    ],
)
def test_demographics(text: str, age: float, sex: str | None) -> None:
    assert parse_age(text) == pytest.approx(age, abs=0.01)
    assert parse_sex(text) == sex


def test_iso_durations() -> None:
    assert parse_iso_duration("P25Y") == 25
    assert parse_iso_duration("P3M") == pytest.approx(0.25)
    assert parse_iso_duration("P2Y6M") == pytest.approx(2.5)
    assert parse_iso_duration("nonsense") is None


def test_specialty_names_map_to_the_model() -> None:
    assert map_specialty("Internal Medicine") == ["internal-medicine"]
    assert map_specialty("Hematology") == ["hematology"]
    assert map_specialty("Pediatric Hematology") == ["hematology", "pediatrics"]
    assert map_specialty("General Surgery") == ["surgery"]
    assert map_specialty("Endocrinology, Diabetes, and Metabolism") == [
        "endocrinology",
        "metabolic",
    ]
    assert map_specialty("Underwater basket weaving") == []


# --- AgentClinic OSCE ---------------------------------------------------------------------------

OSCE: dict[str, Any] = {
    "OSCE_Examination": {
        "Objective_for_Doctor": "Assess and diagnose the patient presenting with double vision.",
        "Patient_Actor": {
            "Demographics": "35-year-old female",
            "History": (
                "The patient reports a 1-month history of double vision and difficulty climbing stairs. "
                "She notes that these symptoms worsen after activity. The patient appears anxious."
            ),
            "Symptoms": {
                "Primary_Symptom": "Double vision",
                "Secondary_Symptoms": [
                    "Difficulty climbing stairs",
                    "No fever",
                    "Decreased bowel sounds",
                ],
            },
            "Past_Medical_History": "No significant past medical history.",
            "Social_History": "Non-smoker, drinks wine occasionally. Works as a graphic designer.",
            "Review_of_Systems": "Patient denies chest pain, palpitations, or recent infections.",
            "Current_Medications": ["Ibuprofen"],
        },
        "Physical_Examination_Findings": {
            "Vital_Signs": {"Temperature": "36.6°C (97.9°F)", "Heart_Rate": "128 bpm"},
            "Neurological_Examination": {
                "Cranial_Nerves": "Ptosis of the right eyelid that worsens with sustained upward gaze.",
                "Reflexes": "Normal reflexes throughout.",
            },
        },
        "Test_Results": {
            "Blood_Tests": {"Acetylcholine_Receptor_Antibodies": "Present (elevated)"},
            "Imaging": {"Chest_CT": {"Findings": "Normal, no thymoma."}},
        },
        "Correct_Diagnosis": "Myasthenia gravis",
    }
}


def test_osce_record() -> None:
    conversion = agentclinic.convert(copy.deepcopy(OSCE), case_id="osce-demo", source="demo.jsonl")
    case = conversion.case
    assert case.patient.age_years == 35 and case.patient.sex.value == "female"
    assert case.patient.speaker.value == "patient"
    assert case.diagnosis.name == "Myasthenia gravis"
    assert case.provenance.source == "AgentClinic MedQA" and case.provenance.licence == "MIT"
    assert case.opening == "I've had double vision for the past month."

    double_vision = by_label(case, "Double vision")
    assert double_vision.category is Category.presenting_complaint
    assert double_vision.key and double_vision.reveal.value == "volunteered"
    assert double_vision.text == "I've had double vision."
    assert by_label(case, "Difficulty climbing stairs").key
    fever = by_label(case, "Fever")
    assert not fever.present and not fever.key and fever.text == "No, I haven't had a fever."
    for item in ("Chest pain", "Palpitations", "Recent infections"):
        assert not by_label(case, item).present

    # What only an examiner could know is never patient-facing.
    bowel = by_label(case, "Decreased bowel sounds")
    assert bowel.category is Category.exam and bowel.key
    assert any(f.category is Category.exam and "anxious" in f.text for f in case.findings)
    cranial = by_label(case, "Cranial nerves")
    assert cranial.procedure == "neurological examination: cranial nerves" and cranial.key
    assert not by_label(case, "Reflexes").key
    assert not by_label(case, "Temperature").key
    assert by_label(case, "Heart rate").key  # 128 bpm in an adult
    antibodies = by_label(case, "Acetylcholine receptor antibodies")
    assert antibodies.category is Category.test and antibodies.key
    assert antibodies.procedure == "blood tests: acetylcholine receptor antibodies"
    assert not by_label(case, "Chest CT").key

    texts = [f.text for f in facing(case)]
    assert "I don't smoke." in texts and "I drink wine occasionally." in texts
    assert "I work as a graphic designer." in texts
    assert "I take ibuprofen." in texts
    assert any(t.startswith("For the past month, I've had double vision") for t in texts)
    assert_first_person(case)
    assert len({f.id for f in case.findings}) == len(case.findings)


def test_osce_child_is_spoken_for_by_a_caregiver() -> None:
    record = copy.deepcopy(OSCE)
    actor = record["OSCE_Examination"]["Patient_Actor"]
    actor["Demographics"] = "8-month-old boy"
    actor["History"] = (
        "His mother reports that the child has been very fussy for the past few days."
    )
    actor["Symptoms"] = {
        "Primary_Symptom": "Distended abdomen",
        "Secondary_Symptoms": ["Decreased feeding"],
    }
    case = agentclinic.convert(record, case_id="osce-child", source="demo.jsonl").case
    assert case.patient.age_years == pytest.approx(8 / 12, abs=0.01)
    assert case.patient.speaker.value == "caregiver" and case.patient.caregiver == "mother"
    assert case.opening == "My baby has had a distended abdomen."
    assert "My baby has been very fussy for the past few days." in [f.text for f in facing(case)]


def test_osce_problems_are_reported() -> None:
    record = copy.deepcopy(OSCE)
    del record["OSCE_Examination"]["Correct_Diagnosis"]
    with pytest.raises(ImportProblem, match="Correct_Diagnosis"):
        agentclinic.convert(record, case_id="x", source="s")
    with pytest.raises(ImportProblem, match="JSON object"):
        agentclinic.convert(["not", "a", "record"], case_id="x", source="s")
    with pytest.raises(ImportProblem, match="not an AgentClinic record"):
        agentclinic.convert({"foo": 1}, case_id="x", source="s")


# --- AgentClinic NEJM ---------------------------------------------------------------------------

NEJM: dict[str, Any] = {
    "image_url": "https://example.org/image.jpg",
    "question": (
        "A 28-year-old woman presented to the hospital with a 6-month history of dry cough. "
        "On physical examination, auscultation of both lower lungs revealed fine crackles. "
        "What is the most likely diagnosis?"
    ),
    "patient_info": (
        "For your role as a patient, you need to convey the following: - You are a 28-year-old woman. "
        "- You have been experiencing a dry cough for the past 6 months. - You have never smoked in your life. "
        "- You have not had any fevers, joint aches, or rashes. Remember, you are not aware of your diagnosis."
    ),
    "physical_exams": (
        "Chest CT: Mediastinal lymphadenopathy and ground-glass opacities. "
        "- Bronchoalveolar lavage cultures: Negative for infectious organisms."
    ),
    "answers": [
        {"text": "Pulmonary alveolar proteinosis", "correct": False},
        {"text": "Pulmonary sarcoidosis", "correct": True},
    ],
}


def test_nejm_record() -> None:
    case = agentclinic.convert(copy.deepcopy(NEJM), case_id="nejm-demo", source="nejm.jsonl").case
    assert case.provenance.source == "AgentClinic NEJM"
    assert case.diagnosis.name == "Pulmonary sarcoidosis"
    assert case.answer_options == ["Pulmonary alveolar proteinosis", "Pulmonary sarcoidosis"]
    assert case.question is None  # it asks for the diagnosis
    assert case.patient.age_years == 28 and case.patient.sex.value == "female"
    assert case.opening == "I've been experiencing a dry cough for the past 6 months."
    texts = [f.text for f in facing(case)]
    assert "I've never smoked in my life." in texts
    assert "No, I haven't had any joint aches." in texts
    assert not any("diagnosis" in t or "role" in t for t in texts)
    exam = [f for f in case.findings if f.category is Category.exam]
    assert exam and "crackles" in exam[0].text and exam[0].key
    ct = next(f for f in case.findings if f.category is Category.test and f.procedure == "chest CT")
    assert ct.key
    cultures = next(f for f in case.findings if f.procedure == "bronchoalveolar lavage cultures")
    assert not cultures.key
    assert_first_person(case)


def test_nejm_question_that_is_not_the_diagnosis_is_kept() -> None:
    record = copy.deepcopy(NEJM)
    record["question"] = record["question"].replace(
        "What is the most likely diagnosis?", "What is the next best step in management?"
    )
    case = agentclinic.convert(record, case_id="nejm-q", source="nejm.jsonl").case
    assert case.question == "What is the next best step in management?"


def test_nejm_without_a_correct_answer_is_refused() -> None:
    record = copy.deepcopy(NEJM)
    for answer in record["answers"]:
        answer["correct"] = False
    with pytest.raises(ImportProblem, match="correct"):
        agentclinic.convert(record, case_id="x", source="s")


# --- MediQ --------------------------------------------------------------------------------------

MEDIQ: dict[str, Any] = {
    "id": 5,
    "question": "Which of the following is the most appropriate next step in management?",
    "context": [
        "A 41-year-old woman presents to her primary care physician with complaints of fatigue and weakness.",
        "She denies any bleeding problems.",
        "Her vital signs include: temperature, 36.7°C (98.0°F); heart rate, 111/min.",
        "On physical examination, her complexion is pale.",
        "Her laboratory data demonstrate a hematocrit of 27.1%.",
    ],
    "facts": [
        "1. Patient is 41 years old.",
        "2. Patient complains of fatigue and weakness.",
        "3. Patient denies bleeding problems.",
        "4. Patient smokes 1 pack of cigarettes per day.",
        "5. Patient's heart rate is 111/min.",
        "6. Patient's complexion is pale.",
        "7. Patient's hematocrit is 27.1%.",
    ],
    "options": {"A": "Blood transfusion", "B": "Oral iron", "C": "Vitamin B12"},
    "answer": "Oral iron",
    "answer_idx": "B",
    "patient": {
        "age": "41",
        "gender": "Female",
        "specialties": ["Internal Medicine"],
        "subspecialties": ["Hematology"],
    },
}


def test_mediq_record() -> None:
    case = mediq.convert(copy.deepcopy(MEDIQ), case_id="mediq-demo", source="mediq.jsonl").case
    assert case.provenance.source == "MediQ" and case.provenance.licence == "CC BY 4.0"
    assert case.provenance.original_id == "5"
    assert case.patient.age_years == 41 and case.patient.sex.value == "female"
    assert case.opening == "I've had fatigue and weakness."
    assert case.diagnosis.name == "Oral iron"
    assert (
        case.question == "Which of the following is the most appropriate next step in management?"
    )
    assert case.answer_options == ["Blood transfusion", "Oral iron", "Vitamin B12"]
    assert case.specialties == ["hematology"]
    complaint = next(f for f in facing(case) if "fatigue" in f.text)
    assert complaint.key and complaint.reveal.value == "volunteered"
    assert "I smoke 1 pack of cigarettes per day." in [f.text for f in facing(case)]
    assert any(not f.present and "bleeding problems" in f.text for f in facing(case))
    heart = next(f for f in case.findings if "111/min" in f.text)
    assert heart.category is Category.exam and heart.procedure == "vital signs" and heart.key
    pale = next(f for f in case.findings if "pale" in f.text)
    assert pale.category is Category.exam
    hematocrit = next(f for f in case.findings if "hematocrit" in f.text)
    assert hematocrit.category is Category.test
    assert_first_person(case)


def test_mediq_diagnosis_question_has_no_separate_question() -> None:
    record = copy.deepcopy(MEDIQ)
    record["question"] = "Which of the following is the most likely diagnosis?"
    record["answer"] = "Iron deficiency anemia"
    case = mediq.convert(record, case_id="mediq-dx", source="mediq.jsonl").case
    assert case.question is None and case.diagnosis.name == "Iron deficiency anemia"


def test_mediq_problems_are_reported() -> None:
    record = copy.deepcopy(MEDIQ)
    del record["answer"]
    with pytest.raises(ImportProblem, match="answer"):
        mediq.convert(record, case_id="x", source="s")
    record = copy.deepcopy(MEDIQ)
    record["context"] = []
    with pytest.raises(ImportProblem, match="context"):
        mediq.convert(record, case_id="x", source="s")


# --- phenopackets -------------------------------------------------------------------------------


def packet(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "PMID_1_Patient_1",
        "subject": {
            "id": "P1",
            "sex": "MALE",
            "timeAtLastEncounter": {"age": {"iso8601duration": "P3Y6M"}},
        },
        "phenotypicFeatures": [
            {
                "type": {"id": "HP:0000252", "label": "Microcephaly"},
                "onset": {"ontologyClass": {"id": "HP:0003577", "label": "Congenital onset"}},
            },
            {"type": {"id": "HP:0001263", "label": "Global developmental delay"}},
            {"type": {"id": "HP:0001250", "label": "Seizure"}, "excluded": True},
            {"type": {"id": "HP:0001873", "label": "Thrombocytopenia"}},
        ],
        "diseases": [
            {"term": {"id": "OMIM:251200", "label": "Microcephaly, primary autosomal recessive 1"}}
        ],
        "metaData": {"externalReferences": [{"id": "PMID:1"}]},
    }
    data.update(changes)
    return data


def test_phenopacket_record() -> None:
    conversion = phenopacket.convert(packet(), case_id="pmid-1", source="PMID_1_Patient_1.json")
    case = conversion.case
    assert conversion.warnings == []
    assert case.rare and "genetics" in case.specialties and "pediatrics" in case.specialties
    assert (
        case.provenance.source == "phenopacket-store" and case.provenance.licence == "BSD-3-Clause"
    )
    assert case.provenance.original_id == "PMID_1_Patient_1"
    assert case.provenance.url == "https://pubmed.ncbi.nlm.nih.gov/1/"
    assert case.patient.age_years == 3.5 and case.patient.sex.value == "male"
    assert case.patient.speaker.value == "caregiver" and case.patient.caregiver == "parent"
    assert case.diagnosis.name == "Microcephaly, primary autosomal recessive 1"
    assert case.diagnosis.ids == ["OMIM:251200"]

    head = case.finding("microcephaly")
    assert head.hpo == "HP:0000252" and head.label == "Microcephaly" and head.present and head.key
    assert head.category is Category.presenting_complaint and head.reveal.value == "volunteered"
    assert head.text == "My son has a small head. It has been there since birth."
    assert "Abnormally small skull" in head.synonyms
    delay = case.finding("global-developmental-delay")
    assert delay.text == "The doctors told us he has global developmental delay."
    assert delay.reveal.value == "volunteered"
    seizure = case.finding("no-seizure")
    assert (
        not seizure.present and not seizure.key and seizure.category is Category.review_of_systems
    )
    assert seizure.text == "No, he doesn't have epilepsy."
    platelets = case.finding("thrombocytopenia")
    assert (
        platelets.category is Category.test
        and platelets.procedure == "blood tests"
        and platelets.key
    )
    assert "a small head" in case.opening and "global developmental delay" in case.opening
    assert case.opening.startswith("I've brought my son in")


def test_phenopacket_adult_speaks_for_themself() -> None:
    data = packet(
        subject={
            "id": "P1",
            "sex": "FEMALE",
            "timeAtLastEncounter": {"age": {"iso8601duration": "P25Y"}},
        }
    )
    case = phenopacket.convert(data, case_id="adult", source="a.json").case
    assert case.patient.speaker.value == "patient"
    assert (
        case.finding("microcephaly").text == "I have a small head. It has been there since birth."
    )
    assert case.finding("no-seizure").text == "No, I don't have epilepsy."
    assert case.opening.startswith("I'm here because")


def test_phenopacket_old_and_unknown_hpo_ids() -> None:
    features = [
        {"type": {"id": "HP:0001366", "label": "Small head"}},  # an alternative id of HP:0000252
        {
            "type": {"id": "HP:0000057", "label": "Clitoromegaly"}
        },  # obsolete, replaced by HP:0008665
        {"type": {"id": "HP:9999999", "label": "A term from a newer release"}},
    ]
    conversion = phenopacket.convert(
        packet(phenotypicFeatures=features), case_id="ids", source="ids.json"
    )
    case, warnings = conversion.case, conversion.warnings
    hpos = [f.hpo for f in case.findings]
    assert hpos == ["HP:0000252", "HP:0008665", None]
    assert any("HP:0001366 -> HP:0000252" in w for w in warnings)
    assert any("HP:0000057 -> HP:0008665" in w for w in warnings)
    assert any("HP:9999999" in w and "not in HPO" in w for w in warnings)
    newer = case.findings[2]
    assert newer.label == "A term from a newer release" and newer.key


def test_phenopacket_present_wins_over_excluded() -> None:
    features = [
        {"type": {"id": "HP:0001250", "label": "Seizure"}, "excluded": True},
        {"type": {"id": "HP:0001250", "label": "Seizure"}},
    ]
    conversion = phenopacket.convert(
        packet(phenotypicFeatures=features), case_id="dup", source="dup.json"
    )
    seizures = [f for f in conversion.case.findings if f.hpo == "HP:0001250"]
    assert len(seizures) == 1 and seizures[0].present
    assert any("present and as excluded" in w for w in conversion.warnings)


def test_phenopacket_disease_ids_that_the_model_does_not_know_are_warned() -> None:
    data = packet(diseases=[{"term": {"id": "FOO:123", "label": "Some disease"}}])
    conversion = phenopacket.convert(data, case_id="foo", source="foo.json")
    assert conversion.case.diagnosis.name == "Some disease" and conversion.case.diagnosis.ids == []
    assert any("FOO:123" in w for w in conversion.warnings)


def test_phenopacket_without_disease_or_features_is_refused() -> None:
    with pytest.raises(ImportProblem, match="no disease"):
        phenopacket.convert(packet(diseases=[]), case_id="x", source="x.json")
    with pytest.raises(ImportProblem, match="no phenotypic features"):
        phenopacket.convert(packet(phenotypicFeatures=[]), case_id="x", source="x.json")


# --- the driver: files, names, bad records --------------------------------------------------------


def test_jsonl_import_names_files_and_reports_bad_records(tmp_path: Path) -> None:
    bad_shape = {"OSCE_Examination": {"Patient_Actor": OSCE["OSCE_Examination"]["Patient_Actor"]}}
    lines = [
        json.dumps(OSCE),
        json.dumps([1, 2]),
        json.dumps(bad_shape),
        "{not json",
        json.dumps(NEJM),
    ]
    source = tmp_path / "agentclinic.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_sources("agentclinic", [source], tmp_path / "out", prefix="ac")
    assert [r.index for r in report.written] == [0, 4]
    assert [p.name for p in sorted((tmp_path / "out").iterdir())] == [
        "ac-0000.yaml",
        "ac-0004.yaml",
    ]
    errors = {r.index: r.error for r in report.failed}
    assert set(errors) == {1, 2, 3}
    assert "JSON object" in errors[1]
    assert "Correct_Diagnosis" in errors[2]
    assert "invalid JSON" in errors[3]
    for result in report.written:
        case = load_case(result.out)
        assert case.id == result.case_id


def test_mediq_import_writes_loadable_cases(tmp_path: Path) -> None:
    source = tmp_path / "mediq.jsonl"
    source.write_text(
        json.dumps(MEDIQ) + "\n" + json.dumps({"question": "?"}) + "\n", encoding="utf-8"
    )
    report = import_sources("mediq", [source], tmp_path / "out")
    assert [r.out.name for r in report.written] == ["mediq-0000.yaml"]
    assert report.failed[0].index == 1 and "answer" in report.failed[0].error
    assert load_case(report.written[0].out).diagnosis.name == "Oral iron"


def test_phenopacket_folder_import_names_files_after_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "packets"
    folder.mkdir()
    (folder / "PMID_1_Patient_1.json").write_text(json.dumps(packet()), encoding="utf-8")
    (folder / "broken.json").write_text(json.dumps(packet(diseases=[])), encoding="utf-8")
    report = import_sources("phenopacket", [folder], tmp_path / "out")
    assert [r.out.name for r in report.written] == ["PMID_1_Patient_1.yaml"]
    assert load_case(report.written[0].out).id == "pmid_1_patient_1"
    assert report.failed[0].index is None and "no disease" in report.failed[0].error
    case = load_case(report.written[0].out)
    assert case.finding("microcephaly").hpo == "HP:0000252"


# --- every record of the real samples -----------------------------------------------------------

SAMPLES = [
    ("agentclinic", "agentclinic/agentclinic_medqa.jsonl", 107),
    ("agentclinic", "agentclinic/agentclinic_nejm.jsonl", 15),
    ("mediq", "mediq/mediq_dev_sample.jsonl", 30),
    ("phenopacket", "phenopackets", 300),
]


@pytest.mark.parametrize(("fmt", "relative", "count"), SAMPLES, ids=[s[1] for s in SAMPLES])
def test_every_sample_record_imports(fmt: str, relative: str, count: int, tmp_path: Path) -> None:
    source = SHARED_DATA / relative
    if not source.exists():
        pytest.skip(f"{source} is not beside the project")
    report = import_sources(fmt, [source], tmp_path / "out")
    assert [(r.where, r.error) for r in report.failed] == []
    assert len(report.written) == count
    for result in report.written:
        case = load_case(result.out)
        assert case.key_findings, result.where
        assert case.diagnosis.name.strip()
        assert case.opening.strip()
        for finding in case.findings:
            if finding.category in (Category.exam, Category.test):
                assert finding.procedure, (result.where, finding.id)
        if fmt != "mediq" or case.patient.age_years is not None:
            assert facing(case), result.where
        assert_first_person(case)
