"""Middlewares, one concern a module.

Downloader: ``budget`` (a download slot per archive endpoint), ``toomanyrequests`` (429
pauses), ``backoff`` (retries of transient failures); ``endpoints`` is the component they
share (pauses and the stop).  Spider: ``writefailure`` (a full disk stops the run).
"""
