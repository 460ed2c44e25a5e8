# TAP output for the system suites: one line per check, a failure never stops the suite.
# SPDX-License-Identifier: MIT
import signal
import sys
import traceback


class Tap:
    """Prints `ok - NAME` / `not ok - NAME: reason` and counts failures."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def ok(self, name, cond=True, why=""):
        if cond:
            self.passed += 1
            print("ok - %s" % name, flush=True)
        else:
            self.failed += 1
            why = " ".join(str(why).split())[:400]
            print("not ok - %s: %s" % (name, why or "failed"), flush=True)
        return cond

    def fail(self, name, why):
        return self.ok(name, False, why)

    def note(self, text):
        for line in str(text).splitlines():
            print("# %s" % line, flush=True)

    def check(self, name, fn, *args):
        """Runs fn(*args); it passes unless it raises (AssertionError/RigError say why)."""
        try:
            fn(*args)
        except Exception as e:  # the reason goes on the TAP line; the suite goes on
            if not isinstance(e, AssertionError):
                print(traceback.format_exc(), file=sys.stderr, flush=True)
            return self.fail(name, "%s: %s" % (type(e).__name__, e) if not isinstance(e, AssertionError) else e)
        return self.ok(name)

    def exit(self):
        sys.exit(1 if self.failed else 0)


def watchdog(seconds):
    """Ends the whole suite (and, through the rigs' finally blocks, its emulators) after `seconds`."""

    def expired(signum, frame):
        raise SystemExit("not ok - suite watchdog: still running after %d s" % seconds)

    signal.signal(signal.SIGALRM, expired)
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(SystemExit("terminated")))
    signal.alarm(seconds)
