"""AgentClinic records (https://github.com/SamuelSchmidgall/AgentClinic, MIT) as cases.

Two shapes share the format:

* OSCE records built from MedQA: ``OSCE_Examination`` with ``Objective_for_Doctor``,
  ``Patient_Actor`` (Demographics, History, Symptoms, Past_Medical_History, Social_History,
  Review_of_Systems, medications), ``Physical_Examination_Findings`` and ``Test_Results`` (nested
  dicts) and ``Correct_Diagnosis``.
* NEJM image-challenge records: ``question`` (the vignette and the question), ``patient_info``
  (second-person instructions to a patient actor), ``physical_exams`` (test results as text),
  ``answers`` (``text``, ``correct``) and ``image_url``.

Symptoms become key, patient-facing findings in the first person; examination and test results
stay clinical, with the examination or test as `procedure`, and are key when abnormal. Nothing
the patient could not know (vital signs, examination, laboratory values) is made patient-facing.
"""

from __future__ import annotations

import re
from typing import Any

from consultsim.scenarios.importers import Conversion, ImportProblem
from consultsim.scenarios.importers.wording import (
    Findings,
    S,
    Voice,
    asks_for_diagnosis,
    classify,
    clean,
    clinical_label,
    denial_items,
    diagnosis_parts,
    duration_text,
    end_sentence,
    exam_like,
    first_person,
    guess_specialties,
    history_statements,
    humanize_key,
    image_only,
    is_normal,
    mentions,
    negated_phrase,
    negative_text,
    observed_like,
    opening_from_presentation,
    parse_age,
    parse_sex,
    patient_block,
    presentation,
    sentence_case,
    sex_from_pronouns,
    split_clauses,
    split_sentences,
    symptom_text,
    test_like,
    title_for,
    uninformative,
    vital_is_normal,
)
from consultsim.scenarios.loading import case_from_data

LICENCE = "MIT"
URL = "https://github.com/SamuelSchmidgall/AgentClinic"
CAREGIVER_AGE = 12  # children younger than this are spoken for by a caregiver

# Keys of a result dict that name the kind of text, not a part of the examination.
_GENERIC_KEYS = {
    "findings",
    "finding",
    "result",
    "results",
    "description",
    "details",
    "report",
    "impression",
    "interpretation",
    "value",
    "values",
    "observation",
    "observations",
    "summary",
    "notes",
    "note",
    "other",
    "general",
}
_NOTE_KEYS = {"comments", "comment", "notes", "note", "interpretation", "impression"}


def convert(record: Any, *, case_id: str, source: str) -> Conversion:
    """One AgentClinic record (OSCE or NEJM shape) as a case."""
    if not isinstance(record, dict):
        raise ImportProblem(f"an AgentClinic record is a JSON object, not {type(record).__name__}")
    if "OSCE_Examination" in record:
        return _osce(record["OSCE_Examination"], case_id=case_id, source=source)
    if "question" in record and ("answers" in record or "patient_info" in record):
        return _nejm(record, case_id=case_id, source=source)
    keys = ", ".join(sorted(map(str, record))[:8]) or "none"
    raise ImportProblem(
        "not an AgentClinic record: expected OSCE_Examination (MedQA OSCE) or question, "
        f"patient_info and answers (NEJM); found keys {keys}"
    )


# --- helpers shared by both shapes -------------------------------------------------------------


