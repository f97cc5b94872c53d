"""Influence scoring (design/scoring.md): plain Python over arrays, no Flask and no ORM.

`graph` builds the relay graph from edge columns, `metrics` computes the network figures on
it (python-igraph's C core does the heavy algorithms), `score` turns them and the accounts'
figures into the composite 0–100 score. The service (app/services/scoring.py) reads the
database into arrays, calls these, and writes the results back in bulk.
"""
