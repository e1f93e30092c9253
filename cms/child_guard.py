"""Start a program that ends when the process that started it ends, however that one ends.

    python -m cms.child_guard PARENT_PID [--watch] -- PROGRAM [ARGUMENTS...]

`run_site` starts each of its children through this. The children run in their own process groups (so
Ctrl-C reaches only `run_site`, which then stops them in order); the price is that a `run_site` killed
outright (SIGKILL, the OOM killer) would leave them running, with daphne holding the port. So:

- on Linux, the kernel is asked (prctl PR_SET_PDEATHSIG) to send the program SIGTERM when its parent
  dies; the request survives exec, so the program itself needs to know nothing;
- elsewhere, or with --watch, a small watcher process stays beside the program, checks twice a second
  whether PARENT_PID still lives, and sends the program SIGTERM when it does not.

Either way the program then stops as it does on SIGTERM: the task or job in hand finishes first.
Imports nothing from Django: it runs before the program does, on every start.
"""

import ctypes
import ctypes.util
import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5


def parent_death_signal(signum: int) -> bool:
    """Ask Linux to send `signum` to this process when its parent dies. False where that is not offered."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return False
    return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch(parent: int, program: int) -> None:
    """In the watcher: SIGTERM the program once `parent` is gone; leave once the program is."""
    # The watcher must not take signals meant for the program's group (Ctrl-C is never sent there, but a
    # `kill -TERM -<group>` is), nor keep the program's stdin open.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.closerange(0, 3)
    while os.getppid() == program:
        if not alive(parent):
            try:
                os.kill(program, signal.SIGTERM)
            except ProcessLookupError:
                pass
            return
        time.sleep(WATCH_INTERVAL)


def main(argv: list[str]) -> None:
    if "--" not in argv:
        sys.exit(__doc__)
    options, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    if not options or not command:
        sys.exit(__doc__)
    parent = int(options[0])
    force_watch = "--watch" in options[1:]
    if not force_watch and parent_death_signal(signal.SIGTERM):
        # The parent may have died before the request was in place: then nobody would send the signal.
        if os.getppid() != parent:
            sys.exit(1)
    else:
        program = os.getpid()
        if os.fork() == 0:
            try:
                watch(parent, program)
            finally:
                os._exit(0)
        if not alive(parent):
            sys.exit(1)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
