"""The LandEval domain: base map, enterprise data, standards, clusters, disposal, dossiers.

Nothing in this package imports Qt widgets or the QGIS GUI, so the same code serves the
Processing algorithms, the dock and the tests.
"""
