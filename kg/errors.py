"""The one exception type of the knowledge-graph API."""


class KGError(ValueError):
    """Bad input to the knowledge graph (unknown or obsolete ids, a disease given as a finding,
    empty or contradictory evidence) or unusable HPO files. The message says what to fix."""
