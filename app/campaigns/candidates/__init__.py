"""A campaign's candidates ranked by score × audience fit; ambassadors proposed for a budget."""
