"""MediQ records (https://github.com/stellalisy/mediQ, CC BY 4.0) as cases.

A record is a MedQA vignette split for interactive use: ``context`` (its sentences; the first is
the presenting complaint, which the patient volunteers), ``facts`` (atomic facts, numbered),
``question``, ``options`` ({"A": ...}), ``answer`` and ``patient`` (age, gender, specialties).

Facts become findings: what the patient would say in the first person, vital signs and
examination for the examiner, laboratory and imaging results as tests. The answer is the
diagnosis name; when the question asks something else ('next best step', 'mechanism'), the
question is kept in `question` and the options in `answer_options`.
"""

from __future__ import annotations

import re
from typing import Any

from consultsim.scenarios.importers import Conversion, ImportProblem
from consultsim.scenarios.importers.wording import (
    Findings,
    Voice,
    asks_for_diagnosis,
    classify,
    clean,
    denial_items,
    end_sentence,
    exam_like,
    first_person,
    guess_specialties,
    image_only,
    is_normal,
    map_specialty,
    mentions,
    negative_statement,
    observed_like,
    opening_from_presentation,
    parse_age,
    parse_sex,
    patient_block,
    presentation,
    sentence_case,
    split_clauses,
    split_sentences,
    test_like,
    title_for,
    uninformative,
    vital_is_normal,
)
from consultsim.scenarios.loading import case_from_data

SOURCE = "MediQ"
LICENCE = "CC BY 4.0"
URL = "https://github.com/stellalisy/mediQ"
CAREGIVER_AGE = 12

_DEMOGRAPHIC_FACT = re.compile(
    r"^(?:the )?(?:patient|she|he|the (?:man|woman|boy|girl|child|infant))\s+is\s+(?:an?\s+)?"
    r"(?:\d+(?:\.\d+)?[\s-](?:year|month|week|day)s?[\s-]old|\d+)\s*(?:[A-Za-z-]+\s*){0,3}\.?$",
    re.I,
)
_VISIT = re.compile(
    r"^(?:an? |the )?(?:[\w-]+ ){0,6}?(?:man|woman|male|female|boy|girl|infant|child|patient|baby|newborn)\b.{0,80}?"
    r"\b(?:presents|presented|comes|came|is brought|was brought|is referred|was referred|is admitted|was admitted|visits)\b"
    r"(?:\s+(?:to|by|for)\s+[^.]{0,80}?)?\.?$",
    re.I,
)
_CLINICIAN_ACTION = re.compile(
    r"\b(?:physician|doctor|clinician|provider)\s+(?:orders|ordered|prescribes|prescribed|performs|performed|recommends|suspects)\b|"
    r"\bis (?:prescribed|started on|given|treated with|scheduled|referred|admitted|diagnosed with)\b|"
    r"\b(?:was|were|are|is) (?:ordered|sent|performed|pending)\b|\blaboratory values are ordered\b|"
    r"\b(?:returns?|returned) (?:from|to)\b.*\bcomplaining\b",
    re.I,
)
_STUDY = re.compile(
    r"\b(study|studies|investigator|researchers?|research group|trial|cohort|survey|scatter plot|population|participants)\b",
    re.I,
)


