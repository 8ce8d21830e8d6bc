"""Knowledge-graph benchmark: build and load times, memory, ranking speed and accuracy.

    python benchmarks/kg_benchmark.py [--quick]

Prints, for this machine:
- cold build time (the HPO files parsed and compiled, no cache) and warm load time (from the
  cache) with the resident memory after loading, each in a fresh subprocess;
- ranking time medians for 10 present + 10 excluded findings drawn from disease annotations, over
  OMIM and over every disease, on first sight of the terms (per-term caches emptied) and cached;
- accuracy on the GA4GH phenopackets in ../shared/data/phenopackets (beside the repository):
  top-1, top-3, top-10, mean reciprocal rank and n for the likelihood-ratio model and, in the same
  run, a Phenomizer-style Resnik baseline; ranks are over OMIM diseases only, ties share the mean of
  their ranks (a true disease tied with another at the top is rank 1.5, not top-1). Figures are
  given for all findings and for present findings only, for all patients and for each half (even
  and odd positions in file-name order: tune on one, check on the other).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PHENOPACKETS = ROOT.parent / "shared" / "data" / "phenopackets"

LOAD_SNIPPET = """
import json, resource, sys, time
start = time.perf_counter()
from consultsim.kg.knowledge_graph import KnowledgeGraph
imported = time.perf_counter()
kg = KnowledgeGraph.load(cache={cache})
loaded = time.perf_counter()
rss = 0
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
if not rss:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"import": imported - start, "load": loaded - imported, "rss": rss}}))
"""


def in_subprocess(cache: bool, cache_dir: str) -> dict:
    env = dict(os.environ, CONSULTSIM_CACHE=cache_dir)
    out = subprocess.run(
        [sys.executable, "-c", LOAD_SNIPPET.format(cache=cache)],
        env=env, capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_figures(repeats: int) -> None:
    with tempfile.TemporaryDirectory(prefix="consultsim-bench-") as cache_dir:
        cold = [in_subprocess(False, cache_dir) for _ in range(max(1, repeats // 2))]
        in_subprocess(True, cache_dir)  # writes the cache
        warm = [in_subprocess(True, cache_dir) for _ in range(repeats)]
    print("== Loading (fresh subprocess each time)")
    print(f"cold build, no cache:   {statistics.median(c['load'] for c in cold):7.2f} s   (median of {len(cold)})")
    print(f"warm load from cache:   {statistics.median(w['load'] * 1000 for w in warm):7.1f} ms  (median of {len(warm)}; imports {statistics.median(w['import'] for w in warm):.2f} s more)")
    print(f"resident memory after warm load: {statistics.median(w['rss'] for w in warm) / 2**20:.0f} MiB")
    print(f"resident memory after cold build: {statistics.median(c['rss'] for c in cold) / 2**20:.0f} MiB")


def realistic_queries(kg, count: int, seed: int = 7) -> list[tuple[list[str], list[str]]]:
    """10 present findings from one disease's annotations, 10 excluded ones from other diseases."""
    comp = kg.compiled
    rng = random.Random(seed)
    rich = [d for d in range(comp.n_diseases) if comp.ann_indptr[d + 1] - comp.ann_indptr[d] >= 10]
    queries = []
    for _ in range(count):
        terms = comp.annotations(rng.choice(rich))[0].tolist()
        present = rng.sample(terms, 10)
        absent: list[int] = []
        while len(absent) < 10:
            t = rng.choice(comp.annotations(rng.choice(rich))[0].tolist())
            if t not in present and t not in absent:
                absent.append(t)
        queries.append(([str(comp.terms[t]) for t in present], [str(comp.terms[t]) for t in absent]))
    return queries


def timing_figures(kg, repeats: int) -> None:
    from consultsim.kg.ranking import mean_ranks

    ranker = kg.ranker
    queries = realistic_queries(kg, repeats)
    omim = ranker.source_mask(["OMIM"])
    every = ranker.source_mask(None)

    def clear() -> None:
        ranker._present.cache_clear()
        ranker._absent.cache_clear()

    def core(present: list[str], absent: list[str], mask: np.ndarray) -> None:
        ev = kg.evidence(present, absent)
        mean_ranks(ranker.scores(ev.present, ev.absent)[mask])

    cases = [
        ("scores + mean ranks, OMIM", lambda p, a: core(p, a, omim)),
        ("scores + mean ranks, all diseases", lambda p, a: core(p, a, every)),
        ("kg.rank top 10 no explanations, OMIM", lambda p, a: kg.rank(p, a, ["OMIM"], 10, explain=False)),
        ("kg.rank top 10 no explanations, all", lambda p, a: kg.rank(p, a, None, 10, explain=False)),
        ("kg.rank top 10 with explanations, OMIM", lambda p, a: kg.rank(p, a, ["OMIM"], 10, explain=True)),
        ("kg.rank top 10 with explanations, all", lambda p, a: kg.rank(p, a, None, 10, explain=True)),
    ]
    print(f"== Ranking time, 10 present + 10 excluded findings (median of {len(queries)} queries)")
    print(f"{'':42s} {'fresh terms':>12s} {'cached':>10s}")
    for name, run in cases:
        fresh, cached = [], []
        for present, absent in queries:
            clear()
            start = time.perf_counter()
            run(present, absent)
            fresh.append(time.perf_counter() - start)
            start = time.perf_counter()
            run(present, absent)
            cached.append(time.perf_counter() - start)
        print(f"{name:42s} {statistics.median(fresh) * 1000:9.2f} ms {statistics.median(cached) * 1000:7.2f} ms")


