"""French and English: the formatters (formats.py) and the labels of stored codes (labels.py)."""
