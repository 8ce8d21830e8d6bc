"""Simulated roles: patient, doctor policies, examiner, specialists, moderator."""

from consultsim.agents.replies import Disclosure, Reply

__all__ = ["Disclosure", "Reply"]
