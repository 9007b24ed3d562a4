"""The pages' Processing feedback now lives with the task helper (landeval_plugin/tasks/feedback.py);
this name stays for code that imports it from here."""
from ..tasks.feedback import ErrorKeepingFeedback  # noqa: F401
