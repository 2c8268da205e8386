"""Real parts the tests run against: the demo blog and pywb, a fault proxy, HTTP helpers.

Import as ``from support.faultproxy import FaultProxy`` (``tests/`` is on ``sys.path``
through ``tests/conftest.py``).
"""
