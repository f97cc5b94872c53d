"""The influence network: the graph view, the rescoring button, relationships from a CSV."""
