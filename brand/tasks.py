"""Celery tasks of the brand app; each calls a service."""
