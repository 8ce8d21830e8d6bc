"""Knowledge graph: search, disease lookup, question selection, tools and the command line."""

from __future__ import annotations

import json

import pytest
from consultsim.kg import KGError, get_kg

from consultsim.cli import main

MARFAN, LOEYS_DIETZ = "OMIM:154700", "OMIM:609192"
ARACHNODACTYLY, AORTIC_ROOT_ANEURYSM, BIFID_UVULA = "HP:0001166", "HP:0002616", "HP:0000193"


@pytest.fixture(scope="module")
def kg():
    return get_kg()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seizures", "HP:0001250"),
        ("nose bleeds", "HP:0000421"),  # a layperson synonym
        ("arachnodactily", "HP:0001166"),  # a typo
        ("Heart murmur", "HP:0030148"),
    ],
)
def test_search_finds_terms_from_lay_words_and_typos(kg, text, expected):
    assert kg.search(text, 3)[0].id == expected


def test_disease_lookup_by_name_and_id(kg):
    assert kg.search_diseases("marfan", 3)[0].name == "Marfan syndrome"
    info = kg.disease(MARFAN)
    labels = {p["label"] for p in info["phenotypes"]}
    assert {"Arachnodactyly", "Ectopia lentis"} <= labels
    assert "cardiology" in info["specialties"]
    with pytest.raises(KGError, match="not a disease"):
        kg.disease("OMIM:999999")


def test_chosen_question_separates_two_look_alikes(kg):
    # Marfan and Loeys-Dietz share tall, thin fingers and an aortic root aneurysm.
    questions = kg.next_findings([ARACHNODACTYLY, AORTIC_ROOT_ANEURYSM], among=[MARFAN, LOEYS_DIETZ], limit=3)
    best = questions[0]
    assert best.gain_bits > 0.3
    marfan = {p["id"]: p["frequency"] for p in kg.disease(MARFAN)["phenotypes"]}
    lds = {p["id"]: p["frequency"] for p in kg.disease(LOEYS_DIETZ)["phenotypes"]}
    # The finding is common in one disease and absent or rare in the other.
    assert abs(marfan.get(best.id, 0.0) - lds.get(best.id, 0.0)) >= 0.4 or best.id in (BIFID_UVULA,)
    assert "Loeys-Dietz syndrome 1" in best.favours_yes + best.favours_no


def test_questions_skip_what_is_already_known(kg):
    questions = kg.next_findings([ARACHNODACTYLY], absent=[BIFID_UVULA], limit=20)
    ids = {q.id for q in questions}
    assert ARACHNODACTYLY not in ids and BIFID_UVULA not in ids
    # Ancestors of a present finding are implied, so never asked.
    assert "HP:0001167" not in ids  # Abnormality of finger (ancestor of arachnodactyly)


def test_questions_within_a_specialty(kg):
    questions = kg.next_findings([ARACHNODACTYLY, AORTIC_ROOT_ANEURYSM], specialty="ophthalmology", limit=5)
    assert questions and all("ophthalmology" in q.specialties for q in questions)
    with pytest.raises(KGError, match="unknown specialty"):
        kg.next_findings([ARACHNODACTYLY], specialty="astrology")


@pytest.mark.parametrize(
    ("present", "absent", "message"),
    [
        (["OMIM:154700"], [], "is a disease id, not a phenotype"),
        (["HP:12"], [], "is not an HPO id"),
        (["HP:9999999"], [], "is not a term of HPO"),
        ([ARACHNODACTYLY], [ARACHNODACTYLY], "both present and absent"),
        ([], [], "no findings given"),
        (["HP:0000006"], [], "not a phenotypic abnormality"),  # autosomal dominant inheritance
    ],
)
def test_bad_evidence_raises_one_documented_error(kg, present, absent, message):
    with pytest.raises(KGError, match=message):
        kg.rank(present, absent)


def test_alternative_ids_are_mapped_with_a_warning(kg):
    result = kg.rank(["HP:0001388"], top=1)  # an alternative id of Joint laxity
    assert result.warnings and "used HP:" in result.warnings[0]


