"""Pure chart functions: model -> matplotlib Figure."""
