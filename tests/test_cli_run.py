"""`consultsim run` as a researcher or a student runs it."""

from __future__ import annotations

import json

from consultsim.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_json_has_diagnosis_differential_score_transcript(capsys, tmp_path):
    code, out, err = run(capsys, "run", "nosebleeds-38f", "--max-turns", "8", "--db", str(tmp_path / "c.sqlite"), "--json")
    data = json.loads(out)
    assert code == 0, err
    assert {"diagnosis", "differential", "score", "transcript"} <= set(data)
    assert data["transcript"][0]["role"] == "patient" and data["transcript"][0]["action"] == "opening"
    assert {"diagnostic", "questioning", "usage"} <= set(data["score"])
    assert (tmp_path / "c.sqlite").exists()


def test_run_prints_a_transcript_and_a_scorecard(capsys):
    code, out, _ = run(capsys, "run", "nosebleeds-38f", "--max-turns", "4", "--db", ":memory:", "--specialists", "none")
    assert code == 0
    assert "scorecard: nosebleeds-38f" in out and "key findings elicited" in out
    assert "true diagnosis" in out


def test_run_on_an_imported_case_file(capsys, tmp_path, case_data):
    import yaml

    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(case_data))
    code, out, _ = run(capsys, "run", str(path), "--max-turns", "3", "--db", ":memory:", "--json")
    assert code == 0 and json.loads(out)["score"]["case_id"] == "chest-pain-demo"


def test_run_bad_input_is_one_line_exit_2(capsys):
    for argv, message in (
        (["run", "no-such-case"], "no such case"),
        (["run", "nosebleeds-38f", "--doctor", "surgeon"], "unknown doctor"),
        (["run", "nosebleeds-38f", "--doctor", "llm:broken"], "PROVIDER:MODEL"),
        (["run", "nosebleeds-38f", "--specialists", "astrology"], "unknown specialist"),
    ):
        code, _, err = run(capsys, *argv, "--db", ":memory:")
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1, (argv, err)


def test_run_with_the_offline_test_double_model(capsys):
    code, out, _ = run(capsys, "run", "nosebleeds-38f", "--doctor", "llm:fake:doctor", "--db", ":memory:", "--json")
    data = json.loads(out)
    assert code == 0
    assert [t["action"] for t in data["transcript"] if t["role"] == "doctor"][:3] == ["ask", "ask", "examine"]
    assert data["score"]["usage"]["models"] == ["fake:doctor"]