def _text(value: Any) -> str:
    """A leaf value as text: lists joined, booleans and numbers written out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    if isinstance(value, dict):
        return "; ".join(f"{humanize_key(k)}: {_text(v)}" for k, v in value.items() if _text(v))
    return clean(str(value))


def _leaves(data: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """(key path, text) for every leaf of nested result dicts."""
    if isinstance(data, dict):
        out = []
        for key, value in data.items():
            out.extend(_leaves(value, path + (str(key),)))
        return out
    text = _text(data)
    return [(path, text)] if text else []


def _procedure(path: tuple[str, ...], default: str) -> str:
    """'Neurological_Examination > Cranial_Nerves' -> 'neurological examination: cranial nerves'."""
    parts = [humanize_key(p) for p in path if p.lower() not in _GENERIC_KEYS | _NOTE_KEYS]
    if not parts:
        return default
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]}: {', '.join(parts[1:])}"


def _label(path: tuple[str, ...], default: str) -> str:
    """The most specific meaningful key of a path, e.g. 'Cranial nerves', 'Chest CT'."""
    named = [p for p in path if p.lower() not in _GENERIC_KEYS | _NOTE_KEYS]
    label = humanize_key(named[-1]) if named else default
    if path and path[-1].lower() in _NOTE_KEYS:
        label += f" ({humanize_key(path[-1])})"
    return sentence_case(label)


def _is_vital(path: tuple[str, ...]) -> bool:
    return any(
        re.search(
            r"vital|temperature|blood.?pressure|heart.?rate|pulse|respirat|saturation|spo2|bmi|weight|height",
            p,
            re.I,
        )
        for p in path
    )


def _result_findings(
    findings: Findings, data: Any, *, category: str, default: str, age: float | None
) -> None:
    """Findings for a nested dict of examination or test results."""
    for path, value in _leaves(data):
        if uninformative(value):
            continue
        label = _label(path, sentence_case(default))
        procedure = _procedure(path, default)
        if category == "exam" and _is_vital(path):
            verdict = vital_is_normal(path[-1], value, age)
            key = verdict is False or (
                verdict is None
                and not is_normal(value)
                and bool(
                    re.search(r"elevat|high|low|tachy|brady|fever|febrile|hypo|hyper", value, re.I)
                )
            )
        else:
            key = not is_normal(value)
        text = value if value.lower().startswith(label.lower()) else f"{label}: {value}"
        findings.add(
            category=category,
            text=end_sentence(text),
            label=label,
            key=key,
            procedure=procedure,
            id_hint=_id_hint(path, default),
        )


def _id_hint(path: tuple[str, ...], default: str) -> str:
    named = [p for p in path if p.lower() not in _GENERIC_KEYS]
    return humanize_key(" ".join(named[-2:])) if named else default


def _duration_in(text: str) -> str | None:
    """'a 1-month history of ...', 'for the past 4 weeks', 'over 2 months' -> 'the past month'."""
    m = re.search(
        r"\b(?:an? )?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|few)?[- ]?(hour|day|week|month|year)s?[- ](?:long[- ])?history\b",
        text,
        re.I,
    )
    if m and (
        m.group(1)
        or re.search(r"\b(?:a|an)\s+(?:hour|day|week|month|year)[- ]long", text, re.I)
        or m.group(0).lower().startswith(("a ", "an "))
    ):
        return duration_text(m.group(1), m.group(2).lower())
    m = re.search(
        r"\b(?:for|over) (?:the )?(?:past|last) (\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|few|a few)? ?(hour|day|week|month|year)s?\b",
        text,
        re.I,
    )
    if m:
        return duration_text(m.group(1), m.group(2).lower())
    return None


def _caregiver(age: float | None, text: str) -> str | None:
    if age is None or age >= CAREGIVER_AGE:
        return None
    mother = re.search(r"\b(mother|mom|mum)\b", text, re.I)
    father = re.search(r"\b(father|dad)\b", text, re.I)
    if mother and not (father and father.start() < mother.start()):
        return "mother"
    if father:
        return "father"
    return "parent"


def _symptom(
    findings: Findings,
    item: str,
    voice: Voice,
    *,
    primary: bool,
    duration: str | None,
    dx: list[str],
    warnings: list[str],
) -> dict | None:
    """One entry of the symptom list: a key, patient-facing finding, an absent finding for 'No
    fever', or an examination finding for what only an examiner would observe."""
    item = clean(item).strip(" .")
    if not item or uninformative(item):
        return None
    if exam_like(item, vitals=False):
        return findings.add(
            category="exam",
            text=end_sentence(item),
            label=sentence_case(item),
            key=not is_normal(item),
            procedure="physical examination",
        )
    negated = negated_phrase(item)
    if negated:
        if re.match(r"^not\b", item, re.I) and len(negated.split()) <= 2:
            # "Not painful", "Not itchy": about the complaint itself.
            said = (
                f"No, it isn't {negated.lower()}."
                if not re.search(r"s$", negated)
                else f"No, they aren't {negated.lower()}."
            )
            return findings.add(
                category="history_of_present_illness",
                text=said,
                label=sentence_case(negated),
                present=False,
            )
        return findings.add(
            category="review_of_systems",
            text=negative_text(negated, voice),
            label=sentence_case(negated),
            present=False,
        )
    if (
        test_like(item)
        and re.search(r"\b(screening|test|level|count)\b", item, re.I)
        and not re.search(r"\bfail", item, re.I)
    ):
        return findings.add(
            category="test",
            text=end_sentence(item),
            label=sentence_case(item),
            key=not is_normal(item),
            procedure="tests",
        )
    if any(mentions(item, name) for name in dx):
        warnings.append(f"symptom {item!r} names the diagnosis; kept for the examiner only")
        return findings.add(
            category="exam",
            text=end_sentence(item),
            label=sentence_case(item),
            key=True,
            procedure="clinical assessment",
        )
    return findings.add(
        category="presenting_complaint" if primary else "history_of_present_illness",
        text=symptom_text(item, voice, duration=duration),
        label=sentence_case(item),
        key=True,
        reveal="volunteered" if primary else None,
    )


