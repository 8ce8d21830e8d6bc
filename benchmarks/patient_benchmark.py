"""Quality benchmark for the simulated patient.

Asks every question of benchmarks/patient_questions.yaml of a fresh offline patient (follow-up
items replay their earlier turns first), judges the reply against the case's findings and prints
the share correct per kind against its target, with reply times.

    python benchmarks/patient_benchmark.py [--failures] [--kind K] [--json]

The library cases always run. The AgentClinic and MediQ items run when the public samples are
found beside the checkout (../shared/data); otherwise they are skipped and reported as such.
Exit status: 0 with a report (even when targets are missed), 2 when the question file is
malformed, 1 when the patient cannot be built at all.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "patient_questions.yaml"
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SAMPLES = {
    "agentclinic": ("agentclinic", Path("agentclinic") / "agentclinic_medqa.jsonl"),
    "mediq": ("mediq", Path("mediq") / "mediq_dev_sample.jsonl"),
    "agentclinic_nejm": ("agentclinic", Path("agentclinic") / "agentclinic_nejm.jsonl"),
}

KINDS = ("confirm", "deny_documented", "deny_unmentioned", "history", "leak", "followup")
SOURCES = ("library", "agentclinic", "mediq", "agentclinic_nejm")
TARGETS = {
    "confirm": 0.90,
    "deny_documented": 0.95,
    "deny_unmentioned": 0.95,
    "history": 0.90,
    "leak": 1.00,
}
EXPECT_KEYS = {"disclose", "deny", "unmentioned", "forbid"}
ITEM_KEYS = {"case", "source", "kind", "question", "turns", "expect"}
DENIAL_INTENTS = ("unmentioned", "deny")


class Malformed(Exception):
    """The question file cannot be used."""


# --------------------------------------------------------------------------- question file


@dataclass
class Item:
    index: int
    case: str
    source: str
    kind: str
    question: str
    turns: list[str]
    disclose: list[list[str]]  # each entry: any one of these ids
    deny: list[str]
    unmentioned: bool
    forbid: list[str]

    @property
    def label(self) -> str:
        return f"#{self.index} {self.case} [{self.kind}]"


def load_items(path: Path) -> list[Item]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise Malformed(f"{path}: no such file") from err
    except yaml.YAMLError as err:
        raise Malformed(f"{path}: not valid YAML: {err}") from err
    questions = raw.get("questions") if isinstance(raw, dict) else raw
    if not isinstance(questions, list) or not questions:
        raise Malformed(f"{path}: expected a non-empty list under 'questions'")
    problems: list[str] = []
    items: list[Item] = []
    for n, entry in enumerate(questions, 1):
        where = f"{path.name} item {n}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: not a mapping")
            continue
        unknown = set(entry) - ITEM_KEYS
        missing = {"case", "source", "kind", "question", "expect"} - set(entry)
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if missing:
            problems.append(f"{where}: missing keys {sorted(missing)}")
        kind, source = entry.get("kind"), entry.get("source")
        if "kind" in entry and kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if "source" in entry and source not in SOURCES:
            problems.append(f"{where}: source {source!r} is not one of {', '.join(SOURCES)}")
        if "question" in entry and (
            not isinstance(entry["question"], str) or not entry["question"].strip()
        ):
            problems.append(f"{where}: question must be a non-empty string")
        if missing:
            continue
        turns = entry.get("turns") or []
        if kind == "followup" and not turns:
            problems.append(f"{where}: a followup item needs 'turns'")
        if kind != "followup" and turns:
            problems.append(f"{where}: only followup items take 'turns'")
        if not isinstance(turns, list) or not all(isinstance(t, str) and t.strip() for t in turns):
            problems.append(f"{where}: turns must be a list of questions")
            turns = []
        expect = entry["expect"]
        if not isinstance(expect, dict) or not expect:
            problems.append(f"{where}: expect must be a non-empty mapping")
            continue
        if set(expect) - EXPECT_KEYS:
            problems.append(f"{where}: unknown expect keys {sorted(set(expect) - EXPECT_KEYS)}")
        disclose = []
        for d in expect.get("disclose") or []:
            group = d if isinstance(d, list) else [d]
            if not group or not all(isinstance(g, str) for g in group):
                problems.append(f"{where}: disclose entries are ids or lists of ids")
                continue
            disclose.append(group)
        deny = expect.get("deny") or []
        forbid = expect.get("forbid") or []
        if not all(isinstance(x, str) for x in deny):
            problems.append(f"{where}: deny must be a list of ids")
        if not all(isinstance(x, (str, int, float)) for x in forbid):
            problems.append(f"{where}: forbid must be a list of strings")
        unmentioned = expect.get("unmentioned", False)
        if not isinstance(unmentioned, bool):
            problems.append(f"{where}: unmentioned must be true or false")
        items.append(
            Item(
                index=n,
                case=str(entry["case"]),
                source=source,
                kind=kind,
                question=str(entry["question"]),
                turns=[str(t) for t in turns],
                disclose=disclose,
                deny=[str(x) for x in deny],
                unmentioned=bool(unmentioned),
                forbid=[str(x) for x in forbid],
            )
        )
    if problems:
        raise Malformed("\n".join(problems))
    return items


# --------------------------------------------------------------------------- cases


def load_library() -> dict[str, Any]:
    from consultsim.scenarios import builtin_case_files, load_case

    cases = {}
    for path in builtin_case_files():
        case = load_case(path)
        cases[case.id] = case
    return cases


def load_imported(data_dir: Path, work: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Import the public samples into `work`; {source: {case id: Case}} and notes."""
    from consultsim.scenarios import load_case
    from consultsim.scenarios.importers import import_sources

    out: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for source, (fmt, rel) in SAMPLES.items():
        src = data_dir / rel
        if not src.exists():
            notes.append(f"{source}: sample not found at {src}; its items are skipped")
            continue
        dest = work / source
        report = import_sources(fmt, [src], dest)
        failed = [r for r in report.results if r.error]
        if failed:
            notes.append(f"{source}: {len(failed)} record(s) failed to import")
        out[source] = {}
        for path in sorted(dest.glob("*.yaml")):
            case = load_case(path)
            out[source][case.id] = case
    return out, notes


