"""The handbook as books: one PDF, one EPUB 3 and an offline copy of the site.

``content`` reads the strictly built site (``site/``) in the navigation's order and gives
each page's own HTML, cleaned for print (no cite box, buttons or navigation; definitions
in place become links to the glossary); ``pdf`` lays it out with WeasyPrint, ``epub``
packs it with EbookLib and ``offline`` zips a second build made with Material's offline
plugin. ``scripts/build_books.py`` runs all three (``python3 dev.py build --books``).
Nothing here is imported by a normal build.
"""

from __future__ import annotations
