"""Pure models of trade-offs, risks and cost, and each chart's text summary: no files, no UI."""
