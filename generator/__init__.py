"""portal: a static site generator for bilateral-cooperation news portals."""

__version__ = "0.1.0"
