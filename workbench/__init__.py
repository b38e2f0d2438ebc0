"""The workbenches (工作台) under ``/work/``: the server-rendered pages of cooperatives and
enterprises, brand licensees, the brand authority, hosts and the pavilion operator.

Conventions for everyone adding pages are at the top of ``workbench/nav.py``."""
