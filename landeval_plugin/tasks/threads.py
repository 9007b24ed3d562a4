"""Python in QGIS's worker threads, and Python's cyclic garbage collector.

The collector runs in whichever thread happens to trigger it; from Python 3.12 on, in the next
thread that executes Python bytecode once a collection is due. While a page's background task
runs, the main thread waits in Qt's event loop (no bytecode) and the task's worker runs the
algorithm's Python code: on Python 3.13 (QGIS 3.40/3.44 on Debian trixie/sid) nearly every
collection then happens in the worker. A collection frees every unreachable reference cycle,
whatever thread made it: a page, a layer, a QgsProcessingContext or a widget left in a cycle by
earlier work is then destroyed in the worker while the main thread is using Qt and QGIS objects
tied to it (its temporary layer store, its signals), and QGIS crashes in the main thread's event
loop (issue 18: the segfaults in the 3.40/3.44 suites, and once on 3.22).

``hold()`` (main thread, when a task that runs Python in a worker starts) suspends automatic
collection; ``release()`` (main thread, when it ends) resumes it when no such task is left and
collects once, on the main thread. Objects freed by reference counting are not affected: they
go when their last reference goes, in the thread that drops it. Explicit ``gc.collect()`` calls
still run where they are made.
"""
import gc
import threading

_lock = threading.Lock()
_held = 0
_was_enabled = True


def hold():
    """One more background task runs Python in a worker thread: no automatic collection now."""
    global _held, _was_enabled
    with _lock:
        if _held == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _held += 1


def release():
    """That task has ended (call on the main thread, once per hold()). The last one resumes
    automatic collection as it was before and collects the cycles left meanwhile, here."""
    global _held
    with _lock:
        if _held == 0:
            return
        _held -= 1
        if _held or not _was_enabled:
            return
        gc.enable()
    gc.collect()


def held():
    """How many background tasks hold the collector (0: it runs as Python decides)."""
    return _held


def add_task(task):
    """Hand ``task`` (a QgsTask whose run() is Python: the what-if, the print job) to QGIS's task
    manager, with the collector held until it has ended (completed, failed or cancelled)."""
    from qgis.core import QgsApplication

    hold()
    state = {"held": True}

    def ended(*_):
        if state["held"]:
            state["held"] = False
            release()

    task.taskCompleted.connect(ended)
    task.taskTerminated.connect(ended)
    QgsApplication.taskManager().addTask(task)
    return task
