"""The knowledge graph as networkx: the model the rest of the code reads.

Nodes are phenotypes (`kind="phenotype"`), diseases (`kind="disease"`) and genes
(`kind="gene"`). Edges are `is_a` (child -> parent phenotype), `has_phenotype` (disease ->
phenotype, with frequency, onset, sex and the NOT qualifier) and `associated_gene` (disease ->
gene). Hot paths use the arrays that `compiled.py` derives from this graph.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from consultsim.kg.annotations import Annotation, DiseaseRecord
from consultsim.kg.ontology import Ontology


def build_graph(
    ontology: Ontology,
    annotations: list[Annotation],
    diseases: dict[str, DiseaseRecord],
    genes: dict[str, set[str]] | None = None,
) -> nx.DiGraph:
    graph = nx.DiGraph(hpo_version=ontology.version)
    for term in ontology.terms.values():
        if term.obsolete:
            continue
        graph.add_node(
            term.id,
            kind="phenotype",
            label=term.name,
            definition=term.definition,
            synonyms=[(s.text, s.kind or s.scope.lower()) for s in term.synonyms],
            alt_ids=list(term.alt_ids),
        )
    for term in ontology.terms.values():
        if not term.obsolete:
            graph.add_edges_from((term.id, parent, {"relation": "is_a"}) for parent in term.parents)
    for record in diseases.values():
        graph.add_node(
            record.id,
            kind="disease",
            label=record.name,
            source=record.id.split(":", 1)[0],
            inheritance=list(record.inheritance),
            onsets=list(record.onsets),
        )
    for disease, symbols in sorted((genes or {}).items()):
        if disease not in graph:
            continue
        for symbol in sorted(symbols):
            graph.add_node(f"GENE:{symbol}", kind="gene", label=symbol)
            graph.add_edge(disease, f"GENE:{symbol}", relation="associated_gene")
    # A disease may cite the same phenotype several times (several references): one edge, the
    # known frequencies averaged, negated only when every citation is negated.
    grouped: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for ann in annotations:
        phenotype = ontology.resolve(ann.phenotype).id
        if phenotype is not None and phenotype in graph:
            grouped[(ann.disease, phenotype)].append(ann)
    for (disease, phenotype), anns in grouped.items():
        known = [a for a in anns if a.frequency is not None and not a.negated]
        counted = [a for a in known if a.observed]
        graph.add_edge(
            disease,
            phenotype,
            relation="has_phenotype",
            frequency=sum(a.frequency for a in known) / len(known) if known else None,
            # Patients counted behind the frequency when every citation gives n/m, else None.
            observed=sum(a.observed for a in counted) if known and len(counted) == len(known) else None,
            negated=all(a.negated for a in anns),
            onset=next((a.onset for a in anns if a.onset), None),
            sex=next((a.sex for a in anns if a.sex), None),
        )
    return graph
