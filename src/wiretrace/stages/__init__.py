"""Document stages: pure, batch-aware functions of one article, one package per capability.

``clean`` turns a raw page into an article; the others add facts to it, in the order
:mod:`wiretrace.analyze` lists them. Packages import nothing on their own, so loading one
capability never loads the models of another.
"""
