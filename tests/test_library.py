"""The built-in library: what an educator signs off and a student practises on."""

from __future__ import annotations

import re

import pytest
from consultsim.kg import get_ontology
from consultsim.scenarios import builtin_case_files, load_case, validate_paths
from consultsim.scenarios.model import Category

CASES = [load_case(p) for p in builtin_case_files()]


def test_library_size_and_breadth():
    assert len(CASES) >= 12
    assert len({s for c in CASES for s in c.specialties}) >= 6
    rare = [c for c in CASES if c.rare]
    assert len(rare) >= 4
    for case in rare:
        assert any(i.startswith(("OMIM:", "ORPHA:")) for i in case.diagnosis.ids), case.id
        assert sum(f.hpo is not None for f in case.findings) >= 5, case.id


def test_every_case_validates_against_the_ontology_without_warnings():
    reports = validate_paths(builtin_case_files(), get_ontology())
    assert [str(p) for r in reports for p in r.problems] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_is_complete_for_teaching(case):
    categories = {f.category for f in case.findings}
    assert {Category.exam, Category.test} <= categories
    assert any(not f.present for f in case.findings), "a pertinent negative"
    assert len(case.key_findings) >= 3
    assert case.teaching_notes and len(case.teaching_notes) > 100
    assert case.differential


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_nothing_a_student_sees_first_gives_the_diagnosis_away(case):
    names = [case.diagnosis.name, *case.diagnosis.synonyms]
    shown = f"{case.id} {case.title} {case.opening}".lower()
    for name in names:
        if len(name) > 3:
            assert name.lower() not in shown, f"{name!r} appears in the id, title or opening"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_patient_is_never_described_in_the_third_person(case):
    for finding in case.patient_findings:
        assert not re.search(r"\bthe patient\b|^patient\b", finding.text, re.I), finding.id
