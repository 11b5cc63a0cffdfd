// Eleventy peer of the benchmark: the same site as the Hugo peer (bench/peers/hugo), reduced to
// what both show. Articles at their own URL (front matter `permalink`, /YYYY/MM/slug/), a home
// page paginated by 10, list pages for tags, countries, sections and years (archive), paginated
// term pages, RSS for the home page and every term (hand-written like Hugo's built-in template,
// 20 items), sitemap, robots.txt, 404. Eleventy has no taxonomies: the terms, their pages of 10
// and the neighbours of each article are computed once per build below, from the articles sorted
// by date. No imports, so the work copy needs no node_modules of its own.

const SITE = {
  title: "Benchmark Cooperation News",
  description: "Delegations, trade deals and exchanges between China and partner countries.",
  url: "https://bench.example.org",
  language: "en",
};
const PER_PAGE = 10;
const FEED_LIMIT = 20;
const HOME = "China";
// Taxonomy key (URL prefix), its list page's title, and which terms an article has.
const TAXONOMIES = [
  { key: "tags", title: "Tags", of: (a) => a.data.tags || [] },
  { key: "countries", title: "Countries", of: (a) => a.data.countries || [] },
  { key: "sections", title: "Sections", of: (a) => [a.data.section] },
  { key: "archive", title: "Archive", of: (a) => [String(a.date.getUTCFullYear())] },
];

const LONG_DATE = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "long",
  day: "numeric",
  timeZone: "UTC",
});

/** Sort by count (descending), then name, as Hugo's `.ByCount` does. */
const byCount = (a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export default function (eleventyConfig) {
  const slugify = eleventyConfig.getFilter("slugify");
  const slugs = new Map(); // slugify is called for every link to a term: once per term is enough
  const termUrl = (name, taxonomy) => {
    let slug = slugs.get(name);
    if (slug === undefined) slugs.set(name, (slug = slugify(name)));
    return `/${taxonomy}/${slug}/`;
  };

  // Everything derived from the whole set of articles, computed once per build (the collection
  // API object is new on every build) and shared by the collections below.
  const models = new WeakMap();
  const model = (api) => {
    if (models.has(api)) return models.get(api);
    // Newest first; the file path breaks ties so the order never depends on the file system.
    const articles = api
      .getFilteredByGlob("./content/*.md")
      .sort((a, b) => b.date - a.date || (a.inputPath < b.inputPath ? -1 : 1));
    const neighbours = {};
    articles.forEach((a, i) => {
      neighbours[a.url] = { newer: articles[i - 1], older: articles[i + 1] };
    });
    const lists = [];
    const termPages = [];
    const termFeeds = [];
    const counts = {};
    for (const taxonomy of TAXONOMIES) {
      const terms = new Map();
      for (const a of articles) {
        for (const name of taxonomy.of(a)) {
          if (!terms.has(name)) terms.set(name, []);
          terms.get(name).push(a);
        }
      }
      const names = [...terms.keys()].sort();
      const rows = names.map((name) => ({
        name,
        count: terms.get(name).length,
        updated: terms.get(name)[0].date,
        url: termUrl(name, taxonomy.key),
      }));
      counts[taxonomy.key] = rows;
      lists.push({ title: taxonomy.title, url: `/${taxonomy.key}/`, terms: [...rows].sort(byCount) });
      for (const row of rows) {
        const items = terms.get(row.name);
        const total = Math.ceil(items.length / PER_PAGE);
        const hrefs = Array.from({ length: total }, (_, n) =>
          n === 0 ? row.url : `${row.url}page/${n + 1}/`,
        );
        for (let n = 0; n < total; n++) {
          termPages.push({
            title: row.name,
            count: items.length,
            feedUrl: `${row.url}index.xml`,
            items: items.slice(n * PER_PAGE, (n + 1) * PER_PAGE),
            number: n + 1,
            total,
            hrefs,
            url: hrefs[n],
          });
        }
        termFeeds.push({ title: row.name, url: row.url, items: items.slice(0, FEED_LIMIT) });
      }
    }
    const result = {
      articles,
      neighbours,
      lists,
      termPages,
      termFeeds,
      sectionNav: counts.sections,
      // Hugo's masthead: the first 13 countries by count, less China (12 partners).
      partners: [...counts.countries]
        .sort(byCount)
        .slice(0, 13)
        .filter((row) => row.name !== HOME),
    };
    models.set(api, result);
    return result;
  };
  for (const name of [
    "articles",
    "neighbours",
    "lists",
    "termPages",
    "termFeeds",
    "sectionNav",
    "partners",
  ]) {
    eleventyConfig.addCollection(name, (api) => model(api)[name]);
  }

  eleventyConfig.addGlobalData("site", SITE);
  eleventyConfig.addFilter("termUrl", termUrl);
  eleventyConfig.addFilter("longDate", (date) => LONG_DATE.format(date));
  eleventyConfig.addFilter("isoDate", (date) => date.toISOString().slice(0, 10));
  // RFC 822 as RSS wants it, with Hugo's numeric zone.
  eleventyConfig.addFilter("rssDate", (date) => date.toUTCString().replace("GMT", "+0000"));
  eleventyConfig.addFilter("absolute", (url) => SITE.url + url);

  return {
    dir: { input: ".", includes: "_includes", output: "_site" },
    templateFormats: ["md", "njk"],
    // Article bodies are plain Markdown, as for Hugo: not run through a template engine first
    // (Eleventy's default would pass every Markdown file through Liquid).
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
}
