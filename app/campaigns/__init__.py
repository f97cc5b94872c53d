"""Campaigns: list, overview, forms; the participants, operations, report, candidates packages."""
