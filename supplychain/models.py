"""Models of the supplychain app; its issue fills them in."""
