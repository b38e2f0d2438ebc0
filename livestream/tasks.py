"""Celery tasks of the livestream app; each calls a service."""
