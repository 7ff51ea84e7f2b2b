#!/usr/bin/env python3
"""Kill storm: launches nsrun ROUNDS x PARALLEL times and SIGKILLs each
launch after a random delay (0 .. MAX_MS ms), so kills land in every step of
the setup and in the running target.

usage: storm.py NSRUN BRIDGE ROUNDS PARALLEL MAX_MS SEED
Prints "launched N setup-killed N target-killed N refused N"; a launch that
failed by itself (exit 125 for a transiently full pool is fine, anything
else is not) is counted as refused and its message shown on stderr.
"""
import os
import random
import signal
import subprocess
import sys
import time

nsrun, bridge = sys.argv[1], sys.argv[2]
rounds, parallel, max_ms, seed = (int(a) for a in sys.argv[3:7])
rng = random.Random(seed)
launched = setup_killed = target_killed = refused = 0
bad = 0

for _ in range(rounds):
    procs = []
    for _ in range(parallel):
        p = subprocess.Popen(
            [nsrun, "--bridge", bridge, "--", "sh", "-c", "echo up; exec sleep 10"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append((rng.uniform(0, max_ms / 1000.0), time.monotonic(), p))
        launched += 1
    for delay, t0, p in sorted(procs, key=lambda x: x[0] + x[1]):
        left = t0 + delay - time.monotonic()
        if left > 0:
            time.sleep(left)
        try:
            os.kill(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for _, _, p in procs:
        out, err = p.communicate()
        if p.returncode == -signal.SIGKILL:
            if out.startswith(b"up"):
                target_killed += 1
            else:
                setup_killed += 1
        else:
            refused += 1
            msg = err.decode(errors="replace").strip()
            if p.returncode != 125 or "no free address" not in msg:
                bad += 1
                print(f"storm: exit {p.returncode}: {msg}", file=sys.stderr)

print(f"launched {launched} setup-killed {setup_killed} "
      f"target-killed {target_killed} refused {refused} bad {bad}")