def _narrative(
    findings: Findings,
    text: str,
    voice: Voice,
    *,
    default: str,
    dx: list[str],
    warnings: list[str],
    second_person: bool = False,
    key: bool = False,
) -> None:
    """Findings for a free-text history field; sentences that report what an examiner observes
    or a test shows go to the examiner instead of the patient."""
    for sentence in split_sentences(text):
        if uninformative(sentence) or image_only(sentence):
            continue
        if _for_examiner(sentence, second_person=second_person):
            _observation(findings, sentence)
            continue
        for category, said, present, label in history_statements(
            sentence, voice, default=default, second_person=second_person
        ):
            if any(mentions(said, name) for name in dx):
                warnings.append(f"left out a statement that names the diagnosis: {said!r}")
                continue
            findings.add(
                category=category,
                text=said,
                label=label,
                present=present,
                key=key
                and present
                and category in ("history_of_present_illness", "review_of_systems"),
            )


def _for_examiner(sentence: str, *, second_person: bool = False) -> bool:
    s = clean(sentence)
    if second_person:
        return False
    if exam_like(s) or observed_like(s):
        # "No history of urinary incontinence during the event" mentions no exam; "Vital signs
        # within normal limits" does.
        return True
    return test_like(s) and bool(
        re.search(
            r"\b(show|shows|showed|revealed?|demonstrat\w*|notable for|indicated?|positive|negative|consistent with|levels?|count)\b",
            s,
            re.I,
        )
    )


def _observation(findings: Findings, sentence: str) -> None:
    s = end_sentence(re.sub(r"^(?:ROS|Review of systems)\s*:\s*", "", clean(sentence), flags=re.I))
    if test_like(s) and not exam_like(s):
        findings.add(category="test", text=s, key=not is_normal(s), procedure=_test_name(s))
        return
    procedure = (
        "vital signs"
        if re.search(
            r"\b(temperature|pulse|respirations?|blood pressure|heart rate|vital signs|\d+/min)\b",
            s,
            re.I,
        )
        else "general examination"
    )
    m = re.search(
        r"\b((?:physical|neurological|abdominal|cardiac|pelvic|rectal|skin|eye|ophthalmologic|lung|mental status|general) exam(?:ination)?)\b",
        s,
        re.I,
    )
    if m:
        procedure = (
            m.group(1)
            .lower()
            .replace(" exam", " examination")
            .replace("examinationination", "examination")
        )
    findings.add(category="exam", text=s, key=not is_normal(s), procedure=procedure)


def _test_name(sentence: str) -> str:
    m = re.match(
        r"^(?:an? |the )?(.{3,60}?)\s+(?:shows?|showed|revealed?|demonstrat\w*|was|were|is|are|indicated?)\b",
        clean(sentence),
        re.I,
    )
    if m and not re.search(r"\b(patient|she|he|her|his)\b", m.group(1), re.I):
        return m.group(1).strip().lower()
    return "laboratory tests"


