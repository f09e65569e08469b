"""Documents: the design review (HTML or Markdown), the cohort debrief and plain-text reports."""
