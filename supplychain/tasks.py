"""Celery tasks of the supplychain app; each calls a service."""