def _ensure_text(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(
            _text(v) if str(_text(v)).endswith(".") else _text(v) + "."
            for v in value.values()
            if _text(v)
        )
    if isinstance(value, list):
        return " ".join(_text(v).rstrip(".") + "." for v in value if _text(v))
    return _text(value)


def _provenance(source_name: str, case_id: str, url: str | None = None) -> dict[str, Any]:
    return {"source": source_name, "licence": LICENCE, "original_id": case_id, "url": url or URL}


def _finish(
    data: dict[str, Any], case_id: str, findings: Findings, warnings: list[str]
) -> Conversion:
    findings.ensure_key(warnings)
    if not findings.items:
        raise ImportProblem(
            "no usable findings: the record has no symptoms, history, examination or tests"
        )
    data["findings"] = findings.items
    return Conversion(case_from_data(data, label=case_id), warnings)


# --- OSCE ----------------------------------------------------------------------------------------


def _osce(osce: Any, *, case_id: str, source: str) -> Conversion:
    if not isinstance(osce, dict):
        raise ImportProblem(f"OSCE_Examination is a {type(osce).__name__}, not an object")
    actor = osce.get("Patient_Actor")
    if not isinstance(actor, dict):
        raise ImportProblem("OSCE_Examination has no Patient_Actor object")
    diagnosis = _text(osce.get("Correct_Diagnosis"))
    if not diagnosis:
        raise ImportProblem("OSCE_Examination has no Correct_Diagnosis")
    warnings: list[str] = []
    dx_name, dx_synonyms = diagnosis_parts(diagnosis)
    dx_terms = [dx_name, *dx_synonyms]

    demographics = _text(actor.get("Demographics"))
    history = _ensure_text(actor.get("History"))
    age = parse_age(demographics)
    sex = parse_sex(demographics) or sex_from_pronouns(history)
    if age is None:
        if re.search(r"\binfant\b", demographics, re.I):
            warnings.append(f"age not given in {demographics!r}; treated as an infant")
            age = 0.5
        else:
            warnings.append(f"no age in demographics {demographics!r}")
    voice = Voice(caregiver=_caregiver(age, history + " " + demographics), sex=sex, age_years=age)

    findings = Findings()
    symptoms = actor.get("Symptoms")
    primary: list[str] = []
    secondary: list[str] = []
    if isinstance(symptoms, dict):
        p = symptoms.get("Primary_Symptom")
        primary = [_text(x) for x in p] if isinstance(p, list) else [_text(p)] if p else []
        s2 = symptoms.get("Secondary_Symptoms")
        secondary = (
            [_text(x) for x in s2]
            if isinstance(s2, list)
            else [x for x in re.split(r"\s*[;,]\s*", _text(s2)) if x]
            if s2
            else []
        )
    elif isinstance(symptoms, list):
        primary, secondary = [_text(x) for x in symptoms[:1]], [_text(x) for x in symptoms[1:]]
    elif isinstance(symptoms, str):
        primary = [symptoms]
    first_sentence = split_sentences(history)[0] if history else ""
    duration = _duration_in(first_sentence)

    opening_item: dict | None = None
    for index, item in enumerate(primary + secondary):
        made = _symptom(
            findings,
            item,
            voice,
            primary=index < len(primary),
            duration=None,
            dx=dx_terms,
            warnings=warnings,
        )
        if (
            made
            and opening_item is None
            and made["category"] in ("presenting_complaint", "history_of_present_illness")
            and made.get("present", True)
        ):
            opening_item = made
            made["reveal"] = "volunteered"
            if made["category"] == "history_of_present_illness":
                made["category"] = "presenting_complaint"
    if opening_item is not None:
        opening = symptom_text(
            opening_item["label"],
            voice,
            duration=duration if _shares_words(opening_item["label"], first_sentence) else None,
        )
    else:
        opening = ""

    _narrative(
        findings,
        history,
        voice,
        default="history_of_present_illness",
        dx=dx_terms,
        warnings=warnings,
    )
    pmh = actor.get("Past_Medical_History")
    if isinstance(pmh, list):
        pmh = ", ".join(_text(x) for x in pmh if _text(x))
    _narrative(
        findings, _ensure_text(pmh), voice, default="past_history", dx=dx_terms, warnings=warnings
    )
    _narrative(
        findings,
        _ensure_text(actor.get("Social_History")),
        voice,
        default="social",
        dx=dx_terms,
        warnings=warnings,
    )
    for key in (
        "Medications",
        "Current_Medications",
        "Drug_History",
        "Medication_History",
        "Allergies",
        "Family_History",
    ):
        value = actor.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            names = [clean(v) for v in value if clean(v)]
            if key == "Allergies":
                findings.add(
                    category="allergies",
                    text=end_sentence(
                        f"I'm allergic to {_join(names)}"
                        if not voice.is_caregiver
                        else f"{voice.subject(True)} is allergic to {_join(names)}"
                    ),
                    label="Allergies",
                )
            elif key == "Family_History":
                _narrative(
                    findings,
                    ". ".join(names),
                    voice,
                    default="family",
                    dx=dx_terms,
                    warnings=warnings,
                )
            else:
                take = "I take" if not voice.is_caregiver else f"{voice.subject(True)} takes"
                findings.add(
                    category="medications",
                    text=end_sentence(f"{take} {_join([_drug(n) for n in names])}"),
                    label="Current medications",
                    id_hint="current medications",
                )
        else:
            default = {"Allergies": "allergies", "Family_History": "family"}.get(key, "medications")
            _narrative(
                findings,
                _ensure_text(value),
                voice,
                default=default,
                dx=dx_terms,
                warnings=warnings,
            )
    ros = actor.get("Review_of_Systems")
    _narrative(
        findings,
        _ensure_text(ros),
        voice,
        default="review_of_systems",
        dx=dx_terms,
        warnings=warnings,
        key=True,
    )
    known = {
        "Demographics",
        "History",
        "Symptoms",
        "Past_Medical_History",
        "Social_History",
        "Review_of_Systems",
        "Medications",
        "Current_Medications",
        "Drug_History",
        "Medication_History",
        "Allergies",
        "Family_History",
    }
    for key, value in actor.items():
        if key not in known and _text(value):
            default = "family" if "family" in key.lower() else "history_of_present_illness"
            _narrative(
                findings,
                _ensure_text(value),
                voice,
                default=default,
                dx=dx_terms,
                warnings=warnings,
            )

    _result_findings(
        findings,
        osce.get("Physical_Examination_Findings") or {},
        category="exam",
        default="physical examination",
        age=age,
    )
    _result_findings(
        findings, osce.get("Test_Results") or {}, category="test", default="tests", age=age
    )

    if not opening:
        told = [f for f in findings.patient_facing() if f.get("present", True)]
        if told:
            told[0]["reveal"] = "volunteered"
            opening = told[0]["text"]
        else:
            opening = (
                "I've come because my family is worried about me."
                if not voice.is_caregiver
                else f"I've brought {voice.child_noun} in because I'm worried."
            )
            warnings.append("no symptom the patient could tell; the opening is generic")
    if not any(f.get("present", True) for f in findings.patient_facing()):
        warnings.append("the patient has nothing to tell: every symptom is an examination finding")

    objective = _text(osce.get("Objective_for_Doctor"))
    complaint = opening_item["label"] if opening_item else None
    data: dict[str, Any] = {
        "id": case_id,
        "title": title_for(age, sex, complaint),
        "specialties": guess_specialties(dx_name, [objective, *primary, *secondary], age),
        "provenance": _provenance("AgentClinic MedQA", case_id),
        "patient": patient_block(age, sex, voice),
        "opening": opening,
        "diagnosis": {"name": dx_name, **({"synonyms": dx_synonyms} if dx_synonyms else {})},
    }
    if objective:
        data["teaching_notes"] = f"Objective for the doctor (source): {objective}"
    return _finish(data, case_id, findings, warnings)


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _drug(name: str) -> str:
    """Drug names in lower case (generic names are common nouns), acronyms kept."""
    return name if re.match(r"^[A-Z0-9-]{2,}\b", name) else name[:1].lower() + name[1:]


def _shares_words(label: str, sentence: str) -> bool:
    words = {w for w in re.findall(r"[a-z]{4,}", label.lower())}
    return bool(words & set(re.findall(r"[a-z]{4,}", sentence.lower())))


# --- NEJM ----------------------------------------------------------------------------------------

_META = re.compile(
    r"(your role|patient actor|as a patient|for the patient|here's (?:the|what)|remember\b|not aware|the following|should be aware|"
    r"\b(?:your|the) symptoms for \d|"
    r"(?:don't|do not|haven't been|have not been) (?:know|told|informed)|not been informed|you haven't seen|"
    r"specific (?:test|medical)|test readings|test results|knowledge is limited|minimal information|convey|"
    r"portray|your character|instrument|you are not sure|diagnos)",
    re.I,
)
_PANEL = re.compile(
    r"\s*\((?:left|right|middle|top|bottom|center|centre|inset|arrows?|arrowheads?|box|panel [a-z])\b[^)]*\)",
    re.I,
)
_EXAMINED = re.compile(
    r"\b(examination|exam\b|examined|listening to|auscultat|the doctor (?:noted|found|observed)|it was noted|were noted|was noted|"
    r"they found|found that|biopsy|tests?\b|scan\b|blood work|laboratory|x-?ray|ultrasound|mri\b|ct\b|readings?)",
    re.I,
)


def _nejm(record: dict[str, Any], *, case_id: str, source: str) -> Conversion:
    question_text = _text(record.get("question"))
    if not question_text:
        raise ImportProblem("NEJM record has an empty question")
    answers = record.get("answers")
    if not isinstance(answers, list) or not answers:
        raise ImportProblem("NEJM record has no answers list")
    options = [
        _text(a.get("text")) for a in answers if isinstance(a, dict) and _text(a.get("text"))
    ]
    correct = [
        _text(a.get("text"))
        for a in answers
        if isinstance(a, dict) and a.get("correct") is True and _text(a.get("text"))
    ]
    if not correct:
        raise ImportProblem("NEJM record has no answer marked correct")
    warnings: list[str] = []
    if len(correct) > 1:
        warnings.append(
            f"{len(correct)} answers are marked correct; the first is the diagnosis, the others alternatives"
        )
    dx_name, dx_synonyms = diagnosis_parts(correct[0])
    dx_terms = [dx_name, *dx_synonyms]

    sentences = split_sentences(question_text)
    asked = [s for s in sentences if s.rstrip().endswith("?")]
    vignette = [s for s in sentences if s not in asked]
    pres = presentation(vignette[0]) if vignette else presentation("")
    raw_info = record.get("patient_info")
    raw_info = raw_info if isinstance(raw_info, str) else _text(raw_info)
    patient_info = _text(raw_info)
    age = pres.age_years
    if age is None:
        age = parse_age(patient_info[:200])
    sex = pres.sex or parse_sex(patient_info[:200]) or sex_from_pronouns(question_text)
    if age is None:
        warnings.append("no age in the vignette")
    voice = Voice(caregiver=_caregiver(age, patient_info), sex=sex, age_years=age)

    findings = Findings()
    # What the patient knows: the actor instructions, in the first person.
    told = 0
    for piece in _actor_statements(raw_info):
        if _META.search(piece) or _EXAMINED.search(piece):
            continue
        if any(mentions(piece, name) for name in dx_terms):
            warnings.append(f"left out an actor instruction that names the diagnosis: {piece!r}")
            continue
        for clause in split_clauses(piece):
            items = denial_items(clause)
            if items:
                for item in items:
                    findings.add(
                        category="review_of_systems",
                        text=negative_text(item, voice, second_person=True),
                        label=clinical_label(item),
                        present=False,
                    )
                continue
            said = first_person(clause, voice, second_person=True)
            if (
                not re.search(r"[a-z]", said)
                or re.fullmatch(r"(I'm|I am|My \w+ is) (an? )?[\w\s-]*\.", said)
                and re.search(r"\d+-year-old|\bold\b", said)
            ):
                continue
            category = classify(clause)
            made = findings.add(
                category=category, text=said, key=category == "history_of_present_illness"
            )
            if made:
                told += 1
    if not told:
        # No usable actor instructions: the vignette's history sentences, in the first person.
        for sentence in vignette:
            if not (_for_examiner(sentence) or image_only(sentence)):
                _narrative(
                    findings,
                    sentence,
                    voice,
                    default="history_of_present_illness",
                    dx=dx_terms,
                    warnings=warnings,
                    key=True,
                )
        if findings.patient_facing():
            warnings.append(
                "patient_info had no usable statements; the patient speaks from the vignette"
            )

    # What the examiner knows: examination sentences of the vignette, and the test results.
    tests = _nejm_tests(_text(record.get("physical_exams")))
    if not tests:
        warnings.append("physical_exams holds no test results; tests are taken from the vignette")
    examining = False
    for sentence in vignette[1:]:
        s = _PANEL.sub("", sentence)
        if image_only(s):
            warnings.append(f"the vignette refers to an image the case does not include: {s!r}")
            continue
        if re.search(r"\b(shown|depicted)\b", s, re.I) and len(s.split()) < 12:
            continue
        if test_like(s) and not re.search(r"examination", s, re.I):
            examining = False
            if not tests:
                findings.add(
                    category="test",
                    text=end_sentence(s),
                    key=not is_normal(s),
                    procedure=_test_name(s),
                )
        elif exam_like(s):
            examining = True
            _observation(findings, s)
        elif examining and not re.search(
            r"\b(had|has|history|reported|presented|was treated|began|started|ago)\b", s, re.I
        ):
            # Sentences after "On physical examination, ..." go on describing the examination.
            _observation(findings, s)
    for procedure, text in tests:
        text = re.sub(r"^[-•*\s]+", "", text)
        findings.add(
            category="test",
            text=end_sentence(_PANEL.sub("", text)),
            label=sentence_case(procedure),
            key=not is_normal(text.split(":", 1)[-1]),
            procedure=procedure,
        )

    # The first thing the patient says: the presenting complaint of the vignette.
    opening = None
    facing = [f for f in findings.patient_facing() if f.get("present", True)]
    facing.sort(key=lambda f: f["category"] != "history_of_present_illness")
    if facing and facing[0]["category"] == "history_of_present_illness":
        opening = facing[0]["text"]
    if not opening and pres.complaint and not exam_like(pres.complaint):
        opening = opening_from_presentation(pres, voice)
    if facing:
        facing[0]["reveal"] = "volunteered"
        if facing[0]["category"] == "history_of_present_illness":
            facing[0]["category"] = "presenting_complaint"
        if not opening:
            opening = facing[0]["text"]
    if not opening:
        opening = (
            "I've come because I'm worried about my health."
            if not voice.is_caregiver
            else f"I've brought {voice.child_noun} in because I'm worried."
        )
        warnings.append("no presenting complaint the patient could tell; the opening is generic")
    if any(mentions(opening, name) for name in dx_terms):
        opening = facing[0]["text"] if facing else "I've come because I'm worried about my health."

    question = asked[-1] if asked else None
    image = _text(record.get("image_url")) or None
    data: dict[str, Any] = {
        "id": case_id,
        "title": title_for(
            age,
            sex,
            re.split(r",? and an? \S+ history of", pres.complaint)[0]
            if pres.complaint and not exam_like(pres.complaint)
            else None,
        ),
        "specialties": guess_specialties(dx_name, [question_text], age),
        "difficulty": "hard",
        "provenance": _provenance(
            "AgentClinic NEJM", case_id, image if image and image.startswith("http") else None
        ),
        "patient": patient_block(age, sex, voice),
        "opening": opening,
        "diagnosis": {"name": dx_name, **({"synonyms": dx_synonyms} if dx_synonyms else {})},
        "alternatives": [{"name": diagnosis_parts(c)[0]} for c in correct[1:]],
        "answer_options": options,
        "teaching_notes": "NEJM Image Challenge"
        + (f"; the image is at {image}" if image else "")
        + ".",
    }
    if question and not asks_for_diagnosis(question):
        data["question"] = question
    return _finish(data, case_id, findings, warnings)


def _actor_statements(text: str) -> list[str]:
    """Sentences of the actor instructions, with markdown headings and bullet marks removed and
    the opening 'You are a 55-year-old woman who ...' reduced to what follows 'who'."""
    t = re.sub(r"\*\*([^*]{1,100}?)\*\*\s*:?", " ", text or "")  # "**Fever**:" headings
    t = clean(t)
    t = re.sub(
        r"(?:(?<=\s)|^)[A-Z][A-Za-z /&'-]{2,40}:\s+(?=-|\d\.|[A-Z])", " ", t
    )  # "Symptoms: - ..."
    pieces = re.split(r"\s+-\s+(?=[A-Za-z*])|(?:^|\s+)\d{1,2}\.\s+(?=[A-Za-z*])", t)
    out: list[str] = []
    for piece in pieces:
        for sentence in split_sentences(piece):
            s = sentence.strip(" -*")
            s = re.sub(
                r"^(?:For your role as a patient(?: actor)?,?|As a patient(?: actor)?,?|For the patient actor:?)\s*",
                "",
                s,
                flags=re.I,
            )
            m = re.match(
                r"^(?:you are|you're) (?:a|an) [^,.]*?\b(?:man|woman|boy|girl|child|infant|person|patient|adult)\b,?\s*(?:(who|with|and)\s+)?(.*)$",
                s,
                re.I,
            )
            if m:
                if not m.group(2):
                    continue
                rest = m.group(2)
                if (m.group(1) or "").lower() == "with":
                    rest = f"{S} has {rest}"
                elif (m.group(1) or "").lower() in ("who", "and"):
                    rest = f"{S} {rest}"
                s = rest
            s = s.strip(" -*")
            s = re.sub(
                r"^Mention (?:noticing|that you(?:'ve)? noticed|having)\s+", "You've noticed ", s
            )
            s = re.sub(r"^Mention\s+", "", s)
            if len(re.findall(r"[A-Za-z]", s)) >= 3:
                out.append(s)
    return out


def _nejm_tests(text: str) -> list[tuple[str, str]]:
    """(procedure, text) for the test results of a NEJM record's `physical_exams`, or [] when it
    says it has none."""
    t = clean(text)
    if not t or re.search(
        r"\b(does not (?:include|contain|mention)|no (?:specific )?(?:instrument|numerical|test) (?:readings|results)|cannot generate|there are no)\b",
        t,
        re.I,
    ):
        return []
    t = (
        re.sub(
            r"^.{0,200}?\b(?:includes?|as follows|are|indicated|results?)\s*:\s*(?=-|\d\.|[A-Z])",
            "",
            t,
            count=1,
        )
        if re.match(r"^(?:The information|Laboratory|Here|The following|The results)", t)
        else t
    )
    segments = [
        s.strip() for s in re.split(r"\s+-\s+|(?:^|\s+)\d{1,2}\.\s+(?=[A-Z])", t) if s.strip()
    ]
    header = "laboratory tests"
    out: list[tuple[str, str]] = []
    for segment in segments:
        trailing = re.search(r"\s+((?:[A-Z][A-Za-z()/-]*)(?:\s+[A-Za-z()/-]+){0,5}):\s*$", segment)
        next_header = None
        if trailing:
            next_header = trailing.group(1)
            segment = segment[: trailing.start()].strip()
        if re.fullmatch(r"[A-Z][^:]{1,60}:", segment):
            header = _clean_header(segment[:-1])
            segment = ""
        for sentence in split_sentences(segment):
            m = re.match(r"^([^:]{2,80}):\s*(.+)$", sentence)
            if m:
                name, value = m.group(1), m.group(2)
                if (
                    re.search(r"\b(results?|studies|testing|findings)\b", name, re.I)
                    and not value.strip()
                ):
                    header = _clean_header(name)
                    continue
                out.append((_clean_header(name), f"{name.strip()}: {value.strip()}"))
            elif out and not re.match(r"^[A-Z][a-z]+ (?:results|studies|testing)", sentence):
                # A continuation of the previous result ("Areas of ... thickening.").
                procedure, previous = out[-1]
                if len(previous) < 400 and not re.search(
                    r"\b(shows?|showed|revealed|performed)\b", sentence
                ):
                    out[-1] = (procedure, f"{previous.rstrip('.')}. {sentence}")
                else:
                    out.append((header, sentence))
            else:
                out.append((header, sentence))
        if next_header:
            header = _clean_header(next_header)
    return [
        (p, x)
        for p, x in out
        if len(re.findall(r"[A-Za-z]", x)) > 3 and not re.search(r"\bwas performed\W*$", x)
    ]


def _clean_header(name: str) -> str:
    h = re.sub(
        r"\b(?:results?|findings|for the patient|are as follows|indicated|include|includes|values)\b",
        "",
        clean(name),
        flags=re.I,
    )
    h = re.sub(r"\s+", " ", h).strip(" :-,")
    if not h:
        return "laboratory tests"
    return h if re.match(r"^[A-Z0-9]{2,}\b", h) else h[:1].lower() + h[1:]
