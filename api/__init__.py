"""The openness-graph web service."""
