"""Read-only queries of the workbench pages: what a page lists, scoped to one
organisation, in a number of queries that does not grow with the list (joins, prefetches
and aggregates). Writes never happen here: they are the domain apps' services."""

from __future__ import annotations


def producer_todo(organization) -> list[dict]:
    """What a cooperative should do next, first things first."""
    return []
