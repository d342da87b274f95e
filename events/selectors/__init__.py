"""Reads for events' pages, by noun (import the submodule: `selectors.events`, ...).

A selector returns only what its user may see, owns its select_related/prefetch_related, and
never imports a service."""
