"""The site settings the static output needs, for the report: a ``hugo.toml`` snippet, a
``_config.yml`` snippet, and the comment templates the README shows.

- raw HTML: the Markdown keeps some (``<br />``, ``<sup>``, tables with spans, iframes), so
  Hugo needs ``markup.goldmark.renderer.unsafe = true`` (Jekyll's kramdown passes it);
- time zone: the blog's most common UTC offset, as an ``Etc/GMT`` zone (whole hours only),
  so dates without a permalink land on their own day;
- permalinks: Hugo serves posts at ``/posts/<slug>/`` (old URLs are ``aliases``); Jekyll
  serves each post at its old path (``permalink`` in its front matter) and redirects its
  other known paths with the jekyll-redirect-from plugin.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from recover.export.prepare import Prepared

HUGO_COMMENTS_TEMPLATE = """\
{{ with .Params.comments_key }}{{ with index site.Data.comments . }}
<section class="comments">
{{ range . }}
<div class="comment" id="comment-{{ .id }}">
<p class="comment-meta">{{ with .author_url }}<a href="{{ . }}">{{ end }}{{ .author }}\
{{ with .author_url }}</a>{{ end }}, {{ .date }}{{ with .parent }} (reply to {{ . }}){{ end }}</p>
<div class="comment-body">{{ .body | markdownify }}</div>
</div>
{{ end }}
</section>
{{ end }}{{ end }}
"""

JEKYLL_COMMENTS_TEMPLATE = """\
{% assign comments = site.data.comments[page.comments_key] %}{% if comments %}
<section class="comments">
{% for entry in comments %}{% assign c = entry[1] %}
<div class="comment" id="comment-{{ c.id }}">
<p class="comment-meta">{% if c.author_url != "" %}<a href="{{ c.author_url }}">{{ c.author }}</a>\
{% else %}{{ c.author }}{% endif %}, {{ c.date }}{% if c.parent != "" %} (reply to {{ c.parent }})\
{% endif %}</p>
<div class="comment-body">{{ c.body | markdownify }}</div>
</div>
{% endfor %}
</section>{% endif %}
"""


def time_zone(posts: list[Prepared]) -> tuple[str, str]:
    """``(zone, offset)``: the most common offset of the posts' own dates, as an Etc zone."""
    offsets = Counter(
        p.date.when.utcoffset() or timedelta(0) for p in posts if not p.date.estimated
    )
    offset = offsets.most_common(1)[0][0] if offsets else timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    label = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if minutes == 0 or minutes % 60:
        return "UTC", label
    hours = minutes // 60
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}", label  # POSIX: the sign flips


def hugo_config(posts: list[Prepared]) -> str:
    """The lines to add to ``hugo.toml``."""
    zone, offset = time_zone(posts)
    return (
        f'timeZone = "{zone}"  # the blog\'s own UTC offset ({offset})\n'
        "\n[markup.goldmark.renderer]\n"
        "  unsafe = true  # raw HTML the posts keep: <br />, <sup>, tables with spans, iframes\n"
        "\n[permalinks]\n"
        '  posts = "/posts/:slug/"  # where the aliases (the old URLs) lead\n'
    )


def jekyll_config(posts: list[Prepared]) -> str:
    """The lines to add to ``_config.yml`` (and the plugin to add to the Gemfile)."""
    zone, offset = time_zone(posts)
    return (
        f"timezone: {zone}  # the blog's own UTC offset ({offset})\n"
        "markdown: kramdown\n"
        "kramdown:\n"
        "  input: GFM\n"
        "  hard_wrap: false\n"
        "plugins:\n"
        "  - jekyll-redirect-from  # redirect_from: the posts' other old URLs (Gemfile too)\n"
        "permalink: /:year/:month/:day/:title/  # posts without an old path\n"
    )


def site_config(posts: list[Prepared]) -> dict[str, str]:
    """``{"hugo": toml, "jekyll": yaml}`` for the report."""
    return {"hugo": hugo_config(posts), "jekyll": jekyll_config(posts)}
