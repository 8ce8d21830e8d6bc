"""Errors that the command line reports as a user's mistake: one line, exit status 2."""


class UserError(Exception):
    """Bad input from the user: the message says what to fix."""
