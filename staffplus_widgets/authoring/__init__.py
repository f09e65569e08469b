"""Instructor tooling: learner workbooks built from the solved notebooks, and a demo cohort."""
