"""consultsim: a multi-agent clinical consultation simulator."""

from consultsim._version import __version__

__all__ = ["__version__"]
