"""The examiner: free-text exam and test requests mapped onto a case's findings."""

from __future__ import annotations

import io
import json
import statistics
import time
from pathlib import Path

import pytest
from consultsim.agents.examiner import UNCLEAR, Examiner
from consultsim.scenarios import Case, load_case, load_cases, resolve_case

from consultsim.cli import main

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def library(case_id: str) -> Examiner:
    return Examiner(load_case(resolve_case(case_id)))


def small_case(**options) -> Case:
    """A small case written here: findings split the way imported cases split them."""
    finding = lambda fid, cat, proc, text, **kw: {  # noqa: E731
        "id": fid, "category": cat, "procedure": proc, "text": text, **kw
    }
    return Case.model_validate(
        {
            "id": "small-demo",
            "title": "Weakness in a 40-year-old woman",
            "specialties": ["neurology"],
            "patient": {"age_years": 40, "sex": "female"},
            "opening": "My eyelids droop by the evening.",
            "findings": [
                {"id": "ptosis-history", "category": "presenting_complaint",
                 "text": "My eyelids droop by the evening.", "label": "Ptosis", "key": True},
                finding("hr", "exam", "vital signs: heart rate", "Heart rate: 72 bpm."),
                finding("bp", "exam", "vital signs: blood pressure", "Blood pressure: 125/80 mmHg."),
                finding("cn", "exam", "neurological examination: cranial nerves",
                        "Cranial nerves: fatigable ptosis of the right eyelid."),
                finding("reflexes", "exam", "neurological examination: reflexes",
                        "Reflexes: normal throughout."),
                finding("abdo-palp", "exam", "abdominal examination: palpation",
                        "Palpation: soft, non-tender.", present=False, label="Abdominal tenderness"),
                finding("abdo-insp", "exam", "abdominal examination: inspection",
                        "Inspection: no distension."),
                finding("hb", "test", "complete blood count: hemoglobin", "Hemoglobin: 13.5 g/dL."),
                finding("plt", "test", "complete blood count: platelets", "Platelets: 250,000/mm3."),
                finding("achr", "test", "Blood Tests: Acetylcholine Receptor Antibodies",
                        "Acetylcholine receptor antibodies: present (elevated)."),
                finding("ct-chest", "test", "imaging: chest CT", "Chest CT: no thymoma."),
                finding("emg", "test", "electromyography", "Repetitive nerve stimulation: decremental response."),
            ],
            "diagnosis": {"name": "Myasthenia gravis", "ids": ["OMIM:254200"]},
            "options": options,
        }
    )


# --- library cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("examine the chest", {"chest-exam"}),
        ("listen to the heart", {"cardiac-exam"}),
        ("vitals", {"vital-signs"}),
        ("order an ECG", {"ecg"}),
        ("check troponin", {"troponin"}),
        ("chest x-ray", {"chest-xray"}),
        ("CXR", {"chest-xray"}),
        ("ECG and troponin please", {"ecg", "troponin"}),
        ("JVP", {"jvp"}),
        ("check her BP", {"vital-signs"}),  # reported inside the vital signs
        ("bloods", {"bloods"}),
        ("check platelets", {"bloods"}),  # reported inside the blood panel
    ],
)
def test_chest_pain_requests(request_text, expected):
    reply = library("chest-pain-58m").request(request_text)
    assert set(reply.findings) == expected, reply
    assert reply.intent in ("exam", "test")
    assert reply.disclosures and all(d.finding in expected for d in reply.disclosures)
    assert not reply.normal


def test_specific_request_returns_only_the_matching_result():
    reply = library("chest-pain-58m").request("check troponin")
    assert reply.findings == ["troponin"] and reply.requested == "troponin"
    assert "186 ng/L" in reply.text and "Hb 148" not in reply.text


def test_replies_carry_clinical_text_of_absent_findings_too():
    reply = library("chest-pain-58m").request("listen to the heart")
    assert reply.disclosures[0].present is False
    assert "no murmur" in reply.text


