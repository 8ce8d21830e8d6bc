"""Clinical concepts of free text: HPO phenotype names found in it, fast (dictionary look-ups of
word n-grams, longest first), with `kg.search` (typo-tolerant, slower) as a cached fallback."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from consultsim.agents.patient.text import STOP, norm, root, stem

PHENOTYPE_ROOT = "HP:0000118"
# Too general to say anything about a question or a finding.
ROOTS = frozenset({"HP:0000001", "HP:0000118", "HP:0000005", "HP:0012823", "HP:0040279", "HP:0032443", "HP:0032223", "HP:0031797", "HP:0040006"})
# Single words that name an HPO term but are ordinary English in a consultation.
_COMMON = frozenset(
    """
    all other normal abnormal abnormality increased decreased high low long short small large big left right
    time day work drink smoke family history birth death age onset mild severe worse better tall thin fat
    cold hot dry wet hard soft fast slow early late pale weak strong good bad face hand foot head eye ear
    nose mouth arm leg skin hair back neck chest heart lung liver kidney bone bones blood joint joints muscle
    muscles brain stomach belly tummy night morning
    """.split()
)

# Body systems in lay and clinical words, for "any heart problems?": general, not case-specific.
ORGANS: dict[str, tuple[str, ...]] = {
    "heart": ("HP:0001626",), "cardiac": ("HP:0001626",), "cardio": ("HP:0001626",), "cardiovascular": ("HP:0001626",),
    "circul": ("HP:0001626",), "lung": ("HP:0002086",), "respiratory": ("HP:0002086",),
    "breath": ("HP:0002086",), "kidney": ("HP:0000077",), "renal": ("HP:0000077",), "urin": ("HP:0000079",),
    "bladder": ("HP:0000079",), "pee": ("HP:0000079",), "wee": ("HP:0000079",), "waterwork": ("HP:0000079",),
    "stomach": ("HP:0025031",), "tummy": ("HP:0025031",), "belly": ("HP:0025031",), "bowel": ("HP:0025031",),
    "gut": ("HP:0025031",), "digest": ("HP:0025031",), "abdomen": ("HP:0025031",), "abdominal": ("HP:0025031",),
    "liver": ("HP:0001392",), "skin": ("HP:0000951",), "eye": ("HP:0000478",), "vision": ("HP:0000478",),
    "sight": ("HP:0000478",), "ear": ("HP:0000598",), "hear": ("HP:0000598",),
    "nerv": ("HP:0000707",), "neurolog": ("HP:0000707",), "brain": ("HP:0000707",), "muscl": ("HP:0003011",),
    "bone": ("HP:0000924",), "joint": ("HP:0001367",), "blood": ("HP:0001871",), "bleed": ("HP:0001871",),
    "hormon": ("HP:0000818",), "thyroid": ("HP:0000818",), "gland": ("HP:0000818",), "mood": ("HP:0011446",),
    "mental": ("HP:0011446",), "behaviour": ("HP:0011446",), "behavior": ("HP:0011446",), "psychiatr": ("HP:0011446",),
    "psycholog": ("HP:0011446",), "emotion": ("HP:0011446",), "immun": ("HP:0002715",),
    "infect": ("HP:0002715",),
}


class ConceptIndex:
    """Normalised HPO names (labels and synonyms of phenotype terms) -> term ids."""

    def __init__(self, kg):
        self.kg = kg
        ontology = kg.ontology
        children: dict[str, list[str]] = {}
        for term in ontology.terms.values():
            if not term.obsolete:
                for parent in term.parents:
                    children.setdefault(parent, []).append(term.id)
        phenotypes: set[str] = set()
        stack = [PHENOTYPE_ROOT]
        while stack:
            node = stack.pop()
            if node not in phenotypes:
                phenotypes.add(node)
                stack.extend(children.get(node, ()))
        self.children = children
        self.phenotypes = phenotypes
        names: dict[str, set[str]] = {}
        for term_id in phenotypes:
            term = ontology.terms[term_id]
            entries = [term.name] + [s.text for s in term.synonyms if s.kind != "abbreviation"]
            for text in entries:
                key = norm(text)
                if len(key) < 4 or key in STOP or key in _COMMON:
                    continue
                names.setdefault(key, set()).add(term_id)
        self.names = {k: tuple(sorted(v)) for k, v in names.items()}
        # The same names with every word stemmed: 'itchy' finds 'Itching', 'short of breath' finds
        # 'Shortness of breath'.
        stemmed: dict[str, set[str]] = {}
        for key, ids in self.names.items():
            skey = _stem_key(key)
            if len(skey) >= 4 and skey not in STOP and skey not in _COMMON:
                stemmed.setdefault(skey, set()).update(ids)
        self.stemmed = {k: tuple(sorted(v)) for k, v in stemmed.items()}
        # Every stemmed word of a phenotype name: the clinical vocabulary. A question word outside
        # it ('usual', 'trying') is ordinary English, not a symptom the case might lack.
        # Only words of short names count ('heel', 'rash'); long names carry much plain English.
        self.vocabulary = frozenset(w for key in self.stemmed if len(key.split()) <= 3 for w in key.split())
        self.max_n = 6
        self._anc: dict[str, frozenset[str]] = {}
        # A case's texts are read again by every patient built on it, a question's clauses several times.
        self._read_cached = lru_cache(maxsize=20_000)(self._read)

    def ancestors(self, term_id: str) -> frozenset[str]:
        hit = self._anc.get(term_id)
        if hit is None:
            hit = frozenset(self.kg.ontology.ancestors(term_id)) if term_id in self.kg.ontology else frozenset()
            self._anc[term_id] = hit
        return hit

    def find(self, text: str) -> list[tuple[str, str]]:
        """(term id, matched words) for HPO names in the text, longest first, not overlapping.

        'pain in your chest' is also read as 'chest pain'; the reading covering more words wins."""
        return list(self._read_cached(text))

    def _read(self, text: str) -> tuple[tuple[str, str], ...]:
        hits = self._find(text)
        base = norm(text)
        # 'pain in your chest' read as 'chest pain'; 'coughed up any blood' as 'coughed up blood'.
        for alt in (_REORDER.sub(r"\2 \1", base), _FILLER.sub(" ", base)):
            alt = " ".join(alt.split())
            if alt != base:
                other = self._find(alt)
                if _covered(other) > _covered(hits):
                    hits = other
        return tuple(hits)

    def _find(self, text: str) -> list[tuple[str, str]]:
        toks = norm(text).split()
        used = [False] * len(toks)
        out: list[tuple[str, str]] = []
        for n in range(min(self.max_n, len(toks)), 0, -1):
            for i in range(len(toks) - n + 1):
                if any(used[i : i + n]):
                    continue
                phrase = " ".join(toks[i : i + n])
                ids = self.names.get(phrase)
                if ids is None and phrase.endswith("s") and len(phrase) > 4:
                    ids = self.names.get(phrase[:-1])
                if ids is None and n == 1 and len(phrase) >= 5:
                    ids = self.names.get(stem(phrase))
                if ids is None and (n > 1 or len(phrase) >= 5):
                    ids = self.stemmed.get(_stem_key(phrase))
                if ids:
                    for k in range(i, i + n):
                        used[k] = True
                    for term_id in ids:
                        out.append((term_id, phrase))
        return out

    def fuzzy(self, text: str, min_score: float = 88.0) -> list[tuple[str, str]]:
        """Typo-tolerant look-up through `kg.search` (cached; used only when nothing else matched)."""
        return _fuzzy(self.kg, text.strip().lower()[:120], min_score)


_REORDER = re.compile(
    r"\b([a-z]+) (?:in|of|on|at|around|behind|over|under) (?:your|my|his|her|their|the) ([a-z]+)\b"
)


_FILLER = re.compile(r"\b(?:any|some|a|an|the|your|my|his|her|their|much|lots of|a lot of|little|bit|really|very|ever)\b")


def _stem_key(phrase: str) -> str:
    return " ".join(stem(w) for w in phrase.split())


def _covered(hits: list[tuple[str, str]]) -> int:
    return sum(len(w.split()) for w in dict.fromkeys(w for _, w in hits))


@lru_cache(maxsize=4096)
def _fuzzy_cached(kg_id: int, text: str, min_score: float) -> tuple[tuple[str, str], ...]:
    kg = _KGS[kg_id]
    try:
        hits = kg.search(text, limit=3)
    except Exception:  # noqa: BLE001 - a failed look-up is simply no concept
        return ()
    return tuple((h.id, h.matched) for h in hits if h.score >= min_score)


_KGS: dict[int, object] = {}
_INDEXES: dict[int, ConceptIndex] = {}
_LOCK = threading.Lock()


def _fuzzy(kg, text: str, min_score: float) -> list[tuple[str, str]]:
    _KGS[id(kg)] = kg
    return list(_fuzzy_cached(id(kg), text, min_score))


def concept_index(kg=None) -> ConceptIndex:
    """The concept index of a knowledge graph (built once per process and graph)."""
    if kg is None:
        from consultsim.kg.knowledge_graph import get_kg

        kg = get_kg()
    with _LOCK:
        index = _INDEXES.get(id(kg))
        if index is None or index.kg is not kg:
            index = ConceptIndex(kg)
            _INDEXES[id(kg)] = index
        return index


def organ_terms(stems: list[str], prefix: bool = True) -> list[tuple[str, str]]:
    """Body systems the words name, or words of the same root ('urinary'); with `prefix`, also
    words that begin with one."""
    out = []
    for s in stems:
        for key, forms, key_root, ids in _ORGAN_FORMS:
            if s in forms or root(s) == key_root or (prefix and len(key) >= 4 and s.startswith(key)):
                out.extend((i, s) for i in ids)
    return out


_ORGAN_FORMS = tuple((key, frozenset({key, stem(key)}), root(key), ids) for key, ids in ORGANS.items())


def is_word_in(phrase: str, text: str) -> bool:
    return bool(phrase) and re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None
