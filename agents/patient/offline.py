"""The offline patient: deterministic, grounded in the case's history findings, no network.

    patient = OfflinePatient(patient_view(case))
    patient.opening()                         # Reply(intent='opening', findings=[volunteered ids])
    patient.ask("any fever or chills? and do you smoke?")

It is built from a `PatientView` only, so it holds no diagnosis, exam or test finding to leak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from consultsim.agents.patient import attributes
from consultsim.agents.patient.concepts import concept_index, organ_terms
from consultsim.agents.patient.matching import (
    FAMILY_WORDS,
    Candidate,
    Entry,
    Matcher,
    categories_of,
    strip_category_words,
)
from consultsim.agents.patient.semantic import SemanticMatcher
from consultsim.agents.patient.text import (
    ANATOMY,
    ATTRIBUTE,
    DISEASE_WORD,
    FRAME,
    GOODBYE,
    GREETING,
    INJECTION,
    IS_IT,
    LEADING,
    MORE_ABOUT,
    OPEN,
    PAST_DIAGNOSES,
    REFERRING,
    RESULTS,
    STATES,
    THANKS,
    TIMING,
    clean_input,
    content_stems,
    invites_story,
    lay_rewrite,
    looks_foreign,
    names_a_guess,
    split_clauses,
    split_segments,
    stem,
)
from consultsim.agents.patient.view import PatientView
from consultsim.agents.patient.voice import Phraser, parse_bias, parse_style
from consultsim.agents.replies import Disclosure, Reply
from consultsim.scenarios.model import Category, Reveal, Style

MIN_SCORE = 60.0
FOLLOW_UP_SCORE = 45.0
MARGIN = 15.0
PER_CLAUSE = 3
OPEN_BATCH = 2
_HPI = (Category.presenting_complaint, Category.history_of_present_illness)
_YES_NO = re.compile(
    r"^(?:and |so |also |but |ok |okay )?(?:do|does|did|have|has|had|any|are|is|was|were|ever|can|could|would|will|"
    r"how about|what about|anything|no|been|got|you|is there|are there)\b",
    re.I,
)


@dataclass
class _Part:
    text: str
    intent: str
    disclosures: list[Disclosure] = field(default_factory=list)


class OfflinePatient:
    """A simulated patient (or caregiver) that answers from a `PatientView`."""

    kind = "offline"

    def __init__(self, view: PatientView, seed: int = 0, style: Style | str | None = None, bias: str | None = None, kg=None):
        if not isinstance(view, PatientView):
            raise TypeError("OfflinePatient needs a PatientView (patient_view(case)), never a whole case")
        self.view = view
        self.seed = int(seed)
        self.style = parse_style(style) or view.patient.style
        self.bias = parse_bias(bias)
        self.matcher = Matcher(view, concept_index(kg))
        self.semantic = SemanticMatcher.create(self.matcher.entries)
        self.phraser = Phraser(view, self.style, self.bias, self.seed)
        self.not_sure = view.unmentioned == "not_sure"
        self.reset()

    def reset(self) -> None:
        self.turn = 0
        self.opened = False
        self.asked: list[str] = []
        self.disclosed: dict[str, int] = {}
        self.last_topic: list[str] = []

    # -- public ---------------------------------------------------------------------------------

    def opening(self) -> Reply:
        volunteered = [e for e in self.matcher.entries if e.finding.reveal is Reveal.volunteered]
        disclosures = [Disclosure(finding=e.id, present=e.finding.present, matched="", via="opening", score=100.0) for e in volunteered]
        self.opened = True
        text = self.phraser.finish(self.view.opening, 0, clinical=False)
        self._remember(disclosures)
        return Reply(text=text, findings=[d.finding for d in disclosures], disclosures=disclosures, intent="opening")

    def ask(self, question: str) -> Reply:
        self.turn += 1
        try:
            return self._ask(question)
        except Exception:  # noqa: BLE001 - a patient never crashes a consultation
            return Reply(text=self.phraser.unclear(self.turn), intent="unclear")

    def select(self, question: str) -> Reply:
        """Alias of `ask` for engines that only want the grounded selection."""
        return self.ask(question)

    # -- the turn -------------------------------------------------------------------------------

    def _ask(self, question: str) -> Reply:
        raw = clean_input(question)
        self.asked.append(raw)
        ph, turn = self.phraser, self.turn
        if not re.search(r"[^\W_]", raw):
            return Reply(text=ph.unclear(turn), intent="unclear")
        if looks_foreign(raw):
            return Reply(text=ph.foreign(), intent="unclear")
        if INJECTION.search(raw):
            return Reply(text=ph.finish(ph.refuse_diagnosis(turn), turn, clinical=False), intent="refuse")
        prefix = ""
        rest = raw
        m = GREETING.match(raw)
        if m:
            greeting = m.group(0).lower()
            prefix = ph.how_are_you() if "how" in greeting else ph.greeting(turn)
            rest = raw[m.end() :].strip(" ,.!")
            if not re.search(r"[^\W_]", rest):
                return Reply(text=ph.finish(prefix, turn, clinical=False), intent="unclear")
        if THANKS.match(rest):
            return Reply(text=ph.thanks(), intent="unclear")
        if GOODBYE.match(rest):
            return Reply(text=ph.goodbye(), intent="unclear")
        parts = [self._segment(seg) for seg in split_segments(rest)]
        parts = [p for p in parts if p.text]
        if not parts:
            return Reply(text=ph.unclear(turn), intent="unclear")
        disclosures: list[Disclosure] = []
        seen: set[str] = set()
        for p in parts:
            for d in p.disclosures:
                if d.finding not in seen:
                    seen.add(d.finding)
                    disclosures.append(d)
        intents = [p.intent for p in parts]
        informative = [i for i in intents if i not in ("unclear",)]
        if len(set(intents)) == 1:
            intent = intents[0]
        elif disclosures:
            kinds = {i for i in informative if i in ("confirm", "deny", "open", "mixed")}
            if kinds == {"deny"} and "refuse" not in informative:
                intent = "deny"  # denials beside 'not that I've noticed' are a no
            else:
                intent = kinds.pop() if len(kinds) == 1 and not ({"unmentioned", "refuse"} & set(informative)) else "mixed"
        else:
            intent = informative[0] if informative else "unclear"
        text = " ".join(p.text for p in parts)
        clinical = intent not in ("unclear", "refuse")
        text = ph.finish(text, turn, question=raw, clinical=clinical)
        if prefix:
            text = f"{prefix} {text}"
        self._remember(disclosures)
        return Reply(text=text, findings=[d.finding for d in disclosures], disclosures=disclosures, intent=intent)

    def _remember(self, disclosures: list[Disclosure]) -> None:
        for d in disclosures:
            self.disclosed[d.finding] = self.disclosed.get(d.finding, 0) + 1
        if disclosures:
            self.last_topic = [d.finding for d in disclosures]

    # -- one question ---------------------------------------------------------------------------

    def _segment(self, seg: str) -> _Part:
        ph, turn = self.phraser, self.turn
        if RESULTS.search(seg):
            return _Part(ph.refuse_results(turn), "refuse")
        if LEADING.search(seg) and not PAST_DIAGNOSES.search(seg):
            return _Part(ph.refuse_diagnosis(turn), "refuse")
        m = IS_IT.match(seg)
        if m and re.match(r"^(?:so |and |but )?(?:is|could|might|would) (?:it|this|that)\b", seg, re.I):
            guess = m.group(1)
            if not ATTRIBUTE.match(guess) and names_a_guess(guess):
                if DISEASE_WORD.search(guess) or not (
                    any(c.score >= MIN_SCORE for c in self.matcher.score(guess)) or self.matcher.concepts(guess)
                ):
                    return _Part(ph.refuse_diagnosis(turn), "refuse")
        attrs = attributes.asked(seg)
        referring = bool(REFERRING.search(seg)) or attributes.bare(seg)
        family = bool(FAMILY_WORDS.search(seg))
        # 'anything else that runs in the family?' is a family question, not an invitation.
        if not (attrs and referring and not categories_of(seg)) and not family and (OPEN.search(seg) or invites_story(seg)):
            return self._open(seg)
        chosen: list[Candidate] = []
        unmentioned: list[str] = []
        category_misses: list[str] = []
        if attrs:
            chosen = self._attribute(seg, attrs, referring)
            if chosen is None:
                return _Part(ph.not_sure_detail(turn), "unmentioned")
        for clause in split_clauses(seg) if not chosen else ():
            # 'does anyone in your family have diabetes, or heart problems?': every part asks
            # about relatives.
            if family and not FAMILY_WORDS.search(clause):
                clause = f"{clause} in the family"
            picked, miss, cat_miss = self._clause(clause)
            for c in picked:
                if all(c.entry.id != x.entry.id for x in chosen):
                    chosen.append(c)
            if miss is not None:
                unmentioned.append(miss)
            if cat_miss is not None:
                category_misses.append(cat_miss)
        if not chosen and not unmentioned and not category_misses:
            follow = self._follow_up(seg) if self.last_topic else None
            if follow:
                chosen = follow
            elif self.last_topic and (REFERRING.search(seg) or TIMING.search(seg)):
                text = ph.not_sure_detail(turn) if TIMING.search(seg) else ph.unmentioned(None, self.not_sure, turn, "fu")
                return _Part(text, "unmentioned")
            elif content_stems(seg) and (_YES_NO.match(seg) or self._clinical(seg)):
                # A yes/no question, or one about a symptom or body part the case never names.
                return _Part(ph.unmentioned(None, self.not_sure, turn, "gen"), "unmentioned")
            else:
                return _Part(ph.unclear(turn), "unclear")
        texts: list[str] = []
        disclosures: list[Disclosure] = []
        for i, c in enumerate(chosen):
            f = c.entry.finding
            texts.append(ph.finding_text(f.text, c.entry.id in self.disclosed, turn, f"f{i}"))
            disclosures.append(Disclosure(finding=f.id, present=f.present, matched=c.matched[:200], via=c.via, score=round(c.score, 1)))
        if unmentioned and self.style is Style.terse:
            unmentioned = unmentioned[:1]
        named = [w for w in dict.fromkeys(unmentioned) if w]
        if len(named) > 1:
            # One denial for several things: 'No nausea or throwing up that I've noticed.'
            texts.append(ph.unmentioned(", ".join(named[:-1]) + " or " + named[-1], self.not_sure, turn, "u0"))
        else:
            for i, words in enumerate(dict.fromkeys(unmentioned)):
                texts.append(ph.unmentioned(words, self.not_sure, turn, f"u{i}"))
        for i, cat in enumerate(dict.fromkeys(category_misses)):
            texts.append(ph.unmentioned_category(cat, self.not_sure, turn, f"c{i}"))
        if disclosures:
            present = {d.present for d in disclosures}
            # Mixed is a confirmation beside a denial; denials and 'not that I've noticed' are a no.
            if True in present:
                intent = "mixed" if False in present or unmentioned or category_misses else "confirm"
            else:
                intent = "deny"
        else:
            intent = "unmentioned"
        return _Part(" ".join(texts), intent, disclosures)

    def _clause(self, clause: str) -> tuple[list[Candidate], str | None, str | None]:
        """Findings for one clause; else the words of an unmentioned concept; else a category."""
        # 'vomited with the headache?' asks about vomiting; the headache is only the setting.
        context = _CONTEXT.search(clause)
        if context and self.matcher.lacking(clause[: context.start()]):
            clause = clause[: context.start()]
        context = _LEAD_CONTEXT.match(clause)  # 'since the delivery, any pain in either calf?'
        if context and self.matcher.lacking(clause[context.end() :]):
            clause = clause[context.end() :]
        cands = [c for c in self.matcher.score(clause) if c.score >= MIN_SCORE]
        if cands:
            top = cands[0].score
            cands = [c for c in cands if c.score >= top - MARGIN]
        cats = categories_of(lay_rewrite(clause))  # 'drinking loads more' asks about thirst, not alcohol
        # 'allergic to any medicines?' asks about allergies; 'conditions that run in the family?' about relatives.
        for narrow in (Category.allergies, Category.family):
            if narrow in cats:
                cats = [narrow]
        if cats:
            inside = [c for c in cands if any(self.matcher.in_category(c.entry, cat) for cat in cats)]
            if Category.social in cats:
                # 'does anyone smoke around him at home?': the social finding on the topic asked.
                on_topic = self.matcher.category_findings(Category.social, clause)
                inside = [c for c in inside if c.entry.finding.category is not Category.social or c.entry in on_topic]
            if inside:
                return inside[:PER_CLAUSE], None, None
            entries: list[Entry] = []
            for cat in cats:
                entries.extend(e for e in self.matcher.category_findings(cat, clause) if e not in entries)
            # The words that name the part of the history ('past medical', 'family') are not a
            # symptom: findings outside it matched on those words alone do not count, and a
            # question about relatives is answered from the family history only.
            rest = strip_category_words(clause)
            # A question about medicines or relatives is answered from those parts of the history
            # only: 'blood thinners' is not the rectal bleeding.
            if Category.family in cats or Category.medications in cats or (entries and not content_stems(rest)):
                cands = []
            elif cands:
                scored = self.matcher.score(rest) if rest != clause else cands
                # 'surgery on that ear?': the ear finding of the part asked about comes first.
                inside = [c for c in scored if c.score >= FOLLOW_UP_SCORE and any(self.matcher.in_category(c.entry, cat) for cat in cats)]
                cands = inside or [c for c in scored if c.score >= MIN_SCORE]
            if entries and not cands:
                entries = sorted(entries, key=lambda e: e.priority)
                return [Candidate(e, 85.0, "category", cats[0].value) for e in entries[:PER_CLAUSE]], None, None
            if not cands:
                return [], None, cats[0].value
        if cands:
            return cands[:PER_CLAUSE], None, None
        # Embeddings bridge words the lexicon lacks, never a symptom the case lacks ('stinging
        # when you pass urine?' is not 'dark urine').
        if self.semantic is not None and not self.matcher.lacking(clause):
            hit = self.semantic.match(clause)
            if hit is not None:
                return [hit], None, None
        general = self.matcher.general_negatives(clause)
        if general:
            return [Candidate(e, 70.0, "system", e.finding.label or "") for e in general[:PER_CLAUSE]], None, None
        concepts = self.matcher.concepts(clause)
        if concepts:
            return [], self._words(*concepts[0], clause), None
        stems = content_stems(clause)
        if stems and not REFERRING.search(clause) and len(stems) <= 6:
            if organ_terms(stems):
                return [], _strip_question(clause), None
            hits = self.matcher.index.fuzzy(" ".join(w for w in clause.split() if w.lower() not in _QWORDS))
            if hits:
                return [], self._words(hits[0][0], hits[0][1], clause), None
        return [], None, None

    def _words(self, term_id: str, matched: str, clause: str) -> str | None:
        """How the patient names a symptom the case lacks: the question's own words when they
        make a noun phrase, else the HPO's lay name for it, else nothing."""
        matched = matched.strip()
        if len(matched.split()) == 1 and stem(matched.lower()) in STATES:
            return None  # 'painful' alone is no name for a symptom
        if set(content_stems(matched)) - set(content_stems(lay_rewrite(clause))):
            return None  # a name the question did not use ('puffiness around eye' for puffy feet)
        if not _VERBAL.search(matched):
            return matched
        term = self.matcher.index.kg.ontology.terms.get(term_id)
        lay = [syn.text for syn in term.synonyms if syn.kind == "layperson"] if term is not None else []
        return lay[0].lower() if lay and not _VERBAL.search(lay[0]) else None

    def _attribute(self, seg: str, attrs: list[attributes.Attribute], referring: bool) -> list[Candidate] | None:
        """'Which arm?', 'since what age?', 'when did the rash start?': the finding that tells the
        attribute asked, among the findings the question names or else the last topic (at the
        start of a consultation, the presenting complaint). [] when the question is not such a
        follow-up; None when it is but the case tells nothing of the attribute."""
        own: list[Candidate] = []
        words = attributes.topic_words(seg)
        if words:
            # A weaker match will do here: the finding must also tell the attribute asked.
            own = [c for c in self.matcher.score(" ".join(words)) if c.score >= FOLLOW_UP_SCORE]
        if own:
            topic = [c.entry for c in own if c.score >= own[0].score - MARGIN]
        elif referring and not categories_of(seg):
            ids = self.last_topic or [
                e.id for e in self.matcher.entries if e.finding.category is Category.presenting_complaint and e.finding.present
            ]
            topic = [self.matcher.by_id[i] for i in ids if i in self.matcher.by_id]
        else:
            return []
        if not own and not any(e.finding.present for e in topic):
            return []
        if own and own[0].score >= MIN_SCORE and not own[0].entry.finding.present:
            # 'is it triggered by foods?' -> 'it's not from food', a documented absence, unless a
            # present finding as close to the question tells what is asked.
            close = [c.entry for c in own if c.entry.finding.present and c.score >= own[0].score - MARGIN]
            if not any(attributes.tells(a, e.finding.text) for e in close for a in attrs):
                return []
        named = {c.entry.id for c in own}
        topic_stems = {s for e in topic for s in e.stems if s not in FRAME}
        # How well the question's own wording fits ('how long ago did this start' meets 'ago').
        fit = {c.entry.id: c.score for c in self.matcher.score(seg)}
        pool = []
        for e in self.matcher.entries:
            if not e.finding.present or not any(attributes.tells(a, e.finding.text) for a in attrs):
                continue
            if e.finding.category is Category.family and e not in topic:
                continue  # a relative's story tells nothing about the patient's complaint
            overlap = len(topic_stems & set(e.stems)) if e not in topic else len(topic_stems)
            if e in topic or e.id in named or overlap or attributes.GENERAL_SUBJECT.search(e.finding.text):
                relevance = fit.get(e.id, 0.0) + 10.0 * min(overlap, 3)
                pool.append((e not in topic and e.id not in named, -relevance, e.id in self.disclosed, e.priority, e))
        if not pool:
            # Nothing tells it: 'I'm not sure' to a bare follow-up; otherwise the question's own
            # words may still find something ('is it worse after activity?').
            return None if attributes.bare(seg) and not own else []
        best = min(pool, key=lambda x: x[:4])[4]
        matched = " ".join(content_stems(seg)) or seg[:80]
        via = "attribute" if own else "follow-up"
        chosen = [Candidate(best, 80.0, via, matched)]
        # The finding the question names stays in the answer when another one tells the detail.
        if own and own[0].score >= MIN_SCORE and own[0].entry is not best and own[0].entry.finding.present:
            chosen.append(own[0])
        return chosen

    def _clinical(self, seg: str) -> bool:
        return any(self.matcher.is_clinical(s) or s in ANATOMY for s in content_stems(seg) if s not in FRAME)

    def _follow_up(self, seg: str) -> list[Candidate]:
        """A question that refers back to the last topic ('and does it get worse at night?')."""
        topic = [self.matcher.by_id[i] for i in self.last_topic if i in self.matcher.by_id]
        if not topic and not self.matcher.known_words(seg):
            topic = [e for e in self.matcher.entries if e.finding.category is Category.presenting_complaint and e.finding.present]
        if not topic:
            return []
        topic_stems: list[str] = []
        for e in topic:
            for s in content_stems(" ".join([e.finding.label or "", *e.finding.synonyms]) or e.finding.text):
                if s not in topic_stems:
                    topic_stems.append(s)
        cands = [c for c in self.matcher.score(seg, extra=topic_stems) if c.score >= FOLLOW_UP_SCORE and c.entry.id not in self.last_topic]
        if cands:
            c = cands[0]
            return [Candidate(c.entry, c.score, "follow-up", c.matched)]
        return []

    def _open(self, seg: str) -> _Part:
        ph, turn = self.phraser, self.turn
        if not self.opened and not self.disclosed:
            opening = self.opening()
            return _Part(opening.text, "open", list(opening.disclosures))
        topic_text = None
        m = MORE_ABOUT.search(seg)
        if m:
            topic_text = m.group(1)
            if not content_stems(topic_text) or re.fullmatch(r"(?:it|that|this|them|those|these)", topic_text.strip(" ?.").lower()):
                topic_text = " ".join(
                    (self.matcher.by_id[i].finding.label or "") for i in self.last_topic if i in self.matcher.by_id
                ) or None
        pool: list[Candidate] = []
        if topic_text:
            pool = [
                c
                for c in self.matcher.score(topic_text)
                if c.score >= 40 and c.entry.finding.present and c.entry.id not in self.disclosed
            ]
            pool.sort(key=lambda c: (c.entry.finding.category not in _HPI, -c.score, c.entry.priority))
            if not pool:
                return _Part(ph.nothing_more(topic=True), "open")
        else:
            entries = [e for e in self.matcher.entries if e.finding.category in _HPI and e.finding.present and e.id not in self.disclosed]
            entries.sort(key=lambda e: e.priority)
            pool = [Candidate(e, 60.0, "open", seg[:80]) for e in entries]
            if not pool:
                return _Part(ph.nothing_more(topic=False), "open")
        chosen = pool[:OPEN_BATCH]
        texts = [ph.finding_text(c.entry.finding.text, False, turn, f"o{i}") for i, c in enumerate(chosen)]
        disclosures = [
            Disclosure(finding=c.entry.id, present=c.entry.finding.present, matched=(topic_text or seg)[:200], via="open", score=round(c.score, 1))
            for c in chosen
        ]
        return _Part(" ".join(texts), "open", disclosures)


