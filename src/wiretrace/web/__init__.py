"""The web app and JSON API: server-rendered pages, each with a JSON twin from the same query.

``create_app`` (in :mod:`wiretrace.web.app`) builds the ASGI app; :mod:`wiretrace.web.commands`
holds the ``serve`` and ``demo`` click commands.
"""
