"""GA4GH phenopackets (schema v2; e.g. from phenopacket-store, BSD-3-Clause) as cases.

Each observed HPO feature (``phenotypicFeatures[]``: ``type``, ``excluded``, ``onset``) becomes a
finding with its HPO id: present features are key, excluded ones are documented absences. The
patient (or, for a child under 12, a parent) speaks of them in lay words: the HPO layperson
synonym when the term has one ("I have a small head."), else the term's name ("I've been told I
have hypoplasia of the radius."). Laboratory and measurement phenotypes are the examiner's tests
(see `_lab_procedure`). The disease of ``interpretations[].diagnosis.disease`` and ``diseases``
is the diagnosis.

HPO ids are checked against the shipped HPO release: an alternative or obsolete id is mapped to
its current term (with a warning saying old -> new); an id the release does not know (newer
terms, typos) keeps its finding without `hpo` and is named in a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from consultsim.kg.ontology import Ontology, get_ontology
from consultsim.scenarios.importers import Conversion, ImportProblem
from consultsim.scenarios.importers.wording import (
    Findings,
    Voice,
    clean,
    end_sentence,
    lower_first,
    normalise,
    own_body,
    parse_iso_duration,
    render,
    title_for,
    with_article,
)
from consultsim.scenarios.loading import case_from_data
from consultsim.scenarios.model import DISEASE_ID, HPO_ID

SOURCE = "phenopacket-store"
LICENCE = "BSD-3-Clause"
CAREGIVER_AGE = 12

# --- laboratory and measurement phenotypes -----------------------------------------------------
#
# HPO has no single "laboratory finding" branch. Laboratory results are filed in four organ-system
# branches, beside clinical signs of the same system: metabolism/homeostasis (HP:0001939, e.g.
# hyperammonemia, but also fever and edema), blood (HP:0001871, e.g. thrombocytopenia, but also
# epistaxis), immune system (HP:0002715, e.g. decreased IgG, but also recurrent infections) and
# abnormal cellular phenotype (HP:0025354). Within these branches a term is a test result when its
# name uses measurement vocabulary (concentration, level, count, activity, ratio, antibody, -emia,
# -uria, -penia, -cytosis, acidosis, ...), which HPO uses consistently for laboratory terms and
# not for symptoms or signs. Terms under the measurement-only branches (blood pressure, EEG, ECG,
# EMG, nerve conduction) are tests wherever they are. Everything else is something the patient
# has been told about or notices, and is patient-facing.
LAB_BRANCHES = ("HP:0001939", "HP:0001871", "HP:0002715", "HP:0025354")
MEASUREMENT_BRANCHES = {
    "HP:0032263": "blood pressure measurement",  # Increased blood pressure
    "HP:0002353": "EEG",  # EEG abnormality
    "HP:0003115": "ECG",  # Abnormal EKG
    "HP:0003457": "electromyography",  # EMG abnormality
    "HP:0040129": "nerve conduction studies",  # Abnormal nerve conduction velocity
}
# Words that only a measurement uses, wherever HPO files the term.
_MEASURED = re.compile(
    r"(\bserum\b|\bplasma\b|\bcirculating\b|\bCSF\b|cerebrospinal fluid|\burine\b|concentration|\btit(?:er|re)\b|"
    r"antibod|immunoglobulin|\bIg[AGMED]\b|\bcount\b|\bratio\b|proportion of|sedimentation rate|prothrombin|"
    r"thromboplastin|bleeding time|hematocrit|hemoglobin A1c|excision circle|\bpH\b|osmolality)",
    re.I,
)
# Words that name a laboratory finding within the laboratory branches (LAB_BRANCHES).
_LAB_WORDS = re.compile(
    r"(\blevels?\b|activity|response to|proliferation|oxidative burst|positivity|viremia|(?<!leuk)(?<!leuka)emia\b|"
    r"uria\b|cytopenia|penia\b|cytosis\b|philia\b|acidosis|alkalosis|\bsweat\b|\bfecal\b|fragility|"
    r"excretion|mean platelet volume|\banemia\b|neutrophil|leukocyte|lymphocyte|erythrocyte|platelet|"
    r"hemoglobin|clotting|factor [IVX]+)",
    re.I,
)

# HPO organ-system branches that suggest a specialty when most present features lie in them.
SPECIALTY_BRANCHES = {
    "HP:0000707": "neurology",
    "HP:0001626": "cardiology",
    "HP:0000478": "ophthalmology",
    "HP:0001574": "dermatology",
    "HP:0001871": "hematology",
    "HP:0002715": "immunology",
    "HP:0001939": "metabolic",
    "HP:0000818": "endocrinology",
    "HP:0000077": "nephrology",
    "HP:0033127": "orthopedics",
    "HP:0000598": "otolaryngology",
    "HP:0025031": "gastroenterology",
    "HP:0002086": "pulmonology",
    "HP:0002664": "oncology",
}

_ONSET_CLASSES = {
    "HP:0003577": "since_birth",  # Congenital onset
    "HP:0030674": "before_birth",  # Antenatal onset
    "HP:0011460": "before_birth",  # Embryonal onset
    "HP:0011461": "before_birth",  # Fetal onset
    "HP:0034199": "before_birth",  # Late first trimester onset
    "HP:0034198": "before_birth",  # Second trimester onset
    "HP:0034197": "before_birth",  # Third trimester onset
    "HP:0003623": "newborn",  # Neonatal onset
    "HP:0003593": "baby",  # Infantile onset
    "HP:0011463": "childhood",  # Childhood onset
    "HP:0003621": "teens",  # Juvenile onset
    "HP:0011462": "young_adult",  # Young adult onset
    "HP:0003581": "adult",  # Adult onset
    "HP:0003596": "adult",  # Middle age onset
    "HP:0003584": "late",  # Late onset
}


def convert(record: Any, *, case_id: str, source: str) -> Conversion:
    """One phenopacket as a case."""
    if not isinstance(record, dict):
        raise ImportProblem(f"a phenopacket is a JSON object, not {type(record).__name__}")
    features = record.get("phenotypicFeatures")
    if features is None:
        features = []
    if not isinstance(features, list):
        raise ImportProblem("phenotypicFeatures is not a list")
    diseases = _diseases(record)
    if not diseases:
        raise ImportProblem(
            "no disease: neither diseases[] nor interpretations[].diagnosis.disease names one"
        )
    usable = [
        f
        for f in features
        if isinstance(f, dict)
        and isinstance(f.get("type"), dict)
        and (f["type"].get("id") or f["type"].get("label"))
    ]
    if not usable:
        raise ImportProblem(
            "no phenotypic features: phenotypicFeatures[] is empty or has no HPO terms"
        )

    ontology = get_ontology()
    warnings: list[str] = []
    packet_id = clean(str(record.get("id") or case_id))
    subject = record.get("subject") if isinstance(record.get("subject"), dict) else {}
    age, prenatal = _age(subject, warnings)
    sex = {"FEMALE": "female", "MALE": "male", "OTHER_SEX": "other"}.get(
        str(subject.get("sex") or "").upper(), "unknown"
    )
    child = prenatal or (age is not None and age < CAREGIVER_AGE)
    voice = Voice(
        caregiver="parent" if child else None,
        sex=sex if sex in ("female", "male") else None,
        age_years=0.0 if prenatal else age,
    )

    terms = _terms(usable, ontology, warnings)
    findings = Findings()
    told: list[tuple[dict, str, bool]] = []  # (finding, phrase, lay)
    present_ids: list[str] = []
    for term in terms:
        made = _finding(findings, term, ontology, voice, age)
        if made is None:
            continue
        item, phrase, lay = made
        if term["present"]:
            if term["hpo"]:
                present_ids.append(term["hpo"])
            if item["category"] != "test":
                told.append((item, phrase, lay))
    for measurement in record.get("measurements") or []:
        _measurement(findings, measurement)

    for item, _, _ in told[:2]:
        item["reveal"] = "volunteered"
        item["category"] = "presenting_complaint" if item is told[0][0] else item["category"]
    opening = _opening(told[:2], voice)
    findings.ensure_key(warnings)

    primary, *others = diseases
    if others:
        names = ", ".join(d["name"] for d in others)
        warnings.append(f"{len(others)} further disease(s) listed ({names}); kept as alternatives")
    data: dict[str, Any] = {
        "id": case_id,
        "title": title_for(
            age,
            None if sex == "unknown" else sex,
            told[0][0]["label"] if told else (terms[0]["label"] if terms else None),
        ),
        "specialties": _specialties(present_ids, ontology, age),
        "rare": True,
        "provenance": _provenance(record, packet_id),
        "patient": _patient(age, sex, voice),
        "opening": opening,
        "findings": findings.items,
        "diagnosis": _diagnosis(primary, warnings),
        "alternatives": [_diagnosis(d, warnings) for d in others],
    }
    notes = _notes(record, subject)
    if notes:
        data["teaching_notes"] = notes
    return Conversion(case_from_data(data, label=case_id), warnings)


# --- subject ----------------------------------------------------------------------------------


def _age(subject: dict[str, Any], warnings: list[str]) -> tuple[float | None, bool]:
    """(age in years at the last encounter, prenatal?)."""
    when = subject.get("timeAtLastEncounter")
    if not isinstance(when, dict):
        warnings.append("no age at last encounter; the patient speaks for themself")
        return None, False
    if isinstance(when.get("gestationalAge"), dict):
        weeks = when["gestationalAge"].get("weeks")
        warnings.append(
            f"the subject was seen before birth (gestational age {weeks} weeks); a parent speaks"
        )
        return None, True
    duration = None
    if isinstance(when.get("age"), dict):
        duration = when["age"].get("iso8601duration")
    elif isinstance(when.get("ageRange"), dict) and isinstance(when["ageRange"].get("start"), dict):
        duration = when["ageRange"]["start"].get("iso8601duration")
    age = parse_iso_duration(duration)
    if age is None:
        warnings.append(f"age at last encounter not understood ({when!r})")
    elif age > 130:
        warnings.append(f"age {duration} is out of range; left out")
        return None, False
    return age, False


def _patient(age: float | None, sex: str, voice: Voice) -> dict[str, Any]:
    patient: dict[str, Any] = {"sex": sex}
    if age is not None:
        patient["age_years"] = round(age, 3)
    if voice.is_caregiver:
        patient["speaker"] = "caregiver"
        patient["caregiver"] = "parent"
    return patient


# --- terms ------------------------------------------------------------------------------------


def _terms(
    features: list[dict[str, Any]], ontology: Ontology, warnings: list[str]
) -> list[dict[str, Any]]:
    """Features with resolved HPO ids, duplicates merged (a present feature wins over an
    excluded one with the same id)."""
    out: list[dict[str, Any]] = []
    by_key: dict[str, dict[str, Any]] = {}
    for feature in features:
        raw_id = clean(str(feature["type"].get("id") or ""))
        raw_label = clean(str(feature["type"].get("label") or ""))
        present = not bool(feature.get("excluded"))
        hpo: str | None = None
        term = None
        if raw_id and HPO_ID.match(raw_id):
            resolution = ontology.resolve(raw_id)
            if resolution.id:
                hpo = resolution.id
                term = ontology[hpo]
                if resolution.how != "current":
                    how = "an alternative id" if resolution.how == "alt_id" else "obsolete"
                    warnings.append(
                        f"{raw_id} ({raw_label or '?'}) is {how} in HPO {ontology.version}; mapped {raw_id} -> {hpo} ({term.name})"
                    )
            elif resolution.how == "obsolete":
                hint = (
                    f"; consider {', '.join(resolution.suggestions)}"
                    if resolution.suggestions
                    else ""
                )
                warnings.append(
                    f"{raw_id} ({raw_label or '?'}) is obsolete in HPO {ontology.version} with no replacement{hint}; kept without an HPO id"
                )
            else:
                warnings.append(
                    f"{raw_id} ({raw_label or '?'}) is not in HPO {ontology.version} (a newer term?); kept without an HPO id"
                )
        elif raw_id:
            warnings.append(
                f"{raw_id!r} ({raw_label or '?'}) is not an HPO id; kept without an HPO id"
            )
        label = term.name if term else raw_label or raw_id
        if not label:
            continue
        key = hpo or raw_id or label.lower()
        entry = {
            "hpo": hpo,
            "raw_id": raw_id,
            "label": label,
            "term": term,
            "present": present,
            "onset": feature.get("onset"),
        }
        if key in by_key:
            first = by_key[key]
            if first["present"] != present:
                kept = first if first["present"] else entry
                warnings.append(
                    f"{key} ({label}) is listed both as present and as excluded; kept it as present"
                )
                if kept is entry:
                    out[out.index(first)] = entry
                    by_key[key] = entry
            else:
                warnings.append(f"{key} ({label}) is listed twice; kept once")
            continue
        by_key[key] = entry
        out.append(entry)
    return out


def _lab_procedure(term_id: str | None, label: str, ontology: Ontology) -> str | None:
    """The test that shows a laboratory or measurement phenotype, or None for a phenotype the
    patient has or is told about (see the comment at LAB_BRANCHES)."""
    if not term_id or term_id not in ontology:
        # An unknown term: only its name can tell.
        lineage: set[str] = set()
    else:
        lineage = ontology.ancestors(term_id) | {term_id}
    for branch, procedure in MEASUREMENT_BRANCHES.items():
        if branch in lineage:
            return procedure
    if re.search(r"leuka?emia|lymphoma|cancer|carcinoma|tumou?r|neoplasm", label, re.I):
        return None
    imaging = re.search(
        r"\b(MRI|CT|PET|ultrasound|sonograph\w*|radiograph\w*|x-ray|angiograph\w*|echocardiogra\w*)\b",
        label,
        re.I,
    )
    if imaging:
        return imaging.group(1) if imaging.group(1).isupper() else "imaging"
    measured = bool(_MEASURED.search(label))
    if not measured and (
        lineage and not lineage & set(LAB_BRANCHES) or not _LAB_WORDS.search(label)
    ):
        return None
    if re.search(r"\bCSF\b|cerebrospinal", label, re.I):
        return "cerebrospinal fluid analysis"
    if re.search(r"uria\b|\burine\b|urinary", label, re.I):
        return "urine tests"
    if re.search(r"\bsweat\b", label, re.I):
        return "sweat test"
    if re.search(r"\bfecal\b|stool", label, re.I):
        return "stool tests"
    if re.search(r"mitochondrial|complex [IV]+|coenzyme|skeletal muscle", label, re.I):
        return "muscle biopsy (enzyme studies)"
    if re.search(
        r"antibod|immunoglobulin|\bIg[AGMED]\b|T cell|B cell|lymphocyte|CD4|CD8|natural killer|vaccine|oxidative burst|excision circle|memory|naive|plasmablast",
        label,
        re.I,
    ):
        return "immunology tests"
    return "blood tests"


def _lay(term: Any, label: str) -> tuple[str, bool]:
    """The words a patient would use: the first layperson synonym, else the name (lower case)."""
    if term is not None:
        options = [
            t.strip() for t in term.layperson if t.strip() and t.strip().lower() != label.lower()
        ]
        if options:
            # The shortest is usually the most natural ("Small head" over "Abnormally small skull").
            best = min(options, key=lambda t: (len(t.split()), len(t)))
            return _lower_words(best), True
    return lower_first(label), False


def _lower_words(text: str) -> str:
    """Lay phrases in lower case ('Double-Jointed' -> 'double-jointed'); acronyms kept."""
    return re.sub(r"\b([A-Z][a-z]+)\b", lambda m: m.group(1).lower(), text)


def _adjectival(phrase: str) -> bool:
    """'double-jointed', 'close sighted', 'short-sighted': a state, not a thing one has."""
    words = phrase.split()
    return (
        0 < len(words) <= 2
        and bool(re.search(r"(?:ed|ful|ous|less)$", words[-1]))
        and words[-1] not in {"bed", "speed", "seed", "need", "shed"}
    )


def _synonyms(term: Any, label: str) -> list[str]:
    if term is None:
        return []
    out = [s.text for s in term.synonyms if s.scope == "EXACT" or s.kind == "layperson"]
    return [s for s in dict.fromkeys(out) if s.lower() != label.lower()]


def _finding(
    findings: Findings, term: dict[str, Any], ontology: Ontology, voice: Voice, age: float | None
) -> tuple[dict, str, bool] | None:
    label = term["label"]
    procedure = _lab_procedure(term["hpo"], label, ontology)
    common = {
        "label": label,
        "hpo": term["hpo"],
        "synonyms": _synonyms(term["term"], label),
        "id_hint": label,
    }
    if term["raw_id"] and not term["hpo"]:
        common["note"] = f"Source HPO id {term['raw_id']} is not in the shipped HPO release."
    if procedure:
        text = f"{label}." if term["present"] else f"No {lower_first(label)}."
        item = findings.add(
            category="test",
            text=text,
            present=term["present"],
            key=term["present"],
            procedure=procedure,
            **common,
        )
        return (item, lower_first(label), False) if item else None
    words, lay = _lay(term["term"], label)
    if not lay and term["hpo"] and "HP:0025142" in ontology.ancestors(term["hpo"]):
        lay = True  # constitutional symptoms (fever, fatigue) are felt, not told
    phrase = render(own_body(normalise(words, voice)), voice)
    adjective = lay and _adjectival(phrase)
    phrase = phrase if adjective else with_article(phrase)
    if term["present"]:
        text = (
            _has(phrase, lay, voice)
            if not adjective
            else end_sentence(f"{voice.is_(True)} {phrase}")
        )
        when = _onset(term.get("onset"), voice, age)
        if when:
            text = f"{text} {when}"
        item = findings.add(category="history_of_present_illness", text=text, key=True, **common)
    else:
        if adjective:
            said = (
                f"No, I'm not {phrase}"
                if not voice.is_caregiver
                else f"No, {voice.pronoun} isn't {phrase}"
            )
        else:
            said = (
                f"No, I don't have {phrase}"
                if not voice.is_caregiver
                else f"No, {voice.pronoun} doesn't have {phrase}"
            )
        item = findings.add(
            category="review_of_systems", text=end_sentence(said), present=False, **common
        )
    return (item, phrase, lay) if item else None


def _has(phrase: str, lay: bool, voice: Voice) -> str:
    if not voice.is_caregiver:
        return end_sentence(f"I have {phrase}" if lay else f"I've been told I have {phrase}")
    if lay:
        return end_sentence(f"{voice.subject(True)} has {phrase}")
    return end_sentence(f"The doctors told us {voice.pronoun} has {phrase}")


def _onset(onset: Any, voice: Voice, age: float | None) -> str | None:
    """'It has been there since birth.' / 'It started when I was 18.' from a feature's onset."""
    if not isinstance(onset, dict):
        return None
    who = "I" if not voice.is_caregiver else voice.pronoun
    was = "was" if who != "my baby" else "was"
    kind = None
    years = None
    if isinstance(onset.get("ontologyClass"), dict):
        kind = _ONSET_CLASSES.get(str(onset["ontologyClass"].get("id")))
    elif isinstance(onset.get("age"), dict):
        years = parse_iso_duration(onset["age"].get("iso8601duration"))
    elif isinstance(onset.get("gestationalAge"), dict):
        kind = "before_birth"
    if years is not None:
        if age is not None and years > age + 0.01:
            return None
        if years < 1 / 24:
            return (
                "It has been there since birth."
                if years == 0
                else "It started in the first days of life."
            )
        if years < 2:
            months = max(1, round(years * 12))
            unit = f"{months} month{'s' if months != 1 else ''} old"
            return f"It started when {who} {was} {unit}."
        return f"It started when {who} {was} {int(years)}."
    return {
        "since_birth": "It has been there since birth.",
        "before_birth": "It was first seen before birth.",
        "newborn": f"It started when {who} {was} a newborn.",
        "baby": f"It started when {who} {was} a baby.",
        "childhood": f"It started when {who} {was} a child." if age is None or age >= 1 else None,
        "teens": f"It started when {who} {was} a teenager." if age is None or age >= 11 else None,
        "young_adult": f"It started when {who} {was} a young adult.",
        "adult": "It started in adulthood.",
        "late": "It started later in life.",
    }.get(kind or "")


