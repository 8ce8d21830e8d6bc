"""Phenotype-driven disease ranking: hand-checked patients, excluded findings, ties,
explanations and the compiled-array cache."""

from __future__ import annotations

import numpy as np
import pytest
from consultsim.kg import KGError, KnowledgeGraph, get_kg
from consultsim.kg import compiled as compiled_mod
from consultsim.kg.ranking import Ranker, mean_ranks

MARFAN, HOLT_ORAM, FABRY, CYSTIC_FIBROSIS = "OMIM:154700", "OMIM:142900", "OMIM:301500", "OMIM:219700"

ARACHNODACTYLY, ECTOPIA_LENTIS, AORTIC_ROOT_ANEURYSM = "HP:0001166", "HP:0001083", "HP:0002616"
TALL_STATURE, PECTUS_EXCAVATUM = "HP:0000098", "HP:0000767"
TRIPHALANGEAL_THUMB, ATRIAL_SEPTAL_DEFECT, RADIAL_HYPOPLASIA = "HP:0001199", "HP:0001631", "HP:0002984"
ANGIOKERATOMA, ACROPARESTHESIA, HYPOHIDROSIS, CORNEA_VERTICILLATA, PROTEINURIA = (
    "HP:0001014", "HP:0031006", "HP:0000966", "HP:0500008", "HP:0000093",
)
BRONCHIECTASIS, PANCREATIC_INSUFFICIENCY, FAILURE_TO_THRIVE, SWEAT_CHLORIDE = (
    "HP:0002110", "HP:0001738", "HP:0001508", "HP:0012236",
)


@pytest.fixture(scope="module")
def kg():
    return get_kg()


def rank_of(kg, disease: str, present: list[str], absent: list[str] = ()) -> float:
    ev = kg.evidence(present, list(absent))
    return kg.rank_of([disease], ev.present, ev.absent, ["OMIM"])


def score_of(kg, disease: str, present: list[str], absent: list[str] = ()) -> float:
    ev = kg.evidence(present, list(absent))
    return float(kg.ranker.scores(ev.present, ev.absent)[kg.disease_index(disease)])


# -- hand-checked patients ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disease", "present", "within"),
    [
        (MARFAN, [ARACHNODACTYLY, ECTOPIA_LENTIS, AORTIC_ROOT_ANEURYSM, TALL_STATURE, PECTUS_EXCAVATUM], 3),
        (MARFAN, [ARACHNODACTYLY, ECTOPIA_LENTIS, AORTIC_ROOT_ANEURYSM], 3),
        (HOLT_ORAM, [TRIPHALANGEAL_THUMB, ATRIAL_SEPTAL_DEFECT, RADIAL_HYPOPLASIA], 1),
        (FABRY, [ANGIOKERATOMA, ACROPARESTHESIA, HYPOHIDROSIS, CORNEA_VERTICILLATA, PROTEINURIA], 1),
        (FABRY, [ANGIOKERATOMA, ACROPARESTHESIA, HYPOHIDROSIS], 3),
        (CYSTIC_FIBROSIS, [BRONCHIECTASIS, PANCREATIC_INSUFFICIENCY, FAILURE_TO_THRIVE, SWEAT_CHLORIDE], 3),
    ],
)
def test_classic_presentations_rank_their_disease_near_the_top(kg, disease, present, within):
    assert rank_of(kg, disease, present) <= within
    result = kg.rank(present, sources=["OMIM"], top=within, explain=False)
    assert disease in [d.id for d in result.diseases]


def test_the_ranking_is_a_posterior_over_the_diseases_ranked(kg):
    result = kg.rank([ARACHNODACTYLY, ECTOPIA_LENTIS, AORTIC_ROOT_ANEURYSM], sources=["OMIM"], top=None, explain=False)
    probabilities = [d.probability for d in result.diseases]
    assert result.considered == len(result.diseases) > 8000
    assert sum(probabilities) == pytest.approx(1.0)
    assert probabilities == sorted(probabilities, reverse=True)


# -- excluded findings -------------------------------------------------------------------------


