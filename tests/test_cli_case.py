"""`consultsim case ...` as a user runs it: output, one-line errors and exit statuses."""

from __future__ import annotations

import json

import pytest
import yaml

from consultsim.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("consultsim 0.")


def test_schema_is_json_schema_with_the_case_fields(capsys):
    code, out, _ = run(capsys, "case", "schema")
    schema = json.loads(out)
    assert code == 0
    assert {"id", "patient", "findings", "diagnosis", "teaching_notes"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_list_of_a_folder_mixing_good_and_bad_files(capsys, tmp_path, case_data):
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(case_data))
    (tmp_path / "bad.yaml").write_text("id: [unclosed\n")
    (tmp_path / "notes.txt").write_text("ignored: not a case file")
    code, out, err = run(capsys, "case", "list", str(tmp_path), "--json")
    assert code == 2
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["chest-pain-demo"]
    assert rows[0]["findings"] == 3 and rows[0]["source"] == "consultsim"
    assert err.strip().splitlines() == [f"{tmp_path / 'bad.yaml'}:2: YAML syntax error: while parsing a flow sequence expected ',' or ']', but got '<stream end>'"]


def test_validate_reports_obsolete_and_unknown_hpo_with_replacement(capsys, tmp_path, case_data):
    case_data["findings"][0]["hpo"] = "HP:0001388"  # an alternative id in this HPO release
    case_data["findings"][1]["hpo"] = "HP:9999999"
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(case_data, sort_keys=False))
    code, out, err = run(capsys, "case", "validate", str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "findings[1].hpo: 'HP:9999999' is not a term of HPO release" in lines[1]
    assert "0 of 1 file valid" in out


def test_validate_suggests_replacement_for_an_obsolete_term(capsys, tmp_path, case_data):
    from consultsim.kg import get_ontology

    ontology = get_ontology()
    obsolete = next(t for t in ontology.terms.values() if t.obsolete and t.replaced_by in ontology)
    case_data["findings"][0]["hpo"] = obsolete.id
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(case_data, sort_keys=False))
    code, _, err = run(capsys, "case", "validate", str(path))
    assert code == 2
    assert f"'{obsolete.id}' is obsolete; use {obsolete.replaced_by}" in err


def test_validate_passes_a_good_case_and_json_mode(capsys, tmp_path, case_data):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(case_data, sort_keys=False))
    code, out, err = run(capsys, "case", "validate", str(path), "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"path": str(path), "id": "chest-pain-demo", "ok": True, "errors": [], "warnings": []}


def test_validate_strict_fails_on_warnings(capsys, tmp_path, case_data):
    del case_data["findings"][2]["procedure"]
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(case_data, sort_keys=False))
    assert run(capsys, "case", "validate", str(path))[0] == 0
    code, _, err = run(capsys, "case", "validate", "--strict", str(path))
    assert code == 2 and "has no `procedure`" in err


def test_missing_path_and_empty_folder_are_bad_input(capsys, tmp_path):
    code, _, err = run(capsys, "case", "validate", str(tmp_path / "nope"))
    assert code == 2 and err.count("\n") == 1 and "no such file or folder" in err
    code, _, err = run(capsys, "case", "list", str(tmp_path))
    assert code == 2 and "no case files" in err


@pytest.mark.parametrize(
    "argv",
    [["tui"], ["sweep", "x.yaml"], ["report"]],
)
def test_commands_of_later_issues_say_so_and_exit_1(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 1 and "not available yet" in err


def test_usage_error_is_one_line_exit_2(capsys):
    code, _, err = run(capsys, "case", "import", "csv", "x", "--out", "y")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "'csv' is not one of" in err
