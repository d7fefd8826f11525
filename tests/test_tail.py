"""The event log's drawing helpers, without an app."""

from rich.console import Console
from rich.style import Style
from rich.text import Text

from concviz.ui.renderables.tail import INDENT, line_rows, tail_rows

CONSOLE = Console(width=80)


def texts(rows) -> list[str]:
    return [row.text for row in rows]


def test_a_short_line_is_one_row_padded_with_the_widget_style() -> None:
    style = Style(bgcolor="blue")
    (row,) = line_rows(Text("Producer added 3"), 20, style, CONSOLE)
    assert row.cell_length == 20
    assert row.text == "Producer added 3    "
    assert all(segment.style.bgcolor == style.bgcolor for segment in row)


def test_a_long_line_wraps_at_spaces_and_keeps_every_character() -> None:
    line = Text("Summary: 60 items, 60 produced, 60 consumed, lock OFF, 16 races detected")
    rows = texts(line_rows(line, 24, Style(), CONSOLE))
    assert rows == ["Summary: 60 items, 60   ",
                    "  produced, 60 consumed,",
                    "  lock OFF, 16 races    ",
                    "  detected              "]
    assert " ".join(" ".join(rows).split()) == line.plain  # nothing cut, no "…"
    assert line.plain == "Summary: 60 items, 60 produced, 60 consumed, lock OFF, " \
        "16 races detected"  # the original is not changed


def test_a_word_longer_than_a_row_is_folded_and_keeps_its_style() -> None:
    line = Text("x" * 30, style="bold")
    rows = line_rows(line, 12, Style(), CONSOLE)
    assert texts(rows) == ["x" * 12, " " * INDENT + "x" * 10, " " * INDENT + "x" * 8 + "  "]
    assert all(seg.style.bold for row in rows for seg in row if seg.text.strip())


def test_narrow_and_empty_lines_still_give_rows_of_the_width() -> None:
    assert texts(line_rows(Text(""), 5, Style(), CONSOLE)) == ["     "]
    assert texts(line_rows(Text("abcd"), 2, Style(), CONSOLE)) == ["ab", "cd"]
    assert all(row.cell_length == 1 for row in line_rows(Text("abc"), 1, Style(), CONSOLE))


def test_tail_rows_keeps_the_newest_rows_and_asks_only_for_the_lines_shown() -> None:
    lines = [[f"{n}.{r}" for r in range(rows)] for n, rows in enumerate([1, 3, 1, 2])]
    asked: list[int] = []

    def rows(index: int) -> list[str]:
        asked.append(index)
        return lines[index]

    assert tail_rows(rows, 4, 4) == ["1.2", "2.0", "3.0", "3.1"]  # line 1 shows its end
    assert asked == [3, 2, 1]
    assert tail_rows(rows, 4, 10) == ["0.0", "1.0", "1.1", "1.2", "2.0", "3.0", "3.1"]
    assert tail_rows(rows, 4, 0) == []
    assert tail_rows(rows, 0, 4) == []
