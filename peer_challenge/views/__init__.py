"""Peer challenge pages, one module per noun (urls.py names each module)."""
