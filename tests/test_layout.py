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
