"""One LandEval Processing algorithm run for a panel page, in QGIS's task manager.

Every page that runs an algorithm uses this (issue 13: one helper instead of a copy per page):

    self.task = AlgorithmTask("landeval:grade", params, self._done, progress=self.progress,
                              cancel_button=self.cancel_button)
    self.feedback, self.context = self.task.feedback, self.task.context
    self.task.start()

* The algorithm is created and prepared on the main thread (QgsProcessingAlgRunnerTask prepares
  in its constructor; LandEvalAlgorithm.prepareAlgorithm turns every input layer into a private
  copy there, processing/base.py), then runs in a worker thread: the worker never touches a layer
  of the project.
* The page's progress bar follows the run; its cancel button is enabled while it runs and
  ``cancel()`` stops it.
* ``done(ok, results)`` is called on the main thread when the run is over, including when the
  algorithm refused to start. ``feedback.reason()`` is then the algorithm's own message
  (translated, naming the layer, field or file), ``feedback.was_cancelled()`` tells a cancel from
  a failure, ``feedback.infos`` / ``warnings`` hold what it reported, and ``context`` holds its
  result layers (``takeResultLayer``). The private copies of the inputs are dropped after
  ``done`` returns, on the main thread.
* While it runs, Python's cyclic garbage collector does not run in the worker (threads.py), and
  the context the worker copies holds no project (the worker never looks at the project: issue 18).
"""
from qgis.core import QgsApplication, QgsProcessingAlgRunnerTask, QgsProcessingContext, QgsProject
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..i18n import tr
from . import threads
from .feedback import ErrorKeepingFeedback


class AlgorithmTask(QObject):
    progressChanged = pyqtSignal(float)  # on the main thread, as the run reports it (0-100)

    def __init__(self, alg_id, parameters, done, progress=None, cancel_button=None, parent=None):
        super().__init__(parent)
        self.alg_id = alg_id
        self.parameters = dict(parameters)
        self._done = done
        self.progress = progress
        self.cancel_button = cancel_button
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.feedback = ErrorKeepingFeedback()
        self.feedback.progressChanged.connect(self._progressed)  # emitted in the worker, shown here
        self.runner = None      # the QgsProcessingAlgRunnerTask while it is queued or running
        self.running = False
        self.ok = False
        self.results = {}

    def start(self):
        """Prepare the algorithm here and hand it to the task manager; False (with ``done`` called
        soon after, from the event loop, with the reason in the feedback) when it cannot start."""
        if self.running:
            return False
        alg = QgsApplication.processingRegistry().createAlgorithmById(self.alg_id)
        self.running = True
        threads.hold()
        if self.progress is not None:
            self.progress.setValue(0)
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(True)
        if alg is None:
            self.feedback.reportError(tr("The LandEval Processing provider is not loaded."))
            QTimer.singleShot(0, lambda: self._executed(False, {}))
            return False
        self.runner = QgsProcessingAlgRunnerTask(alg, self.parameters, self.context, self.feedback)
        if self.feedback.isCanceled():  # prepareAlgorithm refused (reason in the feedback) or cancelled
            self.runner = None
            QTimer.singleShot(0, lambda: self._executed(False, {}))
            return False
        # Prepared (the project's layers resolved into private copies, on this thread). The worker
        # runs on a copy of this context (QgsProcessingAlgorithm::runPrepared); without the project
        # in it nothing there can reach the project from the worker thread: a lookup by text
        # (QgsProcessingUtils.mapLayerFromString) resets the project's cached expression scope while
        # this thread may be building it (issue 18). Put back when the run is over.
        self.context.setProject(None)
        self.runner.executed.connect(self._executed)
        QgsApplication.taskManager().addTask(self.runner)
        return True

    def cancel(self):
        """Stop the run (the page's cancel button); ``done`` follows with ``was_cancelled()``."""
        if not self.running:
            return
        self.feedback.user_cancelled = True
        self.feedback.cancel()
        if self.runner is not None:
            self.runner.cancel()

    def reason(self):
        """Why the run failed: the algorithm's own message, else the last line of its log."""
        reason = self.feedback.reason()
        if reason:
            return reason
        lines = self.feedback.textLog().strip().splitlines()
        return lines[-1] if lines else ""

    def _progressed(self, value):
        if not self.running:
            return
        if self.progress is not None:
            self.progress.setValue(int(value))
        self.progressChanged.emit(float(value))

    def _executed(self, ok, results):
        if not self.running:
            return
        self.running = False
        self.runner = None
        self.ok = bool(ok) and not self.feedback.was_cancelled()
        self.results = dict(results or {})
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(False)
        self.context.setProject(QgsProject.instance())
        try:
            self._done(self.ok, self.results)
        finally:
            # the private copies of the inputs (prepareAlgorithm) and results nobody took
            self.context.temporaryLayerStore().removeAllMapLayers()
            threads.release()
