"""Services of the brand app: one function per business operation (see ARCHITECTURE.md)."""
