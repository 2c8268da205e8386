"""Shared fixtures: the generated sample blog, a real pywb over it, a fault proxy factory.

- ``sample_blog`` (session): :class:`support.sample.SampleBlog`: 24 posts, seed 0,
  ``.blog`` truth and traps, ``.warc``, ``.dir`` (with ``truth.jsonl``, ``site.json``).
- ``pywb_archive`` (session): :class:`recover.demo.pywb.PywbArchive` serving the sample
  WARC in collection ``web``; skipped with the reason when pywb cannot start.
- ``fault_proxy``: ``fault_proxy(upstream=None, **options)`` starts a
  :class:`support.faultproxy.FaultProxy` (in front of ``pywb_archive`` by default),
  stopped after the test.
- ``shared_dir``: ``../shared`` beside the repository, or the test is skipped;
  ``@pytest.mark.shared`` skips a test the same way.
- ``@pytest.mark.slow``: a test of a minute or more (a real WordPress...): skipped unless
  ``pytest --slow`` (CI's ``.ci/run`` passes it), so the everyday run stays near 2 minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.faultproxy import FaultProxy
from support.sample import SampleBlog, build_sample

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the tests marked slow (CI does)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shared: needs ../shared (real archived blogs); skipped when absent"
    )
    config.addinivalue_line(
        "markers",
        "slow: a minute or more of real servers (a real WordPress, ...); runs with --slow only",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--slow"):
        later = pytest.mark.skip(reason="slow: run with --slow (CI does)")
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(later)
    if SHARED.is_dir() and any(SHARED.iterdir()):
        return
    skip = pytest.mark.skip(reason=f"needs {SHARED} (shared data), which is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (skips the test when it is absent)."""
    if not SHARED.is_dir():
        pytest.skip(f"needs {SHARED} (shared data), which is absent")
    return SHARED


@pytest.fixture(scope="session")
def sample_blog(tmp_path_factory: pytest.TempPathFactory) -> SampleBlog:
    """The generated 24-post blog (seed 0) and its WARC, built once per session."""
    return build_sample(tmp_path_factory.mktemp("sample-blog"))


@pytest.fixture(scope="session")
def pywb_archive(sample_blog: SampleBlog) -> Iterator[Any]:
    """A real pywb server over the sample blog's WARC (collection ``web``)."""
    try:
        from recover.demo.pywb import PywbArchive, PywbError
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"pywb support unavailable: {exc}")
    try:
        import pywb  # noqa: F401
    except ImportError:
        pytest.skip("pywb is not installed")
    archive = PywbArchive([sample_blog.warc])
    try:
        archive.start()
    except (PywbError, OSError) as exc:
        pytest.skip(f"pywb could not start: {str(exc)[:500]}")
    try:
        yield archive
    finally:
        archive.stop()


@pytest.fixture
def fault_proxy(request: pytest.FixtureRequest) -> Iterator[Callable[..., FaultProxy]]:
    """Factory: ``fault_proxy(upstream=None, **options) -> FaultProxy`` (started)."""
    started: list[FaultProxy] = []

    def make(upstream: str | None = None, **options: Any) -> FaultProxy:
        if upstream is None:
            upstream = request.getfixturevalue("pywb_archive").base_url
        proxy = FaultProxy(upstream, **options).start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()