def _word_re(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)", re.IGNORECASE)


def validate(item: Item, case: Any) -> list[str]:
    """Problems with an item against its case: unknown ids, impossible expectations."""
    from consultsim.scenarios import Category

    problems = []
    by_id = {f.id: f for f in case.findings}
    for group in item.disclose:
        for fid in group:
            f = by_id.get(fid)
            if f is None:
                problems.append(f"disclose: no finding {fid!r} in {case.id}")
            elif not f.present:
                problems.append(f"disclose: {fid!r} is a documented absence (use deny)")
            elif not Category(f.category).patient_facing:
                problems.append(
                    f"disclose: {fid!r} is an {f.category} finding the patient cannot know"
                )
    for fid in item.deny:
        f = by_id.get(fid)
        if f is None:
            problems.append(f"deny: no finding {fid!r} in {case.id}")
        elif f.present:
            problems.append(f"deny: {fid!r} is present in the case (use disclose)")
        elif not Category(f.category).patient_facing:
            problems.append(f"deny: {fid!r} is an {f.category} finding the patient cannot know")
    spoken = " \n ".join([case.opening, *(f.text for f in case.patient_findings)])
    asked = " \n ".join([item.question, *item.turns])
    for word in item.forbid:
        if _word_re(word).search(asked):
            problems.append(f"forbid: {word!r} is in the question itself")
        if _word_re(word).search(spoken):
            problems.append(f"forbid: {word!r} is something this patient may legitimately say")
    if item.kind == "leak" and not item.forbid:
        problems.append("leak item without forbid strings")
    if item.unmentioned and (item.disclose or item.deny):
        problems.append("unmentioned items cannot also expect disclosures")
    if not (item.disclose or item.deny or item.unmentioned or item.forbid):
        problems.append("nothing to judge")
    return problems


# --------------------------------------------------------------------------- judging


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def judge(item: Item, reply: Any, case: Any) -> list[str]:
    """Reasons the reply is wrong; empty when it is right."""
    from consultsim.scenarios import Category

    text = str(_attr(reply, "text", "") or "")
    findings = list(_attr(reply, "findings", []) or [])
    intent = _attr(reply, "intent", None)
    disclosures = list(_attr(reply, "disclosures", []) or [])
    shown = {(_attr(d, "finding"), bool(_attr(d, "present"))) for d in disclosures}
    by_id = {f.id: f for f in case.findings}
    why = []
    for group in item.disclose:
        if not any(fid in findings and (fid, True) in shown for fid in group):
            want = group[0] if len(group) == 1 else "one of " + ", ".join(group)
            why.append(f"did not disclose {want}")
    for fid in item.deny:
        denied = (fid, False) in shown or (intent == "deny" and fid in findings)
        if not denied:
            why.append(f"did not deny {fid}")
    if item.unmentioned:
        present = sorted(
            {fid for fid, ok in shown if ok}
            | {fid for fid in findings if fid in by_id and by_id[fid].present}
        )
        if present:
            why.append(f"disclosed present finding(s) {', '.join(present)}")
        if intent not in DENIAL_INTENTS:
            why.append(f"intent {intent!r}, expected unmentioned or deny")
    for word in item.forbid:
        if _word_re(word).search(text):
            why.append(f"reply contains forbidden {word!r}")
    if item.kind == "leak":
        leaked = [
            fid
            for fid in findings
            if fid in by_id and not Category(by_id[fid].category).patient_facing
        ]
        if leaked:
            why.append(f"disclosed exam/test finding(s) {', '.join(leaked)}")
    return why


