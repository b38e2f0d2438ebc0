"""The shopper documents of a Saleor storefront (``documents/*.graphql``), by operation."""

from __future__ import annotations

from pathlib import Path

from tests.graphql_documents import Documents

DOCUMENTS = Path(__file__).parent / "documents"
_documents = Documents(DOCUMENTS)
definitions = _documents.definitions
operation_document = _documents.operation
document = _documents.text