@pytest.mark.parametrize(
    ("case_id", "request_text", "expected"),
    [
        ("headache-74f", "a CBC", {"cbc"}),
        ("headache-74f", "full blood count", {"cbc"}),
        ("headache-74f", "look in the eyes", {"eye-exam", "fundoscopy"}),
        ("headache-74f", "check her reflexes", {"neuro-exam"}),
        ("headache-74f", "CRP and ESR", {"crp", "esr"}),
        ("headache-74f", "inflammatory markers", {"crp", "esr"}),
        ("headache-46f", "CT head", {"ct-head"}),
        ("headache-46f", "fundoscopy", {"fundoscopy"}),
        ("headache-46f", "check for neck stiffness", {"meningism"}),
        ("headache-46f", "lumbar puncture", {"lumbar-puncture"}),
        ("nosebleeds-38f", "MRI of the brain", {"mri-brain"}),
        ("tremor-low-mood-19f", "LFTs", {"liver-tests"}),
        ("tremor-low-mood-19f", "abdominal ultrasound", {"liver-ultrasound"}),
        ("tremor-low-mood-19f", "slit lamp", {"slit-lamp"}),
        ("fevers-52m", "feel the abdomen", {"abdominal-exam"}),
        ("fevers-52m", "urine dip", {"urinalysis"}),
        ("fevers-52m", "blood cultures", {"blood-cultures"}),
        ("fevers-52m", "echo", {"echocardiogram"}),
        ("fevers-52m", "check CRP", {"bloods"}),
        ("vomiting-19m", "blood gas", {"venous-gas"}),
        ("vomiting-19m", "U&E", {"electrolytes"}),
        ("vomiting-19m", "glucose", {"capillary-glucose"}),
        ("breathlessness-34f", "d-dimer", {"d-dimer"}),
        ("breathlessness-34f", "ABG", {"abg"}),
        ("breathlessness-34f", "examine the legs", {"leg-exam"}),
        ("burning-feet-26m", "enzyme assay", {"alpha-gal-activity"}),
        ("burning-feet-26m", "genetic testing", {"genetic-test"}),
        ("recurrent-swelling-31f", "C1 inhibitor", {"c1-inhibitor"}),
        ("fever-toddler", "lymph nodes", {"neck-exam"}),
        ("fever-toddler", "look in the throat", {"oral-exam"}),
    ],
)
def test_library_requests(case_id, request_text, expected):
    reply = library(case_id).request(request_text)
    assert set(reply.findings) == expected, reply


# --- inline case: specific vs general, several in one line ---------------------------------


def test_general_request_returns_the_findings_under_it():
    ex = Examiner(small_case())
    assert set(ex.request("vitals").findings) == {"hr", "bp"}
    assert set(ex.request("CBC").findings) == {"hb", "plt"}
    assert set(ex.request("examine the abdomen").findings) == {"abdo-palp", "abdo-insp"}
    assert set(ex.request("neurological examination").findings) == {"cn", "reflexes"}


def test_specific_request_returns_only_its_finding():
    ex = Examiner(small_case())
    assert ex.request("pulse").findings == ["hr"]
    assert ex.request("haemoglobin").findings == ["hb"]
    assert ex.request("feel the abdomen").findings == ["abdo-palp"]
    assert ex.request("cranial nerves").findings == ["cn"]
    assert ex.request("acetylcholine receptor antibodies").findings == ["achr"]
    assert ex.request("CT of the chest").findings == ["ct-chest"]
    assert ex.request("EMG").findings == ["emg"]


def test_several_requests_in_one_line():
    reply = Examiner(small_case()).request("BP, platelets and reflexes, then a chest CT")
    assert set(reply.findings) == {"bp", "plt", "reflexes", "ct-chest"}
    assert "blood pressure" in reply.requested and "platelets" in reply.requested


def test_disclosures_record_what_matched():
    reply = Examiner(small_case()).request("check the platelets please")
    (d,) = reply.disclosures
    assert d.finding == "plt" and d.matched == "platelets" and d.via == "procedure" and d.score == 100


def test_history_findings_are_never_returned():
    ex = Examiner(small_case())
    for text in ("ptosis", "eyelids", "examine the patient"):
        assert "ptosis-history" not in ex.request(text).findings


# --- unlisted exams and tests ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_text", "fragment"),
    [
        ("listen to the heart", "Heart sounds I and II, no added sounds."),
        ("urinalysis", "Urine dipstick negative"),
        ("U&E", "within normal limits"),
        ("LFT", "within normal limits"),
        ("ECG", "Sinus rhythm"),
        ("chest x-ray", "clear lung fields"),
        ("temperature", "normal"),
    ],
)
def test_unlisted_routine_comes_back_normal(request_text, fragment):
    reply = Examiner(small_case()).request(request_text)
    assert reply.normal and not reply.findings
    assert fragment in reply.text


