"""Child process for bench_startup: run an app headless, report its first frame.

``python first_frame.py concviz|bare`` prints the seconds from interpreter start
to the first completed refresh of the screen, then exits.
``python first_frame.py concviz --hold S`` keeps the app animating for S seconds.
"""

from __future__ import annotations

import sys
import time

T0 = time.perf_counter()


def main() -> None:
    which = sys.argv[1]
    hold = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--hold" else 0.0
    if which == "bare":
        from textual.app import App
        from textual.widgets import Label

        class Bare(App):
            def compose(self):
                yield Label("hello")

        base = Bare
    else:
        from concviz.cli import build_parser
        from concviz.ui.app import ConcvizApp

        # `concviz` as typed; when held, a long run (1000 items) so it animates throughout
        argv = ["run", "producer-consumer", "--items", "1000"] if hold else []
        args = build_parser(with_demos=bool(hold)).parse_args(argv)

        class Bench(ConcvizApp):
            def __init__(self) -> None:
                super().__init__(args)

        base = Bench

    class Timed(base):
        def on_mount(self) -> None:
            super_mount = getattr(super(), "on_mount", None)
            if super_mount:
                super_mount()
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            print(f"{time.perf_counter() - T0:.6f}", flush=True)
            if hold:
                self.set_timer(hold, self.exit)
            else:
                self.exit()

    Timed().run(headless=True, size=(120, 40))


if __name__ == "__main__":
    main()