def test_tools_return_compact_json_and_errors_as_data(kg):
    from consultsim.kg.tools import make_tools

    tools = {t.name: t for t in make_tools(kg)}
    assert set(tools) == {"rank_diseases", "next_findings", "search_phenotypes", "lookup_disease"}
    ranked = json.loads(tools["rank_diseases"].invoke({"present": [ARACHNODACTYLY, AORTIC_ROOT_ANEURYSM], "top": 3}))
    assert len(ranked["diseases"]) == 3 and "Arachnodactyly" in ranked["diseases"][0]["matched"]
    assert "error" in json.loads(tools["rank_diseases"].invoke({"present": ["HP:12"]}))
    assert json.loads(tools["lookup_disease"].invoke({"query": "Marfan syndrome"}))["name"] == "Marfan syndrome"


def test_cli_rank_json(capsys):
    code, out, _ = run(capsys, "kg", "rank", "-p", f"{ARACHNODACTYLY},{AORTIC_ROOT_ANEURYSM}", "--source", "OMIM", "--top", "3", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["diseases"]) == 3
    assert {"id", "name", "score", "rank", "matched"} <= set(data["diseases"][0])
    assert all(d["id"].startswith("OMIM:") for d in data["diseases"])


def test_cli_rank_batch_one_line_out_per_line_in(capsys, tmp_path):
    batch = tmp_path / "patients.jsonl"
    batch.write_text(
        json.dumps({"id": "p1", "present": [ARACHNODACTYLY], "absent": [BIFID_UVULA]}) + "\n"
        + json.dumps({"id": "p2", "present": ["HP:12"]}) + "\n"
        + json.dumps({"id": "p3", "present": ["HP:0000421", "HP:0001009"]}) + "\n"
    )
    code, out, err = run(capsys, "kg", "rank", "--batch", str(batch), "--top", "2", "--no-explain")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 2  # one bad line
    assert [x["id"] for x in lines] == ["p1", "p2", "p3"]
    assert "error" in lines[1] and len(lines[2]["diseases"]) == 2
    assert "line 2" in err


def test_cli_rank_says_where_the_negatives_come_from(capsys):
    # Glaucoma is rare in Marfan syndrome: written down as absent in a record it points
    # to Marfan (someone looked for it); answered "no" in a consultation it does not.
    args = ("kg", "rank", "-p", f"{ARACHNODACTYLY},{AORTIC_ROOT_ANEURYSM}", "-a", "HP:0000501", "--source", "OMIM", "--top", "20", "--json")
    scores = {}
    for negatives in ("reported", "asked"):
        code, out, _ = run(capsys, *args, "--negatives", negatives)
        assert code == 0
        scores[negatives] = {d["id"]: d["score"] for d in json.loads(out)["diseases"]}
    assert scores["reported"][MARFAN] > scores["asked"][MARFAN]
    code, out, _ = run(capsys, *args)
    assert {d["id"]: d["score"] for d in json.loads(out)["diseases"]} == scores["reported"]  # the default
    code, _, err = run(capsys, *args, "--negatives", "assumed")
    assert code == 2 and "reported, asked" in err


def test_cli_bad_input_is_one_line_exit_2(capsys):
    code, _, err = run(capsys, "kg", "rank", "-p", "OMIM:154700")
    assert code == 2 and err.count("\n") == 1 and "disease id" in err
    code, _, err = run(capsys, "kg", "disease", "OMIM:999999")
    assert code == 2 and "not a disease" in err


def test_cli_search_stats_and_next(capsys):
    code, out, _ = run(capsys, "kg", "search", "nose bleeds", "--json")
    assert code == 0 and json.loads(out)["results"][0]["id"] == "HP:0000421"
    code, out, _ = run(capsys, "kg", "stats", "--json")
    stats = json.loads(out)
    assert stats["diseases_by_source"]["OMIM"] > 8000 and stats["diseases"] > 12000
    code, out, _ = run(capsys, "kg", "next", "-p", ARACHNODACTYLY, "-p", AORTIC_ROOT_ANEURYSM, "--among", MARFAN, "--among", LOEYS_DIETZ, "--json")
    assert code == 0 and json.loads(out)["findings"]
