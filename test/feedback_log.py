"""A Processing feedback that keeps every info and warning line, for tests that read the log."""


def recording_feedback():
    """A QgsProcessingFeedback whose ``lines`` hold what was pushed as info or warning, in order."""
    from qgis.core import QgsProcessingFeedback

    class RecordingFeedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, text):
            self.lines.append(text)
            super().pushInfo(text)

        def pushWarning(self, text):
            self.lines.append(text)
            super().pushWarning(text)

    return RecordingFeedback()
