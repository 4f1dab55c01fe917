"""Events: an Article with entities and dates in, PLOVER events with participants out.

``stage`` codes each sentence (type and mode), ``roles`` and ``participants`` read actors,
recipients and places, ``timing`` dates the event from its sentence, ``basic`` serves languages
without a parser, ``modes`` holds the auxiliary modes and PLOVER contexts.
"""
