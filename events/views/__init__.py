"""Thin views, by noun: request -> form/filter -> service/selector -> render/redirect.
urls.py imports the submodules."""
