"""Data for `make run` (demo) and `make bench` (England scale, synthetic DfE files), apart from the app."""
