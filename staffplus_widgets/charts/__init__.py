"""Charts, one renderer each, sharing one style (``_style``: palette, hatches, letters, labels).

- ``charts.svg``: the artifact charts (trade-off totals and sensitivity, risk heat map, cost
  breakdown, projection and comparison, interview scorecard). Plain Python writing SVG: the
  widgets show it live, and the exported design review embeds the same SVG as an image. No
  matplotlib, so a learner workbook never loads the plotting stack.
- ``charts.debrief``: the analytics charts of the instructor's cohort debrief, as matplotlib
  ``Figure`` objects an instructor can restyle, extend or ``savefig`` (helpers in ``figures``).
  The debrief widget and the debrief HTML page show the same figures.

Each chart has a text summary in ``staffplus_widgets.models.summaries`` (or the debrief's own) and
never relies on colour alone.
"""
