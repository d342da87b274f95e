"""Reads for peer challenge pages, one module per noun. Each returns only what its user may
see, and owns its select_related / prefetch_related."""
