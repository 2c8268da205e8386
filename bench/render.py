"""Render benchmark: do the recovered posts read the same once imported?

For each case in ``../shared/corpus/<case>/``: serve the WARC with a real pywb on loopback,
run ``recover run`` against it (as ``bench/fidelity.py`` does), then
- build the Hugo output (``content/``, ``data/``) with real ``hugo`` and the Jekyll output
  (``_posts/``, ``_data/``) with real ``jekyll``, each configured with the snippet the
  report gives, with the README's comment templates;
- convert every ``ghost.json`` body with Ghost's own ``@tryghost/kg-html-to-lexical`` and
  render it back with ``@tryghost/kg-lexical-html-renderer`` (installed from npm into
  ``~/.cache/recover-bench/ghost`` on first use, never into the repository);
and print, per case, the share of posts whose rendered text equals ``content_html``'s text
(:func:`support.render.visible_text`) with every image and link kept, and the share of
comments present, with their text, on the static pages. Then one JSON line.

    python bench/render.py [--corpus ../shared/corpus] [--case NAME] [--keep DIR] [--show N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # support.render: the site builders and text

from support import render  # noqa: E402

from bench.fidelity import recover_over  # noqa: E402
from recover.demo.pywb import PywbArchive  # noqa: E402

GHOST_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "recover-bench/ghost"
GHOST_PACKAGES = ("@tryghost/kg-html-to-lexical", "@tryghost/kg-lexical-html-renderer", "jsdom")
GHOST_SCRIPT = """
const {htmlToLexical} = require('@tryghost/kg-html-to-lexical');
const {LexicalHTMLRenderer} = require('@tryghost/kg-lexical-html-renderer');
const {DEFAULT_NODES} = require('@tryghost/kg-default-nodes');
const renderer = new LexicalHTMLRenderer({nodes: DEFAULT_NODES});
let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', async () => {
  const out = [];
  for (const html of JSON.parse(input)) {
    try {
      out.push(await renderer.render(JSON.stringify(htmlToLexical(html))));
    } catch (e) { out.push('ERROR: ' + String(e)); }
  }
  process.stdout.write(JSON.stringify(out));
});
"""


def ghost_converter() -> Path:
    """The converter script, its npm packages installed in the cache folder first."""
    GHOST_DIR.mkdir(parents=True, exist_ok=True)
    if not (GHOST_DIR / "node_modules" / "@tryghost" / "kg-html-to-lexical").is_dir():
        if not (GHOST_DIR / "package.json").is_file():
            (GHOST_DIR / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", *GHOST_PACKAGES],
            cwd=GHOST_DIR, check=True, timeout=900,
        )  # fmt: skip
    script = GHOST_DIR / "convert.js"
    script.write_text(GHOST_SCRIPT)
    return script


def ghost_render(bodies: list[str]) -> list[str]:
    """Each HTML body as Ghost's importer stores and serves it."""
    proc = subprocess.run(
        ["node", str(ghost_converter())], input=json.dumps(bodies), capture_output=True,
        text=True, cwd=GHOST_DIR, timeout=1800, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


def recover_case(case: Path, out: Path) -> None:
    with PywbArchive([case / "captures.warc.gz"]) as wb:
        recover_over(case, wb.replay_prefix, out)


def reexport(out: Path) -> None:
    """Write ``out``'s exports again from its ``posts.jsonl``, the Markdown made anew."""
    from recover.export import write_all
    from recover.post import Post

    report = json.loads((out / "report.json").read_text())
    posts = [
        Post.from_dict({**json.loads(line), "content_markdown": ""})
        for line in (out / "posts.jsonl").read_text().splitlines()
    ]
    write_all(posts, out, {"site": report.get("site", "")})


def _kept(original: list[str], rendered: list[str]) -> bool:
    """Every item of ``original`` is in ``rendered`` as often (renderers may add links)."""
    have = Counter(rendered)
    return all(have[k] >= n for k, n in Counter(original).items())


def same(original: str, rendered: str, local: dict[str, str] | None = None) -> str:
    """What differs ("text", "images", "links"), or "" when ``rendered`` reads as ``original``.

    ``local`` maps an original URL to its recovered copy's address (an export may point an
    image or a link there instead); either counts as kept.
    """
    if render.visible_text(rendered) != render.visible_text(original):
        return "text"
    local = local or {}

    def canon(urls: list[str]) -> list[str]:
        return sorted(local.get(u, u) for u in urls)  # kept, wherever the engine put them

    if canon(render.images(rendered)) != canon(render.images(original)):
        return "images"
    if not _kept(canon(render.links(original, own_images=False)), canon(render.links(rendered))):
        return "links"
    return ""


def local_copies(post: dict[str, Any]) -> dict[str, str]:
    """Original media URL -> the addresses Hugo/Jekyll and Ghost use for its copy."""
    from recover.media.links import GHOST_PREFIX, local_paths
    from recover.post import Post

    item = Post.from_dict(post)
    copies: dict[str, str] = {}
    for prefix in ("/", GHOST_PREFIX):
        for url, path in local_paths(item, prefix).items():
            copies[unquote(url)] = copies[unquote(path)] = unquote(local_paths(item, "/")[url])
    return copies


def _first_difference(a: str, b: str, verdict: str) -> str:
    if verdict in ("images", "links"):
        get = render.images if verdict == "images" else render.links
        missing = Counter(get(a)) - Counter(get(b))
        return f"missing {list(missing)[:3]} of {len(get(a))}, rendered has {len(get(b))}"
    ta, tb = render.visible_text(a), render.visible_text(b)
    i = next((k for k in range(min(len(ta), len(tb))) if ta[k] != tb[k]), min(len(ta), len(tb)))
    return f"...{ta[max(0, i - 60) : i + 60]!r}\n   vs ...{tb[max(0, i - 60) : i + 60]!r}"


def score_case(case: Path, out: Path, work: Path, show: int) -> dict[str, Any]:
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    report = json.loads((out / "report.json").read_text())
    config = report["config"]
    started = time.monotonic()
    sites = render.build_sites(out, work, config["hugo"], config["jekyll"])
    build_seconds = time.monotonic() - started
    ghost_doc = json.loads((out / "ghost.json").read_text())["db"][0]["data"]["posts"]
    ghost_by_slug = dict(
        zip(
            [p["slug"] for p in ghost_doc],
            ghost_render([p["html"] for p in ghost_doc]),
            strict=True,
        )
    )
    result: dict[str, Any] = {"case": case.name, "posts": len(posts)}
    comments_total = sum(len(p["comments"]) for p in posts)
    copies_of = {post["slug"]: local_copies(post) for post in posts}
    for engine in ("hugo", "jekyll", "ghost"):
        ok, why, comments_ok, shown = 0, Counter(), 0, 0
        for post in posts:
            copies = copies_of[post["slug"]]
            if engine == "ghost":
                rendered = ghost_by_slug.get(post["slug"][:191].rstrip("-"))
                page = render.Page(rendered or "")
            else:
                page = getattr(sites, engine).get(post["slug"]) or render.Page("<missing>")
            verdict = same(post["content_html"], page.body, copies)
            if verdict:
                why[verdict] += 1
                if shown < show:
                    shown += 1
                    print(f"[{case.name} {engine}] {post['slug']}: {verdict}")
                    print("   " + _first_difference(post["content_html"], page.body, verdict))
            else:
                ok += 1
            if engine != "ghost":
                want = [
                    render.visible_text(c["content_html"])
                    for c in sorted(post["comments"], key=lambda c: c["published"] or "")
                ]
                got = [render.visible_text(c) for c in page.comments]
                comments_ok += sum(1 for w in want if w in got)
        result[engine] = ok / len(posts) if posts else 1.0
        result[f"{engine}_failures"] = dict(why)
        if engine != "ghost":
            result[f"{engine}_comments"] = comments_ok / comments_total if comments_total else 1.0
    result["comments"] = comments_total
    result["build_seconds"] = round(build_seconds, 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--case", action="append", help="only these cases (repeatable)")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) each case's output here")
    parser.add_argument("--show", type=int, default=3, help="differences to show per engine")
    parser.add_argument(
        "--reexport",
        action="store_true",
        help="with --keep: write the kept outputs again from their posts.jsonl (after a "
        "change to the Markdown or the exporters) instead of recovering again",
    )
    args = parser.parse_args()
    cases = (
        sorted(c for c in args.corpus.iterdir() if (c / "captures.warc.gz").is_file())
        if args.corpus.is_dir()
        else []
    )
    if args.case:
        cases = [c for c in cases if c.name in args.case]
    if not cases:
        print(f"no cases in {args.corpus}", file=sys.stderr)
        return 2
    if render.HUGO is None or render.JEKYLL is None:
        print("needs hugo and jekyll (apt-get install hugo jekyll)", file=sys.stderr)
        return 2
    results = []
    base = args.keep or Path(tempfile.mkdtemp(prefix="render-bench-"))
    for case in cases:
        out = base / case.name / "out"
        if not (args.keep and (out / "posts.jsonl").is_file()):
            recover_case(case, out)
        elif args.reexport:
            reexport(out)
        work = Path(tempfile.mkdtemp(prefix=f"render-{case.name}-"))
        results.append(score_case(case, out, work, args.show))
    print()
    print(f"{'case':<14}{'posts':>7}{'Hugo':>9}{'Jekyll':>9}{'Ghost':>9}"
          f"{'comments':>10}{'in Hugo':>9}{'in Jekyll':>11}")  # fmt: skip
    for r in results:
        print(
            f"{r['case']:<14}{r['posts']:>7}{r['hugo']:>9.1%}{r['jekyll']:>9.1%}{r['ghost']:>9.1%}"
            f"{r['comments']:>10}{r['hugo_comments']:>9.1%}{r['jekyll_comments']:>11.1%}"
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
