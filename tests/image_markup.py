"""The <img> and <source> tags of a page, as dicts of their attributes, in document order (stdlib parser)."""

from html.parser import HTMLParser


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "source"):
            self.tags.append({"tag": tag, **{name: value or "" for name, value in attrs}})


def image_tags(html: str) -> list[dict]:
    parser = _Images()
    parser.feed(html)
    return parser.tags


def images(html: str) -> list[dict]:
    return [tag for tag in image_tags(html) if tag["tag"] == "img"]


def srcset_urls(tag: dict) -> list[str]:
    return [candidate.split()[0] for candidate in tag.get("srcset", "").split(",") if candidate.strip()]


def assert_well_formed(html: str) -> list[dict]:
    """Every <img> has width and height; exactly one has fetchpriority="high", and it is not lazy.
    Returns the page's <img> tags."""
    imgs = images(html)
    assert imgs, "no <img> on the page"
    for img in imgs:
        assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), img
    high = [img for img in imgs if img.get("fetchpriority") == "high"]
    assert len(high) == 1, high
    assert "loading" not in high[0], high[0]
    return imgs
