"""The patient's second opinion: which finding a clause means, by sentence embeddings.

Words and HPO concepts (`matching.py`) decide most questions; when they find no finding, a
question may still mean one in words the lexicon lacks ('do u need help with dressing?' for 'I
need more and more help with daily activities'). The clause and every finding's text are embedded
(`embedding.py`, an optional extra) and the most similar finding is taken when it is similar
enough and clearly ahead of the next.
"""

from __future__ import annotations

import os

import numpy as np
from consultsim.agents.patient import embedding
from consultsim.agents.patient.matching import Candidate, Entry

# Cosine similarity a clause needs with a finding's text, and its lead over the next finding.
THRESHOLD = float(os.environ.get("CONSULTSIM_EMBEDDING_THRESHOLD", "0.6"))
LEAD = float(os.environ.get("CONSULTSIM_EMBEDDING_LEAD", "0.04"))


class SemanticMatcher:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._vectors: np.ndarray | None = None

    @classmethod
    def create(cls, entries: list[Entry]) -> SemanticMatcher | None:
        """A matcher, or None when the embeddings extra is not installed (or turned off)."""
        return cls(entries) if embedding.available() and entries else None

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = np.stack([embedding.embed(e.finding.text) for e in self.entries])
        return self._vectors

    def match(self, clause: str) -> Candidate | None:
        sims = self.vectors() @ embedding.embed(clause.strip().lower())
        order = np.argsort(-sims)
        best = float(sims[order[0]])
        second = float(sims[order[1]]) if len(order) > 1 else -1.0
        if best < THRESHOLD or best - second < LEAD:
            return None
        score = 60.0 + 40.0 * (best - THRESHOLD) / (1.0 - THRESHOLD)
        return Candidate(self.entries[int(order[0])], score, "embedding", f"cosine {best:.2f}")
