"""The HPO knowledge graph: phenotypes, diseases, ranking, question selection, search."""

from consultsim.kg.errors import KGError
from consultsim.kg.knowledge_graph import Evidence, KnowledgeGraph, RankResult, get_kg
from consultsim.kg.ontology import (
    Ontology,
    OntologyError,
    Resolution,
    Term,
    get_ontology,
    load_ontology,
)
from consultsim.kg.questions import Question
from consultsim.kg.ranking import RankedDisease
from consultsim.kg.search import DiseaseHit, TermHit
from consultsim.kg.specialties import SPECIALTIES

__all__ = [
    "SPECIALTIES",
    "DiseaseHit",
    "Evidence",
    "KGError",
    "KnowledgeGraph",
    "Ontology",
    "OntologyError",
    "Question",
    "RankResult",
    "RankedDisease",
    "Resolution",
    "Term",
    "TermHit",
    "get_kg",
    "get_ontology",
    "load_ontology",
]
