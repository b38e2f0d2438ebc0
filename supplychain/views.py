"""Server-rendered pages of the supplychain app; its issue fills them in."""