def convert(record: Any, *, case_id: str, source: str) -> Conversion:
    """One MediQ record as a case."""
    if not isinstance(record, dict):
        raise ImportProblem(f"a MediQ record is a JSON object, not {type(record).__name__}")
    answer = record.get("answer")
    if isinstance(answer, str):
        answer = answer.strip().strip('"').strip()
    if not isinstance(answer, str) or not answer:
        raise ImportProblem("MediQ record has no answer")
    context = record.get("context")
    if isinstance(context, str):
        context = split_sentences(context)
    if not isinstance(context, list) or not [
        c for c in context if isinstance(c, str) and c.strip()
    ]:
        raise ImportProblem("MediQ record has no context sentences")
    context = [clean(c) for c in context if isinstance(c, str) and c.strip()]
    facts_raw = record.get("facts")
    facts = (
        [_strip_number(f) for f in facts_raw if isinstance(f, str) and f.strip()]
        if isinstance(facts_raw, list)
        else []
    )
    warnings: list[str] = []
    if not facts:
        facts = [s for c in context for s in split_sentences(c)]
        warnings.append("no atomic facts; the context sentences are used instead")
    options = record.get("options")
    option_texts = (
        [clean(str(v)).strip('"').strip() for _, v in sorted(options.items())]
        if isinstance(options, dict)
        else [clean(str(v)).strip('"').strip() for v in options]
        if isinstance(options, list)
        else []
    )
    option_texts = [o for o in option_texts if o]
    answer = clean(answer)
    if option_texts and answer not in option_texts:
        warnings.append(f"the answer {answer!r} is not one of the options")
    question = clean(str(record.get("question") or "")).strip().rstrip('"').strip()

    patient_info = record.get("patient") if isinstance(record.get("patient"), dict) else {}
    pres = presentation(context[0])
    age = parse_age(str(patient_info.get("age"))) if patient_info.get("age") is not None else None
    if age is None:
        age = pres.age_years
    sex = parse_sex(str(patient_info.get("gender") or "")) or pres.sex
    study = _is_study(context[0], patient_info)
    caregiver = None
    if age is not None and age < CAREGIVER_AGE:
        text = " ".join(context[:2])
        caregiver = (
            "mother"
            if re.search(r"\b(?:his|her|the child's) mother\b", text, re.I)
            else "father"
            if re.search(r"\b(?:his|her) father\b", text, re.I)
            else "parent"
        )
    voice = Voice(caregiver=caregiver, sex=sex, age_years=age)

    findings = Findings()
    notes: list[str] = []
    dx_terms = [answer] if asks_for_diagnosis(question) else []
    if study:
        warnings.append(
            "the record describes a study or data set, not a patient: its facts are given as data"
        )
        for fact in facts:
            if not image_only(fact):
                findings.add(
                    category="test", text=end_sentence(fact), key=True, procedure="study data"
                )
        opening = end_sentence(context[0])
    else:
        opening_words = _content_words(context[0])
        sentences = [s for c in context for s in split_sentences(c)]
        for fact in facts:
            _fact(
                findings,
                fact,
                voice,
                age=age,
                opening_words=opening_words,
                dx=dx_terms,
                notes=notes,
                warnings=warnings,
                source=_source_sentence(fact, sentences),
            )
        opening = opening_from_presentation(pres, voice)
        if (
            not opening
            or (pres.complaint and exam_like(pres.complaint))
            or any(mentions(opening, d) for d in dx_terms)
        ):
            told = [f for f in findings.patient_facing() if f.get("present", True)]
            opening = told[0]["text"] if told else first_person(context[0], voice)
        _mark_volunteered(findings, opening)

    specialties = _adult_filter(_specialties(patient_info), age)
    if not specialties:
        specialties = guess_specialties(answer if dx_terms else "", context, age)
    data: dict[str, Any] = {
        "id": case_id,
        "title": title_for(
            age,
            sex,
            pres.complaint
            if pres.complaint and not exam_like(pres.complaint) and len(pres.complaint) < 90
            else None,
        )
        if not study
        else sentence_case(question[:80] or "Study question"),
        "specialties": specialties,
        "provenance": {
            "source": SOURCE,
            "licence": LICENCE,
            "original_id": str(record.get("id")) if record.get("id") is not None else case_id,
            "url": URL,
        },
        "patient": patient_block(age, sex, voice),
        "opening": opening,
        "diagnosis": {"name": answer},
        "answer_options": option_texts,
    }
    if question and not asks_for_diagnosis(question):
        data["question"] = question
    if notes:
        data["teaching_notes"] = "From the source vignette: " + " ".join(
            end_sentence(n) for n in notes
        )
    findings.ensure_key(warnings)
    if not findings.items:
        raise ImportProblem("no usable findings in the facts or context")
    data["findings"] = findings.items
    return Conversion(case_from_data(data, label=case_id), warnings)


