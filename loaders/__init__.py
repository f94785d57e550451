"""Loaders: pure functions from outside material (tables, resolution texts) to RDF.

A loader never touches the store. It returns the quads of one named graph plus a
:class:`~loaders.report.LoadReport`; ``graph/`` decides whether to commit them.
"""
