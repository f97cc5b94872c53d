"""A campaign's operations: planning, approval, publication, metrics, the editorial calendar."""
