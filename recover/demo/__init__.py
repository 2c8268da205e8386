"""The demo's runtime: the bundled sample archive and a pywb launcher (:mod:`.pywb`).

``SAMPLE_WARC`` holds the captures of a 24-post sample blog (``SAMPLE_SITE``), built by
the tests' generator (``python tests/support/demo/sample.py`` rebuilds it).
"""

from pathlib import Path

SAMPLE_WARC = Path(__file__).with_name("sample.warc.gz")
SAMPLE_SITE = "http://blog.example.com"
