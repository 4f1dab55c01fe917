"""Entities: a clean Article in, its named entities with mentions, roles and canonical ids out.

``mentions`` finds candidate names (spaCy or natasha NER, or capitalised runs in basic
languages), ``linking`` ties them to the actor and outlet registries and CLDR names, ``roles``
reads titles and functions ("représentant spécial de Poutine"), ``frames`` the common noun
that introduces a name ("die Ärztin Julia Sommer"), ``places`` the shapes of toponyms a tagger
takes for people ("Rostov-on-Don", "Sergiev Posad"), ``coordination`` the one kind of the names
in a list ("Kharkiv, Izium and Kupiansk"); ``stage`` assembles them.
"""
