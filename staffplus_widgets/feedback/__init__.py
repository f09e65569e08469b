"""Rubric feedback: what the learner said about each rubric item, at which level, and a score.

Layers inside this package, each importing only the ones before it:

- ``statements``: what a sentence does (states, lists, dismisses, reasons);
- ``meaning``: which rubric item a sentence is about, by meaning as well as by phrase;
- ``levels``: the level of each item in a text (absent, named, reasoned, dismissed);
- ``signals``: the five Staff+ habits;
- ``review``: scores, reviews of answers and work files, saved review records.
"""

from .review import *  # noqa: F403 (the public API is review's __all__)
from .review import __all__ as __all__