def _opening(told: list[tuple[dict, str, bool]], voice: Voice) -> str:
    if not told:
        if voice.is_caregiver:
            return f"I've brought {voice.child_noun} in because of some abnormal test results."
        return "I've been sent because of some abnormal test results."
    phrases = [p for _, p, _ in told]
    all_lay = all(lay for _, _, lay in told)
    joined = " and ".join(phrases)
    if not voice.is_caregiver:
        return end_sentence(
            f"I'm here because I have {joined}"
            if all_lay
            else f"I'm here because I've been told I have {joined}"
        )
    if all_lay:
        return end_sentence(
            f"I've brought {voice.child_noun} in because {voice.pronoun} has {joined}"
        )
    return end_sentence(
        f"I've brought {voice.child_noun} in because the doctors say {voice.pronoun} has {joined}"
    )


def _measurement(findings: Findings, measurement: Any) -> None:
    """A ``measurements[]`` entry (assay and value) as a test result."""
    if not isinstance(measurement, dict):
        return
    assay = measurement.get("assay") if isinstance(measurement.get("assay"), dict) else {}
    name = clean(str(assay.get("label") or assay.get("id") or ""))
    value = measurement.get("value") if isinstance(measurement.get("value"), dict) else {}
    shown = ""
    quantity = value.get("quantity") if isinstance(value.get("quantity"), dict) else None
    if quantity:
        unit = quantity.get("unit") if isinstance(quantity.get("unit"), dict) else {}
        unit_text = str(unit.get("id", "")).replace("UCUM:", "") or clean(
            str(unit.get("label") or "")
        )
        shown = f"{quantity.get('value')} {unit_text}".strip()
    elif isinstance(value.get("ontologyClass"), dict):
        shown = clean(
            str(value["ontologyClass"].get("label") or value["ontologyClass"].get("id") or "")
        )
    if name and shown:
        findings.add(
            category="test", text=f"{name}: {shown}.", label=name, procedure="laboratory tests"
        )