def test_an_excluded_obligate_feature_lowers_the_disease(kg):
    sweat = {p["id"]: p["frequency"] for p in kg.disease(CYSTIC_FIBROSIS)["phenotypes"]}[SWEAT_CHLORIDE]
    assert sweat >= 0.9  # elevated sweat chloride: (nearly) every patient
    present = [BRONCHIECTASIS, FAILURE_TO_THRIVE]
    assert rank_of(kg, CYSTIC_FIBROSIS, present) <= 3
    assert rank_of(kg, CYSTIC_FIBROSIS, present, [SWEAT_CHLORIDE]) > 5
    ev = kg.evidence(present, [SWEAT_CHLORIDE])
    assert kg.rank_of([CYSTIC_FIBROSIS], ev.present, ev.absent, ["OMIM"], negatives="asked") > 5
    before, after = score_of(kg, CYSTIC_FIBROSIS, present), score_of(kg, CYSTIC_FIBROSIS, present, [SWEAT_CHLORIDE])
    assert after < before - 1.0
    # A very specific presentation survives one contradicting finding, with lower odds.
    present = [BRONCHIECTASIS, PANCREATIC_INSUFFICIENCY, FAILURE_TO_THRIVE]
    assert rank_of(kg, CYSTIC_FIBROSIS, present, [SWEAT_CHLORIDE]) == 1


def test_an_excluded_frequent_feature_lowers_the_disease_against_one_without_it(kg):
    present = [TRIPHALANGEAL_THUMB, RADIAL_HYPOPLASIA]
    gap_before = score_of(kg, HOLT_ORAM, present) - score_of(kg, "OMIM:179250", present)
    gap_after = score_of(kg, HOLT_ORAM, present, [ATRIAL_SEPTAL_DEFECT]) - score_of(kg, "OMIM:179250", present, [ATRIAL_SEPTAL_DEFECT])
    assert gap_after < gap_before - 0.2  # Holt-Oram has ASD in ~90% of patients; OMIM:179250 does not


def test_an_answered_no_never_raises_a_disease_that_has_the_feature(kg):
    ranker = kg.ranker
    for term in (ATRIAL_SEPTAL_DEFECT, SWEAT_CHLORIDE, PROTEINURIA, kg.term("HP:0001250")):
        t = kg.term(term) if isinstance(term, str) else term
        vector = ranker.scores([], [t], "asked")
        idx, p = kg.compiled.column(t)
        lacking = np.setdiff1d(np.arange(kg.compiled.n_diseases), idx)
        assert vector[idx].max() <= vector[lacking].min() + 1e-12


def test_a_reported_negative_points_to_diseases_that_have_the_feature_rarely(kg):
    # In a record, people write down the negatives they looked for: a rare feature of a disease
    # reported absent raises it against diseases that lack the feature, a near-obligate one does not.
    t = kg.term(ATRIAL_SEPTAL_DEFECT)
    reported, asked = kg.ranker.scores([], [t], "reported"), kg.ranker.scores([], [t], "asked")
    idx, p = kg.compiled.column(t)
    lacking = np.setdiff1d(np.arange(kg.compiled.n_diseases), idx)
    rare, common = idx[p < 0.2], idx[p > 0.85]
    assert len(rare) and len(common)
    assert reported[rare].min() > reported[lacking].max()
    assert reported[common].max() < reported[lacking].min()
    assert asked[rare].max() <= asked[lacking].min() + 1e-12
    holt_oram = kg.disease_index(HOLT_ORAM)  # ASD in about 90%
    assert reported[holt_oram] < reported[lacking].min()
    with pytest.raises(KGError, match="negatives"):
        kg.rank([ARACHNODACTYLY], [ECTOPIA_LENTIS], negatives="assumed")


def test_findings_implied_by_others_count_once(kg):
    seizure, focal = kg.term("HP:0001250"), kg.term("HP:0007359")  # Seizure, Focal-onset seizure
    ranker = kg.ranker
    assert np.array_equal(ranker.scores([seizure, focal], []), ranker.scores([focal], []))
    assert np.array_equal(ranker.scores([], [seizure, focal]), ranker.scores([], [seizure]))


# -- ties ----------------------------------------------------------------------------------------


