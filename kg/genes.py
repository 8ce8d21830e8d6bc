"""Disease-gene links from genes_to_phenotype.txt, and the kin they give each disease.

OMIM and Orphanet often describe the same disorder twice, with different features: an OMIM entry
built from one family may list ten, the Orphanet entry of the same gene's disorder thirty. Two
diseases from different sources are *kin* when they share a gene that is linked to few diseases
(a gene with many diseases — an allelic series — links disorders that differ), and the ranker
lets a disease explain a finding through its kin at a discount (see ranking.py).

The file is optional: without it diseases simply have no kin.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

GENES_FILE = "genes_to_phenotype.txt"
# A gene names the same disorder across sources only when it has at most this many diseases.
KIN_MAX_DISEASES_PER_GENE = 3


def parse_genes(text: str) -> dict[str, set[str]]:
    """{disease id: gene symbols}; rows that do not parse are skipped."""
    genes: dict[str, set[str]] = defaultdict(set)
    for line in text.splitlines():
        if not line or line.startswith(("#", "ncbi_gene_id")):
            continue
        fields = line.split("\t")
        if len(fields) < 6 or ":" not in fields[5] or not fields[1]:
            continue
        genes[fields[5].strip()].add(fields[1].strip())
    return dict(genes)


def load_genes(path: Path) -> dict[str, set[str]]:
    try:
        return parse_genes(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def kin_pairs(genes: dict[str, set[str]], known: set[str]) -> list[tuple[str, str, str]]:
    """(disease, kin, gene): both in `known`, from different sources, sharing a gene that has at
    most KIN_MAX_DISEASES_PER_GENE diseases. Both directions are listed."""
    by_gene: dict[str, set[str]] = defaultdict(set)
    for disease, symbols in genes.items():
        for symbol in symbols:
            by_gene[symbol].add(disease)
    pairs: dict[tuple[str, str], str] = {}
    for symbol in sorted(by_gene):
        diseases = sorted(by_gene[symbol] & known)
        if len(by_gene[symbol]) > KIN_MAX_DISEASES_PER_GENE:
            continue
        for a in diseases:
            for b in diseases:
                if a.split(":", 1)[0] != b.split(":", 1)[0]:
                    pairs.setdefault((a, b), symbol)
    return [(a, b, symbol) for (a, b), symbol in sorted(pairs.items())]
