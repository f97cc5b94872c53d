"""A campaign's participants: the pipeline board and table, fees, notes and the budget."""
