"""Static redirect pages: links from incident tickets and old URLs keep working."""

from __future__ import annotations

import html
import json

from generator.urls import relative_url

__all__ = ["redirect_html"]


def redirect_html(from_path: str, to_page: str, title: str) -> str:
    """A self-contained HTML page at ``from_path`` that sends the browser to ``to_page``.

    Works without JavaScript (meta refresh and a link) and keeps the URL's
    ``#fragment`` when JavaScript runs.
    """
    url = relative_url(from_path, to_page)
    attr = html.escape(url, quote=True)
    script_url = json.dumps(url).replace("<", "\\u003c")
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Redirecting to {html.escape(title)}</title>\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        f"<link rel=\"canonical\" href=\"{attr}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={attr}\">\n"
        "</head>\n<body>\n"
        f"<p>This page has moved to <a href=\"{attr}\">{html.escape(title)}</a>.</p>\n"
        f"<script>location.replace({script_url} + location.hash)</script>\n"
        "</body>\n</html>\n"
    )
