"""Scoring on numpy arrays, plain Python: graph, metrics, 0–100 score, audience fit, selection."""
