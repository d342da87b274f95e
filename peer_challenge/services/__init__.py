"""Writes for peer challenge, one module per noun: `from peer_challenge.services.cycles import
cycle_create`. Each takes the acting user (or SYSTEM), checks access first, and is atomic."""
