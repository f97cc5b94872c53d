"""Signing contracts: single-use links (emailed or copied), signed scans, the evidence."""
