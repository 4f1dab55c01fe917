"""Quotes: an Article with entities in, who said what on whose authority out.

``segments`` finds quoted stretches and sentences; ``speakers`` (word forms) and ``deep``
(dependency parse) find reporting cues with speaker and content spans, using the ``lexicon`` of
each language; ``assemble`` attaches segments to cues; ``sources`` types the speaker (named,
anonymous, institutional, outlet, document, declined); ``stage`` runs them in that order.
"""
