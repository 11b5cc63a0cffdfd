"""Raw collected articles (seeds/*.txt) -> content/*.md, one module per step.

text (decode, blocks) -> head (title, date, byline, section; with dates, datelines, titles,
lines, captions and the site rules of sites) -> furniture (what the site adds) -> fields (front
matter: countries, places, topics, summary, photos) -> ledger (write, never over an editor's
change), run by run. The build imports only `convert`, to convert new seeds.
"""

from generator.convert.ledger import LEDGER_NAME, Report
from generator.convert.run import convert

__all__ = ["LEDGER_NAME", "Report", "convert"]
