"""The site engine's side of the build: what is particular to mkdocs and mkdocs-material.

mkdocs builds the hand-written and summary pages; the plugins here take the many pages outside the
navigation off its hands (unlisted.py, on every core), write the unit and creditor pages' HTML into
the theme's layout without Markdown (html_pages.py, shell.py) and keep the data tables out of its
parsers (tables.py).
"""
