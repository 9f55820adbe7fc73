"""One module per table's rules (report-format.md §10); ``gxbg.extract.validate`` composes them."""