_QWORDS = frozenset(
    "do does did have has had any are is was were ever you your been got get any there and or a an the of to with "
    "how about what".split()
)


# A phrase that reads as a verb ('vomited', 'eyes been red') does not fit "No ... that I've noticed."
_VERBAL = re.compile(r"\b(?:he|she|they|we|i|it|you|born|be|been|being|is|are|was|were|am|feel|felt|feeling|get|got|getting|had|has|have|do|does|did)\b|\w+ed$", re.I)


def _strip_question(clause: str) -> str | None:
    words = clause.strip(" ?.!").split()
    while words and words[0].lower() in _QWORDS | {"any", "some", "other", "kind", "of"}:
        words.pop(0)
    while words and words[-1].lower() in _TRAILING:
        words.pop()
    if len(words) >= 2 and words[-2].lower() == "at" and words[-1].lower() == "all":
        words = words[:-2]
    if len(words) == 2 and stem(words[0].lower()) in ANATOMY and stem(words[1].lower()) in STATES:
        words.reverse()  # 'eyes sore' -> 'sore eyes'
    phrase = " ".join(words)
    return phrase if 0 < len(words) <= 4 and not _VERBAL.search(phrase) else None


_CONTEXT = re.compile(
    r"\s+(?:with|during|alongside|along with|at the same time as|when you (?:have|get|had|got))\s+"
    r"(?:the|your|this|these|those|his|her|that|it|them)\b(?:\s+\w+){0,3}\s*[?.!]*$",
    re.I,
)
_LEAD_CONTEXT = re.compile(r"\s*(?:since|after|before|following|during) (?:the|your|his|her|this|that) \w+(?: \w+)?\s*,\s*", re.I)
_TRAILING = frozenset("lately recently now currently much either too also".split())
