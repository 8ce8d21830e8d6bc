"""Arrays compiled from the networkx graph for the hot paths, cached on disk by data version.

The cache file is keyed by the HPO files (name, size, modification time, release) and by
`FORMAT`; a stale key or a file that fails to load is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

import networkx as nx
import numpy as np
from consultsim.kg.genes import kin_pairs
from scipy import sparse

# Bump when the arrays or how they are derived change, so that old caches are rebuilt.
FORMAT = 7
# Annotations without a frequency: HPO curators add most of them from a disease's description,
# where a feature is named because it is typical: a little above "frequent"...
DEFAULT_FREQUENCY = 0.6
# ...but a patient shows only a handful of the features of a disease described with dozens, so a
# disease with n annotations gives each unknown frequency min(DEFAULT_FREQUENCY, FREQUENCY_BUDGET / n).
FREQUENCY_BUDGET = 5.0
# Pseudo-patients of that default frequency mixed into an n/m fraction (1/1 is weak evidence of
# an obligate feature, 0/2 weak evidence of its absence).
PRIOR_PATIENTS = 4
SOURCE_CODES = {"OMIM": 0, "ORPHA": 1, "DECIPHER": 2}


@dataclass
class CompiledKG:
    version: str
    terms: np.ndarray  # phenotype ids, sorted
    term_labels: np.ndarray
    anc_indptr: np.ndarray  # term -> ancestors including itself (CSR over term indices)
    anc_indices: np.ndarray
    parent_indptr: np.ndarray
    parent_indices: np.ndarray
    diseases: np.ndarray  # disease ids
    disease_names: np.ndarray
    disease_source: np.ndarray  # SOURCE_CODES
    # direct annotations, disease x term (CSR): frequency (DEFAULT_FREQUENCY when unknown)
    ann_indptr: np.ndarray
    ann_indices: np.ndarray
    ann_freq: np.ndarray
    ann_known: np.ndarray  # bool: the frequency came from the source
    # NOT annotations, disease x term (CSR)
    not_indptr: np.ndarray
    not_indices: np.ndarray
    # propagated: P[d, t] = the largest frequency of d's annotations at or below t, the chance that
    # a patient with d shows t or something more specific (CSC)
    prop_indptr: np.ndarray
    prop_indices: np.ndarray
    prop_data: np.ndarray
    # kin, disease -> diseases of another source sharing a gene (CSR; genes.py), and the gene
    kin_indptr: np.ndarray
    kin_indices: np.ndarray
    kin_genes: np.ndarray

    def __post_init__(self) -> None:
        self.term_index = {t: i for i, t in enumerate(self.terms.tolist())}
        self.disease_index = {d: i for i, d in enumerate(self.diseases.tolist())}

    @property
    def n_terms(self) -> int:
        return len(self.terms)

    @property
    def n_diseases(self) -> int:
        return len(self.diseases)

    def ancestors(self, t: int) -> np.ndarray:
        """Term indices of t and all its ancestors."""
        return self.anc_indices[self.anc_indptr[t] : self.anc_indptr[t + 1]]

    def parents(self, t: int) -> np.ndarray:
        return self.parent_indices[self.parent_indptr[t] : self.parent_indptr[t + 1]]

    def annotations(self, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lo, hi = self.ann_indptr[d], self.ann_indptr[d + 1]
        return self.ann_indices[lo:hi], self.ann_freq[lo:hi], self.ann_known[lo:hi]

    def negated(self, d: int) -> np.ndarray:
        return self.not_indices[self.not_indptr[d] : self.not_indptr[d + 1]]

    def kin(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """Diseases of other sources that share a specific gene with d, and that gene."""
        lo, hi = self.kin_indptr[d], self.kin_indptr[d + 1]
        return self.kin_indices[lo:hi], self.kin_genes[lo:hi]

    def column(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Diseases with t at or above one of their annotations, and P[d, t] (sorted by disease)."""
        lo, hi = self.prop_indptr[t], self.prop_indptr[t + 1]
        return self.prop_indices[lo:hi], self.prop_data[lo:hi]

    def propagated(self) -> sparse.csc_matrix:
        return sparse.csc_matrix(
            (self.prop_data, self.prop_indices, self.prop_indptr), shape=(self.n_diseases, self.n_terms)
        )


