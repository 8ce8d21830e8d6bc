"""Which finding to ask about next: the one whose answer is expected to tell most about the
leading diseases (expected information gain over the current posterior, in bits)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from consultsim.kg.compiled import CompiledKG

# The chance that a patient reports a finding that the disease does not explain, and misses one
# it does: answers are never certain, so no single answer rules a disease in or out.
ANSWER_NOISE = 0.05
# Findings this general ("Abnormality of the nervous system") are not questions a clinician asks.
MIN_INFORMATION_CONTENT = 1.0
# Summed log likelihood ratios make a posterior far more certain than the evidence warrants
# (findings are not independent); questions are chosen on a tempered one.
TEMPERATURE = 3.0


@dataclass
class Question:
    id: str
    label: str
    gain_bits: float  # expected reduction of the entropy over the leading diseases
    p_yes: float  # predicted chance the answer is yes
    favours_yes: list[str] = field(default_factory=list)  # leading diseases a "yes" supports
    favours_no: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "gain_bits": round(self.gain_bits, 4),
            "p_yes": round(self.p_yes, 3),
            "favours_yes": self.favours_yes,
            "favours_no": self.favours_no,
            "specialties": self.specialties,
        }


def _entropy(p: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(p > 0, np.log2(p), 0.0)
    return -(p * logs).sum(axis=axis)


def information_gain(posterior: np.ndarray, likelihood: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected information gain (bits) and P(yes) of each candidate.

    posterior: (K,) over the leading diseases; likelihood: (C, K) P(yes | disease) per candidate.
    """
    p_yes = likelihood @ posterior  # (C,)
    joint_yes = likelihood * posterior  # (C, K)
    joint_no = (1.0 - likelihood) * posterior
    with np.errstate(divide="ignore", invalid="ignore"):
        post_yes = np.where(p_yes[:, None] > 0, joint_yes / p_yes[:, None], 0.0)
        post_no = np.where(p_yes[:, None] < 1, joint_no / (1.0 - p_yes)[:, None], 0.0)
    expected = p_yes * _entropy(post_yes) + (1.0 - p_yes) * _entropy(post_no)
    return _entropy(posterior) - expected, p_yes


class QuestionSelector:
    """Candidates from the leading diseases' annotations, scored by expected information gain."""

    def __init__(self, kg: CompiledKG, background: np.ndarray, ic: np.ndarray):
        self.kg = kg
        self.background = background
        self.ic = ic
        self._rows = kg.propagated().tocsr()  # disease -> propagated phenotype frequencies

    def select(
        self,
        scores: np.ndarray,
        candidates: np.ndarray,
        present: set[int],
        absent: set[int],
        leaders: int = 50,
        limit: int = 5,
        term_mask: np.ndarray | None = None,
    ) -> list[Question]:
        """`scores` over all diseases, `candidates` the disease indices allowed; the findings
        already known settle more than themselves: a present one implies its ancestors, an absent
        one rules out its descendants."""
        kg = self.kg
        allowed_scores = scores[candidates]
        if leaders < len(allowed_scores):
            head = np.argpartition(-allowed_scores, leaders - 1)[:leaders]
            top = candidates[head[np.lexsort((head, -allowed_scores[head]))]]
        else:
            top = candidates[np.argsort(-allowed_scores, kind="stable")]
        logits = (scores[top] - scores[top].max()) / TEMPERATURE
        posterior = np.exp(logits)
        posterior /= posterior.sum()
        sub = self._rows[top]
        terms = np.unique(sub.indices)
        terms = terms[self.ic[terms] >= MIN_INFORMATION_CONTENT]
        if term_mask is not None:
            terms = terms[term_mask[terms]]
        implied = set()
        for t in present:
            implied.update(kg.ancestors(t).tolist())
        terms = np.array([t for t in terms.tolist() if t not in implied], dtype=np.int64)
        if absent and len(terms):
            # Drop the terms at or below an absent finding, all candidates at once.
            counts = np.diff(kg.anc_indptr)[terms]
            starts = kg.anc_indptr[terms].astype(np.int64)
            flat = kg.anc_indices[np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
            hit = np.isin(flat, np.fromiter(absent, dtype=np.int64))
            blocked = np.add.reduceat(hit, np.concatenate(([0], np.cumsum(counts)[:-1]))) > 0
            terms = terms[~blocked]
        if not len(terms):
            return []
        freq = sub[:, terms].toarray().T  # (C, K)
        likelihood = (1.0 - ANSWER_NOISE) * freq + ANSWER_NOISE * self.background[terms][:, None]
        likelihood = np.clip(likelihood, 1e-6, 1.0 - 1e-6)
        gain, p_yes = information_gain(posterior, likelihood)
        # Among equal gains prefer the more specific finding: it is the sharper question.
        order = np.lexsort((-self.ic[terms], -np.round(gain, 6)))[:limit]
        out = []
        for c in order:
            ratio = likelihood[c] / max(p_yes[c], 1e-9)
            leaders_idx = np.argsort(-posterior)[:10]
            yes = [str(kg.disease_names[top[k]]) for k in leaders_idx if ratio[k] > 1.5][:3]
            no = [str(kg.disease_names[top[k]]) for k in leaders_idx if ratio[k] < 0.67][:3]
            t = int(terms[c])
            out.append(Question(str(kg.terms[t]), str(kg.term_labels[t]), float(gain[c]), float(p_yes[c]), yes, no))
        return out
