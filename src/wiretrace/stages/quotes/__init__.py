"""Quotes: an Article with entities in, who said what on whose authority out.

``stage`` finds direct and indirect quotes around reporting cues; ``speakers`` picks the speaker
span; ``sources`` types it (named, anonymous, institutional, outlet, document, declined).
"""
