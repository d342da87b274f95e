"""Benchmarking pages, split by noun: ``returns`` (one LA's return), ``regions`` (a region's
quarter: completeness, bulk files, windows), ``indicators`` (indicators and published data)."""
