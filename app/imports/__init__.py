"""CSV reading, mapping and normalising: plain Python, no Flask."""
