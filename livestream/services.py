"""Services of the livestream app: one function per business operation (see ARCHITECTURE.md)."""
