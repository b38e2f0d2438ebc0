"""Models of the livestream app; its issue fills them in."""
