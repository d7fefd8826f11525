"""One thread that waits forever and does nothing else: the watch screen's key latency
with next to nothing to show, to hold the flood's against."""

import threading

threading.Event().wait()
