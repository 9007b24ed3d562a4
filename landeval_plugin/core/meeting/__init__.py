"""研判会 (review meeting) core: statistics, published lists and presentation maps.

GUI-free: every function here takes layers (or Processing feature sources) and returns plain
Python objects or writes files; the 研判 page and the Processing algorithms
(``landeval:statistics``, ``landeval:lists``, ``landeval:exportmap``) are thin callers.

* ``statistics``: counts, 亩, 万元 of tax and output by class × town, tag, disposal path,
  cluster and year (``CrossTab``), as flat ``Table`` objects a panel draws, an Excel workbook
  and a PNG bar chart.
* ``lists``: the A-class list, the 重点服务 list and the low-efficiency list (``ParcelList``),
  as Excel and PDF tables.
* ``map_export``: a Chinese print layout (title, date, legend with counts and 亩, scale bar,
  north arrow) of a graded, disposal or cluster layer, exported to PNG and PDF.

Documents (workbooks, lists, maps) are written in Chinese by default (``locale="zh_CN"``), as
they are attached to the district's papers; ``locale=None`` follows QGIS's language (the panel).
"""
