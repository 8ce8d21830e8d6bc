"""Specialist consultants: the knowledge graph weighted to a specialty, or an LLM in the role."""

from __future__ import annotations

from consultsim.kg import SPECIALTIES, KGError, KnowledgeGraph
from pydantic import BaseModel, Field

# The specialties a doctor may consult; each maps onto the graph's organ-system branches.
CONSULTABLE = (
    "cardiology", "neurology", "genetics", "rheumatology", "endocrinology", "infectious-disease",
    "gastroenterology", "pulmonology", "nephrology", "hematology", "dermatology", "ophthalmology",
    "immunology", "hepatology", "metabolic", "otolaryngology", "oncology",
)
assert set(CONSULTABLE) <= set(SPECIALTIES)


class Opinion(BaseModel):
    specialty: str
    text: str
    differential: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list, description="Findings the specialist would ask about or test next.")
    probabilities: list[float] = Field(default_factory=list)


def check_specialties(names: list[str]) -> list[str]:
    unknown = [n for n in names if n not in CONSULTABLE]
    if unknown:
        raise ValueError(f"unknown specialist {', '.join(unknown)}; choose from {', '.join(CONSULTABLE)}")
    return names


class OfflineSpecialist:
    """Answers "what do you think, and what would you ask or test next?" from the graph, with the
    differential re-weighted towards the diseases of its specialty."""

    def __init__(self, kg: KnowledgeGraph, specialty: str):
        check_specialties([specialty])
        self.kg = kg
        self.specialty = specialty
        self.model_calls = 0

    def opinion(self, present: list[str], absent: list[str]) -> Opinion:
        title = self.specialty.replace("-", " ")
        if not present and not absent:
            return Opinion(specialty=self.specialty, text=f"{title.capitalize()}: I need more history before I can help.")
        try:
            ranked = self.kg.rank(present, absent, top=50, explain=False, negatives="asked").diseases
            questions = self.kg.next_findings(present, absent, specialty=self.specialty, limit=3)
        except KGError as err:
            return Opinion(specialty=self.specialty, text=f"{title.capitalize()}: I cannot use these findings ({err}).")
        weight = self.kg.specialties.disease_weight(self.specialty)
        scored = []
        for d in ranked:
            index = self.kg.compiled.disease_index[d.id]
            scored.append((d.probability * (0.25 + float(weight[index])), d.name))
        scored.sort(key=lambda x: -x[0])
        total = sum(p for p, _ in scored) or 1.0
        top = [(p / total, name) for p, name in scored[:3]]
        names = [n for _, n in top]
        asks = [q.label for q in questions]
        text = (
            f"{title.capitalize()}: from my side this looks most like {names[0]}"
            + (f", with {' and '.join(names[1:])} to consider" if len(names) > 1 else "")
            + "."
            + (f" I would ask about or look for {', '.join(a.lower() for a in asks)}." if asks else "")
        )
        return Opinion(specialty=self.specialty, text=text, differential=names, suggestions=asks, probabilities=[round(p, 3) for p, _ in top])


class LLMSpecialist:
    """A chat model role-playing the specialist, given the graph's view of the findings."""

    def __init__(self, kg: KnowledgeGraph, specialty: str, model):  # noqa: ANN001
        check_specialties([specialty])
        self.offline = OfflineSpecialist(kg, specialty)
        self.specialty = specialty
        self.model = model
        self.model_calls = 0

    def opinion(self, present: list[str], absent: list[str], transcript_text: str = "") -> Opinion:
        from langchain_core.messages import HumanMessage, SystemMessage

        grounded = self.offline.opinion(present, absent)
        self.model_calls += 1
        messages = [
            SystemMessage(content=f"You are a consultant in {self.specialty}. Give a brief opinion (at most 4 sentences): your leading diagnoses and what you would ask or test next."),
            HumanMessage(content=f"Consultation so far:\n{transcript_text[-4000:]}\n\nKnowledge-graph view: {grounded.text}"),
        ]
        try:
            text = str(self.model.invoke(messages).content).strip()
        except Exception:  # noqa: BLE001 - the grounded opinion stands in when the model fails
            return grounded
        return Opinion(specialty=self.specialty, text=text or grounded.text, differential=grounded.differential, suggestions=grounded.suggestions, probabilities=grounded.probabilities)


def reconcile(opinions: list[Opinion]) -> tuple[str, list[str]]:
    """A multidisciplinary summary: diagnoses ranked by summed support across specialists."""
    support: dict[str, float] = {}
    for op in opinions:
        probs = op.probabilities or [1.0 / (i + 1) for i in range(len(op.differential))]
        for name, p in zip(op.differential, probs, strict=False):
            support[name] = support.get(name, 0.0) + float(p)
    ranked = sorted(support, key=lambda n: -support[n])
    agreed = [n for n in ranked if sum(n in op.differential for op in opinions) > 1]
    lines = [op.text for op in opinions]
    if ranked:
        consensus = f"Team view: {ranked[0]} leads" + (f"; {', '.join(agreed[:3])} named by more than one of us" if agreed else "") + "."
        lines.append(consensus)
    suggestions = list(dict.fromkeys(s for op in opinions for s in op.suggestions))
    return " ".join(lines), suggestions[:5]
