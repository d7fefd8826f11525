"""The event log's drawing helpers, without an app."""

from rich.console import Console
from rich.style import Style
from rich.text import Text

from concviz.ui.renderables.tail import line_strip, tail_start


def test_tail_start_keeps_the_newest_lines_that_fit() -> None:
    assert tail_start(10, 4) == 6
    assert tail_start(3, 4) == 0
    assert tail_start(5, 0) == 5
    assert tail_start(0, 4) == 0


def test_line_strip_pads_to_the_width_with_the_widget_style() -> None:
    style = Style(bgcolor="blue")
    strip = line_strip(Text("Producer added 3"), 20, style, Console(width=80))
    assert strip.cell_length == 20
    assert strip.text == "Producer added 3    "
    assert all(segment.style.bgcolor == style.bgcolor for segment in strip)


def test_line_strip_cuts_a_long_line_with_an_ellipsis_and_keeps_the_original() -> None:
    line = Text("Consumer removed 2 | List: [3, 4, 5, 6]")
    strip = line_strip(line, 12, Style(), Console(width=80))
    assert strip.cell_length == 12
    assert strip.text.endswith("…")
    assert line.plain == "Consumer removed 2 | List: [3, 4, 5, 6]"  # not truncated in place
