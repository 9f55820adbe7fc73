"""Crawling: find annual-report pages on government portals and fetch them politely.

This subpackage may use httpx, lxml, bs4, w3lib and protego; it never imports Prefect.
The shared value types live in :mod:`gxbg.kinds`.
"""
