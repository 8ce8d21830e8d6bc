"""The simulated patient (or caregiver): grounded in the case, leak-proof by construction."""
