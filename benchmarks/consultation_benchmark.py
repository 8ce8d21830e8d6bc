"""Consultation benchmark: speed of an offline consultation, and the `kg` doctor on phenopackets.

    python benchmarks/consultation_benchmark.py [--quick] [--cases N] [--budgets 5,10,20,40]

1. Speed: median wall time of an offline consultation (kg doctor, 20-question budget) including
   scoring, and the orchestration time per turn above the roles' own time.
2. Accuracy: the ../shared/data phenopackets are imported; the patient opens with one or two
   findings and reveals the rest only when asked. The `kg` doctor and the `random` doctor run at
   each budget over OMIM diseases; beside them, the full-information ranking (all present and
   excluded findings given at once). Ranks share ties as everywhere in consultsim.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from consultsim.kg import KGError, get_kg
from consultsim.scenarios import load_case, resolve_case
from consultsim.scenarios.importers import import_sources

from consultsim.consultation.runtime import Config, Consultation

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "phenopackets"


def timed_runtime(consultation: Consultation) -> dict[str, float]:
    """Wrap the roles so that their own time can be told apart from the graph's."""
    spent = {"roles": 0.0}
    runtime = consultation.runtime

    def wrap(obj, name):  # noqa: ANN001
        fn = getattr(obj, name)

        def inner(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent["roles"] += time.perf_counter() - start

        setattr(obj, name, inner)

    for name in ("patient_opening", "patient_ask", "specialist_opinion", "kg_summary", "doctor_final"):
        wrap(runtime, name)
    wrap(runtime.doctor, "decide")
    wrap(runtime.examiner, "request")
    return spent


def timed_scoring() -> dict[str, float]:
    """Time the scorer apart from the graph."""
    import consultsim.consultation.runtime as runtime_module

    spent = {"scoring": 0.0}
    original = runtime_module.score

    def inner(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["scoring"] += time.perf_counter() - start

    runtime_module.score = inner
    return spent


def speed(repeats: int) -> None:
    kg = get_kg()
    case = load_case(resolve_case("nosebleeds-38f"))
    Consultation(case, Config(max_turns=20), kg=kg).run()  # warm the caches
    totals, per_turn, scoring = [], [], []
    scored = timed_scoring()
    for seed in range(repeats):
        scored["scoring"] = 0.0
        start = time.perf_counter()
        consultation = Consultation(case, Config(max_turns=20, seed=seed, specialists="none"), kg=kg)
        spent = timed_runtime(consultation)
        invoked = consultation.graph.invoke
        graph_time = {"t": 0.0}

        def timed_invoke(*args, _invoke=invoked, graph_time=graph_time, **kwargs):  # noqa: ANN002, ANN003
            begin = time.perf_counter()
            try:
                return _invoke(*args, **kwargs)
            finally:
                graph_time["t"] += time.perf_counter() - begin

        consultation.graph.invoke = timed_invoke
        result = consultation.run()
        totals.append(time.perf_counter() - start)
        scoring.append(scored["scoring"])
        doctor_turns = sum(1 for t in result.transcript if t.role == "doctor")
        # The graph's own time: the invocation less what the roles spent inside it.
        per_turn.append((graph_time["t"] - spent["roles"]) / max(doctor_turns, 1))
    print("== Speed (library case nosebleeds-38f, kg doctor, budget 20, scoring included)")
    print(f"consultation wall time: median {statistics.median(totals) * 1000:.1f} ms over {repeats} runs")
    print(f"of which scoring: median {statistics.median(scoring) * 1000:.1f} ms")
    print(f"orchestration (graph invocation less the roles' own time): median {statistics.median(per_turn) * 1000:.2f} ms per doctor action")


def accuracy(limit: int | None, budgets: list[int]) -> None:
    if not SHARED.is_dir():
        print(f"== Accuracy skipped: {SHARED} not found")
        return
    kg = get_kg()
    out = Path(tempfile.mkdtemp(prefix="consultsim-bench-"))
    import_sources("phenopacket", [SHARED], out)
    cases = []
    for path in sorted(out.glob("*.yaml")):
        case = load_case(path)
        ids = [i for i in case.diagnosis.ids if i.startswith("OMIM:") and i in kg.compiled.disease_index]
        if ids and any(f.hpo and f.present for f in case.findings):
            cases.append((case, ids))
    if limit:
        cases = cases[:limit]
    print(f"== Accuracy on {len(cases)} imported phenopackets with an OMIM disease of the graph (ranks over OMIM)")

    full = []
    for case, ids in cases:
        present = sorted({f.hpo for f in case.findings if f.hpo and f.present})
        absent = sorted({f.hpo for f in case.findings if f.hpo and not f.present} - set(present))
        try:
            ev = kg.evidence(present, absent)
            full.append(kg.rank_of(ids, ev.present, ev.absent, ["OMIM"]))
        except KGError:
            full.append(None)
    f1, f10 = _tops(full)
    print(f"{'full information':<22} {'':>8} top-1 {f1:6.1%}  top-10 {f10:6.1%}")
    for doctor in ("kg", "random"):
        for budget in budgets:
            ranks = []
            start = time.perf_counter()
            for case, _ in cases:
                config = Config(doctor=doctor, max_turns=budget, specialists="none", sources=["OMIM"])
                result = Consultation(case, config, kg=kg).run()
                ranks.append(result.scorecard.diagnostic.rank)
            t1, t10 = _tops(ranks)
            share = t10 / f10 if f10 else 0.0
            elapsed = (time.perf_counter() - start) / len(cases)
            print(f"{doctor + ' doctor':<22} {budget:>3} q    top-1 {t1:6.1%}  top-10 {t10:6.1%}  ({share:.0%} of full-information top-10; {elapsed * 1000:.0f} ms a case)", flush=True)


def _tops(ranks: list) -> tuple[float, float]:
    n = len(ranks) or 1
    return sum(1 for r in ranks if r is not None and r <= 1) / n, sum(1 for r in ranks if r is not None and r <= 10) / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="40 cases, budgets 10 and 20, 5 speed runs")
    parser.add_argument("--cases", type=int, default=None, help="use only the first N cases")
    parser.add_argument("--budgets", default="5,10,20,40")
    args = parser.parse_args(argv)
    budgets = [int(b) for b in args.budgets.split(",")]
    if args.quick:
        budgets = [10, 20]
    speed(5 if args.quick else 15)
    accuracy(args.cases or (40 if args.quick else None), budgets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
