"""The case model, loading and saving: what an educator sees when a file is right or wrong."""

from __future__ import annotations

import pytest
from consultsim.scenarios import CaseError, dumps_case, load_case, loads_case, save_case
from consultsim.scenarios.model import Case, Reveal


def _messages(err: CaseError) -> list[str]:
    return [str(p) for p in err.problems]


def test_valid_case_loads_with_defaults(write_case, case_data):
    case = load_case(write_case(case_data))
    assert case.id == "chest-pain-demo"
    assert [f.reveal for f in case.findings] == [Reveal.volunteered, Reveal.on_question, Reveal.on_test]
    assert [f.id for f in case.key_findings] == ["chest-pain", "st-elevation"]
    assert [f.id for f in case.patient_findings] == ["chest-pain", "no-fever"]


def test_round_trip_is_stable(tmp_path, case_data):
    case = Case.model_validate(case_data)
    first = save_case(case, tmp_path / "a.yaml")
    again = load_case(first)
    assert again == case
    save_case(again, tmp_path / "b.yaml")
    assert (tmp_path / "a.yaml").read_text() == (tmp_path / "b.yaml").read_text()


def test_saved_yaml_leaves_out_defaults_and_keeps_order(case_data):
    text = dumps_case(Case.model_validate(case_data))
    assert text.startswith("schema_version: 1\nid: chest-pain-demo\n")
    assert "present: true" not in text and "reveal: on_question" not in text
    assert "reveal: volunteered" in text


def test_multiline_text_survives_round_trip(case_data):
    case_data["teaching_notes"] = "Line one.\nLine two: with a colon.\n"
    case = Case.model_validate(case_data)
    text = dumps_case(case)
    assert "teaching_notes: |" in text
    assert loads_case(text) == case


def test_error_names_file_line_and_field_path(write_case):
    text = """\
id: bad-hpo
title: T
specialties: [neurology]
patient: {age_years: 30}
opening: I feel odd.
findings:
  - id: a
    category: presenting_complaint
    text: I feel odd.
    key: true
  - id: b
    category: history_of_present_illness
    text: I shake.
    hpo: HP:12
diagnosis: {name: Epilepsy}
"""
    path = write_case(text, "foo.yaml")
    with pytest.raises(CaseError) as err:
        load_case(path)
    assert _messages(err.value) == [f"{path}:14: findings[1].hpo: 'HP:12' is not an HPO id (expected HP: and seven digits, e.g. HP:0001250)"]


def test_unknown_field_is_rejected_and_named(write_case, case_data):
    case_data["findings"][1]["colour"] = "red"
    with pytest.raises(CaseError) as err:
        load_case(write_case(case_data))
    (message,) = _messages(err.value)
    assert "findings[1].colour: unknown field" in message


def test_wrong_type_and_missing_field(write_case, case_data):
    case_data["patient"]["age_years"] = "old"
    del case_data["opening"]
    with pytest.raises(CaseError) as err:
        load_case(write_case(case_data))
    messages = _messages(err.value)
    assert any("patient.age_years:" in m and "'old'" in m for m in messages)
    assert any("opening: required field is missing" in m for m in messages)


def test_unknown_specialty_suggests_the_right_one(write_case, case_data):
    case_data["specialties"] = ["cardiolgy"]
    with pytest.raises(CaseError, match="did you mean 'cardiology'"):
        load_case(write_case(case_data))


def test_duplicate_finding_ids_and_no_key_findings(write_case, case_data):
    case_data["findings"][1]["id"] = "chest-pain"
    for finding in case_data["findings"]:
        finding["key"] = False
    with pytest.raises(CaseError) as err:
        load_case(write_case(case_data))
    messages = " | ".join(_messages(err.value))
    assert "findings[1].id: duplicate finding id 'chest-pain' (also findings[0])" in messages
    assert "no key findings" in messages


def test_reveal_must_fit_category(write_case, case_data):
    case_data["findings"][2]["reveal"] = "on_question"
    with pytest.raises(CaseError, match=r"findings\[2\]: an test finding must have reveal: on_test|findings\[2\]:.*on_test"):
        load_case(write_case(case_data))


def test_missing_diagnosis_is_an_error(write_case, case_data):
    del case_data["diagnosis"]
    with pytest.raises(CaseError, match="diagnosis: required field is missing"):
        load_case(write_case(case_data))


def test_yaml_syntax_error_gives_its_line(write_case):
    path = write_case("id: x\ntitle: [unclosed\nopening: hi\n")
    with pytest.raises(CaseError) as err:
        load_case(path)
    (problem,) = err.value.problems
    assert problem.line == 3 and "YAML syntax error" in problem.message


def test_duplicate_yaml_keys_are_rejected(write_case):
    path = write_case("id: x\ntitle: A\ntitle: B\n")
    with pytest.raises(CaseError, match=r":3: YAML syntax error: duplicate key 'title' \(first on line 2\)"):
        load_case(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"id: caf\xe9\n", "not UTF-8"),
        (b"- a\n- b\n", "one mapping"),
    ],
)
def test_unusable_files_get_one_clear_problem(tmp_path, content, expected):
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    with pytest.raises(CaseError) as err:
        load_case(path)
    (problem,) = err.value.problems
    assert expected in problem.message and problem.file == str(path)


def test_files_over_5_mb_are_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (600 * 1024))
    with pytest.raises(CaseError, match="over 5 MB are refused"):
        load_case(path)


def test_caregiver_defaults_to_parent(case_data):
    case_data["patient"].update(age_years=0.5, speaker="caregiver")
    case = Case.model_validate(case_data)
    assert case.patient.caregiver == "parent"
    assert case.patient.age_text == "6 months"
