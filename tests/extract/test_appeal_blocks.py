"""表四 as three small markdown tables, one per group (PDF-to-markdown converters; issue 10, "What we
saw" 1): each group's cells are printed under their own header, so a group printed all blank is still
read by position — blank, never a neighbour's numbers (found by a larger corpus draw, seed 11:
md_rowgroups and md_mangled left 复议 and 直接起诉 unread when 复议后起诉 was all blank)."""

from __future__ import annotations

from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.form import appeal_blocks
from gxbg.extract.text import prepare_lines

HEAD = "| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|---|\n"


def _tables(*rows: str) -> str:
    return "\n\n".join(HEAD + row for row in rows) + "\n"


GROUPS = (
    "| 行政复议 | 2 | 7 | 3001 | 2 | 3012 |",
    "| 行政诉讼（未经复议直接起诉） | 1 | 2 | 30 | 2 | 35 |",
    "| 行政诉讼（复议后起诉） |  |  |  |  |  |",
)


def test_a_group_printed_all_blank_keeps_the_others_in_place() -> None:
    table = parse_appeals(prepare_lines(_tables(*GROUPS)))
    assert table is not None
    assert table.method == "grid"
    values = [[cell[5] for cell in row] for row in table.grid_rows]
    raws = [[cell[3] for cell in row] for row in table.grid_rows]
    assert values[:2] == [[2, 7, 3001, 2, 3012], [1, 2, 30, 2, 35]]
    assert values[2] == [None] * 5
    assert raws[2] == [""] * 5  # printed blank: no number, and not a 0


def test_the_groups_are_placed_by_their_labels_not_their_order() -> None:
    shuffled = _tables(GROUPS[2], GROUPS[0], GROUPS[1])
    assert [c[0] for c in appeal_blocks(prepare_lines(shuffled)) or []] == [
        "2", "7", "3001", "2", "3012", "1", "2", "30", "2", "35", "", "", "", "", "",
    ]  # fmt: skip


def test_a_missing_or_doubled_group_or_a_text_cell_is_not_read_this_way() -> None:
    assert appeal_blocks(prepare_lines(_tables(*GROUPS[:2]))) is None
    assert appeal_blocks(prepare_lines(_tables(*GROUPS, GROUPS[0]))) is None
    texty = GROUPS[1].replace("| 30 |", "| 见附件 |")
    assert appeal_blocks(prepare_lines(_tables(GROUPS[0], texty, GROUPS[2]))) is None
