"""HPO parsing and id history, on a small OBO file written here and on the shipped release."""

from __future__ import annotations

from consultsim.kg.ontology import get_ontology, load_ontology

OBO = """\
format-version: 1.2
data-version: hp/releases/2099-01-01

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000118
name: Phenotypic abnormality
is_a: HP:0000001 ! All

[Term]
id: HP:0001250
name: Seizure
alt_id: HP:0002279
def: "A seizure is an intermittent abnormality." [PMID:1]
synonym: "Epileptic seizure" EXACT []
synonym: "Fits" EXACT layperson []
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0000050
name: obsolete Old term
is_obsolete: true
replaced_by: HP:0001250

[Term]
id: HP:0000060
name: obsolete Vague term
is_obsolete: true
consider: HP:0001250

[Typedef]
id: part_of
name: part of
"""


def test_parses_terms_synonyms_and_history(tmp_path):
    path = tmp_path / "hp.obo"
    path.write_text(OBO)
    onto = load_ontology(path)
    assert onto.version == "hp/releases/2099-01-01"
    seizure = onto["HP:0001250"]
    assert seizure.layperson == ["Fits"]
    assert seizure.definition == "A seizure is an intermittent abnormality."
    assert onto.ancestors("HP:0001250") == {"HP:0000118", "HP:0000001"}
    assert "part_of" not in onto
    assert onto.resolve("HP:0001250").ok
    assert (onto.resolve("HP:0002279").how, onto.resolve("HP:0002279").id) == ("alt_id", "HP:0001250")
    assert (onto.resolve("HP:0000050").how, onto.resolve("HP:0000050").id) == ("replaced_by", "HP:0001250")
    vague = onto.resolve("HP:0000060")
    assert (vague.how, vague.id, vague.suggestions) == ("obsolete", None, ("HP:0001250",))
    assert onto.resolve("HP:0999999").how == "unknown"


def test_shipped_release_has_the_full_ontology():
    onto = get_ontology()
    assert len(onto) > 15000
    assert onto.label("HP:0001250") == "Seizure"
    assert any(onto[t].layperson for t in ("HP:0001945", "HP:0002315"))  # fever, headache
