"""Free text to HPO terms and to diseases: exact words first, then typo-tolerant fuzzy matching."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from consultsim.kg.ontology import Ontology
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

# Which names of a term a hit came through, best first; a label beats a related synonym.
_KIND_BONUS = {"label": 2.0, "exact": 1.0, "layperson": 1.0, "abbreviation": 0.5, "related": 0.0}


@dataclass(frozen=True, slots=True)
class TermHit:
    id: str
    label: str
    matched: str  # the label or synonym that matched
    kind: str  # label, exact, layperson, abbreviation, related
    score: float  # 0-100

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "matched": self.matched, "kind": self.kind, "score": round(self.score, 1)}


@dataclass(frozen=True, slots=True)
class DiseaseHit:
    id: str
    name: str
    score: float

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "score": round(self.score, 1)}


def normalise(text: str) -> str:
    return default_process(text)


_STOP = frozenset(
    "a an the of in on at to for from with and or by my me i i'm ive i've have has had having is are was were be been "
    "it its this that these those some any no not very more less than as into onto up down out over under about "
    "get got gets getting do does did done feel feels felt like just also really quite so too when while all "
    "since ago for last past every day days week weeks month months year years time times now then there here "
    "your his her their our we you he she they them him us abnormal abnormality".split()
)


def _content_words(text: str) -> list[str]:
    return [w for w in _fold(normalise(text)).split() if w not in _STOP]


def _fold(text: str) -> str:
    """Plural and singular alike: 'hands' ~ 'hand', 'feet' ~ 'foot'."""
    out = []
    for word in text.split():
        word = {"feet": "foot", "teeth": "tooth", "children": "child"}.get(word, word)
        if len(word) > 3 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        out.append(word)
    return " ".join(out)


class TermIndex:
    """Every label and synonym of the current phenotype terms."""

    def __init__(self, ontology: Ontology, allowed: set[str] | None = None):
        names: list[str] = []
        ids: list[str] = []
        kinds: list[str] = []
        labels: dict[str, str] = {}
        for term in ontology.terms.values():
            if term.obsolete or (allowed is not None and term.id not in allowed):
                continue
            labels[term.id] = term.name
            entries = [(term.name, "label")]
            for syn in term.synonyms:
                if syn.kind in ("layperson", "abbreviation"):
                    kind = syn.kind
                elif syn.scope == "EXACT":
                    kind = "exact"
                else:
                    kind = "related"
                entries.append((syn.text, kind))
            seen = set()
            for text, kind in entries:
                key = normalise(text)
                if key and key not in seen:
                    seen.add(key)
                    names.append(key)
                    ids.append(term.id)
                    kinds.append(kind)
        self.names = names
        self.ids = ids
        self.kinds = kinds
        self.labels = labels
        self._exact: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            self._exact.setdefault(name, []).append(i)

    def code(self, text: str) -> list[TermHit]:
        """Terms every word of whose label or synonym appears in `text` (any order, plurals
        folded, small words ignored); where one found name's words lie inside another's, only
        the more specific is kept."""
        if not hasattr(self, "_by_rarest"):
            self._build_word_index()
        words = set(_content_words(text))
        found: dict[int, frozenset[str]] = {}
        for word in words:
            for i in self._by_rarest.get(word, ()):
                if self._words[i] <= words:
                    found[i] = self._words[i]
        kept = [i for i, w in found.items() if not any(w < other for other in found.values())]
        kept.sort(key=lambda i: (-len(found[i]), self._KIND_ORDER.get(self.kinds[i], 9)))
        out: list[TermHit] = []
        for i in kept:
            term_id = self.ids[i]
            if all(h.id != term_id for h in out):
                out.append(TermHit(term_id, self.labels[term_id], self.names[i], self.kinds[i], 100.0))
        return out

    _KIND_ORDER = {"label": 0, "exact": 1, "layperson": 1, "abbreviation": 3, "related": 4}

    def _build_word_index(self) -> None:
        from collections import Counter

        self._words = [frozenset(_content_words(n)) for n in self.names]
        counts = Counter(w for ws in self._words for w in ws)
        self._by_rarest: dict[str, list[int]] = {}
        for i, ws in enumerate(self._words):
            # Abbreviations and one-word related synonyms are too ambiguous to code from speech.
            # Grouping terms ("Abnormality of the hand") are not things people say.
            if not ws or self.kinds[i] in ("abbreviation", "related") or self.names[i].startswith("abnormal"):
                continue
            rarest = min(ws, key=lambda w: (counts[w], w))
            self._by_rarest.setdefault(rarest, []).append(i)

    def search(self, text: str, limit: int = 10, min_score: float = 60.0) -> list[TermHit]:
        query = normalise(text)
        if not query:
            return []
        best: dict[str, tuple[float, int]] = {}

        def offer(i: int, score: float) -> None:
            score = min(100.0, score)
            key = self.ids[i]
            ranked = score + _KIND_BONUS[self.kinds[i]] / 10
            if key not in best or ranked > best[key][0]:
                best[key] = (ranked, i)

        for i in self._exact.get(query, ()):
            offer(i, 100.0 + _KIND_BONUS[self.kinds[i]])
        # Whole-word containment: "seizures" finds "Focal seizures" before fuzzy neighbours.
        words = re.compile(rf"\b{re.escape(query)}\b")
        if len(query) >= 3:
            for i, name in enumerate(self.names):
                if words.search(name):
                    offer(i, 90.0 + 10.0 * len(query) / len(name))
        for _name, score, i in process.extract(
            query, self.names, scorer=fuzz.WRatio, limit=max(limit * 5, 50), score_cutoff=min_score, processor=None
        ):
            # A close spelling of the whole name beats a partial overlap.
            offer(i, 0.6 * score + 0.4 * fuzz.ratio(query, self.names[i]))
        hits = sorted(best.items(), key=lambda kv: (-kv[1][0], len(self.names[kv[1][1]])))
        out = []
        for term_id, (score, i) in hits[:limit]:
            out.append(TermHit(term_id, self.labels[term_id], self.names[i], self.kinds[i], min(score, 100.0)))
        return out


class DiseaseIndex:
    def __init__(self, ids: np.ndarray, names: np.ndarray):
        self.ids = ids.tolist()
        self.names = names.tolist()
        self.keys = [normalise(n) for n in self.names]

    def search(self, text: str, limit: int = 10, min_score: float = 60.0) -> list[DiseaseHit]:
        query = normalise(text)
        if not query:
            return []
        results = process.extract(query, self.keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=min_score, processor=None)
        scored = sorted(
            ((0.7 * s + 0.3 * fuzz.ratio(query, self.keys[i]), i) for _, s, i in results),
            key=lambda x: (-x[0], len(self.keys[x[1]])),
        )
        return [DiseaseHit(self.ids[i], self.names[i], s) for s, i in scored[:limit]]