# --- diagnosis, specialties, provenance -------------------------------------------------------


def _diseases(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Distinct diseases: interpretations first (the solved diagnosis), then diseases[]."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(term: Any) -> None:
        if not isinstance(term, dict):
            return
        disease_id = clean(str(term.get("id") or ""))
        name = clean(str(term.get("label") or "")) or disease_id
        if not name:
            return
        key = disease_id or name.lower()
        if key in seen:
            return
        seen.add(key)
        found.append({"id": disease_id, "name": name})

    for interpretation in record.get("interpretations") or []:
        if isinstance(interpretation, dict) and isinstance(interpretation.get("diagnosis"), dict):
            add(interpretation["diagnosis"].get("disease"))
    for disease in record.get("diseases") or []:
        if isinstance(disease, dict) and not disease.get("excluded"):
            add(disease.get("term"))
    return found


def _diagnosis(disease: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": disease["name"]}
    disease_id = disease["id"]
    if disease_id and DISEASE_ID.match(disease_id):
        out["ids"] = [disease_id]
    elif disease_id and disease_id != disease["name"]:
        warnings.append(
            f"disease id {disease_id!r} ({disease['name']}) is not a recognised disease id (OMIM:, ORPHA:, MONDO: ...); left out"
        )
    return out


def _specialties(present_ids: list[str], ontology: Ontology, age: float | None) -> list[str]:
    """genetics, plus the organ-system specialties that hold at least 40% (and two) of the
    present features; pediatrics for children."""
    counts: Counter[str] = Counter()
    for term_id in present_ids:
        lineage = ontology.ancestors(term_id) | {term_id}
        for branch, specialty in SPECIALTY_BRANCHES.items():
            if branch in lineage:
                counts[specialty] += 1
    total = max(1, len(present_ids))
    extra = [s for s, n in counts.most_common() if n >= 2 and n / total >= 0.4][:2]
    out = ["genetics", *extra]
    if age is not None and age < 18:
        out.append("pediatrics")
    return out


def _provenance(record: dict[str, Any], packet_id: str) -> dict[str, Any]:
    provenance: dict[str, Any] = {"source": SOURCE, "licence": LICENCE, "original_id": packet_id}
    meta = record.get("metaData") if isinstance(record.get("metaData"), dict) else {}
    for reference in meta.get("externalReferences") or []:
        if isinstance(reference, dict):
            ref = str(reference.get("id") or "")
            m = re.match(r"PMID:(\d+)$", ref)
            if m:
                provenance["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/"
                break
            if ref.startswith("http"):
                provenance["url"] = ref
                break
    return provenance


def _notes(record: dict[str, Any], subject: dict[str, Any]) -> str | None:
    """The genetic findings (for educators; never shown to the doctor)."""
    parts: list[str] = []
    for interpretation in record.get("interpretations") or []:
        diagnosis = interpretation.get("diagnosis") if isinstance(interpretation, dict) else None
        for genomic in (diagnosis or {}).get("genomicInterpretations") or []:
            variant = (genomic or {}).get("variantInterpretation") or {}
            descriptor = variant.get("variationDescriptor") or {}
            gene = ((descriptor.get("geneContext") or {}).get("symbol")) or ""
            hgvs = next(
                (
                    e.get("value")
                    for e in descriptor.get("expressions") or []
                    if isinstance(e, dict) and e.get("syntax") == "hgvs.c"
                ),
                "",
            )
            state = ((descriptor.get("allelicState") or {}).get("label")) or ""
            text = " ".join(x for x in (gene, hgvs, f"({state})" if state else "") if x)
            if text:
                parts.append(text)
    status = (
        (subject.get("vitalStatus") or {}).get("status")
        if isinstance(subject.get("vitalStatus"), dict)
        else None
    )
    notes = []
    if parts:
        notes.append("Genetic findings in the source: " + "; ".join(dict.fromkeys(parts)) + ".")
    if status and status != "ALIVE":
        notes.append(f"Vital status in the source: {status.lower()}.")
    return " ".join(notes) or None