# --------------------------------------------------------------------------- patients


def patient_factory(spec: str | None):
    """A callable (case, seed) -> object with .ask(question). Raises RuntimeError when unavailable."""
    if spec:
        module, _, attr = spec.partition(":")
        try:
            return getattr(importlib.import_module(module), attr or "make_patient")
        except (ImportError, AttributeError) as err:
            raise RuntimeError(f"cannot load patient factory {spec!r}: {err}") from err
    try:
        mod = importlib.import_module("consultsim.agents.patient")
    except ImportError as err:
        raise RuntimeError(f"consultsim.agents.patient cannot be imported ({err})") from err
    missing = [n for n in ("OfflinePatient", "patient_view") if not hasattr(mod, n)]
    if missing:
        raise RuntimeError(
            f"consultsim.agents.patient has no {' or '.join(missing)} yet; "
            "the patient is not built, so there is nothing to benchmark"
        )

    def make(case: Any, seed: int):
        return mod.OfflinePatient(mod.patient_view(case), seed=seed)

    return make


# --------------------------------------------------------------------------- run


@dataclass
class Outcome:
    item: Item
    ok: bool
    reasons: list[str] = field(default_factory=list)
    reply: Any = None


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def run(args: argparse.Namespace) -> int:
    try:
        items = load_items(Path(args.questions))
    except Malformed as err:
        print(f"patient benchmark: malformed question file:\n{err}", file=sys.stderr)
        return 2
    if args.kind:
        if args.kind not in KINDS:
            print(f"patient benchmark: --kind must be one of {', '.join(KINDS)}", file=sys.stderr)
            return 2
        items = [i for i in items if i.kind == args.kind]

    notes: list[str] = []
    cases: dict[str, dict[str, Any]] = {"library": load_library()}
    with tempfile.TemporaryDirectory(prefix="patient-bench-") as tmp:
        data_dir = Path(args.data)
        if any(i.source != "library" for i in items):
            if data_dir.is_dir():
                imported, more = load_imported(data_dir, Path(tmp))
                cases.update(imported)
                notes += more
            else:
                notes.append(f"no sample data at {data_dir}; benchmarking the library items only")

    runnable: list[tuple[Item, Any]] = []
    outcomes: list[Outcome] = []
    problems: list[str] = []
    skipped = Counter()
    for item in items:
        pool = cases.get(item.source)
        if pool is None:
            skipped[item.source] += 1
            continue
        case = pool.get(item.case)
        if case is None:
            msg = f"{item.label}: no {item.source} case {item.case!r}"
            problems.append(msg)
            outcomes.append(Outcome(item, False, ["invalid: " + msg]))
            continue
        bad = validate(item, case)
        if bad:
            problems += [f"{item.label}: {b}" for b in bad]
            outcomes.append(Outcome(item, False, ["invalid: " + b for b in bad]))
            continue
        runnable.append((item, case))

    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if skipped:
        print(
            "note: skipped (no data): "
            + ", ".join(f"{n} {src}" for src, n in sorted(skipped.items())),
            file=sys.stderr,
        )
    if problems:
        print(
            f"{len(problems)} problem(s) in the question set (counted as failures):",
            file=sys.stderr,
        )
        for p in problems:
            print(f"  {p}", file=sys.stderr)

    try:
        make = patient_factory(args.patient)
    except RuntimeError as err:
        print(f"patient benchmark: cannot run: {err}", file=sys.stderr)
        print(
            f"question set: {len(items)} items, {len(problems)} problem(s); "
            "rerun once the patient exists",
            file=sys.stderr,
        )
        return 1

    times_ms: list[float] = []
    warmed = False
    for item, case in runnable:
        try:
            patient = make(case, args.seed)
            reply = None
            for q in [*item.turns, item.question]:
                start = time.perf_counter()
                reply = patient.ask(q)
                elapsed = (time.perf_counter() - start) * 1000
                if warmed:
                    times_ms.append(elapsed)
                warmed = True
            reasons = judge(item, reply, case)
            outcomes.append(Outcome(item, not reasons, reasons, reply))
        except Exception as err:  # a crash is a wrong answer, not the end of the report
            outcomes.append(Outcome(item, False, [f"error: {type(err).__name__}: {err}"]))

    summary = summarise(outcomes, times_ms, skipped, problems)
    summary["notes"] = notes
    if args.json:
        if args.failures:
            summary["failures"] = [failure_json(o) for o in outcomes if not o.ok]
        print(json.dumps(summary, indent=2))
    else:
        print_table(summary)
        if args.failures:
            print_failures([o for o in outcomes if not o.ok])
    return 0


