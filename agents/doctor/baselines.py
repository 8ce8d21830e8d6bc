"""Research baselines: a doctor asking random questions, and an oracle given every key finding."""

from __future__ import annotations

import numpy as np
from consultsim.agents.doctor.base import Action, DoctorView
from consultsim.agents.doctor.kg_doctor import KGDoctor
from consultsim.kg import KGError, KnowledgeGraph
from consultsim.scenarios.model import Case


class RandomDoctor(KGDoctor):
    """Asks about phenotypes drawn at random (seeded), then commits to the graph's differential."""

    name = "random"

    def __init__(self, kg: KnowledgeGraph, seed: int = 0):
        super().__init__(kg, specialists="none", seed=seed)
        ic = kg.ranker.ic
        # Phenotypes a clinician could ask about: annotated to some disease, not too general.
        self._pool = np.flatnonzero((ic >= 1.0) & (np.diff(kg.compiled.prop_indptr) > 0))

    def decide(self, view: DoctorView) -> Action:
        asked = len(view.questions_asked)
        rng = np.random.default_rng([self.seed, asked])
        term = str(self.kg.compiled.terms[int(rng.choice(self._pool))])
        return Action(kind="ask", text=self.phrase(term), terms=[term], why="random question")


class OracleDoctor:
    """The upper bound: handed every key finding of the case at once, it ranks and commits."""

    name = "oracle"

    def __init__(self, kg: KnowledgeGraph, case: Case):
        self.kg = kg
        self.model_calls = 0
        key = [f for f in case.key_findings if f.hpo] or [f for f in case.findings if f.hpo]
        self.present = sorted({f.hpo for f in key if f.present})
        self.absent = sorted({f.hpo for f in key if not f.present} - set(self.present))

    def decide(self, view: DoctorView) -> Action:
        return self.final(view)

    def final(self, view: DoctorView) -> Action:
        try:
            ranked = self.kg.rank(self.present, self.absent, top=10, explain=False, negatives="asked").diseases if self.present else []
        except KGError:
            ranked = []
        names = list(dict.fromkeys(d.name for d in ranked))
        return Action(
            kind="commit",
            diagnosis=names[0] if names else None,
            differential=names,
            why=f"given all {len(self.present) + len(self.absent)} HPO-coded key findings",
        )
