"""Every default of a recovery, in one place (Scrapy settings).

``scrapy crawl recover`` reads this module through ``scrapy.cfg``; ``recover run`` starts
from it and overrides what its flags say.
"""

BOT_NAME = "recover"
SPIDER_MODULES = ["recover.spiders"]
NEWSPIDER_MODULE = "recover.spiders"
USER_AGENT = "recover/0.1 (+lost-blog recovery; polite: honours 429 and Retry-After)"
ROBOTSTXT_OBEY = False  # archives' replay endpoints are not the site; budgets keep us polite
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "WARNING"
TELNETCONSOLE_ENABLED = False  # a recovery opens no port: no telnet console, and no
# remote-control server (Scrapy >= 2.19 starts one in every crawl: it runs the Python code
# it is sent, and its token stays in a file under the user's home when a run is killed)
REMOTE_CONTROL_ENABLED = False
WARN_ON_GENERATOR_RETURN_VALUE = False  # parses callback source at run time; ours return none
COOKIES_ENABLED = False
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # a page over 32 MiB is garbage, not a post
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True  # a truncated body is retried, never taken for a post

# Politeness: one throttle.  Each archive endpoint (host and cdx/replay) is a download
# slot whose delay and concurrency come from RECOVER_BUDGETS (recover.middlewares.budget);
# 429s and failures pause a slot by its delay.  The global cap only bounds memory: the
# slots decide what is sent.
CONCURRENT_REQUESTS = 32
CONCURRENT_ITEMS = 4  # our pipelines are synchronous; Scrapy starts this many tasks a response
AUTOTHROTTLE_ENABLED = False  # it would lower a slot's delay under the archive's budget
DOWNLOAD_DELAY = 0
DOWNLOAD_SLOTS = {"local": {"delay": 0, "concurrency": 8}}  # local WARC/HTML: no pacing

# Per archive and endpoint kind: requests a minute and at most in flight (per_minute 0: no
# budget, for an archive you run: no spacing and up to 8 in flight).
# The Internet Archive publishes ~30/min for CDX and ~600/min for playback; we stay under.
RECOVER_BUDGETS = {
    "cdx": {"per_minute": 24, "concurrency": 1},
    "replay": {"per_minute": 120, "concurrency": 3},
}
RECOVER_429_PAUSE = 60.0  # seconds to pause an endpoint after a 429 without Retry-After
RECOVER_429_GIVE_UP = 5  # consecutive 429s on one endpoint before saving and stopping
RECOVER_BACKOFF_BASE = 2.0  # first backoff (s) on 5xx, resets and timeouts; doubles each try
RECOVER_BACKOFF_MAX = 300.0
RECOVER_RETRIES = 6
RECOVER_REFUSED_GIVE_UP = 3  # refused connections in a row before saving and stopping
RECOVER_INDEX_CAPTURES = 200  # index pages read for excerpts: at most, and 10 + 1 per 50 posts
RECOVER_PROGRESS = "auto"  # auto | rich | log | off
RECOVER_PROGRESS_INTERVAL = 10.0  # seconds between plain log lines

RETRY_ENABLED = False  # replaced by recover's backoff middleware
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 5
METAREFRESH_ENABLED = False

# Built-ins a recovery has no use for: every request goes to an archive we chose, so no
# offsite, depth or URL-length bookkeeping (each wraps every request and item).
REFERRER_POLICY = "no-referrer"  # an archive needs no Referer from us
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
    "recover.middlewares.writefailure.WriteFailureMiddleware": 50,  # a full disk: stop
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "recover.middlewares.backoff.BackoffMiddleware": 540,
    "recover.middlewares.toomanyrequests.TooManyRequestsMiddleware": 545,
    "recover.middlewares.budget.BudgetMiddleware": 950,
}
ITEM_PIPELINES = {
    "recover.pipelines.ExportPipeline": 900,
}
EXTENSIONS = {
    "recover.store.RunState": 0,  # the run's store, shared by the spider and the pipelines
    "recover.middlewares.endpoints.Endpoints": 0,  # the slots the middlewares pause and stop
    "recover.progress.Progress": 500,
}
# Captures that are not replay URLs, each read by a handler of its own into the capture's
# HTTP response: local WARC records, saved pages, Common Crawl records by byte range.
DOWNLOAD_HANDLERS = {
    "warc": "recover.handlers.warc.WarcDownloadHandler",
    "html": "recover.handlers.savedpage.SavedPageDownloadHandler",
    "cc": "recover.handlers.commoncrawl.CommonCrawlDownloadHandler",
}

# A re-run reads what it already fetched from here instead of asking the archive again.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "recover.cache.ParsedAnswersPolicy"  # index answers cached only if they parse
HTTPCACHE_STORAGE = "recover.cache.AtomicFilesystemCacheStorage"
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_IGNORE_HTTP_CODES = [408, 429, 500, 502, 503, 504, 520, 522, 524]
HTTPCACHE_GZIP = True
REQUEST_FINGERPRINTER_CLASS = "recover.fingerprint.RangeAwareFingerprinter"
HTTPCACHE_DIR = "httpcache"  # recover run puts it under <out>/.recover/

FEED_EXPORTERS = {
    "jsonl-posts": "recover.export.exporters.PostsJsonLinesExporter",
    "wxr": "recover.export.exporters.WxrExporter",
    "ghost": "recover.export.exporters.GhostJsonExporter",
    "markdown": "recover.export.exporters.MarkdownExporter",
    "jekyll": "recover.export.exporters.JekyllMarkdownExporter",
}
# Static-site outputs `recover run` writes (--format): "hugo" (content/posts, data/comments)
# and "jekyll" (_posts, _data/comments).
RECOVER_FORMATS = ["hugo", "jekyll"]
FEED_EXPORT_ENCODING = "utf-8"
# Feeds written whole or not at all (give each feed "overwrite": True: WXR and Ghost JSON
# are single documents that must not be appended to).
FEED_STORAGES = {
    "": "recover.export.storage.AtomicFileFeedStorage",
    "file": "recover.export.storage.AtomicFileFeedStorage",
}

RECOVER_OUT = "output"  # where a recovery's files go (recover run: output/<host>/)