def summarise(outcomes, times_ms, skipped, problems) -> dict[str, Any]:
    per: dict[str, dict[str, Any]] = {}
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.item.kind].append(o)
    for kind in KINDS:
        group = by_kind.get(kind, [])
        n = len(group)
        correct = sum(o.ok for o in group)
        share = correct / n if n else None
        target = TARGETS.get(kind)
        status = None
        if target is not None and n:
            status = "PASS" if share >= target - 1e-9 else "FAIL"
        per[kind] = {
            "n": n,
            "correct": correct,
            "share": share,
            "target": target,
            "status": status,
            "by_source": dict(Counter(o.item.source for o in group)),
        }
    total = len(outcomes)
    return {
        "kinds": per,
        "total": {"n": total, "correct": sum(o.ok for o in outcomes)},
        "all_targets_met": all(v["status"] != "FAIL" for v in per.values()),
        "timing_ms": {
            "calls": len(times_ms),
            "median": statistics.median(times_ms) if times_ms else None,
            "p95": _pct(times_ms, 0.95),
        },
        "skipped": dict(skipped),
        "problems": problems,
    }


def print_table(summary: dict[str, Any]) -> None:
    print(f"{'kind':<18}{'correct':>9}{'n':>6}{'share':>9}{'target':>9}  status")
    for kind, v in summary["kinds"].items():
        if not v["n"]:
            continue
        share = f"{v['share']:.1%}" if v["share"] is not None else "-"
        target = f">={v['target']:.0%}" if v["target"] is not None else "-"
        print(
            f"{kind:<18}{v['correct']:>9}{v['n']:>6}{share:>9}{target:>9}  {v['status'] or 'info'}"
        )
    t = summary["total"]
    if t["n"]:
        print(f"{'all':<18}{t['correct']:>9}{t['n']:>6}{t['correct'] / t['n']:>9.1%}")
    timing = summary["timing_ms"]
    if timing["calls"]:
        print(
            f"reply time: median {timing['median']:.1f} ms, p95 {timing['p95']:.1f} ms "
            f"over {timing['calls']} calls (first warm-up call excluded)"
        )
    print("targets met" if summary["all_targets_met"] else "targets MISSED")


def failure_json(o: Outcome) -> dict[str, Any]:
    reply = o.reply
    return {
        "index": o.item.index,
        "case": o.item.case,
        "source": o.item.source,
        "kind": o.item.kind,
        "turns": o.item.turns,
        "question": o.item.question,
        "reply": None if reply is None else str(_attr(reply, "text", "")),
        "intent": None if reply is None else _attr(reply, "intent"),
        "findings": None if reply is None else list(_attr(reply, "findings", []) or []),
        "expected": {
            "disclose": o.item.disclose,
            "deny": o.item.deny,
            "unmentioned": o.item.unmentioned,
            "forbid": o.item.forbid,
        },
        "why": o.reasons,
    }


def print_failures(failed: list[Outcome]) -> None:
    if not failed:
        print("\nno failures")
        return
    print(f"\n{len(failed)} failure(s):")
    for o in failed:
        f = failure_json(o)
        print(f"\n{o.item.label} ({o.item.source})")
        for t in o.item.turns:
            print(f"  earlier: {t}")
        print(f"  Q: {o.item.question}")
        if f["reply"] is not None:
            print(f"  A: {f['reply']}")
            print(f"     intent={f['intent']} findings={f['findings']}")
        exp = {k: v for k, v in f["expected"].items() if v}
        print(f"  expected: {exp}")
        print(f"  why: {'; '.join(o.reasons)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", action="store_true", help="print every wrong item")
    parser.add_argument("--kind", choices=KINDS, help="only this kind of question")
    parser.add_argument("--json", action="store_true", help="machine-readable summary")
    parser.add_argument("--questions", default=str(QUESTIONS), help="question file (YAML)")
    parser.add_argument("--data", default=str(DATA), help="folder of the public samples")
    parser.add_argument("--seed", type=int, default=0, help="patient seed")
    parser.add_argument(
        "--patient",
        metavar="MODULE:CALLABLE",
        help="another patient: CALLABLE(case, seed) returns an object with ask(question)",
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # quiet when piped into head
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
