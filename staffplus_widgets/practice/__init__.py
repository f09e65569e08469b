"""The learner's practice: the autosaved work session, mock interview, drills and hand-in."""
