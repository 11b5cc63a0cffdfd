# Pelican peer of the benchmark: the same site as portal's default theme, reduced to what both
# show. Sections are Pelican categories; countries (China plus 1-3 partners) are Pelican authors,
# Pelican's only multi-valued taxonomy besides tags, so each country gets a paginated page and a
# feed like a tag. Years are Pelican's year archives.
SITENAME = "Benchmark Cooperation News"
SITEURL = "https://bench.example.org"
DESCRIPTION = "Delegations, trade deals and exchanges between China and partner countries."
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %d, %Y"
DELETE_OUTPUT_DIRECTORY = False
# Pelican's own cache of parsed content, so rebuilds can skip reading unchanged files.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {
    "index": None, "tag": None, "category": None, "author": None, "period_archives": None,
}  # fmt: skip
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_SAVE_AS = ""
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_URL = "countries/{slug}/"
AUTHOR_SAVE_AS = "countries/{slug}/index.html"
AUTHORS_SAVE_AS = "countries/index.html"
CATEGORY_URL = "sections/{slug}/"
CATEGORY_SAVE_AS = "sections/{slug}/index.html"
CATEGORIES_SAVE_AS = "sections/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_URL = "archive/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}/index.html"

FEED_DOMAIN = SITEURL
FEED_MAX_ITEMS = 20
FEED_ALL_ATOM = "feed.xml"
CATEGORY_FEED_ATOM = None
TAG_FEED_ATOM = "tags/{slug}/feed.xml"
AUTHOR_FEED_ATOM = "countries/{slug}/feed.xml"
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
