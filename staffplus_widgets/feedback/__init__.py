"""Rubric feedback: what the learner said about each rubric item, at which level, and a score.

Layers inside this package, each importing only the ones before it:

- ``statements``: what a sentence does (states, lists, dismisses, reasons);
- ``meaning``: which rubric item a sentence is about, by meaning as well as by phrase;
- ``levels``: the level of each item in a text (absent, named, reasoned, dismissed);
- ``signals``: the five Staff+ habits;
- ``review``: scores, reviews of answers and work files, saved review records.
"""

from .levels import LEVELS
from .review import (
    BREADTH_POINTS,
    COVERAGE_POINTS,
    NAMED_CREDIT,
    SIGNAL_POINTS,
    SIGNALS,
    ItemResult,
    Review,
    Signal,
    _assemble,
    _engine_fingerprint,
    item_to_dict,
    match_items,
    nudge,
    recorded_review,
    review_record,
    review_stamp,
    review_text,
    review_to_dict,
    review_work,
    text_digest,
)

__all__ = [
    "BREADTH_POINTS",
    "COVERAGE_POINTS",
    "LEVELS",
    "NAMED_CREDIT",
    "SIGNALS",
    "SIGNAL_POINTS",
    "ItemResult",
    "Review",
    "Signal",
    "_assemble",
    "_engine_fingerprint",
    "item_to_dict",
    "match_items",
    "nudge",
    "recorded_review",
    "review_record",
    "review_stamp",
    "review_text",
    "review_to_dict",
    "review_work",
    "text_digest",
]
