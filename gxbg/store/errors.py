"""Errors raised by the database layer.

``StoreError`` means the input cannot be stored as given (a missing key, a malformed number or
date); retrying will not help, so it is a :class:`gxbg.errors.GxbgError`.  Database and driver
errors propagate unchanged.
"""

from __future__ import annotations

from gxbg.errors import StoreError

__all__ = ["StoreError"]
