"""A stand-in for one tab's app in ``concviz serve`` tests: it speaks textual-serve's
protocol (the prelude line, then framed packets on stdin), writes to the file named by
argv[1] the size it was started at and every resize, and quits when told to."""

import json
import os
import sys

record = open(sys.argv[1], "a", buffering=1)  # noqa: SIM115 (open for the whole run)
record.write(f"start {os.environ['COLUMNS']}x{os.environ['ROWS']}\n")
print("__GANGLION__", flush=True)
stdin = sys.stdin.buffer
while kind := stdin.read(1):
    payload = stdin.read(int.from_bytes(stdin.read(4), "big"))
    if kind == b"M":
        meta = json.loads(payload)
        if meta["type"] == "quit":
            break
        if meta["type"] == "resize":
            record.write(f"resize {meta['width']}x{meta['height']}\n")
