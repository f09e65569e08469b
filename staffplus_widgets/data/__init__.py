"""Scenario data: scenario files, price catalogues and JSON schemas, plus the YAML parse cache."""
