"""An HTML document parsed the one way every stage reads one (a shared leaf, like ``urls``)."""

from __future__ import annotations

import re

import lxml.html

# libxml2 stops nesting at 255 levels and drops the rest of the page: huge_tree lifts that
# (``extract.page.flatten`` keeps deeper pages under it)
HUGE = lxml.html.HTMLParser(huge_tree=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def document(html: str) -> lxml.html.HtmlElement:
    """The root element of ``html`` (an XML declaration before it is dropped).

    lxml's ``fromstring`` hands back a comment when that is the first node (``<body><!``);
    such a page is read as a whole document instead.  Raises lxml's ``ParserError`` (or
    ``ValueError``) for what it cannot read at all.
    """
    html = _XML_DECLARATION.sub("", html)
    root = lxml.html.fromstring(html or "<html></html>", parser=HUGE)
    if not isinstance(root.tag, str):
        root = lxml.html.document_fromstring(html, parser=HUGE)
    return root
