"""Server-rendered pages of the brand app; its issue fills them in."""