def test_mean_ranks_share_ties():
    assert mean_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist() == [1.5, 4.0, 1.5, 3.0]
    assert mean_ranks(np.array([5.0, 5.0, 5.0])).tolist() == [2.0, 2.0, 2.0]
    assert mean_ranks(np.array([1.0, 2.0, 3.0])).tolist() == [3.0, 2.0, 1.0]
    assert mean_ranks(np.array([-np.inf, 0.0, -np.inf])).tolist() == [2.5, 1.0, 2.5]
    assert mean_ranks(np.array([])).tolist() == []


def test_a_true_disease_tied_at_the_top_is_not_first(kg):
    # Two diseases that share a single finding equally are tied; rank_of reports the mean rank.
    result = kg.rank(["HP:0001250"], sources=["OMIM"], top=3, explain=False)
    ranks = [d.rank for d in result.diseases]
    assert all(r >= 1 for r in ranks)
    if result.diseases[0].score == result.diseases[1].score:
        assert ranks[0] > 1


# -- explanations --------------------------------------------------------------------------------


def test_explanations_name_matched_annotations_and_missing_typical_features(kg):
    present = [ARACHNODACTYLY, AORTIC_ROOT_ANEURYSM, "HP:0001250"]  # the seizure is not Marfan's
    result = kg.rank(present, [ECTOPIA_LENTIS], sources=["OMIM"], top=10)
    marfan = next(d for d in result.diseases if d.id == MARFAN)
    by_finding = {m.finding: m for m in marfan.matches}
    assert by_finding[ARACHNODACTYLY].how == "exact"
    assert by_finding[ARACHNODACTYLY].annotation_label == "Arachnodactyly"
    assert by_finding[ARACHNODACTYLY].frequency and by_finding[ARACHNODACTYLY].log_lr > 0
    assert by_finding[AORTIC_ROOT_ANEURYSM].annotation == AORTIC_ROOT_ANEURYSM
    assert by_finding["HP:0001250"].how.startswith("unexplained") and by_finding["HP:0001250"].log_lr < 0
    excluded = by_finding[ECTOPIA_LENTIS]
    assert not excluded.present and excluded.how == "excluded, but the disease has it"
    unexplained = {i for i, _, _ in marfan.unexplained}
    assert unexplained and not unexplained & {ARACHNODACTYLY, AORTIC_ROOT_ANEURYSM, ECTOPIA_LENTIS}
    assert all(f > 0 for _, _, f in marfan.unexplained)
    data = marfan.as_dict()
    assert {"matched", "unexplained_typical", "excluded_typical"} <= set(data)


def test_a_general_finding_is_explained_by_a_more_specific_annotation(kg):
    ranker = kg.ranker
    d = kg.disease_index(HOLT_ORAM)
    heart = kg.term("HP:0001627")  # Abnormal heart morphology: Holt-Oram has ASD, VSD...
    matches, _, _ = ranker.explain(d, [heart], [])
    assert matches[0].how == "the disease has a more specific phenotype"
    assert matches[0].annotation and matches[0].annotation != "HP:0001627"


# -- speed and caching of per-term vectors ------------------------------------------------------


def test_per_term_vectors_are_cached_and_read_only(kg):
    ranker = Ranker(kg.compiled)
    t = kg.term(ARACHNODACTYLY)
    first = ranker._present(t)
    assert ranker._present(t) is first
    with pytest.raises(ValueError):
        first[0] = 1.0
    ranker.scores([t], [kg.term(ECTOPIA_LENTIS)])
    assert np.array_equal(ranker._present(t), first)


def test_resnik_baseline_and_source_mask(kg):
    ranker = kg.ranker
    ev = kg.evidence([ARACHNODACTYLY, ECTOPIA_LENTIS, AORTIC_ROOT_ANEURYSM])
    scores = ranker.resnik_scores(ev.present)
    assert scores.shape == (kg.compiled.n_diseases,) and scores[kg.disease_index(MARFAN)] > 0
    mask = ranker.source_mask(["OMIM"])
    assert mask.sum() > 8000 and all(str(x).startswith("OMIM:") for x in kg.compiled.diseases[mask][:50])


# -- the compiled-array cache --------------------------------------------------------------------


