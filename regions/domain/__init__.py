"""Pure code of the regions app (no ORM)."""
