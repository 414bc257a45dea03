"""Finding English in what a page shows: the visible text and the texts of placeholders, titles
and buttons, without scripts, styles, code and icon names (Material Symbols ligatures)."""

import re
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
HIDDEN = {"script", "style", "template", "svg", "code", "pre", "textarea"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
# words that are names, not English the product should have translated
ALLOWED = {
    "API",
    "Excel",
    "CSV",
    "Word",
    "PDF",
    "ReDoc",
    "Swagger",
    "Token",
    "OpenAPI",
    "WeChat",
    "UTF",
    "xlsx",
    "csv",
    "docx",
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag in VOID:
            return
        self.hidden.append(tag in HIDDEN or "material-symbols" in (attrs.get("class") or ""))

    def handle_endtag(self, tag):
        if tag not in VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not any(self.hidden):
            self.parts.append(data)


def english_words(page: str, allowed=()) -> list[str]:
    """The English words (three letters or more) a person sees on `page`, besides `allowed`."""
    parser = _Text()
    parser.feed(page)
    # whole words only: a code or a login name (user12, zone_admin, 91610…FYB) is data, not English
    words = set(
        re.findall(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z'’]{2,}(?![A-Za-z0-9_])", " ".join(parser.parts))
    )
    return sorted(words - ALLOWED - set(allowed))
