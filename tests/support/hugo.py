"""A throwaway Hugo site around recover's Markdown output, built with the real ``hugo``."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

HUGO = shutil.which("hugo")


def build(content: Path, site: Path) -> subprocess.CompletedProcess:
    """Build ``content`` (a ``content/`` folder) with minimal layouts into ``site/public``."""
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "t"\n'
        f'contentDir = "{content}"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
    )
    (site / "layouts" / "_default" / "single.html").write_text(
        '<h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}'
    )
    (site / "layouts" / "_default" / "list.html").write_text(
        "{{ range .Pages }}{{ .Title }}\n{{ end }}"
    )
    return subprocess.run(
        [HUGO or "hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=120
    )


def list_all(site: Path) -> list[dict[str, str]]:
    """``hugo list all`` as rows (path, date, draft, ...)."""
    listing = subprocess.run(
        [HUGO or "hugo", "list", "all", "-s", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listing.returncode == 0, listing.stderr
    return list(csv.DictReader(io.StringIO(listing.stdout)))
