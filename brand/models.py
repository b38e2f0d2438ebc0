"""Models of the brand app; its issue fills them in."""
