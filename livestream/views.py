"""Server-rendered pages of the livestream app; its issue fills them in."""
