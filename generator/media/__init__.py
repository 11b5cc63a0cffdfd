"""Photos as published images: read and checked (`read`), made upright, private and sRGB in a
few widths and formats (`variants`), kept by content in `.portal-cache/` (`cache`), prepared
for the articles that show them (`prepare`), and shown as HTML (`markup`).

Pillow is imported only by `read` and `variants`, and only when an image must be processed:
a build without images, or whose images are all in the cache, never loads it."""
