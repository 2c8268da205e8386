"""recover: bring a lost blog back from the web's archives."""

from pathlib import Path

__version__ = "0.1.0"

# The spiders live in the repository's top-level spiders/ folder (Scrapy's layout), installed
# as recover.spiders (pyproject's package-dir). Run from a checkout, the same name resolves
# to that folder: the repository root joins this package's search path for it.
_checkout = Path(__file__).resolve().parent.parent
if (
    not (Path(__file__).resolve().parent / "spiders").is_dir()
    and (_checkout / "spiders" / "recover.py").is_file()
    and (_checkout / "scrapy.cfg").is_file()
):
    __path__.append(str(_checkout))  # noqa: F821 (a package's __path__)
