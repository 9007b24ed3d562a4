"""Processing feedback for the pages' background runs that keeps the errors reported.

An algorithm's QgsProcessingException reaches the feedback through reportError() and names
the layer, field or file at fault; keeping it lets a page show the reason itself instead of
pointing the planner to the Processing log.
"""
from qgis.core import QgsProcessingFeedback


class ErrorKeepingFeedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []
        self.infos = []
        self.warnings = []
        self.user_cancelled = False  # set by AlgorithmTask.cancel(): the planner pressed 取消

    def pushInfo(self, info):
        self.infos.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):
        self.warnings.append(warning)
        super().pushWarning(warning)

    def reportError(self, error, fatalError=False):
        self.errors.append(error)
        super().reportError(error, fatalError)

    def reason(self):
        """The last error reported (stripped), or '' when none was."""
        errors = [e.strip() for e in self.errors if e and e.strip()]
        return errors[-1] if errors else ""

    def was_cancelled(self):
        """True when the run stopped because it was cancelled, not because it failed: Processing
        also cancels the feedback when the algorithm refuses to start (prepareAlgorithm raised),
        and then the reason is kept."""
        return self.user_cancelled or (self.isCanceled() and not self.reason())