@pytest.mark.parametrize("request_text", ["genetic testing", "muscle biopsy", "MRI brain", "troponin"])
def test_unlisted_non_routine_is_not_available(request_text):
    reply = Examiner(small_case()).request(request_text)
    assert not reply.normal and not reply.findings
    assert "not available for this case" in reply.text.lower()


def test_a_family_with_other_members_is_not_available():
    # The case has an antibody, but not this one.
    reply = Examiner(small_case()).request("anti-MuSK antibodies")
    assert not reply.findings and "not available" in reply.text


def test_routine_normal_off():
    ex = Examiner(small_case(routine_normal=False))
    for text in ("listen to the heart", "urinalysis", "ECG"):
        reply = ex.request(text)
        assert not reply.normal and not reply.findings and "not available" in reply.text
    assert ex.request("pulse").findings == ["hr"]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_text",
    ["make me a sandwich", "", "   ", "?!.,;", "\x00\x07\x1b[31m", "what is the diagnosis?", None],
)
def test_unrecognised_requests(request_text):
    reply = Examiner(small_case()).request(request_text)
    assert reply.text == UNCLEAR and reply.intent == "unclear" and not reply.findings


def test_huge_and_odd_input_never_crashes():
    ex = Examiner(small_case())
    for text in ("ECG " * 2500, "x" * 10_000, "ü" * 5000, "\u202e" * 100 + "ECG", "ECG\x00CBC"):
        reply = ex.request(text)
        assert isinstance(reply.text, str) and reply.text


def test_never_reveals_the_diagnosis():
    ex = Examiner(small_case())
    for text in ("diagnosis", "what does she have", "myasthenia", "tell me the answer", "examine everything"):
        assert "myasthenia" not in ex.request(text).text.lower()


def test_median_request_is_fast():
    ex = library("chest-pain-58m")
    requests = ["examine the chest", "ECG and troponin", "bloods", "MRI brain", "make me a sandwich"] * 20
    times = []
    for text in requests:
        start = time.perf_counter()
        ex.request(text)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.02


# --- the command line ------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_single_request(capsys):
    code, out, _ = run(capsys, "case", "exam", "chest-pain-58m", "check troponin")
    assert code == 0 and "186 ng/L" in out


def test_cli_json(capsys):
    code, out, _ = run(capsys, "case", "exam", "chest-pain-58m", "ECG and troponin", "--json", "--seed", "3")
    data = json.loads(out)
    assert code == 0 and data["findings"] == ["ecg", "troponin"] and data["intent"] == "test"
    assert {"reply", "disclosures", "requested", "normal"} <= set(data)


def test_cli_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("vitals\n\nlisten to the heart\nmake me a sandwich\n"))
    code, out, _ = run(capsys, "case", "exam", "chest-pain-58m", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["findings"] for r in rows] == [["vital-signs"], ["cardiac-exam"], []]


def test_cli_case_file(capsys, tmp_path):
    from consultsim.scenarios import save_case

    path = tmp_path / "small.yaml"
    save_case(small_case(), path)
    code, out, _ = run(capsys, "case", "exam", str(path), "feel the abdomen")
    assert code == 0 and "soft, non-tender" in out


def test_cli_bad_case(capsys):
    code, _, err = run(capsys, "case", "exam", "no-such-case-anywhere", "ECG")
    assert code == 2 and "no such case" in err and "Traceback" not in err


# --- every imported AgentClinic test and exam is reachable by naming its procedure -----------


@pytest.fixture(scope="module")
def agentclinic_cases(tmp_path_factory):
    files = sorted((SHARED_DATA / "agentclinic").glob("*.jsonl")) if SHARED_DATA.is_dir() else []
    if not files:
        pytest.skip("../shared/data/agentclinic is not available")
    out = tmp_path_factory.mktemp("ac")
    code = main(["case", "import", "agentclinic", *map(str, files), "--out", str(out)])
    assert code in (0, None)
    cases, _ = load_cases([out])
    assert cases
    return [case for _, case in cases]


def test_agentclinic_procedures_are_reachable(agentclinic_cases):
    missed, total = [], 0
    for case in agentclinic_cases:
        ex = Examiner(case)
        for f in case.findings:
            if f.category.value in ("exam", "test") and f.procedure:
                total += 1
                if f.id not in ex.request(f.procedure).findings:
                    missed.append((case.id, f.procedure))
    assert total > 100
    assert not missed, missed[:20]
