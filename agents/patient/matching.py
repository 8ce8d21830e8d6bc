"""Which findings of a patient view a clause of a question is about.

Each finding's vocabulary is computed once: its label, text and synonyms, its HPO term's name and
synonyms (lay words included), and HPO terms recognised in its label and text. A clause is scored
against every finding by whole-phrase matches, by stemmed word overlap weighted by how specific a
word is within the case (with typo-tolerant matching of words), and by HPO concepts of the clause
that equal, generalise or specialise the finding's term ("any heart problems?").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from consultsim.agents.patient.concepts import ROOTS, ConceptIndex, is_word_in, organ_terms
from consultsim.agents.patient.text import (
    ANATOMY,
    EQUIVALENTS,
    FRAME,
    LAY,
    LAY_SYMPTOM,
    STOP,
    content_stems,
    lay_rewrite,
    norm,
    root,
    stem,
)
from consultsim.agents.patient.view import PatientView
from consultsim.scenarios.model import Category, Finding
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

FILLER_WEIGHT = 0.3
LITERAL_READING = 0.8  # the weight of a question's own words beside the rewrite of its idioms

CATEGORY_ORDER = {
    Category.presenting_complaint: 0,
    Category.history_of_present_illness: 1,
    Category.review_of_systems: 2,
    Category.past_history: 3,
    Category.medications: 4,
    Category.allergies: 5,
    Category.family: 6,
    Category.social: 7,
}

# Questions about a part of the history rather than a symptom.
CATEGORY_WORDS: dict[Category, re.Pattern] = {
    Category.medications: re.compile(
        r"\b(?:medicines?|medications?|meds|tablets?|pills?|prescri\w*|drugs? (?:do )?you take|(?:take|taken|took|taking|tried|used) any(?:thing)?|(?:take|taken|took|use|used|tried) (?:\w+ )?for (?:it|this|that|the \w+)|"
        r"inhalers?|injections?|supplements?|vitamins?|contracepti\w*|over the counter|remedies|treatment|dhx|(?:given|tried|used) (?:him |her |them |you |yourself )?anything|anything for (?:it|this|that|the \w+))\b",
        re.I,
    ),
    Category.allergies: re.compile(r"\ballerg\w*|\breactions? to\b", re.I),
    Category.family: re.compile(
        r"\b(?:family|relatives?|parents?|mother|mum|mom|father|dad|brothers?|sisters?|siblings?|grand\w+|aunts?|uncles?|"
        r"cousins?|runs? in|inherit\w*|genetic|fhx?)\b",
        re.I,
    ),
    Category.social: re.compile(
        r"\b(?:smok\w*|cigar\w*|tobacco|vap\w*|alcohol\w*|drink\w*|beer|wine|spirits|units|drugs?|cannabis|marijuana|weed|cocaine|"
        r"heroin|recreational|illicit|substances?|work|working|job|occupation|employ\w*|stud(?:y|ying|ies|ent)|college|universit\w*|what do you do\b(?! (?:when|if|about|for (?:it|the|this|that)))|living|live with|lives? (?:at home|with)|at home|married|partner|"
        r"travel\w*|abroad|sexual\w*|sexually|hobbies|pets?|animals?|social history|shx|diet|(?:normally|usually|typically|do you) eat|"
        r"(?:kind of|sort of|types? of) food|exercise)\b",
        re.I,
    ),
    Category.past_history: re.compile(
        r"\b(?:medical (?:history|problems?|conditions?|issues?)|past (?:medical )?history|"
        r"(?:psychiatric|mental health|surgical|obstetric|gyn(?:a)?ecological|birth) history|"
        r"(?:any|ongoing|underlying|existing|known|other|regular) (?:health |medical )?(?:conditions?|illness\w*|diseases?)|(?:other|previous|past|chronic|long[- ]term) "
        r"(?:illness\w*|conditions?|problems?|diseases?|health problems?)|illnesses|operations?|surgery|surger\w*|hospital\w*|"
        r"admitted|diagnosed with|been diagnosed|health problems?|ever been (?:ill|unwell)|childhood|vaccin\w*|immunis\w*|"
        r"pregnan\w*|births?|developmental|milestones|pmhx?)\b",
        re.I,
    ),
}
FAMILY_WORDS = CATEGORY_WORDS[Category.family]
_RELATIVE = re.compile(
    r"\b(?:my|his|her|our|their) (?:mother|mum|mom|father|dad|parents?|brothers?|sisters?|siblings?|grand\w+|aunts?|uncles?|"
    r"cousins?|twin|son|daughter|children)\b",
    re.I,
)
_TAKING = re.compile(
    r"\b(?:(?:i|he|she|they|we) (?:take|takes|took|am taking|is taking|have been taking|use|used|have been using)|"
    r"(?:use|usage|intake) of|currently (?:on|taking)|prescribed|medicated|using (?:an? |the |my )?(?:\w+ )?(?:inhal\w*|spray|cream|drops|patch)|inhaled|tablets?|pills?|capsules?|inhalers?|\d+ ?mg|"
    r"over[- ]the[- ]counter|medications?|medicines?|meds)\b",
    re.I,
)
# A question about other people ('is anyone at home itchy?'): not about the patient's own symptoms.
OTHER_PEOPLE = re.compile(
    r"\b(?:any ?one|any ?body|some ?one|others|other people|people|family members?|contacts?)\b"
    r"(?=.*\b(?:else|at home|around (?:you|him|her)|you live with|close to|at work|at school|in the house|household|as well|too|similar)\b)",
    re.I,
)
SOCIAL_TOPICS: dict[str, re.Pattern] = {
    "smoking": re.compile(r"\b(?:smok\w*|cigar\w*|tobacco|vap\w*|pack)\b", re.I),
    "alcohol": re.compile(r"\b(?:alcohol\w*|drink\w*|beers?|wines?|spirits|units|pints?|booze|lagers?|whisk(?:e?y|ies)|vodka)\b", re.I),
    "drugs": re.compile(r"\b(?:drugs?|cannabis|marijuana|weed|cocaine|heroin|recreational|illicit|substances?|inject\w*)\b", re.I),
    "work": re.compile(
        r"\b(?:work\w*|jobs?|occupation\w*|employ\w*|retired|profession\w*|for a living|farmer|teacher|office|"
        r"stud(?:y|ying|ies|ent)|college|universit\w*|what do you do\b(?! (?:when|if|about|for (?:it|the|this|that))))\b",
        re.I,
    ),
    "home": re.compile(r"\b(?:live|lives|living(?! for)|home|house|flat|married|partner|wife|husband|alone|carers?)\b(?<!a living)", re.I),
    "diet": re.compile(r"\b(?:diet\w*|eat|eats|eating|food|foods|meals?|cook\w*|vegetarian|vegan)\b", re.I),
    "exercise": re.compile(r"\b(?:exercis\w*|sports?|gym|running|active|activity)\b", re.I),
    "travel": re.compile(r"\b(?:travel\w*|abroad|trip|holiday|overseas|moved|emigrat\w*|immigrat\w*|visit\w*)\b", re.I),
    "hobbies": re.compile(r"\b(?:hobb\w*|spare time|free time|for fun|outdoor|hik\w*|camp\w*|garden\w*|fish\w*|hunt\w*|sports?)\b", re.I),
    "sex": re.compile(r"\b(?:sex\w*|partners?|condoms?)\b", re.I),
}


@dataclass
class Entry:
    finding: Finding
    index: int
    stems: dict[str, float] = field(default_factory=dict)  # every word of the finding
    # The words of each statement of the finding: its own names with one sentence of its text, or
    # one name borrowed from the HPO.
    statements: list[dict[str, float]] = field(default_factory=list)
    phrases: list[tuple[str, str]] = field(default_factory=list)
    declared: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()  # declared and label terms
    expanded: frozenset[str] = frozenset()  # the same with their ancestors
    text_terms: frozenset[str] = frozenset()
    norm_text: str = ""
    systems: frozenset[str] = frozenset()  # organ systems a general negative covers ('no respiratory symptoms')

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def priority(self) -> tuple:
        f = self.finding
        return (not f.key, CATEGORY_ORDER.get(f.category, 9), self.index)


@dataclass
class Candidate:
    entry: Entry
    score: float
    via: str
    matched: str


# A negative about a whole body system: 'no respiratory symptoms', 'no urinary problems'.
_GENERAL = re.compile(r"\b(?:symptoms?|problems?|issues?|complaints?|troubles?)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


class Matcher:
    def __init__(self, view: PatientView, index: ConceptIndex):
        self.view = view
        self.index = index
        ontology = index.kg.ontology
        self.entries: list[Entry] = []
        for i, f in enumerate(view.findings):
            e = Entry(finding=f, index=i)
            sources: list[tuple[str, str, float]] = []
            if f.label:
                sources.append((f.label, "label", 1.0))
            for syn in f.synonyms:
                sources.append((syn, "synonym", 1.0))
            declared = set()
            if f.hpo:
                term_id = f.hpo
                if term_id in ontology:
                    res = ontology.resolve(term_id)
                    term_id = res.id or term_id
                if term_id in ontology.terms:
                    declared.add(term_id)
                    term = ontology.terms[term_id]
                    sources.append((term.name, "hpo", 1.0))
                    for syn in term.synonyms:
                        if syn.kind != "abbreviation" and syn.scope in ("EXACT", "RELATED") or syn.kind == "layperson":
                            sources.append((syn.text, "hpo", 0.9))
            # The finding's own names speak of it as a whole; a label that lists several things
            # ('Hypertension; never screened for bowel cancer' — commas more often list places)
            # and the names borrowed from the HPO below are each one statement of their own.
            own_names = len(sources)
            listed = bool(f.label and ";" in f.label)
            # The case's words read as a question's are ('breathlessness' is shortness of breath).
            label_terms = set()
            for text in [f.label or ""] + list(f.synonyms):
                for term_id, _ in index.find(text) + index.find(lay_rewrite(text)):
                    label_terms.add(term_id)
            text_terms = {t for t, _ in index.find(f.text) + index.find(lay_rewrite(f.text))}
            # The HPO's own names and lay synonyms of the terms the finding's words name.
            # Only the most specific of them; general ones ('Pain') and those of the free text lend
            # words, never whole phrases.
            source_term: list[tuple[int, str | None]] = []  # names borrowed from a term of the free text
            found = (label_terms | text_terms) - declared - ROOTS
            broader = set().union(*(index.ancestors(t) for t in found | declared)) if found else set()
            for terms, via, weight in ((label_terms, "hpo", 0.9), (text_terms - label_terms, "hpo-words", 0.8)):
                for term_id in sorted((terms & found) - broader):
                    term = ontology.terms.get(term_id)
                    if term is None:
                        continue
                    kind = via if via == "hpo" and len(index.ancestors(term_id)) >= 4 else "hpo-words"
                    source_term.append((len(sources), term_id if terms is not label_terms else None))
                    sources.append((term.name, kind, weight))
                    for syn in term.synonyms:
                        if syn.kind != "abbreviation" and syn.scope in ("EXACT", "RELATED") or syn.kind == "layperson":
                            source_term.append((len(sources), term_id if terms is not label_terms else None))
                            sources.append((syn.text, kind, weight))
            units: list[dict[str, float]] = []
            names: dict[str, float] = {}
            from_text = dict(source_term)
            borrowed: dict[str, dict[str, float]] = {}  # term id -> the words of its names
            for k, (text, via, weight) in enumerate(sources):
                n = norm(text)
                if via == "hpo-words":
                    pass
                elif len(n) >= 4 and n not in STOP and not all(w in STOP for w in n.split()):
                    e.phrases.append((n, via))
                elif via == "synonym" and len(n.split()) >= 3:
                    e.phrases.append((n, "question"))  # an author's question shape: 'what were you doing'
                words = {s: weight for s in content_stems(text)}
                for s in words:
                    e.stems[s] = max(e.stems.get(s, 0.0), weight)
                if from_text.get(k):
                    # The HPO's names for what a sentence of the text says join that sentence.
                    into = borrowed.setdefault(from_text[k], {})
                elif listed and (via != "synonym" or k >= own_names):
                    units.append({})
                    into = units[-1]
                else:
                    into = names
                for s in words:
                    into[s] = max(into.get(s, 0.0), weight)
            sentences = []
            for sentence in _SENTENCE_END.split(f.text):
                words = {s: 0.85 for s in content_stems(sentence) + content_stems(lay_rewrite(sentence))}
                if borrowed:
                    for term_id in {t for t, _ in index.find(sentence) + index.find(lay_rewrite(sentence))} & borrowed.keys():
                        for s, w in borrowed[term_id].items():
                            words[s] = max(words.get(s, 0.0), w)
                if words:
                    sentences.append(words)
                for s in words:
                    e.stems[s] = max(e.stems.get(s, 0.0), 0.85)
            e.statements = [{**words, **{s: max(w, words.get(s, 0.0)) for s, w in names.items()}} for words in sentences] or [names]
            e.statements += units
            # Phrases: longest first, unique.
            seen: set[str] = set()
            e.phrases = [p for p in sorted(e.phrases, key=lambda p: -len(p[0])) if not (p[0] in seen or seen.add(p[0]))]
            e.declared = frozenset(declared)
            base = declared | label_terms
            e.named = frozenset(base - ROOTS)
            expanded = set(base)
            for t in base:
                expanded |= index.ancestors(t)
            e.expanded = frozenset(expanded - ROOTS)
            e.text_terms = frozenset(text_terms - ROOTS)
            e.norm_text = norm(f.text)
            if not f.present and _GENERAL.search(f"{f.label or ''} {f.text}"):
                # Whole words only: 'heartburn' is not a heart problem.
                e.systems = frozenset(t for t, _ in organ_terms(content_stems(f"{f.label or ''} {f.text}"), prefix=False))
            self.entries.append(e)
        self.by_id = {e.id: e for e in self.entries}
        # 'my daughter' in most of a caregiver's findings is the patient, not a relative.
        said = Counter(w for f in view.findings for w in {m.group(0).lower() for m in _RELATIVE.finditer(f.text)})
        self.patient_words = {w for w, n in said.items() if n >= max(2, 0.3 * len(view.findings))}
        df: dict[str, int] = {}
        for e in self.entries:
            for s in e.stems:
                df[s] = df.get(s, 0) + 1
        n = max(1, len(self.entries))
        self.idf = {s: math.log(1 + n / c) for s, c in df.items()}
        self.max_idf = math.log(1 + n)
        self.vocab = sorted(df)
        self.by_root: dict[str, list[str]] = {}
        for s in self.vocab:
            self.by_root.setdefault(root(s), []).append(s)
        self._fuzzy_cache: dict[str, tuple[str, float] | None] = {}

    # -- words ---------------------------------------------------------------------------------

    def _resolve(self, q: str, real: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
        """The case words a question word stands for: itself, its lay or clinical equivalents, or
        else a close spelling or a longer form of it ('sinus' -> 'sinusitis')."""
        out: list[tuple[str, float]] = []
        if q in self.idf:
            out.append((q, 1.0))
        else:
            out.extend((s, 0.95) for s in self.by_root.get(root(q), ()))
        for alt in sorted(LAY.get(q, ())):
            if alt in self.idf and alt != q:
                out.append((alt, 0.9))
            elif alt not in self.idf:
                out.extend((s, 0.85) for s in self.by_root.get(root(alt), ()) if s != q)
        out = list({a: max(f for b, f in out if b == a) for a, _ in out}.items())
        if not out:
            out = [(alt, 0.8 if q not in real else 0.7) for alt in sorted(EQUIVALENTS.get(q, ())) if alt in self.idf and alt != q]
        if out or q in real or len(q) < 5 or q.isdigit():
            return out
        if q not in self._fuzzy_cache:
            vocab = [v for v in self.vocab if v[:1] == q[:1]]
            best = process.extractOne(q, vocab, scorer=fuzz.ratio, score_cutoff=80) if vocab else None
            # One slip of the keys ('wieght', 'brething') is as good as the word itself.
            one_slip = best is not None and OSA.distance(q, best[0]) <= 1
            hit = (best[0], 0.95 if one_slip else best[1] / 100 * 0.95) if best and len(best[0]) >= 4 else None
            if hit is None:
                longer = [v for v in vocab if v.startswith(q) and len(v) <= len(q) + 5]
                hit = (min(longer, key=len), 0.85) if longer else None
            self._fuzzy_cache[q] = hit
        hit = self._fuzzy_cache[q]
        return [hit] if hit else []

    def _unknown_weight(self, q: str) -> float:
        """How much a question word the case does not know counts against a match: fully when it
        is clinical vocabulary (a symptom or body part the case may lack), little when it is
        ordinary English that no phenotype name uses."""
        if q in FRAME:
            return self.max_idf * FILLER_WEIGHT
        if self.is_clinical(q) or q.isdigit():
            return self.max_idf
        return self.max_idf * FILLER_WEIGHT

    def is_clinical(self, q: str) -> bool:
        """A word of a phenotype name, or a lay word for a symptom or body function ('poo', 'wee')."""
        return q in self.index.vocabulary or q in LAY_SYMPTOM

    def _names_symptom(self, q: str) -> bool:
        """A question word is itself the name of a phenotype ('seizures', or 'fits' through its lay
        equivalents), not a body part or a qualifier."""
        return any(a in self.index.stemmed for a in (q, *LAY.get(q, ())))

    def lacking(self, clause: str) -> list[str]:
        """Symptoms and body parts the clause names that nothing in the case stands for: words,
        and HPO concepts ('coughed up blood') that no finding has, at or below them."""
        qs = content_stems(self.split_compounds(lay_rewrite(clause)))
        out = self._unread(self._lacking(qs), qs, set(content_stems(self.split_compounds(clause))))
        for term_id, words in self.concepts(clause):
            if not any(term_id in e.expanded or term_id in e.text_terms for e in self.entries):
                out.append(words)
        return out

    def _unread(self, lacks: list[str], qs: list[str], own_words: set[str]) -> list[str]:
        """A rewrite that offers several readings ('chest infection': 'bronchitis pneumonia') lacks
        nothing when the case has one of them."""
        added = [q for q in qs if q not in own_words]
        if any(self._resolve(q) for q in added):
            return [q for q in lacks if q in own_words]
        return lacks

    def _lacking(self, qs: list[str]) -> list[str]:
        return [q for q in qs if not self._resolve(q) and (self._names_symptom(q) or q in ANATOMY)]

    def known_words(self, text: str) -> list[str]:
        return [q for q in content_stems(text) if self._resolve(q)]

    # -- scoring -------------------------------------------------------------------------------

    def score(self, clause: str, extra: list[str] = (), extra_weight: float = 0.5) -> list[Candidate]:
        """Findings the clause is about, best first (score 0-100). An idiom's rewrite is one
        reading of the question and its own words another ('tiny red spots' are petechiae, and
        also red spots): each finding keeps the better."""
        best = {c.entry.id: c for c in self._score(clause, lay_rewrite(clause), extra, extra_weight)}
        if lay_rewrite(clause) != clause:
            for c in self._score(clause, clause, extra, extra_weight):
                # The rewrite is the likelier reading of an idiom ('bowel accidents' are not a
                # car accident).
                c.score *= LITERAL_READING
                if c.entry.id not in best or c.score > best[c.entry.id].score:
                    best[c.entry.id] = c
        return sorted(best.values(), key=lambda c: (-c.score, c.entry.priority))

    def _score(self, clause: str, reading: str, extra: list[str], extra_weight: float) -> list[Candidate]:
        own_words = set(content_stems(self.split_compounds(clause)))
        clause = self.split_compounds(reading)
        qn = norm(clause)
        qs = content_stems(clause)
        best: dict[str, Candidate] = {}

        def offer(e: Entry, score: float, via: str, matched: str) -> None:
            old = best.get(e.id)
            if old is None or score > old.score:
                best[e.id] = Candidate(e, min(100.0, score), via, matched)

        # Whole phrases of the finding in the question, worth less when they leave much of it unsaid.
        q_idf = {q: self.idf.get(q, self.max_idf) for q in qs}
        q_total = sum(q_idf.values())
        # A clinical word of the question that nothing in the case stands for ('seizures' to a
        # case of fever): a phrase matching the rest is a weak partial match, not a confirmation.
        # A body part the case lacks counts as much: 'neck stiffness' is not a finding about stiff
        # shoulders.
        lacks = self._unread(self._lacking(qs), qs, own_words)
        lacking = bool(lacks)
        floor = 0.2 if lacking else 0.7
        for e in self.entries:
            for phrase, via in e.phrases:
                if is_word_in(phrase, qn):
                    if via == "question":
                        offer(e, 75.0, "synonym", phrase)
                        continue
                    covered = set(content_stems(phrase))
                    cov = sum(v for q, v in q_idf.items() if q in covered or LAY.get(q, frozenset()) & covered) / q_total if q_total else 1.0
                    base = 100.0 if via == "label" else 95.0
                    offer(e, base * (floor + (1 - floor) * min(1.0, cov)), via, phrase)
                    break
        # Stemmed word overlap, weighted by specificity within the case.
        concepts = [(t, w) for t, w in self.index.find(clause) if t not in ROOTS]
        real = frozenset(content_stems(" ".join(w for _, w in concepts)))
        # Words that ask about a quality ('change', 'worse', 'long') weigh little either way.
        resolved = [(q, self._resolve(q, real), FILLER_WEIGHT if q in FRAME else 1.0) for q in qs]
        # A rewrite offers several readings of an idiom ('getting bigger': 'increase in size
        # enlarging'); the readings the case does not use are not words the question said.
        # A symptom the rewrite names ('a temperature': 'fever') still counts in full.
        resolved = [
            (q, r, w if r or q in own_words or q in lacks else w * FILLER_WEIGHT) for q, r, w in resolved
        ]
        resolved += [(q, self._resolve(q, real), extra_weight) for q in extra if q not in qs]
        total = sum((max(self.idf[a] for a, _ in r) if r else self._unknown_weight(q)) * w for q, r, w in resolved)
        if total > 0:
            gains: dict[str, list] = {}
            asked = [(q, r, w) for q, r, w in resolved if r]
            for e in self.entries:
                # The question's words meet in the finding's names or in one sentence of its text:
                # 'blood in your poo?' is not 'high blood pressure ... the poo test kit'.
                for words in e.statements:
                    got, matched, own = 0.0, [], 0.0
                    for q, r, w in asked:
                        hit = max((self.idf[a] * words.get(a, 0.0) * f for a, f in r), default=0.0)
                        if hit:
                            got, own = got + hit * w, own + w
                            matched.append(q)
                    if got and got > gains.get(e.id, [0.0])[0]:
                        gains[e.id] = [got, matched, own]
            # A body part asked about qualifies a finding that names none ('is the eye sore?' to
            # 'no pain'): it weighs little against it.
            parts = [(q, (max(self.idf[a] for a, _ in r) if r else self._unknown_weight(q)) * w) for q, r, w in resolved if q in ANATOMY]
            for eid, (got, matched, own) in gains.items():
                if own <= 0 or (extra and not any(q in qs for q in matched) and qs):
                    continue
                entry = self.by_id[eid]
                denominator = total
                if parts and not any(s in ANATOMY for s in entry.stems):
                    denominator -= sum(weight for _, weight in parts) * (1.0 - FILLER_WEIGHT)
                offer(entry, 100.0 * got / max(denominator, 1e-9), "words", " ".join(matched))
        # HPO concepts of the clause.
        # 'any lung problems?': a body system, when nothing else in the clause found a finding.
        by_organ = not concepts and not any(c.score >= 60.0 for c in best.values())
        if by_organ:
            concepts = organ_terms(qs)
        n_q = max(1, len([q for q in qs if q not in FRAME]))
        # The body system itself is what an organ question names, not a word the case lacks.
        organ_words = {w for _, w in concepts} if by_organ else set()
        penalty = 0.75 if any(q not in organ_words for q in lacks) else 1.0
        for term_id, phrase in concepts:
            anc = self.index.ancestors(term_id)
            covered = len(set(content_stems(phrase)) & set(qs)) or 1
            part = min(1.0, 0.5 + 0.5 * covered / n_q) * penalty

            for e in self.entries:
                if term_id in e.declared:
                    offer(e, 92.0 * part, "hpo", phrase)
                elif term_id in e.expanded:
                    offer(e, 82.0 * part, "hpo-ancestor", phrase)
                elif term_id in e.text_terms:
                    offer(e, 78.0 * part, "hpo-text", phrase)
                elif by_organ and any(term_id in self.index.ancestors(t) for t in e.text_terms):
                    offer(e, 75.0 * part, "hpo-text", phrase)  # 'I have chronic bronchitis' is a lung problem
                elif e.named and any(d in anc for d in e.named) and _specific(self.index, e.named):
                    # 'jerky movements?' to a case of involuntary movements
                    offer(e, 75.0 * part, "hpo-descendant", phrase)
        # Relatives' illnesses and allergic reactions ('it gave me a rash') answer only questions
        # about them; a question about other people only from the family and social history.
        dropped = {cat for cat in (Category.family, Category.allergies) if not CATEGORY_WORDS[cat].search(clause)}
        if OTHER_PEOPLE.search(clause):
            dropped |= set(Category) - {Category.family, Category.social}
        return sorted((c for c in best.values() if c.entry.finding.category not in dropped), key=lambda c: (-c.score, c.entry.priority))

    def general_negatives(self, clause: str) -> list[Entry]:
        """Negatives about a whole body system that cover a symptom the clause names and the case
        lacks ('any cough?' to 'no respiratory symptoms')."""
        general = [e for e in self.entries if e.systems]
        if not general:
            return []
        terms = [t for t, _ in self.concepts(clause)] or [t for t, _ in organ_terms(content_stems(clause))]
        return [e for e in general if any(e.systems & (self.index.ancestors(t) | {t}) for t in terms)]

    def concepts(self, clause: str) -> list[tuple[str, str]]:
        clause = self.split_compounds(lay_rewrite(clause))
        return [(t, w) for t, w in self.index.find(clause) if t not in ROOTS]

    def split_compounds(self, text: str) -> str:
        """Words run together ('weightloss', 'chestpain') split into two clinical words."""
        vocab = self.index.vocabulary
        out = []
        for w in text.split():
            lw = w.lower().strip("?.,!;:")
            if len(lw) >= 7 and lw.isalpha() and stem(lw) not in vocab and stem(lw) not in self.idf and lw not in LAY:
                for i in range(3, len(lw) - 2):
                    a, b = lw[:i], lw[i:]
                    if stem(a) in vocab and stem(b) in vocab and a not in STOP and b not in STOP:
                        w = f"{a} {b}"
                        break
            out.append(w)
        return " ".join(out)

    def in_category(self, e: Entry, category: Category) -> bool:
        """A finding belongs to a part of the history: its category, or for family history a
        finding that tells of a relative's illness ('My mother has rheumatoid arthritis'), or for
        medications one that tells of taking something ('I use diphenhydramine to sleep')."""
        if e.finding.category is category:
            return True
        if category is Category.medications:
            return e.finding.category is not Category.social and bool(_TAKING.search(e.finding.text))
        return (
            category is Category.family
            and e.finding.category is not Category.social
            and any(m.group(0).lower() not in self.patient_words for m in _RELATIVE.finditer(e.finding.text))
        )

    def category_findings(self, category: Category, clause: str) -> list[Entry]:
        entries = [e for e in self.entries if self.in_category(e, category)]
        if category is Category.social:
            topics = [p for p in SOCIAL_TOPICS.values() if p.search(clause)]
            # 'does anyone smoke around him at home?': home is the setting, smoking the topic.
            if len(topics) > 1:
                topics = [p for p in topics if p is not SOCIAL_TOPICS["home"]]
            if topics:
                entries = [
                    e
                    for e in self.entries
                    if e.finding.category in (Category.social, Category.family, Category.past_history)
                    and any(p.search(e.finding.text) or p.search(e.finding.label or "") for p in topics)
                ]
        return sorted(entries, key=lambda e: e.priority)


def _specific(index: ConceptIndex, declared: frozenset[str]) -> bool:
    """A finding's own term is specific enough to answer a question about a narrower term."""
    return all(len(index.ancestors(d)) >= 4 for d in declared)


def categories_of(clause: str) -> list[Category]:
    return [c for c, pattern in CATEGORY_WORDS.items() if pattern.search(clause)]


def strip_category_words(clause: str) -> str:
    """The clause without the words that name a part of the history."""
    out = clause
    for pattern in CATEGORY_WORDS.values():
        out = pattern.sub(" ", out)
    out = re.sub(r"\b(?:history|medical|past|previous|other)\b", " ", out, flags=re.I)
    return re.sub(r"\s+", " ", out).strip()
