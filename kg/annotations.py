"""Disease annotations from phenotype.hpoa: which phenotypes each disease has, and how often."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from consultsim.kg.ontology import OntologyError, data_dir

# HPO frequency terms, at the middle of the range each one names.
FREQUENCY_TERMS = {
    "HP:0040280": 1.0,  # Obligate
    "HP:0040281": 0.895,  # Very frequent, 80-99%
    "HP:0040282": 0.545,  # Frequent, 30-79%
    "HP:0040283": 0.17,  # Occasional, 5-29%
    "HP:0040284": 0.025,  # Very rare, 1-4%
    "HP:0040285": 0.0,  # Excluded
}
SOURCES = ("OMIM", "ORPHA", "DECIPHER")


@dataclass(frozen=True, slots=True)
class Annotation:
    disease: str
    phenotype: str
    frequency: float | None  # None when the source gives none
    observed: int | None = None  # how many patients the frequency was counted on (n/m: m)
    negated: bool = False  # the NOT qualifier: the disease does not have it
    onset: str | None = None
    sex: str | None = None  # "male" or "female" when the annotation is sex-specific


@dataclass(frozen=True, slots=True)
class DiseaseRecord:
    id: str
    name: str
    inheritance: tuple[str, ...] = ()
    onsets: tuple[str, ...] = ()


def parse_frequency(value: str) -> float | None:
    """An HPO frequency term, an n/m fraction or a percentage, as a probability."""
    value = value.strip()
    if not value:
        return None
    if value in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[value]
    try:
        if "/" in value:
            n, m = value.split("/", 1)
            return min(1.0, int(n) / int(m)) if int(m) > 0 else None
        if value.endswith("%"):
            return min(1.0, float(value[:-1]) / 100)
    except ValueError:
        return None
    return None


def parse_hpoa(text: str) -> tuple[list[Annotation], dict[str, DiseaseRecord], str]:
    """Phenotype annotations, disease records (with inheritance and onset) and the data version."""
    annotations: list[Annotation] = []
    names: dict[str, str] = {}
    inheritance: dict[str, list[str]] = {}
    onsets: dict[str, list[str]] = {}
    version = ""
    header_seen = False
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("#version:"):
                version = line.split(":", 1)[1].strip()
            continue
        if not header_seen:
            header_seen = True
            if line.startswith("database_id"):
                continue
        cols = line.split("\t")
        if len(cols) < 11:
            continue
        disease, name, qualifier, hpo, _ref, _evidence, onset, freq, sex, _mod, aspect = cols[:11]
        names.setdefault(disease, name)
        if aspect == "P":
            observed = None
            if "/" in freq:
                try:
                    observed = int(freq.split("/", 1)[1])
                except ValueError:
                    observed = None
            annotations.append(
                Annotation(
                    disease,
                    hpo,
                    parse_frequency(freq),
                    observed,
                    qualifier == "NOT",
                    onset or None,
                    sex.lower() or None,
                )
            )
        elif aspect == "I" and qualifier != "NOT":
            inheritance.setdefault(disease, []).append(hpo)
        elif aspect == "C" and qualifier != "NOT":
            onsets.setdefault(disease, []).append(hpo)
    diseases = {
        d: DiseaseRecord(d, n, tuple(dict.fromkeys(inheritance.get(d, ()))), tuple(dict.fromkeys(onsets.get(d, ()))))
        for d, n in names.items()
    }
    return annotations, diseases, version


def load_annotations(
    path: str | os.PathLike[str] | None = None,
) -> tuple[list[Annotation], dict[str, DiseaseRecord], str]:
    path = Path(path) if path else data_dir() / "phenotype.hpoa"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise OntologyError(f"cannot read HPO annotations at {path}: {err.strerror}") from None
    return parse_hpoa(text)
