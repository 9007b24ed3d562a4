"""Background work of the panel, beside gui/ (the pages) and outside core/ (no Qt tasks there).

* ``algorithm_task.AlgorithmTask``: a LandEval Processing algorithm run for a page in QGIS's task
  manager, with progress, cancel and the algorithm's own reason on failure; its inputs reach the
  worker thread only as private copies made on the main thread (processing/base.py).
* ``dossier_job``: printing dossier sheets in a child QGIS process, wrapped in a QgsTask.
* ``threads``: Python's cyclic garbage collector kept out of the worker threads while our tasks run.
* ``feedback.ErrorKeepingFeedback``: the feedback that keeps the algorithm's messages.
"""
