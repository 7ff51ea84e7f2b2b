#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal (as its controlling terminal, in
the foreground) and plays a script of steps against it, like a person at a
keyboard.

    ptydrive.py [--timeout SECONDS] STEP... -- COMMAND [ARG...]

Steps, in order:
    expect:REGEX   wait until the output since the last match matches REGEX
    send:TEXT      type TEXT (backslash escapes: \\n, \\r, \\t, \\xNN)
    intr           type the interrupt character (Ctrl-C)
    susp           type the suspend character (Ctrl-Z)

Then it waits for COMMAND to end and exits with its status (128+N for death
by signal N).  A step that times out prints what the terminal showed and
exits 124.  The whole transcript goes to stdout when the command ends.
"""
import codecs
import os
import pty
import re
import select
import sys
import time


def usage():
    sys.exit(__doc__)


def kill_session(sid):
    """SIGKILLs every process of the terminal's session (COMMAND and all it
    started, stopped jobs included), so that a failure leaves nothing."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # field 6, the session id
            try:
                os.kill(int(entry), 9)
            except ProcessLookupError:
                pass


def main(argv):
    timeout = 10.0
    if argv[:1] == ["--timeout"]:
        timeout = float(argv[1])
        argv = argv[2:]
    if "--" not in argv:
        usage()
    split = argv.index("--")
    steps, command = argv[:split], argv[split + 1:]
    if not command:
        usage()

    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)

    seen = b""       # everything the terminal showed
    pending = b""    # what no expect step has matched yet

    def read_some(deadline):
        nonlocal seen, pending
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            return False
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: every process of the terminal closed it
            data = b""
        if not data:
            return None
        seen += data
        pending += data
        return True

    def fail(what):
        sys.stdout.write(seen.decode(errors="replace"))
        sys.stderr.write("\nptydrive: timed out %s\n" % what)
        kill_session(pid)
        sys.exit(124)

    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "expect":
            regex = re.compile(arg.encode())
            deadline = time.monotonic() + timeout
            while True:
                m = regex.search(pending)
                if m:
                    pending = pending[m.end():]
                    break
                if not read_some(deadline):
                    fail("waiting for /%s/" % arg)
        elif kind == "send":
            os.write(master, codecs.decode(arg, "unicode_escape").encode("latin-1"))
        elif kind == "intr":
            os.write(master, b"\x03")
        elif kind == "susp":
            os.write(master, b"\x1a")
        else:
            usage()

    deadline = time.monotonic() + timeout
    while True:
        r = read_some(deadline)
        if r is None:
            break
        if r is False and time.monotonic() >= deadline:
            fail("waiting for the command to end")
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode(errors="replace"))
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
