"""Read and write case files: YAML in, `Case` out, with errors that name file, line and field."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from consultsim.scenarios.errors import CaseError, Problem
from consultsim.scenarios.model import Case, Category, Reveal
from pydantic import ValidationError

MAX_BYTES = 5 * 1024 * 1024
CASE_SUFFIXES = (".yaml", ".yml")


# --- reading ----------------------------------------------------------------------------------


def read_text(path: Path, label: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The file as text, refusing what cannot be a hand-written text file."""
    label = label or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CaseError(
                [Problem(label, f"file is {size / 1e6:.1f} MB; files over {max_bytes // 2**20} MB are refused")]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseError([Problem(label, "no such file")]) from None
    except IsADirectoryError:
        raise CaseError([Problem(label, "is a folder, not a file")]) from None
    except PermissionError:
        raise CaseError([Problem(label, "permission denied")]) from None
    if b"\x00" in raw[:8192]:
        raise CaseError([Problem(label, "binary file, not a YAML text file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise CaseError(
            [Problem(label, f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8", line)]
        ) from None
    return text


class _Loader(yaml.SafeLoader):
    """A safe loader that rejects duplicate keys instead of keeping the last one."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


# Timestamps and dates would turn "2024-01-02" into a date object; cases keep text as text.
for _first, _resolvers in list(_Loader.yaml_implicit_resolvers.items()):
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx) for tag, rx in _resolvers if tag != "tag:yaml.org,2002:timestamp"
    ]


def parse_yaml(text: str, label: str) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (for line numbers)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(part for part in (err.context, err.problem) if part)
        raise CaseError([Problem(label, f"YAML syntax error: {what}", line)]) from None
    except yaml.YAMLError as err:
        raise CaseError([Problem(label, f"YAML error: {err}")]) from None
    finally:
        loader.dispose()
    return data, node


def node_line(root: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The line of the deepest node that exists on the path `loc`."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child = value_node
                    line = key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                child = node.value[part]
                line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field (check its spelling; `consultsim case schema` lists the fields)"
    if kind == "missing":
        return "required field is missing"
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    value = error.get("input")
    if isinstance(value, str | int | float | bool) and repr(value) not in message:
        message += f" (got {value!r})"
    return message


def _loc_for_user(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic puts the validator's name in a location ("function-after[...]"); users never wrote it.
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))


def validation_problems(err: ValidationError, label: str, root: yaml.Node | None) -> list[Problem]:
    problems = []
    for error in err.errors():
        loc = _loc_for_user(error["loc"])
        problems.append(Problem(label, _message(error), node_line(root, loc), format_loc(loc)))
    return problems


def structural_problems(case: Case, label: str, root: yaml.Node | None) -> list[Problem]:
    """What a valid schema cannot express: unique ids, something to elicit."""
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for index, finding in enumerate(case.findings):
        if finding.id in first_seen:
            loc = ("findings", index, "id")
            problems.append(
                Problem(
                    label,
                    f"duplicate finding id {finding.id!r} (also findings[{first_seen[finding.id]}])",
                    node_line(root, loc),
                    format_loc(loc),
                )
            )
        else:
            first_seen[finding.id] = index
    if not case.key_findings:
        problems.append(
            Problem(
                label,
                "no key findings: mark the findings the doctor must elicit with `key: true`",
                node_line(root, ("findings",)),
                "findings",
            )
        )
    if not any(f.category.patient_facing for f in case.findings):
        problems.append(
            Problem(
                label,
                "no patient-facing findings: the patient has nothing to tell",
                node_line(root, ("findings",)),
                "findings",
                severity="warning",
            )
        )
    return problems


def case_from_data(data: Any, label: str, root: yaml.Node | None = None) -> Case:
    """Validate already-parsed data into a `Case`, raising `CaseError` with every problem."""
    if data is None:
        raise CaseError([Problem(label, "empty file: a case needs at least id, title, patient, opening, findings and diagnosis")])
    if not isinstance(data, dict):
        raise CaseError(
            [Problem(label, f"a case file holds one mapping (key: value), not a {type(data).__name__}", node_line(root, ()))]
        )
    try:
        case = Case.model_validate(data)
    except ValidationError as err:
        raise CaseError(validation_problems(err, label, root)) from None
    errors = [p for p in structural_problems(case, label, root) if p.severity == "error"]
    if errors:
        raise CaseError(errors)
    return case


def load_case_with_nodes(path: str | os.PathLike[str]) -> tuple[Case, yaml.Node | None]:
    path = Path(path)
    label = str(path)
    text = read_text(path, label)
    if not text.strip():
        raise CaseError([Problem(label, "empty file: a case needs at least id, title, patient, opening, findings and diagnosis")])
    data, root = parse_yaml(text, label)
    return case_from_data(data, label, root), root


def load_case(path: str | os.PathLike[str]) -> Case:
    """Load one case file; raises `CaseError` naming the file, line and field of each problem."""
    return load_case_with_nodes(path)[0]


def loads_case(text: str, label: str = "<string>") -> Case:
    data, root = parse_yaml(text, label)
    return case_from_data(data, label, root)


def iter_case_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Case files under the given files and folders, folders searched recursively, sorted."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in CASE_SUFFIXES and p.is_file())
        else:
            yield path


def load_cases(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[tuple[Path, Case]], list[Problem]]:
    """Every loadable case, and the problems of the others: one bad file never hides the good."""
    cases: list[tuple[Path, Case]] = []
    problems: list[Problem] = []
    for path in iter_case_files(paths):
        try:
            cases.append((path, load_case(path)))
        except CaseError as err:
            problems.extend(err.problems)
    return cases, problems


# --- writing ----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # noqa: ANN001 - PyYAML's signature
        # Indent list items under their key, as people write YAML by hand.
        return super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def case_to_data(case: Case) -> dict[str, Any]:
    """Plain data for YAML: defaults left out, so files stay as short as a person would write them."""
    data = case.model_dump(mode="json", exclude_defaults=True)
    data = {"schema_version": case.schema_version, **data}
    for finding, raw in zip(case.findings, data.get("findings", []), strict=True):
        default = {Category.exam: Reveal.on_exam, Category.test: Reveal.on_test}.get(
            finding.category, Reveal.on_question
        )
        if finding.reveal is default:
            raw.pop("reveal", None)
    return data


def dumps_case(case: Case) -> str:
    text = yaml.dump(
        case_to_data(case),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text


def save_case(case: Case, path: str | os.PathLike[str]) -> Path:
    """Write a case as YAML; loading the file gives back an equal case."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps_case(case), encoding="utf-8")
    os.replace(tmp, path)
    return path
