"""Rank every disease against present and excluded findings, with likelihood ratios.

For an observed phenotype h and a disease d, the likelihood ratio is P(h | d) / P(h | a random
disease), in the manner of LIRICAL:
- d is annotated at or below h: P(h | d) is the frequency of that annotation;
- d is annotated only near h (h's ancestor a is the closest point they share): the evidence is
  weaker, so the ratio for a is discounted by `ANCESTOR_DISCOUNT`;
- anything else is noise, with probability `NOISE`.
For an excluded phenotype the ratio is P(not h | d) / P(not h), which penalises a disease for
missing a feature only as much as the feature is frequent in it. Scores are sums of log ratios;
ties share the mean of their ranks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .compiled import SOURCE_CODES, CompiledKG

NOISE = 0.02  # a finding the disease does not explain: a chance finding or a wrong annotation
ANCESTOR_DISCOUNT = 0.15
EXCLUDED_NOISE = 0.05  # an "obligate" feature reported absent: an error in the record
MIN_BACKGROUND_ABSENT = 0.05


@dataclass
class Match:
    """How one finding of the patient bears on one disease."""

    finding: str
    finding_label: str
    present: bool
    log_lr: float
    annotation: str | None = None  # the disease's phenotype that explains it
    annotation_label: str | None = None
    frequency: float | None = None
    how: str = "unexplained"  # exact, more specific annotation, shared ancestor, unexplained, excluded...


@dataclass
class RankedDisease:
    id: str
    name: str
    score: float  # sum of log likelihood ratios
    probability: float  # posterior over the diseases ranked, uniform prior
    rank: float  # ties share the mean of their ranks
    matches: list[Match] = field(default_factory=list)
    unexplained: list[tuple[str, str, float]] = field(default_factory=list)  # typical features not seen
    contradicted: list[tuple[str, str, float]] = field(default_factory=list)  # typical but excluded

    def as_dict(self, explain: bool = True) -> dict:
        data = {
            "id": self.id,
            "name": self.name,
            "score": round(self.score, 4),
            "probability": round(self.probability, 6),
            "rank": self.rank,
        }
        if explain:
            data["matched"] = [
                {
                    "finding": m.finding,
                    "label": m.finding_label,
                    "present": m.present,
                    "how": m.how,
                    "annotation": m.annotation,
                    "annotation_label": m.annotation_label,
                    "frequency": None if m.frequency is None else round(m.frequency, 3),
                    "log_lr": round(m.log_lr, 3),
                }
                for m in self.matches
            ]
            data["unexplained_typical"] = [{"id": i, "label": lab, "frequency": round(f, 3)} for i, lab, f in self.unexplained]
            data["excluded_typical"] = [{"id": i, "label": lab, "frequency": round(f, 3)} for i, lab, f in self.contradicted]
        return data


def mean_ranks(scores: np.ndarray) -> np.ndarray:
    """1-based ranks, highest score first, ties sharing the mean of the ranks they span."""
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), dtype=np.float64)
    boundaries = np.flatnonzero(np.diff(sorted_scores) != 0) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(scores)]))
    for start, end in zip(starts, ends, strict=True):
        ranks[order[start:end]] = (start + 1 + end) / 2
    return ranks


class Ranker:
    """Likelihood-ratio scores over the compiled graph; per-term vectors are cached."""

    def __init__(self, kg: CompiledKG, cache_size: int = 1024):
        self.kg = kg
        n = kg.n_diseases
        col_len = np.diff(kg.prop_indptr)
        columns = np.repeat(np.arange(kg.n_terms), col_len)
        col_sum = np.bincount(columns, weights=kg.prop_data, minlength=kg.n_terms)
        # Background: how likely a random disease shows the term (at least one disease's worth).
        self.background = np.maximum(col_sum / n, 1.0 / n).astype(np.float64)
        self.ic = -np.log(np.maximum(col_len, 1) / n)
        self._present = lru_cache(maxsize=cache_size)(self._present_vector)
        self._absent = lru_cache(maxsize=cache_size)(self._absent_vector)
        self._resnik = lru_cache(maxsize=cache_size)(self._resnik_vector)
        # Diseases that say outright that they lack a phenotype (the NOT qualifier).
        self._negated_by_term: dict[int, np.ndarray] = {}
        rows = np.repeat(np.arange(n), np.diff(kg.not_indptr))
        for t in np.unique(kg.not_indices):
            self._negated_by_term[int(t)] = rows[kg.not_indices == t]

    # -- per-term evidence -------------------------------------------------------------------

    def _best_support(self, t: int) -> np.ndarray:
        """max over t and its ancestors a of discount(a) * P[d, a] / background[a]."""
        kg = self.kg
        best = np.zeros(kg.n_diseases, dtype=np.float64)
        for a in kg.ancestors(t):
            idx, p = kg.column(int(a))
            if not len(idx):
                continue
            weight = (1.0 if a == t else ANCESTOR_DISCOUNT) / self.background[a]
            best[idx] = np.maximum(best[idx], p * weight)
        return best

    def _present_vector(self, t: int) -> np.ndarray:
        lr = (1.0 - NOISE) * self._best_support(t) + NOISE
        negated = self._negated_for(t)
        if negated is not None:
            lr[negated] = NOISE
        return np.log(lr)

    def _absent_vector(self, t: int) -> np.ndarray:
        kg = self.kg
        p_absent = np.ones(kg.n_diseases, dtype=np.float64)
        idx, p = kg.column(t)
        p_absent[idx] = 1.0 - p
        lr = ((1.0 - EXCLUDED_NOISE) * p_absent + EXCLUDED_NOISE) / max(1.0 - self.background[t], MIN_BACKGROUND_ABSENT)
        return np.log(lr)

    def _resnik_vector(self, t: int) -> np.ndarray:
        kg = self.kg
        best = np.zeros(kg.n_diseases, dtype=np.float64)
        for a in kg.ancestors(t):
            idx, _ = kg.column(int(a))
            best[idx] = np.maximum(best[idx], self.ic[a])
        return best

    def _negated_for(self, t: int) -> np.ndarray | None:
        hits = [self._negated_by_term[int(a)] for a in self.kg.ancestors(t) if int(a) in self._negated_by_term]
        if int(t) in self._negated_by_term and not hits:
            hits = [self._negated_by_term[int(t)]]
        return np.concatenate(hits) if hits else None

    # -- scores ------------------------------------------------------------------------------

    def scores(self, present: list[int], absent: list[int]) -> np.ndarray:
        total = np.zeros(self.kg.n_diseases, dtype=np.float64)
        for t in present:
            total += self._present(t)
        for t in absent:
            total += self._absent(t)
        return total

    def resnik_scores(self, present: list[int]) -> np.ndarray:
        """Phenomizer-style baseline: mean over findings of the best Resnik similarity."""
        total = np.zeros(self.kg.n_diseases, dtype=np.float64)
        for t in present:
            total += self._resnik(t)
        return total / max(len(present), 1)

    def source_mask(self, sources: list[str] | None) -> np.ndarray:
        if not sources:
            return np.ones(self.kg.n_diseases, dtype=bool)
        codes = [SOURCE_CODES[s] for s in sources]
        return np.isin(self.kg.disease_source, codes)

    # -- explanations ------------------------------------------------------------------------

    def explain(self, d: int, present: list[int], absent: list[int], typical: float = 0.5, limit: int = 5) -> tuple[list[Match], list, list]:
        kg = self.kg
        ann_terms, ann_freq, _ = kg.annotations(d)
        ann_set = dict(zip(ann_terms.tolist(), ann_freq.tolist(), strict=True))
        matches: list[Match] = []
        covered: set[int] = set()
        for t in present:
            log_lr = float(self._present(t)[d])
            ancestors = set(kg.ancestors(t).tolist())
            # The disease's own annotations at or below t: the exact or more specific match.
            below = [(a, f) for a, f in ann_set.items() if t in set(kg.ancestors(a).tolist())]
            if below:
                a, f = max(below, key=lambda x: x[1])
                how = "exact" if a == t else "disease has a more specific phenotype"
                covered.update(x for x, _ in below)
            else:
                shared = [(a, self.ic[a]) for a in ancestors if kg.column(int(a))[0].size and d in set(kg.column(int(a))[0].tolist())]
                a, f, how = None, None, "unexplained"
                if shared:
                    a = max(shared, key=lambda x: x[1])[0]
                    if self.ic[a] > 1.0:
                        idx, p = kg.column(int(a))
                        f = float(p[np.searchsorted(idx, d)])
                        how = "shares an ancestor"
                    else:
                        a = None
            matches.append(
                Match(
                    str(kg.terms[t]), str(kg.term_labels[t]), True, log_lr,
                    None if a is None else str(kg.terms[a]),
                    None if a is None else str(kg.term_labels[a]),
                    f, how,
                )
            )
        absent_anc: set[int] = set()
        contradicted = []
        for t in absent:
            log_lr = float(self._absent(t)[d])
            idx, p = kg.column(t)
            pos = np.searchsorted(idx, d)
            f = float(p[pos]) if pos < len(idx) and idx[pos] == d else None
            matches.append(
                Match(str(kg.terms[t]), str(kg.term_labels[t]), False, log_lr, None, None, f,
                      "excluded, but the disease has it" if f else "excluded, and the disease does not have it")
            )
            absent_anc.add(t)
            if f and f >= typical:
                contradicted.append((str(kg.terms[t]), str(kg.term_labels[t]), f))
        explained_terms = set(covered)
        for t in present:
            explained_terms.update(kg.ancestors(t).tolist())
        unexplained = [
            (str(kg.terms[a]), str(kg.term_labels[a]), f)
            for a, f in sorted(ann_set.items(), key=lambda x: -x[1])
            if f >= typical and a not in explained_terms and not (set(kg.ancestors(a).tolist()) & absent_anc)
        ][:limit]
        return matches, unexplained, contradicted
