"""CSV rows read, mapped, normalised and de-duplicated in plain Python (no Flask, no ORM)."""
