# TAP output for the system suites: one line per check, a failure never stops the suite.
# SPDX-License-Identifier: MIT
import signal
import sys
import traceback


class Tap:
    """Prints the plan `1..N`, then `ok - NAME` / `not ok - NAME: reason`, and counts failures.

    `plan` is how many results the suite will print when it runs to the end. It is
    printed first, so a suite that stops halfway (a crashed emulator, an exception
    that escapes, the watchdog) shows as fewer results than planned: tests/run and
    exit() count that as a failure.
    """

    def __init__(self, plan):
        self.failed = 0
        self.passed = 0
        self.plan = plan
        print("1..%d" % plan, flush=True)

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
        ran = self.passed + self.failed
        if ran != self.plan:
            print("# planned %d results, printed %d" % (self.plan, ran), flush=True)
        sys.exit(1 if self.failed or ran != self.plan else 0)


def watchdog(seconds):
    """Ends the whole suite (and, through the rigs' finally blocks, its emulators) after `seconds`."""

    def expired(signum, frame):
        raise SystemExit("not ok - suite watchdog: still running after %d s" % seconds)

    signal.signal(signal.SIGALRM, expired)
    signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(SystemExit("terminated")))
    signal.alarm(seconds)
