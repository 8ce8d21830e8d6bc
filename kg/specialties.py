"""Specialties from HPO organ-system branches: which findings and diseases each specialist owns."""

from __future__ import annotations

import numpy as np
from consultsim.kg.compiled import CompiledKG
from scipy import sparse

# Each specialty owns the phenotypes under these branches (by HPO id).
BRANCHES: dict[str, tuple[str, ...]] = {
    "cardiology": ("HP:0001626",),  # cardiovascular system
    "neurology": ("HP:0000707", "HP:0003011"),  # nervous system; abnormal musculature
    "genetics": ("HP:0000152", "HP:0001197", "HP:0001507", "HP:0040064", "HP:0000924"),  # head/neck, prenatal, growth, limbs, skeleton
    "rheumatology": ("HP:0001367", "HP:0011729", "HP:0002960", "HP:0002633", "HP:0100614"),  # joints, autoimmunity, vasculitis, myositis
    "endocrinology": ("HP:0000818", "HP:0011014", "HP:0003117"),  # endocrine; glucose; hormone levels
    "metabolic": ("HP:0001939",),  # metabolism/homeostasis
    "gastroenterology": ("HP:0025031",),  # digestive system
    "hepatology": ("HP:0001392", "HP:0001438"),  # liver; abdomen (hepatosplenomegaly)
    "pulmonology": ("HP:0002086", "HP:0045027"),  # respiratory system; thoracic cavity
    "nephrology": ("HP:0000077", "HP:0000079", "HP:0012211"),  # kidney; urinary system; renal function
    "hematology": ("HP:0001871",),  # blood and blood-forming tissues
    "dermatology": ("HP:0001574",),  # integument
    "ophthalmology": ("HP:0000478",),  # eye
    "immunology": ("HP:0002715",),  # immune system
    "infectious-disease": ("HP:0002719", "HP:0032101", "HP:0001945"),  # recurrent and unusual infections, fever
    "otolaryngology": ("HP:0000598", "HP:0001608", "HP:0000600"),  # ear, voice, nasopharynx
    "oncology": ("HP:0002664",),  # neoplasm
}
SPECIALTIES = tuple(BRANCHES)


class Specialties:
    """Term and disease membership of each specialty, compiled once per graph."""

    def __init__(self, kg: CompiledKG, ic: np.ndarray):
        self.kg = kg
        roots = {s: [kg.term_index[t] for t in ids if t in kg.term_index] for s, ids in BRANCHES.items()}
        # membership[t, s]: term t lies under one of specialty s's branches
        membership = np.zeros((kg.n_terms, len(SPECIALTIES)), dtype=bool)
        for t in range(kg.n_terms):
            ancestors = set(kg.ancestors(t).tolist())
            for s, name in enumerate(SPECIALTIES):
                if any(r in ancestors for r in roots[name]):
                    membership[t, s] = True
        self.membership = membership
        # disease weight per specialty: annotations weighted by frequency and information content
        direct = sparse.csr_matrix((kg.ann_freq * ic[kg.ann_indices], kg.ann_indices, kg.ann_indptr), shape=(kg.n_diseases, kg.n_terms))
        weight = np.asarray(direct @ membership.astype(np.float32))
        total = weight.sum(axis=1, keepdims=True)
        self.disease_share = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)

    def index(self, specialty: str) -> int:
        try:
            return SPECIALTIES.index(specialty)
        except ValueError:
            from consultsim.kg.errors import KGError

            raise KGError(f"unknown specialty {specialty!r}; choose from {', '.join(SPECIALTIES)}") from None

    def of_term(self, t: int) -> list[str]:
        return [SPECIALTIES[s] for s in np.flatnonzero(self.membership[t])]

    def of_disease(self, d: int, threshold: float = 0.15) -> list[str]:
        share = self.disease_share[d]
        order = np.argsort(-share)
        chosen = [SPECIALTIES[s] for s in order if share[s] >= threshold]
        return chosen or ([SPECIALTIES[order[0]]] if share[order[0]] > 0 else [])

    def term_mask(self, specialty: str) -> np.ndarray:
        return self.membership[:, self.index(specialty)]

    def disease_weight(self, specialty: str) -> np.ndarray:
        """How much of each disease lies in the specialty (0-1)."""
        return self.disease_share[:, self.index(specialty)]
