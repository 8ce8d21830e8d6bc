"""Rank every disease against present and excluded findings, with likelihood ratios.

Each disease d is scored by the sum, over the patient's findings, of log P(finding | d) /
P(finding | a random disease), in the manner of LIRICAL:

- A present phenotype h is explained by d when d is annotated with h or with something more
  specific (Focal seizure explains Seizure). P(h | d) is then the largest frequency of those
  annotations (`compiled.py` derives frequencies: curated n/m fractions smoothed with
  pseudo-patients; for features given without one, a default that shrinks for diseases described
  with many features), and the ratio is (1 - noise(d)) * P(h | d) / P(h) + noise(d), P(h) being
  the mean of P(h | d) over all diseases.
- A present phenotype d does not explain counts as noise: a chance finding, or a feature missing
  from d's annotations. Its ratio is noise(d) = `NOISE_SCALE` / sqrt(d's annotation count), at
  most `MAX_NOISE`: sparsely annotated diseases more often miss real features.
  There is no partial credit for a disease annotated only with a more general phenotype (Seizure
  for Focal seizure) or a sibling: every form tried on the phenopacket benchmark (discounted
  ancestors, IC-weighted common ancestors, parents only, capped credit) ranked worse, because many
  diseases share a general phenotype while the right one is usually annotated precisely.
- A disease may also explain a present phenotype through its kin: a disease of another source
  (OMIM and Orphanet describe many disorders twice, with different features) that shares a gene
  linked to few diseases (`genes.py`). P(h | d) is then at least `KIN_SHARE` times the kin's
  frequency: a sparse OMIM entry drawn from one family borrows the features Orphanet lists.
- A phenotype that d is annotated as lacking (the NOT qualifier, on h or an ancestor) is noise too.
- An excluded phenotype h: how it counts depends on where the negatives come from (`negatives`);
  each ratio is P(h reported absent | d) divided by its mean over all diseases.
  "reported" (the default) is for records — case reports, phenopackets, a clinic letter, a case
  file — whose absent findings someone chose to write down. People write down the negatives they
  looked for, and they look for the features of the disorder they suspect or know: in published
  records a finding reported absent is a feature of the patient's disease many times more often
  than of a random disease. So P(h reported absent | d) is `REPORTED_RELEVANCE` * ((1 -
  REPORTED_NOISE) * (1 - f) + REPORTED_NOISE) when d has h with frequency f, and 1 when it does not:
  a rare feature of d reported absent raises d, a near-obligate one lowers it (a normal sweat test
  counts against cystic fibrosis).
  "asked" is for answers to questions chosen during a consultation (the kg doctor asks what best
  separates its leading diseases): the relevance is then the asker's, not the diagnosis's. P(h
  absent | d) is (1 - EXCLUDED_NOISE) * (1 - g) + EXCLUDED_NOISE, where g rises from 0 at
  frequency `EXCLUDED_FROM` to 1 for an obligate feature: an excluded obligate feature divides the
  odds by about five, rarer features are not held against a disease (the full Bayesian penalty
  mostly punishes the right diagnosis), and a "no" never raises a disease that has the feature
  above one that lacks it. The consultation, the specialists, question selection and the
  consultation's information figures use "asked".

Findings that say nothing new are dropped before scoring: a present finding that is an ancestor of
another present one (Seizure beside Focal seizure), an excluded finding below another excluded one.
Scores are sums of log ratios; the posterior assumes a uniform prior over the diseases ranked;
ties share the mean of their ranks. Per-term vectors are cached (LRU); a term seen for the first
time costs one column of the compiled matrix (tens of microseconds).

`resnik_scores` is a Phenomizer-style baseline kept for comparison: the mean over findings of the
best Resnik similarity (the information content of the most informative common ancestor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from consultsim.kg.compiled import DEFAULT_FREQUENCY, FREQUENCY_BUDGET, SOURCE_CODES, CompiledKG

NOISE_SCALE = 0.3  # noise(d) = NOISE_SCALE / sqrt(number of d's annotations)...
MAX_NOISE = 0.9  # ...at most this
EXCLUDED_NOISE = 0.2  # the floor of P(excluded | d): an error in the record, or a late feature
REPORTED_NOISE = 0.05  # the same for a record: a negative written down is wrong about 1 time in 20
EXCLUDED_FROM = 0.8  # an excluded feature counts against diseases where it is at least this frequent
# Reported negatives (see NEGATIVES): how much likelier a finding is to be looked for, and so
# written down when absent, when it is a feature of the disease.
REPORTED_RELEVANCE = 3.0
# A finding the disease's kin explain (genes.py) counts at this share of the kin's frequency.
KIN_SHARE = 0.2
# Where the excluded findings come from; see the module docstring.
NEGATIVES = ("reported", "asked")
RELATED_MIN_IC = 2.0  # an unexplained finding's closest annotation is named if they share this much


@dataclass
class Match:
    """How one finding of the patient bears on one disease."""

    finding: str
    finding_label: str
    present: bool
    log_lr: float
    annotation: str | None = None  # the disease's phenotype that explains it (or the closest one)
    annotation_label: str | None = None
    frequency: float | None = None
    how: str = "unexplained"  # exact, more specific annotation, unexplained, excluded...


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


def _reported(negatives: str) -> bool:
    if negatives not in NEGATIVES:
        raise ValueError(f"negatives must be one of {', '.join(NEGATIVES)}, not {negatives!r}")
    return negatives == "reported"


def mean_ranks(scores: np.ndarray) -> np.ndarray:
    """1-based ranks, highest score first, ties sharing the mean of the ranks they span."""
    scores = np.asarray(scores)
    if not len(scores):
        return np.empty(0, dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    new_group = np.empty(len(scores), dtype=bool)
    new_group[0] = True
    new_group[1:] = sorted_scores[1:] != sorted_scores[:-1]
    starts = np.flatnonzero(new_group)
    ends = np.append(starts[1:], len(scores))
    group_rank = (starts + 1 + ends) / 2.0
    ranks = np.empty(len(scores), dtype=np.float64)
    ranks[order] = np.repeat(group_rank, ends - starts)
    return ranks


class Ranker:
    """Likelihood-ratio scores over the compiled graph; per-term vectors are cached."""

    def __init__(
        self,
        kg: CompiledKG,
        cache_size: int = 1024,
        *,
        noise_scale: float = NOISE_SCALE,
        excluded_noise: float = EXCLUDED_NOISE,
        excluded_from: float = EXCLUDED_FROM,
        reported_relevance: float = REPORTED_RELEVANCE,
        reported_noise: float = REPORTED_NOISE,
        kin_share: float = KIN_SHARE,
    ):
        self.kg = kg
        n = kg.n_diseases
        self.excluded_noise = excluded_noise
        self.excluded_from = excluded_from
        self.reported_relevance = reported_relevance
        self.reported_noise = reported_noise
        self.kin_share = kin_share
        # (disease, kin) pairs as two aligned arrays, for one vectorised max per term
        self._kin_rows = np.repeat(np.arange(n), np.diff(kg.kin_indptr))
        self._kin_cols = kg.kin_indices.astype(np.int64)
        col_len = np.diff(kg.prop_indptr)
        columns = np.repeat(np.arange(kg.n_terms), col_len)
        col_sum = np.bincount(columns, weights=kg.prop_data, minlength=kg.n_terms)
        # Background: how likely a random disease shows the term (at least one disease's worth).
        self.background = np.maximum(col_sum / n, 1.0 / n).astype(np.float64)
        self.ic = -np.log(np.maximum(col_len, 1) / n)
        self.annotation_count = np.diff(kg.ann_indptr)
        self.noise = np.minimum(noise_scale / np.sqrt(np.maximum(self.annotation_count, 1)), MAX_NOISE)
        self._log_noise = np.log(self.noise)
        # Unknown frequencies of each disease (see compiled.FREQUENCY_BUDGET): a feature at least
        # this frequent is one of the disease's named features.
        self.typical = np.minimum(0.5, self._default_frequency())
        self._present = lru_cache(maxsize=cache_size)(self._present_vector)
        self._absent = lru_cache(maxsize=cache_size)(self._absent_vector)
        self._resnik = lru_cache(maxsize=cache_size)(self._resnik_vector)
        self._informative_cached = lru_cache(maxsize=64)(self.informative)
        # Diseases that say outright that they lack a phenotype (the NOT qualifier).
        rows = np.repeat(np.arange(n), np.diff(kg.not_indptr))
        order = np.argsort(kg.not_indices, kind="stable")
        terms, starts = np.unique(kg.not_indices[order], return_index=True)
        ends = np.append(starts[1:], len(order))
        self._negated_by_term = {int(t): rows[order[s:e]] for t, s, e in zip(terms, starts, ends, strict=True)}

    def _default_frequency(self) -> np.ndarray:
        return np.minimum(DEFAULT_FREQUENCY, FREQUENCY_BUDGET / np.maximum(self.annotation_count, 1))

    # -- per-term evidence -------------------------------------------------------------------

    def _present_vector(self, t: int) -> np.ndarray:
        idx, p = self.kg.column(t)
        if len(self._kin_rows) and self.kin_share > 0:
            full = np.zeros(self.kg.n_diseases)
            full[idx] = p
            borrowed = np.zeros_like(full)
            np.maximum.at(borrowed, self._kin_rows, self.kin_share * full[self._kin_cols])
            full = np.maximum(full, borrowed)
            idx = np.flatnonzero(full)
            p = full[idx]
        out = self._log_noise.copy()
        noise = self.noise[idx]
        out[idx] = np.log((1.0 - noise) * (p / self.background[t]) + noise)
        negated = self._negated_for(t)
        if negated is not None:
            out[negated] = self._log_noise[negated]
        out.flags.writeable = False
        return out

    def _absent_likelihood(self, t: int, reported: bool) -> tuple[np.ndarray, np.ndarray, float]:
        """(diseases, P(t reported absent | d) for them, the same for all other diseases)."""
        idx, p = self.kg.column(t)
        if reported:
            # A feature of d is REPORTED_RELEVANCE times likelier to be looked for, and then
            # absent with probability 1 - frequency.
            eps = self.reported_noise
            like = self.reported_relevance * ((1.0 - eps) * (1.0 - p) + eps)
        else:
            eps = self.excluded_noise
            g = np.clip((p - self.excluded_from) / (1.0 - self.excluded_from), 0.0, 1.0)
            like = (1.0 - eps) * (1.0 - g) + eps
        return idx, like, 1.0

    def _absent_vector(self, t: int, reported: bool) -> np.ndarray:
        n = self.kg.n_diseases
        idx, like, rest = self._absent_likelihood(t, reported)
        mean = (like.sum() + rest * (n - len(idx))) / n
        out = np.full(n, np.log(rest / mean))
        out[idx] = np.log(like / mean)
        negated = self._negated_for(t)
        if negated is not None:
            out[negated] = np.log(1.0 / mean)
        out.flags.writeable = False
        return out

    def _resnik_vector(self, t: int) -> np.ndarray:
        kg = self.kg
        best = np.zeros(kg.n_diseases, dtype=np.float64)
        for a in kg.ancestors(t):
            idx, _ = kg.column(int(a))
            best[idx] = np.maximum(best[idx], self.ic[a])
        best.flags.writeable = False
        return best

    def _kin_explaining(self, d: int, t: int) -> tuple[int, str, float] | None:
        """(kin disease, shared gene, frequency) of d's kin that has t most often, if any."""
        if self.kin_share <= 0:
            return None
        kin, symbols = self.kg.kin(d)
        if not len(kin):
            return None
        idx, p = self.kg.column(t)
        pos = np.clip(np.searchsorted(idx, kin), 0, max(len(idx) - 1, 0))
        has = (idx[pos] == kin) if len(idx) else np.zeros(len(kin), dtype=bool)
        if not has.any():
            return None
        best = int(np.argmax(np.where(has, p[pos], -1.0)))
        return int(kin[best]), str(symbols[best]), float(p[pos[best]])

    def _negated_for(self, t: int) -> np.ndarray | None:
        """Diseases that lack t: they negate t or one of its ancestors."""
        if not self._negated_by_term:
            return None
        hits = [self._negated_by_term[a] for a in self.kg.ancestors(t).tolist() if a in self._negated_by_term]
        return np.concatenate(hits) if hits else None

    # -- findings ----------------------------------------------------------------------------

    def informative(self, present: list[int], absent: list[int]) -> tuple[list[int], list[int]]:
        """The findings that say something new: without present ones implied by a more specific
        present finding, and excluded ones implied by a more general excluded finding."""
        present = list(dict.fromkeys(int(t) for t in present))
        absent = list(dict.fromkeys(int(t) for t in absent))
        if len(present) > 1:
            implied: set[int] = set()
            for t in present:
                implied.update(a for a in self.kg.ancestors(t).tolist() if a != t)
            present = [t for t in present if t not in implied]
        if len(absent) > 1:
            excluded = set(absent)
            absent = [t for t in absent if not any(a != t and a in excluded for a in self.kg.ancestors(t).tolist())]
        return present, absent

    # -- scores ------------------------------------------------------------------------------

    def scores(self, present: list[int], absent: list[int], negatives: str = "reported") -> np.ndarray:
        """Sum of log likelihood ratios per disease; `negatives` says where the excluded
        findings come from ("reported" from a record, "asked" in a consultation)."""
        reported = _reported(negatives)
        present, absent = self.informative(present, absent)
        total = np.zeros(self.kg.n_diseases, dtype=np.float64)
        for t in present:
            total += self._present(t)
        for t in absent:
            total += self._absent(t, reported)
        return total

    def resnik_scores(self, present: list[int]) -> np.ndarray:
        """Phenomizer-style baseline: mean over findings of the best Resnik similarity."""
        total = np.zeros(self.kg.n_diseases, dtype=np.float64)
        for t in present:
            total += self._resnik(int(t))
        return total / max(len(present), 1)

    def source_mask(self, sources: list[str] | None) -> np.ndarray:
        if not sources:
            return np.ones(self.kg.n_diseases, dtype=bool)
        codes = [SOURCE_CODES[s] for s in sources]
        return np.isin(self.kg.disease_source, codes)

    # -- explanations ------------------------------------------------------------------------

    def explain(
        self,
        d: int,
        present: list[int],
        absent: list[int],
        typical: float | None = None,
        limit: int = 5,
        negatives: str = "reported",
    ) -> tuple[list[Match], list, list]:
        """How each finding bears on disease d; the typical features of d the patient was not
        reported to have; the typical features reported absent. A feature is typical when its
        frequency is at least `typical` (by default the frequency d gives a feature it names
        without one, at most 0.5)."""
        kg = self.kg
        d = int(d)
        if typical is None:
            typical = float(self.typical[d])
        ann_terms, ann_freq, _ = kg.annotations(d)
        # Every (annotation, ancestor-or-self) pair of d, to find what lies at or below a finding.
        counts = np.diff(kg.anc_indptr)[ann_terms]
        owner = np.repeat(np.arange(len(ann_terms)), counts)
        starts = kg.anc_indptr[ann_terms].astype(np.int64)
        ancs = kg.anc_indices[np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
        informative_present, informative_absent = self._informative_cached(tuple(present), tuple(absent))
        kept_present, kept_absent = set(informative_present), set(informative_absent)

        def below(t: int) -> np.ndarray:
            return owner[ancs == t]  # each annotation lists t at most once

        def label(t: int) -> str:
            return str(kg.term_labels[t])

        matches: list[Match] = []
        covered = np.zeros(len(ann_terms), dtype=bool)  # annotations the findings speak to
        seen_terms: set[int] = set()
        for t in dict.fromkeys(int(x) for x in present):
            seen_terms.update(kg.ancestors(t).tolist())
            hits = below(t)
            covered[hits] = True
            if t not in kept_present:
                matches.append(Match(str(kg.terms[t]), label(t), True, 0.0, None, None, None, "implied by a more specific finding"))
                continue
            log_lr = float(self._present(t)[d])
            negated = self._negated_for(t)
            if negated is not None and d in set(negated.tolist()):
                matches.append(Match(str(kg.terms[t]), label(t), True, log_lr, None, None, None, "the disease is annotated as lacking it"))
                continue
            if len(hits):
                best = hits[np.argmax(ann_freq[hits])]
                a = int(ann_terms[best])
                how = "exact" if a == t else "the disease has a more specific phenotype"
                matches.append(Match(str(kg.terms[t]), label(t), True, log_lr, str(kg.terms[a]), label(a), float(ann_freq[best]), how))
                continue
            kin = self._kin_explaining(d, t)
            if kin is not None:
                k, symbol, freq = kin
                how = f"explained by {kg.diseases[k]} ({kg.disease_names[k]}), which shares the gene {symbol}"
                matches.append(Match(str(kg.terms[t]), label(t), True, log_lr, None, None, self.kin_share * freq, how))
                continue
            # Unexplained: name the closest annotation (sharing the most informative ancestor).
            shared = np.zeros(kg.n_terms, dtype=bool)
            shared[kg.ancestors(t)] = True
            mine = shared[ancs]
            a_term, freq, how = None, None, "unexplained"
            if mine.any():
                info = np.where(mine, self.ic[ancs], -np.inf)
                k = int(np.argmax(info))
                if info[k] >= RELATED_MIN_IC:
                    a = int(ann_terms[owner[k]])
                    a_term, freq = a, float(ann_freq[owner[k]])
                    how = f"unexplained; the disease has a related phenotype (both {label(int(ancs[k]))})"
            matches.append(
                Match(str(kg.terms[t]), label(t), True, log_lr,
                      None if a_term is None else str(kg.terms[a_term]),
                      None if a_term is None else label(a_term), freq, how)
            )
        contradicted = []
        for t in dict.fromkeys(int(x) for x in absent):
            hits = below(t)
            covered[hits] = True
            if t not in kept_absent:
                matches.append(Match(str(kg.terms[t]), label(t), False, 0.0, None, None, None, "implied by a more general excluded finding"))
                continue
            log_lr = float(self._absent(t, _reported(negatives))[d])
            idx, p = kg.column(t)
            pos = int(np.searchsorted(idx, d))
            f = float(p[pos]) if pos < len(idx) and idx[pos] == d else 0.0
            if len(hits) and f > 0:
                best = hits[np.argmax(ann_freq[hits])]
                a = int(ann_terms[best])
                matches.append(Match(str(kg.terms[t]), label(t), False, log_lr, str(kg.terms[a]), label(a), f, "excluded, but the disease has it"))
                if f >= typical:
                    contradicted.append((str(kg.terms[t]), label(t), f))
            else:
                matches.append(Match(str(kg.terms[t]), label(t), False, log_lr, None, None, None, "excluded, and the disease does not have it"))
        # Typical features no finding speaks to: not at or below a finding, nor an ancestor of a
        # present one. Most frequent first, then most specific.
        seen = np.zeros(kg.n_terms, dtype=bool)
        seen[list(seen_terms)] = True
        free = np.flatnonzero(~covered & (ann_freq >= typical) & ~seen[ann_terms])
        free = free[np.lexsort((-self.ic[ann_terms[free]], -ann_freq[free]))]
        unexplained = [(str(kg.terms[ann_terms[i]]), label(int(ann_terms[i])), float(ann_freq[i])) for i in free[:limit]]
        return matches, unexplained, contradicted
