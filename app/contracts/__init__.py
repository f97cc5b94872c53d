"""Contract rendering and rules (design/contracts.md): plain Python, no Flask views."""
