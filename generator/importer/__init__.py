"""`portal import`: saved web pages, RSS/Atom feeds and WordPress exports become content.

sniff (what a file is) -> pages | feeds | wordpress (each file -> Imported articles) ->
article (front matter, as convert writes it) -> run (duplicates, the ledger, the files).
Its libraries (trafilatura, feedparser, defusedxml, markdownify) are imported here only.
"""

from generator.importer.run import import_paths

__all__ = ["import_paths"]
