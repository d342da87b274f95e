"""Data for `make run` (demo) and `make bench` (England scale), apart from the app."""
