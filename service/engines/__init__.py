"""Engines: the work behind the routes, usable without HTTP."""