def _strip_number(fact: str) -> str:
    return clean(re.sub(r"^\s*\d+[.)]\s*", "", fact))


def _is_study(first: str, patient: dict[str, Any]) -> bool:
    age = str(patient.get("age") or "").strip().lower()
    if age == "study" or str(patient.get("gender") or "").strip().lower() == "study":
        return True
    return bool(_STUDY.search(first)) and not re.search(
        r"\b\d+[- ](?:year|month|week|day)[- ]old\b", first
    )


def _content_words(text: str) -> set[str]:
    stop = {
        "with",
        "from",
        "that",
        "this",
        "patient",
        "presents",
        "comes",
        "because",
        "physician",
        "department",
        "emergency",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "past",
        "primary",
        "care",
        "complaints",
        "complaining",
        "brought",
        "woman",
        "man",
        "girl",
        "boy",
        "history",
        "evaluation",
        "their",
        "after",
        "daughter",
        "baby",
        "child",
        "have",
        "been",
        "come",
    }
    return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in stop}


def _mark_volunteered(findings: Findings, opening: str) -> None:
    """The findings the opening already tells are volunteered; the first becomes the presenting
    complaint."""
    words = _content_words(opening)
    first = True
    for item in findings.patient_facing():
        if not item.get("present", True):
            continue
        own = _content_words(item["text"])
        if own and len(own & words) / len(own) >= 0.5:
            item["reveal"] = "volunteered"
            if first and item["category"] == "history_of_present_illness":
                item["category"] = "presenting_complaint"
            first = False


def _source_sentence(fact: str, sentences: list[str]) -> str:
    """The context sentence a fact was taken from (most shared words)."""
    words = set(re.findall(r"[a-z0-9]{3,}", fact.lower()))
    best, score = "", 0.0
    for sentence in sentences:
        own = set(re.findall(r"[a-z0-9]{3,}", sentence.lower()))
        if not own:
            continue
        overlap = len(words & own) / max(1, len(words))
        if overlap > score:
            best, score = sentence, overlap
    return best if score >= 0.5 else ""


def _fact(
    findings: Findings,
    fact: str,
    voice: Voice,
    *,
    age: float | None,
    opening_words: set[str],
    dx: list[str],
    notes: list[str],
    warnings: list[str],
    source: str = "",
) -> None:
    """One atomic fact as a finding (or a note, for what the clinician did). `source` is the
    context sentence the fact came from: a fact split out of 'Examination shows facial acne' is an
    examination finding even when it reads 'Patient has facial acne'."""
    text = clean(fact).strip()
    if not text or uninformative(text) or _DEMOGRAPHIC_FACT.match(text.rstrip(".")):
        return
    if image_only(text):
        warnings.append(f"a fact refers to an image the case does not include: {text!r}")
        return
    text = re.sub(r"\s*(?:in|on) (?:this|the) (?:photo(?:graph)?|image|picture|figure)\b", "", text)
    if _CLINICIAN_ACTION.search(text):
        notes.append(text)
        return
    if any(mentions(text, d) for d in dx) and not (exam_like(text) or test_like(text)):
        warnings.append(f"left out a fact that names the diagnosis: {text!r}")
        return
    if _VISIT.match(text):
        said = opening_from_presentation(presentation(text), voice)
        if said:
            findings.add(
                category="history_of_present_illness",
                text=said,
                key=bool(presentation(text).complaint),
            )
        return
    if _is_vital(text) or (source and _is_vital(source) and not test_like(text)):
        verdict = vital_is_normal(text, text, age)
        findings.add(
            category="exam",
            text=end_sentence(text),
            key=verdict is False,
            procedure="vital signs",
            id_hint=_vital_label(text),
        )
        return
    exam_words = (
        r"\b(physical|clinical|neurological|mental|rectal|pelvic|abdominal|skin|eye)\s+exam"
    )
    if (
        test_like(text)
        or source
        and test_like(source)
        and not exam_like(source)
        and not _history_like(text)
    ) and not re.search(exam_words, text, re.I):
        findings.add(
            category="test",
            text=end_sentence(text),
            key=not is_normal(text),
            procedure=_test_procedure(source or text),
        )
        return
    if (
        exam_like(text)
        or observed_like(text)
        or (source and (exam_like(source) or observed_like(source)) and not _history_like(text))
    ):
        findings.add(
            category="exam",
            text=end_sentence(text),
            key=not is_normal(text),
            procedure=_exam_procedure(source or text),
        )
        return
    for clause in split_clauses(text):
        items = denial_items(clause)
        if items:
            for item in items:
                category, said, present, label = negative_statement(item, voice)
                findings.add(category=category, text=said, label=label, present=present)
            continue
        said = first_person(clause, voice)
        category = classify(clause)
        findings.add(category=category, text=said, key=category == "history_of_present_illness")


