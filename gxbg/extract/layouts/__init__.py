"""Layouts of table text (report-format.md §11): detect one, and cut a region into cell tokens.

Owns the only code that knows how cells are separated in each layout; table parsers see tokens.
"""

from __future__ import annotations

from gxbg.extract.layouts.tokens import Token, detect_layout, tokenize

__all__ = ["Token", "detect_layout", "tokenize"]
