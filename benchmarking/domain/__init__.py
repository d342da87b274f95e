"""Benchmarking's pure code: plain data in, plain data out, no database.

- ``numbers``: the one reader of numbers in DfE files and return uploads;
- ``computation``: the arithmetic of reports (aggregates, quartiles, bands, ranks, change);
- ``validation``: the checks a return file passes before anything is saved;
- ``published``: DfE's published files read into records;
- ``periods``: financial-year quarter and window dates.
"""
