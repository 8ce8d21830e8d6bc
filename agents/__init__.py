"""Simulated roles: patient, doctor policies, examiner, specialists, moderator."""
