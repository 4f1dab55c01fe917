"""Facts: dates resolved against the publication time, figures with what they count, and tags.

``dates`` and ``figures`` read the body (sharing the number vocabulary in ``numbers``);
``tags`` derives topic tags from entities and the title. Every fact carries its sentence span.
"""
