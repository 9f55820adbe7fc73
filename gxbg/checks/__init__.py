"""One module per table's rules (report-format.md §10); ``gxbg.validate`` composes them."""
