"""Snapshots of a live blog: a polite crawl into WARC files, incremental from one run to the next.

One noun a module: ``warcwriter`` (the WARC being written), ``capture`` (where an earlier page's
bytes are), ``state`` (validators and captures kept between runs), ``session`` (one run),
``recorder`` (the Scrapy downloader middleware writing records), ``lock``, ``retention``,
``savepagenow``, ``schedule`` (cron line) and ``export`` (posts out of a snapshot).
"""
