"""The HPO knowledge graph: ontology terms, diseases, ranking and question selection."""

from .ontology import Ontology, OntologyError, Resolution, Term, get_ontology, load_ontology

__all__ = ["Ontology", "OntologyError", "Resolution", "Term", "get_ontology", "load_ontology"]