def _history_like(text: str) -> bool:
    """Something the patient tells rather than something found ('has had', 'reports', 'since')."""
    return bool(
        re.search(
            r"\b(reports?|complains?|denies|describes|states|says|has had|had|history|since|ago|for the past|noticed|feels?)\b",
            text,
            re.I,
        )
    )


def _is_vital(text: str) -> bool:
    return bool(
        re.search(
            r"\b(temperature|pulse|heart rate|blood pressure|respirations?|respiratory rate|oxygen saturation|vital signs|bmi|weighs|tall|percentile)\b",
            text,
            re.I,
        )
    ) and not test_like(re.sub(r"\b(blood pressure|oxygen saturation)\b", "", text, flags=re.I))


def _vital_label(text: str) -> str:
    m = re.search(
        r"\b(temperature|pulse|heart rate|blood pressure|respirations?|respiratory rate|oxygen saturation|vital signs|bmi|weight|height|percentile)\b",
        text,
        re.I,
    )
    return m.group(1).lower() if m else "vital signs"


def _exam_procedure(text: str) -> str:
    m = re.search(
        r"\b((?:physical|clinical|neurological|neurologic|abdominal|pelvic|rectal|cardiac|cardiovascular|lung|chest|skin|eye|ophthalmologic|fundoscopic|mental status|mental|breast|genital|musculoskeletal|general) exam(?:ination)?)\b",
        text,
        re.I,
    )
    if m:
        name = m.group(1).lower()
        return name if name.endswith("examination") else name + "ination"
    return "physical examination"


def _test_procedure(text: str) -> str:
    m = re.match(
        r"^(?:an? |the |his |her |patient's )?(.{3,60}?)\s+(?:of [^,]{1,40}\s+)?(?:shows?|showed|revealed?|demonstrates?|indicated?|is|are|was|were)\b",
        text,
        re.I,
    )
    if m and not re.search(r"\b(patient|she|he)\b", m.group(1), re.I):
        name = m.group(1).strip().lower()
        if re.search(r"\b(laboratory|lab|studies|tests?|results?|values?|data)\b", name):
            return "laboratory tests"
        return name
    return "laboratory tests"


def _specialties(patient: dict[str, Any]) -> list[str]:
    """Model specialties from MediQ's subspecialties (more specific) and specialties."""
    out: list[str] = []
    for key in ("subspecialties", "specialties"):
        values = patient.get(key)
        if isinstance(values, str):
            values = [values]
        for value in values or []:
            for specialty in map_specialty(str(value)):
                if specialty not in out:
                    out.append(specialty)
    # "Internal Medicine" with a subspecialty: the subspecialty says more.
    if len(out) > 1 and "internal-medicine" in out:
        out.remove("internal-medicine")
    if len(out) > 1 and "general" in out:
        out.remove("general")
    return out[:3]


def _adult_filter(specialties: list[str], age: float | None) -> list[str]:
    if age is not None and age >= 18 and "pediatrics" in specialties and len(specialties) > 1:
        specialties = [s for s in specialties if s != "pediatrics"]
    return specialties


