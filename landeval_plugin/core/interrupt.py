"""SIGINT and SIGTERM stop a long run cleanly (docs/reliability/text.md, "Cancel").

``qgis_process`` dies at once on SIGTERM (leaving staging folders and temporary files behind)
and only cancels its feedback on SIGINT. ``stop_on_signals(feedback)`` installs handlers for
the time of one run that cancel the feedback instead, so the run stops at its next check and
its ``finally`` blocks remove what it staged; the previous handlers (Python's or the host's
own C handlers) are restored afterwards. Only in the main thread, where Python can install
signal handlers; elsewhere it does nothing.

Long pure-Python steps without cancel checks (openpyxl saving a workbook of thousands of
sheets takes half a minute) run inside ``raising()``: there a signal raises ``Interrupted``
at once, and the caller's ``finally`` blocks remove the half-written file.

After the run, ``StopSignals.received`` holds the signal number (or None); ``redeliver()``
sends a received SIGTERM again under the restored handler, so the process still ends the way
its parent asked (exit status 143 when nothing else handles it).
"""
import contextlib
import os
import signal
import threading

_ACTIVE = []  # the StopSignals of the runs in progress (main thread), innermost last


class Interrupted(BaseException):
    """A stop signal arrived inside ``raising()`` (BaseException: no ``except Exception`` eats it)."""


def _libc():
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


class StopSignals:
    SIGNALS = ("SIGINT", "SIGTERM")

    def __init__(self, feedback):
        self.feedback = feedback
        self.received = None
        self.raising = False
        self._saved = {}

    def _handler(self, signum, frame):
        if self.received is None:
            self.received = signum
        if self.feedback is not None:
            self.feedback.cancel()
        if self.raising:
            self.raising = False
            raise Interrupted(signum)

    def __enter__(self):
        if threading.current_thread() is not threading.main_thread():
            return self
        for name in self.SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                previous = signal.getsignal(signum)
                raw = self._save_raw(signum) if previous is None else None
                signal.signal(signum, self._handler)
            except (ValueError, OSError, RuntimeError):
                continue
            self._saved[signum] = (previous, raw)
        if self._saved:
            _ACTIVE.append(self)
        return self

    def __exit__(self, *exc):
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        for signum, (previous, raw) in self._saved.items():
            try:
                if previous is not None:
                    signal.signal(signum, previous)
                else:  # a handler Python did not install (qgis_process's own): restore it as it was
                    signal.signal(signum, signal.SIG_DFL)
                    if raw is not None:
                        self._restore_raw(signum, raw)
            except (ValueError, OSError, RuntimeError):
                pass
        self._saved = {}
        return False

    @staticmethod
    def _save_raw(signum):
        """The process's struct sigaction for ``signum`` (opaque bytes), or None."""
        if os.name != "posix":
            return None
        import ctypes

        libc = _libc()
        if libc is None:
            return None
        buf = ctypes.create_string_buffer(512)  # larger than struct sigaction on every libc
        return buf if libc.sigaction(signum, None, buf) == 0 else None

    @staticmethod
    def _restore_raw(signum, buf):
        libc = _libc()
        if libc is not None:
            libc.sigaction(signum, buf, None)

    def redeliver(self):
        """Send a received SIGTERM again, now that the previous handler is back."""
        if self.received == getattr(signal, "SIGTERM", None):
            os.kill(os.getpid(), self.received)

    def name(self):
        try:
            return signal.Signals(self.received).name
        except (ValueError, TypeError):
            return str(self.received)


def stop_on_signals(feedback):
    return StopSignals(feedback)


@contextlib.contextmanager
def raising():
    """Inside this block a stop signal raises Interrupted at once (see the module docstring);
    without a run listening for signals it does nothing."""
    stop = _ACTIVE[-1] if _ACTIVE and threading.current_thread() is threading.main_thread() else None
    if stop is None:
        yield
        return
    if stop.received is not None:
        raise Interrupted(stop.received)
    stop.raising = True
    try:
        yield
    finally:
        stop.raising = False
