"""Cleaning: a RawPage (HTML, text dump or record) in, an Article out.

Produces title, body, language, publication time, outlet, authors, the page chrome that was
removed and the attribution chain. ``extract`` is the entry point (HTML through trafilatura,
dumps through ``dump`` and ``chrome``); ``attribution`` reads "Source: X" lines; ``language``
identifies the body's language.
"""
