"""Influence scoring: rescoring runs (database ↔ engine/), the team's weights, "why this score"."""