def read_phenopackets(kg, folder: Path) -> list[dict]:
    """Patients whose disease is an OMIM disease of the graph, findings mapped to current terms."""
    comp = kg.compiled
    patients = []
    for path in sorted(folder.glob("*.json")):
        try:
            packet = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        diseases = [d.get("term", {}).get("id") for d in packet.get("diseases", [])]
        for interpretation in packet.get("interpretations", []):
            disease = interpretation.get("diagnosis", {}).get("disease")
            if disease:
                diseases.append(disease.get("id"))
        diseases = [d for d in dict.fromkeys(diseases) if d and d.startswith("OMIM:") and d in comp.disease_index]
        present: list[int] = []
        absent: list[int] = []
        for feature in packet.get("phenotypicFeatures", []):
            resolved = kg.ontology.resolve(feature.get("type", {}).get("id", ""))
            if resolved.id is None or resolved.id not in comp.term_index:
                continue
            index = comp.term_index[resolved.id]
            target = absent if feature.get("excluded") else present
            if index not in target:
                target.append(index)
        absent = [t for t in absent if t not in present]
        if diseases and (present or absent):
            patients.append({"file": path.name, "diseases": diseases, "present": present, "absent": absent})
    return patients


def summarise(ranks: list[float]) -> dict:
    r = np.asarray(ranks, dtype=float)
    return {
        "top1": float((r <= 1).mean()),
        "top3": float((r <= 3).mean()),
        "top10": float((r <= 10).mean()),
        "mrr": float((1.0 / r).mean()),
        "n": len(r),
    }


def accuracy_figures(kg) -> None:
    from consultsim.kg.ranking import Ranker

    if not PHENOPACKETS.is_dir():
        print(f"== Accuracy: skipped, no phenopackets at {PHENOPACKETS}")
        return
    patients = read_phenopackets(kg, PHENOPACKETS)
    if not patients:
        print(f"== Accuracy: skipped, no usable phenopackets in {PHENOPACKETS}")
        return
    omim = np.flatnonzero(kg.ranker.source_mask(["OMIM"]))
    position = {int(d): i for i, d in enumerate(omim)}

    def rank_with(score) -> list[float]:
        from consultsim.kg.ranking import mean_ranks

        out = []
        for p in patients:
            ranks = mean_ranks(score(p)[omim])
            out.append(min(ranks[position[kg.compiled.disease_index[d]]] for d in p["diseases"]))
        return out

    ranker = kg.ranker
    no_kin = Ranker(kg.compiled, kin_share=0.0)
    rows = [
        ("LR model, reported negatives (default)", rank_with(lambda p: ranker.scores(p["present"], p["absent"], "reported"))),
        ("LR model, asked negatives (consultation)", rank_with(lambda p: ranker.scores(p["present"], p["absent"], "asked"))),
        ("LR model, present only", rank_with(lambda p: ranker.scores(p["present"], []))),
        ("LR model, reported, without kin", rank_with(lambda p: no_kin.scores(p["present"], p["absent"], "reported"))),
        ("LR model, asked, without kin", rank_with(lambda p: no_kin.scores(p["present"], p["absent"], "asked"))),
        ("Resnik baseline (present only)", rank_with(lambda p: ranker.resnik_scores(p["present"]))),
    ]
    n_present = statistics.mean(len(p["present"]) for p in patients)
    n_absent = statistics.mean(len(p["absent"]) for p in patients)
    print(
        f"== Accuracy on {len(patients)} phenopackets with an OMIM disease of the graph "
        f"({n_present:.1f} present, {n_absent:.1f} excluded findings on average); ranks over OMIM, ties share mean ranks"
    )
    print(f"{'':42s} {'patients':9s} {'top-1':>6s} {'top-3':>6s} {'top-10':>6s} {'MRR':>6s} {'n':>4s}")
    for name, ranks in rows:
        for part, keep in (("all", lambda i: True), ("even", lambda i: i % 2 == 0), ("odd", lambda i: i % 2 == 1)):
            s = summarise([r for i, r in enumerate(ranks) if keep(i)])
            label = name if part == "all" else ""
            print(f"{label:42s} {part:9s} {s['top1']:6.1%} {s['top3']:6.1%} {s['top10']:6.1%} {s['mrr']:6.3f} {s['n']:4d}")
    print(
        "(reported: the excluded findings come from a record, where people write down the negatives they looked for; "
        "asked: answers to questions chosen in a consultation; kin: a disease also explains a finding through the "
        "disease of another source that shares a gene; see kg/ranking.py)"
    )


def question_figures(kg, repeats: int) -> None:
    """Question selection over the leading 50 diseases, from 3 present findings."""
    queries = [(present[:3], absent[:3]) for present, absent in realistic_queries(kg, repeats, seed=11)]
    kg.next_findings(*queries[0])  # builds the row matrix once
    times = []
    for present, absent in queries:
        start = time.perf_counter()
        kg.next_findings(present, absent, leaders=50, limit=5)
        times.append(time.perf_counter() - start)
    print(f"== Question selection, leading 50 diseases: median {statistics.median(times) * 1000:.1f} ms over {len(times)} queries")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    started = time.perf_counter()
    print(f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} CPUs")
    load_figures(repeats)

    from consultsim.kg.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.load()
    print(f"HPO {kg.version}: {kg.compiled.n_terms} terms, {kg.compiled.n_diseases} diseases")
    timing_figures(kg, 50 if args.quick else 200)
    question_figures(kg, 30 if args.quick else 100)
    accuracy_figures(kg)
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
