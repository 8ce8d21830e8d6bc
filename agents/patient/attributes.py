"""Questions about a quality of a complaint rather than about a complaint.

'Which side?', 'since what age?', 'how long did it last?', 'what makes it worse?', 'what's that
for?' name no symptom: they ask for one attribute of the finding the conversation is about. Each
attribute pairs the shapes of a question that asks for it with the words of a finding's text that
tell it, so the patient answers from the finding that carries the detail. General English only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consultsim.agents.patient.text import (
    FRAME,
    FREQ_IN_TEXT,
    FREQUENCY,
    TIME_IN_TEXT,
    content_stems,
    stem,
)


@dataclass(frozen=True)
class Attribute:
    name: str
    asked: re.Pattern  # a question asks for it
    told: re.Pattern  # a finding's text tells it


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


_AGE_IN_TEXT = r"\bsince (?:i was|he was|she was|they were|childhood|birth|\w+ (?:ago|years?))\b|\b(?:aged?|at) \d+\b|\bwhen (?:i|he|she) was\b|\byears? old\b"

ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "onset",
        _re(
            r"\bwhen (?:did|does|do|was|were|is|had|have)\b|^\W*(?:and |so |ok |okay )?when\b|\bsince (?:when|what)\b|\bwhat age\b|"
            r"\bhow old\b|\bhow (?:many \w+|long) ago\b|\bonset\b|"
            r"\b(?:did|does|do) (?:it|they|this|that|the \w+|your \w+|these) (?:first )?(?:start|begin)\b|"
            r"^\W*(?:and |so )?(?:start|started|began)\b|\b(?:start|started|began|begin)(?: \w+)? when\b"
        ),
        _re(TIME_IN_TEXT.pattern + "|" + _AGE_IN_TEXT),
    ),
    Attribute(
        "duration",
        _re(r"\bhow long\b(?! ago)|\b(?:does|did|do) (?:it|they|that|this|the \w+) last\b|\bgo(?:es)? on for\b|\bfor how\b"),
        _re(TIME_IN_TEXT.pattern + r"|\blast\w*\b|\bminutes?\b|\bseconds?\b"),
    ),
    Attribute("frequency", FREQUENCY, FREQ_IN_TEXT),
    Attribute(
        "site",
        _re(
            r"\b(?:which|what) (?:side|arm|leg|hand|foot|eye|ear|part|bit|area|knee|hip|shoulder|finger|toe)s?\b|"
            r"\bwhere(?:abouts)?\b|\bleft or right\b|\bone side or\b|\bboth sides\b"
        ),
        _re(
            r"\b(?:left|right|both|side|sided|front|back|middle|centre|center|central|upper|lower|under|behind|top|"
            r"bottom|all over|inside|outside)\b"
        ),
    ),
    Attribute(
        "character",
        _re(
            r"\bwhat (?:does|did|is|was) (?:it|that|the \w+) (?:feel )?like\b|\bwhat (?:kind|sort|type) of (?:pain|feeling|ache)\b|"
            r"\bhow (?:would you )?describe\b|\bwhat colou?r\b"
        ),
        _re(
            r"\b(?:sharp|dull|burning|crushing|heavy|tight\w*|stabbing|throbbing|aching|cramp\w*|pressing|gnawing|shooting|"
            r"pounding|squeezing|like|colou?r|red|yellow|green|brown|black|white|dark|clear|bloody)\b"
        ),
    ),
    Attribute(
        "severity",
        _re(r"\bhow (?:bad|severe|strong|intense|painful|much (?:does|did) it hurt)\b|\bout of (?:10|ten)\b|\bscale\b"),
        _re(r"\b\d+ ?(?:/|out of) ?10\b|\b(?:worst|severe|mild|bad|terrible|unbearable|excruciating|agony|really)\b"),
    ),
    Attribute(
        "course",
        _re(r"\b(?:getting|got|gotten|become|becoming|been) (?:any )?(?:worse|better)\b|\bprogress\w*|\bchang\w* over\b"),
        _re(r"\b(?:progressive\w*|gotten worse|getting worse|worse and worse|worsen\w*|improv\w*|better|worse)\b"),
    ),
    Attribute(
        "aggravating",
        _re(r"\b(?:worse|aggravat\w*|more (?:painful|sore))\b(?<!getting worse)(?<!got worse)(?<!gotten worse)"),
        _re(r"\b(?:worse|worsen\w*|exacerbat\w*|aggravat\w*)\b"),
    ),
    Attribute(
        "trigger",
        _re(r"\b(?:trigger\w*|brings? (?:it|them|this|that) on|sets? (?:it|them|this|that) off|causes?|caused)\b"),
        _re(
            r"\b(?:trigger\w*|brings? (?:it|them) on|sets? (?:it|them) off|when(?:ever)? (?:i|he|she|they) (?!was|were|had)|after|from|"
            r"caused|because|position\w*|depend\w*|on (?:standing|turning|moving|lying|bending|exertion))\b"
        ),
    ),
    Attribute(
        "relieving",
        _re(r"\b(?:better|reliev\w*|relief|eases?|helps?|settle\w*)\b"),
        _re(
            r"\b(?:better|reliev\w*|relief|eases?|helps?|help(?:ed|s)|goes (?:off|away)|went (?:off|away)|settle\w*|"
            r"difference|work(?:ed|s)?|effect\w*)\b"
        ),
    ),
    Attribute(
        "recurrence",
        _re(
            r"\bfirst (?:time|episode|attack)\b|\b(?:happened|had (?:it|this|that|one|them|anything like (?:it|this|that))|"
            r"felt (?:it|this|like this)) (?:\w+ )?(?:before|previously)\b|\b(?:ever|before) had (?:it|this|that|anything like)\b|"
            r"\b(?:previous|prior|earlier|similar|other) (?:episodes?|attacks?|bouts?|times?)\b|\bbefore\b.*\b(?:like this|similar)\b"
        ),
        _re(
            r"\b(?:before|previous\w*|prior|again|recurr\w*|recurrent|episodes|attacks|bouts|times|similar|"
            r"never|first time|last (?:year|month|time)|used to)\b"
        ),
    ),
    Attribute(
        "circumstance",
        _re(
            r"\bwhat (?:were|was) (?:you|he|she|they) doing\b|\bwere (?:you|he|she) doing (?:anything|something)\b|"
            r"\bhow did (?:it|this|that|the \w+|your \w+|you) (?:happen|start|begin|come on|get \w+|hurt)\b|\bhow (?:were|was) (?:you|he|she) (?:hurt|injured)\b|"
            r"\bwhat happened (?:just )?(?:before|when|at the time)\b|\bhow did (?:it|this|that) (?:all )?(?:first )?(?:begin|start)\b"
        ),
        _re(
            r"\b(?:while|whilst|when (?:i|he|she|we) (?:was|were)|as (?:i|he|she) was|during|playing|at work|caught|fell|fall|"
            r"lifting|running|walking|sitting|standing|driving|found (?:me|him|her)|brought in|began as|started as|bite|bitten|injur\w*)\b"
        ),
    ),
    Attribute(
        "reason",
        _re(r"\bwhat(?:'s| is| was| are| were) (?:it|that|this|they|those|these) for\b|\bwhat for\b|\bwhy\b|\bwhat (?:caused|happened)\b"),
        _re(r"\bfor (?:my|the|a|an|his|her)\b|\bbecause\b|\bhistory of\b|\bafter\b|\bkept me in\b|\badmitted\b"),
    ),
)

# Words of the attribute questions themselves: with FRAME they say nothing about which finding.
_ASKING = frozenset(
    stem(w)
    for w in """
    when where whereabouts which what why how since age old long ago start started began begin onset first last
    lasted lasting side part bit area worse better trigger triggers brings sets happened caused cause feel like describe
    severe bad scale ten often then that time go goes going went for admitted before previous previously ever
    similar doing happen hurt injured
    """.split()
)


def asked(text: str) -> list[Attribute]:
    """The attributes a question asks for, in the order above."""
    return [a for a in ATTRIBUTES if a.asked.search(text)]


# A finding about the complaint as a whole ('The symptoms started as I was going to bed'): it may
# tell an attribute of whatever the conversation is about.
GENERAL_SUBJECT = re.compile(r"\b(?:symptoms?|it|this|these|they|them|the (?:pain|problem|episodes?|attacks?))\b", re.I)


def tells(attribute: Attribute, text: str) -> bool:
    return attribute.told.search(text) is not None


def topic_words(text: str) -> list[str]:
    """The words of a question that name what it is about, not the attribute it asks for."""
    return [s for s in content_stems(text) if s not in FRAME and s not in _ASKING]


def bare(text: str) -> bool:
    """The question names nothing but the attribute ('since what age?', 'how old were you then?')."""
    return not topic_words(text)
