"""ipywidgets views over the core models."""
