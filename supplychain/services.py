"""Services of the supplychain app: one function per business operation (see ARCHITECTURE.md)."""
