"""Writes for events, by noun (import the submodule: `services.delegates`, ...).

Every public function takes the acting user (or SYSTEM) as `actor` and checks access first
(sli_portal/access.py). Services never import the tasks module."""