def test_cache_is_rebuilt_when_corrupt_or_stale(kg, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULTSIM_CACHE", str(tmp_path))
    folder = kg.hpo_dir
    cache_file, key = KnowledgeGraph.cache_location(folder)
    assert cache_file.is_relative_to(tmp_path)

    compiled_mod.save(kg.compiled, cache_file, key)
    assert compiled_mod.load(cache_file, key) is not None
    assert compiled_mod.load(cache_file, "another-key") is None  # stale: never trusted

    cache_file.write_bytes(b"this is not an npz file")
    assert compiled_mod.load(cache_file, key) is None
    rebuilt = KnowledgeGraph.load(folder)
    assert rebuilt.compiled.n_diseases == kg.compiled.n_diseases
    assert compiled_mod.load(cache_file, key) is not None  # rewritten

    compiled_mod.save(kg.compiled, cache_file, "stale-key")
    again = KnowledgeGraph.load(folder)
    assert again.rank([ARACHNODACTYLY, ECTOPIA_LENTIS, AORTIC_ROOT_ANEURYSM], sources=["OMIM"], top=3).diseases
    assert compiled_mod.load(cache_file, key) is not None
    np.testing.assert_array_equal(again.compiled.prop_data, kg.compiled.prop_data)


# -- kin: the same disorder described by OMIM and by Orphanet ---------------------------------


KBG_OMIM, KBG_ORPHA = "OMIM:148050", "ORPHA:2332"
MACRODONTIA, TRIANGULAR_FACE, CONDUCTIVE_HEARING = "HP:0001572", "HP:0000325", "HP:0008513"


def test_a_disease_explains_a_finding_through_its_kin_of_another_source(kg):
    # OMIM's KBG entry does not list bilateral conductive hearing loss; Orphanet's KBG entry (same
    # gene, ANKRD11) does. The OMIM entry explains it through its kin, at a discount.
    d = kg.disease_index(KBG_OMIM)
    kin, genes = kg.compiled.kin(d)
    assert kg.disease_index(KBG_ORPHA) in kin.tolist() and "ANKRD11" in genes.tolist()
    present = [MACRODONTIA, TRIANGULAR_FACE, CONDUCTIVE_HEARING]
    ev = kg.evidence(present)
    without_kin = Ranker(kg.compiled, kin_share=0.0)
    hearing = kg.term(CONDUCTIVE_HEARING)
    assert kg.ranker.scores([hearing], [])[d] > without_kin.scores([hearing], [])[d]
    assert kg.ranker.scores(ev.present, [])[d] > without_kin.scores(ev.present, [])[d]
    matches, _, _ = kg.ranker.explain(d, ev.present, [])
    how = {m.finding: m.how for m in matches}
    assert "ORPHA:2332" in how[CONDUCTIVE_HEARING] and "ANKRD11" in how[CONDUCTIVE_HEARING]
    assert how[MACRODONTIA] == "exact"


def test_kin_need_a_gene_of_few_diseases_and_two_sources():
    from consultsim.kg.genes import KIN_MAX_DISEASES_PER_GENE, kin_pairs, parse_genes

    many = "\n".join(f"1\tBIG\tHP:0000001\tAll\t-\tOMIM:{100 + i}" for i in range(KIN_MAX_DISEASES_PER_GENE + 1))
    text = "ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\n" + "\n".join([
        "2\tONE\tHP:0000001\tAll\t-\tOMIM:200",
        "2\tONE\tHP:0000001\tAll\t-\tORPHA:300",
        "3\tSAME\tHP:0000001\tAll\t-\tOMIM:400",
        "3\tSAME\tHP:0000001\tAll\t-\tOMIM:401",
        "not a row",
        many,
        "1\tBIG\tHP:0000001\tAll\t-\tORPHA:500",
    ])
    genes = parse_genes(text)
    pairs = kin_pairs(genes, set(genes))
    assert ("OMIM:200", "ORPHA:300", "ONE") in pairs and ("ORPHA:300", "OMIM:200", "ONE") in pairs
    assert not [p for p in pairs if p[2] in ("SAME", "BIG")]  # one source only; too many diseases
