"""The spiders install as ``recover.spiders``, never as a top-level ``spiders`` package."""

from __future__ import annotations

import tomllib
from pathlib import Path

from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

REPO = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_is_installed_and_spiders_sit_inside_recover() -> None:
    on_disk = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "recover").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    listed = set(SETUPTOOLS["packages"])
    assert on_disk | {"recover.spiders"} == listed, "pyproject's package list is out of date"
    assert SETUPTOOLS["package-dir"] == {"recover.spiders": "spiders"}
    assert not any(p == "spiders" or p.startswith("spiders.") for p in listed)


def test_scrapy_finds_the_spiders_under_recover() -> None:
    settings = Settings()
    settings.setmodule("recover.settings")
    assert settings.getlist("SPIDER_MODULES") == ["recover.spiders"]
    loader = SpiderLoader.from_settings(settings)
    assert {"recover", "snapshot"} <= set(loader.list())
    assert loader.load("recover").__module__ == "recover.spiders.recover"


def test_no_crawl_opens_a_port() -> None:
    """Neither Scrapy's telnet console nor its remote-control HTTP server (Scrapy >= 2.19:
    it runs the Python code it is sent, and a killed run leaves its token in a file under
    the user's home) is part of a recovery or a snapshot."""
    from recover.spiders.snapshot import SnapshotSpider

    recovery = Settings()
    recovery.setmodule("recover.settings")  # recover run, scrapy crawl recover
    snapshot = Settings()  # recover snapshot: Scrapy's defaults and the spider's own
    snapshot.setdict(SnapshotSpider.custom_settings or {}, priority="spider")
    for crawl in (recovery, snapshot):
        assert crawl.getbool("REMOTE_CONTROL_ENABLED") is False
        assert crawl.getbool("TELNETCONSOLE_ENABLED") is False