def compile_graph(graph: nx.DiGraph) -> CompiledKG:
    terms = sorted(n for n, k in graph.nodes(data="kind") if k == "phenotype")
    index = {t: i for i, t in enumerate(terms)}
    labels = np.array([graph.nodes[t]["label"] for t in terms])
    parents = [[index[p] for p in graph.successors(t) if p in index] for t in terms]
    parent_indptr, parent_indices = _csr(parents)

    ancestors: list[list[int] | None] = [None] * len(terms)

    def closure(i: int) -> list[int]:
        # Iterative depth-first closure; the ontology is a DAG a few dozen levels deep.
        stack = [i]
        while stack:
            j = stack[-1]
            if ancestors[j] is not None:
                stack.pop()
                continue
            pending = [p for p in parents[j] if ancestors[p] is None]
            if pending:
                stack.extend(pending)
                continue
            found = {j}
            for p in parents[j]:
                found.update(ancestors[p])  # type: ignore[arg-type]
            ancestors[j] = sorted(found)
            stack.pop()
        return ancestors[i]  # type: ignore[return-value]

    for i in range(len(terms)):
        closure(i)
    anc_indptr, anc_indices = _csr(ancestors)  # type: ignore[arg-type]

    diseases = sorted(n for n, k in graph.nodes(data="kind") if k == "disease")
    names = np.array([graph.nodes[d]["label"] for d in diseases])
    source = np.array([SOURCE_CODES.get(d.split(":", 1)[0], 3) for d in diseases], dtype=np.int8)
    ann_rows: list[list[int]] = []
    ann_freq: list[float] = []
    ann_known: list[bool] = []
    not_rows: list[list[int]] = []
    for d in diseases:
        row, negs, edges = [], [], []
        for _, t, data in sorted(graph.out_edges(d, data=True), key=lambda e: index.get(e[1], -1)):
            if data.get("relation") != "has_phenotype" or t not in index:
                continue
            if data["negated"]:
                negs.append(index[t])
            else:
                row.append(index[t])
                edges.append(data)
        default = min(DEFAULT_FREQUENCY, FREQUENCY_BUDGET / max(len(row), 1))
        for data in edges:
            freq, observed = data["frequency"], data.get("observed")
            ann_known.append(freq is not None)
            if freq is None:
                freq = default
            elif observed:
                freq = (freq * observed + default * PRIOR_PATIENTS) / (observed + PRIOR_PATIENTS)
            ann_freq.append(freq)
        ann_rows.append(row)
        not_rows.append(negs)
    ann_indptr, ann_indices = _csr(ann_rows)
    not_indptr, not_indices = _csr(not_rows)
    freq = np.asarray(ann_freq, dtype=np.float32)

    # Propagate each annotation to all ancestors of its term, keeping the largest frequency. (A
    # noisy-or, 1 - prod(1 - f), ranks as well but makes vague terms near-certain for diseases with
    # many features, and question selection then prefers vague questions.)
    counts = np.diff(anc_indptr)[ann_indices]
    rows = np.repeat(np.repeat(np.arange(len(diseases)), np.diff(ann_indptr)), counts)
    starts = anc_indptr[ann_indices].astype(np.int64)
    cols = anc_indices[np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
    vals = np.repeat(freq, counts)
    key = rows.astype(np.int64) * len(terms) + cols
    order = np.lexsort((-vals, key))
    key, vals = key[order], vals[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, vals = key[first], vals[first]
    prop = sparse.csc_matrix(
        (vals, (key // len(terms), key % len(terms))), shape=(len(diseases), len(terms)), dtype=np.float32
    )
    prop.sort_indices()
    kin_indptr, kin_indices, kin_genes = _kin(graph, diseases)
    return CompiledKG(
        version=graph.graph.get("hpo_version", ""),
        terms=np.array(terms),
        term_labels=labels,
        anc_indptr=anc_indptr,
        anc_indices=anc_indices,
        parent_indptr=parent_indptr,
        parent_indices=parent_indices,
        diseases=np.array(diseases),
        disease_names=names,
        disease_source=source,
        ann_indptr=ann_indptr,
        ann_indices=ann_indices,
        ann_freq=freq,
        ann_known=np.asarray(ann_known, dtype=bool),
        not_indptr=not_indptr,
        not_indices=not_indices,
        prop_indptr=prop.indptr.astype(np.int32),
        prop_indices=prop.indices.astype(np.int32),
        prop_data=prop.data.astype(np.float32),
        kin_indptr=kin_indptr,
        kin_indices=kin_indices,
        kin_genes=kin_genes,
    )


def _kin(graph: nx.DiGraph, diseases: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    genes = {
        d: {graph.nodes[g]["label"] for g in graph.successors(d) if graph.nodes[g].get("kind") == "gene"}
        for d in diseases
    }
    index = {d: i for i, d in enumerate(diseases)}
    rows: list[list[int]] = [[] for _ in diseases]
    symbols: list[list[str]] = [[] for _ in diseases]
    for a, b, symbol in kin_pairs({d: g for d, g in genes.items() if g}, set(diseases)):
        rows[index[a]].append(index[b])
        symbols[index[a]].append(symbol)
    indptr, indices = _csr(rows)
    return indptr, indices, np.array([s for row in symbols for s in row], dtype=str)


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    return indptr, indices


# --- cache --------------------------------------------------------------------------------------


def cache_dir() -> Path:
    base = os.environ.get("CONSULTSIM_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "consultsim" if base else Path.home() / ".cache" / "consultsim"


def cache_key(*files: Path) -> str:
    digest = hashlib.sha256(f"format={FORMAT}".encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def save(compiled: CompiledKG, path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f.name: getattr(compiled, f.name) for f in fields(compiled) if f.name != "version"}
    meta = json.dumps({"key": key, "version": compiled.version, "format": FORMAT})
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    os.close(fd)
    try:
        with open(tmp, "wb") as handle:
            np.savez(handle, __meta__=np.array(meta), **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path, key: str) -> CompiledKG | None:
    """The cached arrays, or None when the file is missing, stale or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["__meta__"]))
            if meta.get("key") != key or meta.get("format") != FORMAT:
                return None
            values = {f.name: data[f.name] for f in fields(CompiledKG) if f.name != "version"}
        compiled = CompiledKG(version=meta["version"], **values)
    except Exception:  # noqa: BLE001 - any damage to the cache means: rebuild it
        return None
    if len(compiled.anc_indptr) != compiled.n_terms + 1 or len(compiled.ann_indptr) != compiled.n_diseases + 1:
        return None
    return compiled
