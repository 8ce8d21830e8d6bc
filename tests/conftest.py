"""Fixtures written by the project itself; tests that read ../shared/data skip when it is absent."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

BASE_CASE: dict[str, Any] = {
    "id": "chest-pain-demo",
    "title": "Chest pain in a 58-year-old man",
    "specialties": ["cardiology"],
    "patient": {"age_years": 58, "sex": "male", "persona": "A retired bus driver."},
    "opening": "I've had a crushing pain in my chest for the last hour.",
    "findings": [
        {
            "id": "chest-pain",
            "category": "presenting_complaint",
            "text": "I've had a crushing pain in the middle of my chest for an hour.",
            "label": "Chest pain",
            "hpo": "HP:0100749",
            "key": True,
            "reveal": "volunteered",
        },
        {
            "id": "no-fever",
            "category": "review_of_systems",
            "text": "No, I haven't had a fever.",
            "label": "Fever",
            "hpo": "HP:0001945",
            "present": False,
        },
        {
            "id": "st-elevation",
            "category": "test",
            "text": "ST elevation in leads II, III and aVF.",
            "procedure": "ECG",
            "key": True,
        },
    ],
    "diagnosis": {"name": "Inferior ST-elevation myocardial infarction", "ids": ["ICD10:I21.1"]},
}


@pytest.fixture
def case_data() -> dict[str, Any]:
    """A small valid case as plain data; tests change it to make it invalid."""
    return copy.deepcopy(BASE_CASE)


@pytest.fixture
def write_case(tmp_path: Path):
    def write(data: Any, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
        return path

    return write


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA
