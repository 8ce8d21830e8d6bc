"""The examiner: examination findings and test results on request.

`Examiner(case).request("ECG and troponin please")` maps a free-text request onto the case's exam
and test findings and returns a `Reply` with the clinical text of every finding it disclosed and
why (matched words, via, score). It reads only exam and test findings, never the diagnosis.

How a request is matched:
1. The request is folded (case, spelling, plurals) and scanned for names of examinations and tests
   from a general vocabulary (`consultsim.agents.procedures`): "listen to the heart" ->
   cardiovascular examination, "full blood count" -> complete blood count, "MRI of the brain" ->
   MRI brain. Each case finding is classified with the same vocabulary from its `procedure`, `label`
   and `synonyms` when the examiner is built.
2. A named concept returns the findings classified under it (a general request covers the ones
   beneath it: "bloods" -> every routine blood test). Extra words narrow the set ("feel the
   abdomen" -> palpation; "acetylcholine receptor antibodies" -> that antibody). When the case has
   no finding of that kind, a panel that reports it is returned ("check BP" -> the vital signs).
3. Words that name no known concept are matched against each finding's own procedure, label,
   synonyms and HPO label (stems, then fuzzy), then its text.
4. A routine exam or test the case does not list comes back normal when the case allows it
   (options.routine_normal); anything else is "not available for this case".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from consultsim.agents import procedures as vocab
from consultsim.agents.replies import Disclosure, Reply
from consultsim.scenarios.model import Case, Category, Finding
from rapidfuzz import fuzz

MAX_CHARS = 500
UNCLEAR = (
    "I can't perform that; name an examination or a test, e.g. 'examine the chest' or 'ECG'."
)
NOT_AVAILABLE = "not available for this case."
_SEP = "|"
_REQUEST_TOKEN = re.compile(r"[a-z0-9]+|[,;+&/]")
_CONNECTORS = frozenset(vocab.tokens("and then also plus followed"))
_CUES = frozenset(
    vocab.tokens(
        "check order test tests level levels measure send assay scan examine exam examination "
        "serum plasma urine blood study studies screen panel analysis result results request"
    )
)
_EXAM_CUES = frozenset(vocab.tokens("examine exam examination look feel listen palpate inspect"))
# Aliases too short or too common to show that a panel's text reports a concept.
_NO_MENTION = frozenset(
    vocab.tokens("mg ca cr fit dip gas bm anti cat temp sugar us pt k cl general appearance oral "
                 "mental vision back walk mood speech hair lesions skin variant fish iron")
)


@dataclass
class _Item:
    finding: Finding
    kind: str
    concepts: set[str]
    names: set[str]  # stems of procedure, label, synonyms, HPO label
    text: set[str]  # stems of the clinical text
    text_line: str  # " a b c " for phrase search
    order: int


@dataclass
class _Hit:
    item: _Item
    via: str
    score: float
    matched: str


@dataclass
class _Result:
    name: str
    kind: str
    hits: list[_Hit] = field(default_factory=list)
    normal: str | None = None  # text of a routine normal result
    unavailable: bool = False


def _request_tokens(text: str, raw: list[str] | None = None) -> list[str]:
    out = []
    for tok in _REQUEST_TOKEN.findall(vocab.fold(text)):
        out.append(_SEP if tok in ",;+&/" else vocab.stem(tok))
        if raw is not None:
            raw.append(tok)
    return out


def _word_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]:
        return True
    return len(a) >= 6 and len(b) >= 6 and fuzz.ratio(a, b) >= 85


def _matches(word: str, bag: set[str]) -> bool:
    if word in bag:
        return True
    return any(_word_match(word, other) for other in bag) if len(word) >= 5 else False


@dataclass
class _Span:
    start: int
    end: int
    keys: list[str]
    consumed: set[int]


def _scan(toks: list[str]) -> list[_Span]:
    """Longest-match concept names, with imaging modalities joined to their regions."""
    spans: list[_Span] = []
    i = 0
    while i < len(toks):
        for length in range(min(vocab.MAX_ALIAS, len(toks) - i), 0, -1):
            keys = vocab.ALIASES.get(tuple(toks[i : i + length]))
            if keys:
                spans.append(_Span(i, i + length, list(keys), set(range(i, i + length))))
                i += length
                break
        else:
            i += 1
    # Imaging: "CT of the head", "brain MRI", "CT chest, abdomen and pelvis".
    for span in spans:
        if not (len(span.keys) == 1 and span.keys[0] in vocab.MODALITY_KEYS):
            continue
        modality = span.keys[0]
        regions: list[tuple[str, int]] = []
        j = span.end
        while j < len(toks) and j < span.end + 8:
            tok = toks[j]
            if tok in vocab.REGIONS:
                regions.append((vocab.REGIONS[tok][0], j))
            elif tok != _SEP and tok not in vocab.IMAGING_FILLER:
                break
            j += 1
        if not regions:
            for j in (span.start - 1, span.start - 2):
                if j >= 0 and toks[j] in vocab.REGIONS:
                    regions.append((vocab.REGIONS[toks[j]][0], j))
                elif j >= 0 and toks[j] not in vocab.IMAGING_FILLER:
                    break
        if regions:
            span.keys = list(dict.fromkeys(vocab.imaging_concept(modality, r) for r, _ in regions))
            taken = {j for _, j in regions}
            span.consumed |= taken | set(range(span.start, max(j for _, j in regions) + 1))
            for other in spans:
                if other is not span and other.consumed & taken:
                    other.keys = []
    return [s for s in spans if s.keys]


def _concepts(text: str | None) -> set[str]:
    if not text:
        return set()
    return {k for span in _scan(_request_tokens(text)) for k in span.keys}


def _under(key: str, request_key: str) -> bool:
    return key == request_key or request_key in vocab.ancestors(key)


class Examiner:
    """Examination findings and test results of one case, on request."""

    def __init__(self, case: Case, seed: int = 0, ontology=None):
        self.case = case
        self.seed = seed
        self.routine_normal = case.options.routine_normal
        if ontology is None:
            try:
                from consultsim.kg.ontology import get_ontology

                ontology = get_ontology()
            except Exception:  # the HPO labels only add words to match; never required
                ontology = None
        self.items: list[_Item] = []
        for order, finding in enumerate(case.findings):
            if finding.category not in (Category.exam, Category.test):
                continue
            kind = "exam" if finding.category is Category.exam else "test"
            hpo_label = None
            if ontology is not None and finding.hpo:
                try:
                    hpo_label = ontology.label(finding.hpo)
                except Exception:
                    hpo_label = None
            names = set()
            for source in (finding.procedure, finding.label, hpo_label, *finding.synonyms):
                if source:
                    names.update(vocab.tokens(source))
            names -= vocab.STOPWORDS - {"blood"}
            text_tokens = vocab.tokens(finding.text)
            self.items.append(
                _Item(
                    finding,
                    kind,
                    self._classify(finding, kind),
                    names,
                    set(text_tokens),
                    " " + " ".join(text_tokens) + " ",
                    order,
                )
            )

    # ---------------------------------------------------------------------------------------
    @staticmethod
    def _classify(finding: Finding, kind: str) -> set[str]:
        found: set[str] = set()
        if finding.procedure:
            head, _, rest = finding.procedure.partition(":")
            general, specific = _concepts(head), _concepts(rest)
            if specific:
                if not general or general <= vocab.GENERIC:
                    found = specific
                else:
                    narrower = {s for s in specific if any(_under(s, g) for g in general)}
                    found = narrower or general
            else:
                found = general
        # The label and synonyms refine a general procedure ("blood tests" + "Raised CRP"), but
        # never move a finding to another system ("venous blood gas" + "High anion gap ...").
        for source in (finding.label, *finding.synonyms):
            for k in _concepts(source):
                if vocab.CONCEPTS[k].kind != kind:
                    continue
                if not found or found <= vocab.GENERIC or any(_under(k, g) for g in found):
                    found = found | {k}
        if not found:
            found = {"physical" if kind == "exam" else "lab"}
        return found

    # ---------------------------------------------------------------------------------------
    def request(self, text: str) -> Reply:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        text = re.sub(r"\s+", " ", text)[:MAX_CHARS]
        raw: list[str] = []
        toks = _request_tokens(text, raw)
        if not any(t != _SEP for t in toks):
            return Reply(text=UNCLEAR, intent="unclear")
        spans = _scan(toks)
        consumed = set().union(*(s.consumed for s in spans)) if spans else set()
        # Segments: split at punctuation and at connectors no concept name used.
        segment, seg_of = 0, []
        for i, tok in enumerate(toks):
            if tok == _SEP or (tok in _CONNECTORS and i not in consumed):
                segment += 1
            seg_of.append(segment)
        free = [i for i, t in enumerate(toks) if i not in consumed and t != _SEP]
        info = [i for i in free if toks[i] not in vocab.STOPWORDS and toks[i] not in vocab.MANOEUVRES
                and not toks[i].isdigit() and toks[i] not in _CONNECTORS]
        used: set[int] = set()
        results: list[_Result] = []
        seen_keys: set[str] = set()
        for span in spans:
            seg = seg_of[span.start]
            words = " ".join(t for t in raw[span.start : span.end] if t not in ",;+&/")
            q = [i for i in info if seg_of[i] == seg]
            moves = {vocab.MANOEUVRES[toks[i]] for i in free if seg_of[i] == seg and toks[i] in vocab.MANOEUVRES}
            for key in span.keys:
                if key in seen_keys:
                    continue
                seen_keys.add(key)
                results.append(self._resolve(key, words, q, raw, moves, used))
        # Words that named no concept: the case's own names for its findings.
        leftovers: dict[int, list[int]] = {}
        for i in info:
            if i not in used:
                leftovers.setdefault(seg_of[i], []).append(i)
        span_segments = {seg_of[s.start] for s in spans}
        for seg, idx in leftovers.items():
            result = self._lexical([toks[i] for i in idx], names_only=seg in span_segments,
                                   said=" ".join(raw[i] for i in idx))
            if result is not None:
                results.append(result)
            elif not spans and any(toks[i] in _CUES for i in free):
                kind = "exam" if any(toks[i] in _EXAM_CUES for i in free) else "test"
                results.append(_Result(" ".join(raw[i] for i in idx), kind, unavailable=True))
        if not results and not info and any(toks[i] in _EXAM_CUES for i in free):
            results.append(self._resolve("physical", "examine", [], raw, set(), used))
        if not results:
            return Reply(text=UNCLEAR, intent="unclear")
        return self._reply(results)

    # ---------------------------------------------------------------------------------------
    def _resolve(self, key: str, words: str, q: list[int], raw: list[str], moves: set[str], used: set[int]) -> _Result:
        toks = [vocab.stem(t) for t in raw]
        concept = vocab.CONCEPTS[key]
        result = _Result(concept.name, concept.kind)
        hits = [_Hit(it, "procedure", 100.0, words) for it in self.items if any(_under(c, key) for c in it.concepts)]
        if key in vocab.GENERIC:
            # A general request also covers the case's free-text catch-alls above it
            # ("bloods" -> a finding filed under "laboratory tests").
            above = {a for a in vocab.ancestors(key) if a in vocab.GENERIC}
            hits += [_Hit(it, "procedure", 90.0, words) for it in self.items
                     if it.concepts & above and all(h.item is not it for h in hits)]
        if not hits:
            hits = self._in_panels(key, words)
        if hits and q:
            qwords = [toks[i] for i in q]
            scored = [(sum(_matches(w, h.item.names | h.item.text) for w in qwords), h) for h in hits]
            best = max(s for s, _ in scored)
            if best:
                hits = [h for s, h in scored if s == best]
                for h in hits:
                    h.matched = f"{words} {' '.join(raw[i] for i in q)}"
                    h.score = min(h.score, 90.0 + 10.0 * best / len(qwords))
                used.update(q)
            elif concept.qualified:
                hits = []
                used.update(q)
        elif not hits and concept.qualified and q:
            used.update(q)
        if hits and moves:
            narrowed = [h for h in hits if moves & h.item.names]
            hits = narrowed or hits
        if hits:
            result.hits = hits
        elif concept.routine and self.routine_normal and not (concept.qualified and q):
            result.normal = concept.normal
        else:
            result.unavailable = True
            if concept.qualified and q:
                result.name = f"{concept.name} ({' '.join(raw[i] for i in q)})"
        return result

    def _in_panels(self, key: str, words: str) -> list[_Hit]:
        """Findings of a broader kind whose text reports this one ("BP" in the vital signs)."""
        phrases = [p for p in vocab.mention_phrases(key) if not (len(p) == 1 and p[0] in _NO_MENTION)]
        if not phrases:
            return []
        lines = [" " + " ".join(p) + " " for p in phrases]
        # A long name inside a longer word still counts ("eosinophil" in "hypereosinophilia").
        lines += [p[0] for p in phrases if len(p) == 1 and len(p[0]) >= 7]
        above = set(vocab.ancestors(key))

        def mentions(item: _Item) -> bool:
            return any(line in item.text_line for line in lines)

        hits = [_Hit(it, "panel", 80.0, words) for it in self.items if it.concepts & above and mentions(it)]
        concept = vocab.CONCEPTS[key]
        if not hits and concept.kind == "test" and not vocab.is_imaging(key):
            hits = [_Hit(it, "text", 70.0, words) for it in self.items if it.kind == "test" and mentions(it)]
        elif not hits and concept.kind == "exam":
            # Only distinctive names ("neck stiffness", "Kernig"), never a bare system word.
            deep = concept.parent not in (None, "physical")
            lines = [" " + " ".join(p) + " " for p in phrases if len(p) > 1 or (deep and len(p[0]) >= 5)]
            hits = [_Hit(it, "text", 70.0, words) for it in self.items if it.kind == "exam" and mentions(it)]
        return hits

    def _lexical(self, words: list[str], names_only: bool, said: str) -> _Result | None:
        best, hits = 0, []
        for it in self.items:
            n = sum(_matches(w, it.names) for w in words)
            if n and n >= best:
                if n > best:
                    best, hits = n, []
                hits.append(it)
        via = "label"
        if (not hits or best * 2 < len(words)) and not names_only:
            best, hits, via = 0, [], "text"
            for it in self.items:
                n = sum(w in it.text for w in words if len(w) >= 4)
                if n and n >= best:
                    if n > best:
                        best, hits = n, []
                    hits.append(it)
        if not hits or best * 2 < len(words):
            return None
        first = hits[0].finding
        name = (first.procedure or first.label or said) if via == "label" else said
        score = round(100.0 * best / len(words), 1) * (1.0 if via == "label" else 0.7)
        return _Result(name, hits[0].kind, [_Hit(it, via, score, said) for it in hits])

    # ---------------------------------------------------------------------------------------
    def _reply(self, results: list[_Result]) -> Reply:
        lines: list[str] = []
        disclosures: list[Disclosure] = []
        shown: set[str] = set()
        normal = False
        for result in results:
            if result.hits:
                for hit in sorted(result.hits, key=lambda h: h.item.order):
                    f = hit.item.finding
                    if f.id in shown:
                        continue
                    shown.add(f.id)
                    lines.append(_display(f))
                    disclosures.append(
                        Disclosure(finding=f.id, present=f.present, matched=hit.matched, via=hit.via,
                                   score=max(0.0, min(100.0, hit.score)))
                    )
            elif result.normal:
                normal = True
                lines.append(_prefixed(result.name, result.normal))
            else:
                lines.append(f"{_cap(result.name)}: {NOT_AVAILABLE}")
        kinds = [r.kind for r in results]
        intent = "exam" if all(k == "exam" for k in kinds) else "test" if all(k == "test" for k in kinds) else kinds[0]
        requested = ", ".join(dict.fromkeys(r.name for r in results))
        return Reply(
            text="\n".join(dict.fromkeys(lines)),
            findings=[d.finding for d in disclosures],
            disclosures=disclosures,
            intent=intent,
            requested=requested,
            normal=normal,
        )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _prefixed(name: str, text: str) -> str:
    folded = " ".join(vocab.tokens(text))
    if folded.startswith(" ".join(vocab.tokens(name))):
        return text
    return f"{_cap(name)}: {text}"


def _display(finding: Finding) -> str:
    text = finding.text.strip()
    folded = " ".join(vocab.tokens(text))
    heads = [finding.label, finding.procedure]
    if finding.procedure:
        heads += [part for part in re.split(r"[:,]", finding.procedure) if part.strip()]
    for head in heads:
        if head and folded.startswith(" ".join(vocab.tokens(head))):
            return text
    if not finding.procedure:
        return text
    return f"{_cap(finding.procedure.strip())}: {text}"
