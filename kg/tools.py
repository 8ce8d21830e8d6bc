"""LangChain tools over the knowledge graph, for LLM doctors and specialists.

Outputs are compact JSON: short keys, rounded numbers, only what a model needs to reason. A tool
never raises on bad input; it returns `{"error": ...}` so the model can correct itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from consultsim.kg.errors import KGError
from consultsim.kg.knowledge_graph import KnowledgeGraph, get_kg
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field


class RankArgs(BaseModel):
    present: list[str] = Field(description="HPO ids of findings the patient has, e.g. ['HP:0001250'].")
    absent: list[str] = Field(
        default_factory=list, description="HPO ids of findings the patient was asked about and does not have."
    )
    top: int = Field(5, ge=1, le=20, description="How many diseases to return.")


class NextArgs(BaseModel):
    present: list[str] = Field(description="HPO ids of findings present.")
    absent: list[str] = Field(default_factory=list, description="HPO ids of findings absent.")
    specialty: str | None = Field(None, description="Only findings of this specialty, e.g. 'cardiology'.")
    limit: int = Field(3, ge=1, le=10)


class SearchArgs(BaseModel):
    text: str = Field(description="Words describing a finding, e.g. 'nose bleeds' or 'tall'.")
    limit: int = Field(5, ge=1, le=20)


class DiseaseArgs(BaseModel):
    query: str = Field(description="A disease id (OMIM:154700, ORPHA:558) or a disease name.")
    limit: int = Field(10, ge=1, le=50, description="How many phenotypes to list.")


def _safe(fn: Callable[..., Any]) -> Callable[..., str]:
    def run(**kwargs: Any) -> str:
        try:
            return json.dumps(fn(**kwargs), ensure_ascii=False, separators=(",", ":"))
        except KGError as err:
            return json.dumps({"error": str(err)})

    return run


def make_tools(kg: KnowledgeGraph | None = None) -> list[BaseTool]:
    """The knowledge-graph tools, bound to `kg` (the shared graph by default)."""
    graph = kg or get_kg()

    def rank(present: list[str], absent: list[str] = (), top: int = 5) -> dict:
        result = graph.rank(present, absent, top=top, negatives="asked")
        return {
            "diseases": [
                {
                    "id": d.id,
                    "name": d.name,
                    "p": round(d.probability, 3),
                    "matched": [m.finding_label for m in d.matches if m.present and m.how != "unexplained"],
                    "typical_not_seen": [label for _, label, _ in d.unexplained[:3]],
                }
                for d in result.diseases
            ],
            "warnings": result.warnings,
        }

    def next_findings(present: list[str], absent: list[str] = (), specialty: str | None = None, limit: int = 3) -> dict:
        questions = graph.next_findings(present, absent, specialty=specialty, limit=limit)
        return {
            "ask_about": [
                {"id": q.id, "finding": q.label, "bits": round(q.gain_bits, 2), "yes_favours": q.favours_yes, "no_favours": q.favours_no}
                for q in questions
            ]
        }

    def search(text: str, limit: int = 5) -> dict:
        return {"terms": [{"id": h.id, "label": h.label} for h in graph.search(text, limit)]}

    def disease(query: str, limit: int = 10) -> dict:
        if ":" not in query:
            hits = graph.search_diseases(query, 1)
            if not hits:
                return {"error": f"no disease named like {query!r}"}
            query = hits[0].id
        info = graph.disease(query, limit)
        return {
            "id": info["id"],
            "name": info["name"],
            "phenotypes": [f"{p['label']} ({p['id']}, {p['frequency']:.0%})" for p in info["phenotypes"]],
        }

    return [
        StructuredTool.from_function(
            _safe(rank),
            name="rank_diseases",
            description="Rank rare and common diseases against the patient's present and absent findings (HPO ids). Returns the most likely diseases with the findings that matched.",
            args_schema=RankArgs,
        ),
        StructuredTool.from_function(
            _safe(next_findings),
            name="next_findings",
            description="Suggest the findings to ask about or examine next: those whose answer best separates the leading diseases.",
            args_schema=NextArgs,
        ),
        StructuredTool.from_function(
            _safe(search),
            name="search_phenotypes",
            description="Find HPO ids for a finding described in words (lay words and typos are fine).",
            args_schema=SearchArgs,
        ),
        StructuredTool.from_function(
            _safe(disease),
            name="lookup_disease",
            description="Look up a disease by id or name: its typical phenotypes with frequencies.",
            args_schema=DiseaseArgs,
        ),
    ]
