"""One module per dock page (basemap, data, grading, clusters, dossiers).

A page module defines ``class Page(QWidget)`` taking ``(iface, parent)``, with a
``title()`` and optionally ``page_actions()`` (QActions for menu and toolbar) and ``unload()``.
Pages whose module does not exist yet show a "coming" placeholder.
"""
