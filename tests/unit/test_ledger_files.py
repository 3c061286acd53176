"""Reading ledger files the app did not write: WPS-style .xlsx (merged titles and cells, formulas
without results, spacer columns), .xls, .csv in GBK/UTF-8, and every kind of file that must be
refused with a Chinese message rather than a traceback."""

from __future__ import annotations

import csv
import io
import shutil
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from app.importers.ledgers import files
from app.importers.ledgers.files import LedgerFileError, read_ledger_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ledgers"
OLD_XLS = FIXTURES / "隐患台账-旧版.xls"
TITLE = "汨罗市建筑工程服务中心2024年第一季度安全隐患排查整改台账"


def _wps_hazards(path: Path) -> Path:
    """A 隐患台账 as clerks keep it: title merged over A1:J1, a 填报 line, the header on row 3, a blank
    spacer column D, one 项目名称 merged over two rows, a 合计 row with an uncomputed formula, dates
    as dates and as text, formatting-only cells below and to the right of the table."""
    book = Workbook()
    ws = book.active
    ws.title = "一季度"
    ws["A1"] = TITLE
    ws.merge_cells("A1:J1")
    ws["A2"] = "填报单位：汨罗市建筑工程服务中心"
    ws["H2"] = "填报日期：2024年4月2日"
    header = [
        "序号",
        "检查日期",
        "项目名称",
        None,
        "检查人员",
        "隐患描述",
        "隐患类别",
        "整改期限",
        "整改状态",
        "罚款（万元）",
    ]
    for column, text in enumerate(header, 1):
        ws.cell(3, column, text)
    ws.append(
        [
            1,
            datetime(2024, 1, 9),
            "汨罗市城南安置小区二期工程",
            None,
            "李建国、王芳",
            "3#楼临边防护缺失",
            "高处坠落",
            "2024.1.16",
            "已整改",
            0.5,
        ]
    )
    ws.append(
        [
            2,
            "2024年1月9日",
            None,
            None,
            "李建国、王芳",
            "塔吊附着螺栓松动",
            "起重伤害",
            "1月12日",
            "整改中",
            None,
        ]
    )
    ws.merge_cells("C4:C5")
    ws.append(
        [
            3,
            datetime(2024, 2, 20, 9, 30),
            "汨罗市第一中学教学楼（扩建）项目",
            None,
            "张卫东",
            "配电箱未接地",
            "触电",
            date(2024, 2, 27),
            "✓",
            "#DIV/0!",
        ]
    )
    ws.append(["合计", None, None, None, None, "共3条", None, None, None, "=SUM(J4:J6)"])
    ws["L20"].number_format = "0.00"  # formatting only: not content
    ws["B30"] = "   "  # spaces only: blank
    book.save(path)
    return path


def test_a_wps_style_sheet_is_read_with_merges_filled_and_trailing_blanks_dropped(tmp_path: Path) -> None:
    ledger = read_ledger_file(_wps_hazards(tmp_path / "2024年隐患台账.xlsx"))

    assert ledger.name == "2024年隐患台账.xlsx"
    assert [sheet.title for sheet in ledger.sheets] == ["一季度"]
    sheet = ledger.sheets[0]
    assert len(sheet.rows) == 7  # row 20 and row 30 hold no content
    assert {len(row) for row in sheet.rows} == {10}  # column L is formatting only
    assert sheet.rows[0] == [TITLE] * 10
    assert sheet.rows[1] == [
        "填报单位：汨罗市建筑工程服务中心",
        *[None] * 6,
        "填报日期：2024年4月2日",
        None,
        None,
    ]
    assert sheet.rows[2][:4] == ["序号", "检查日期", "项目名称", None]
    assert sheet.rows[3] == [
        1, datetime(2024, 1, 9), "汨罗市城南安置小区二期工程", None, "李建国、王芳",
        "3#楼临边防护缺失", "高处坠落", "2024.1.16", "已整改", 0.5,
    ]  # fmt: skip
    # the project merged over rows 4–5 fills both
    assert sheet.rows[4][:3] == [2, "2024年1月9日", "汨罗市城南安置小区二期工程"]
    assert sheet.rows[4][9] is None
    assert sheet.rows[5][1] == datetime(2024, 2, 20, 9, 30)
    assert sheet.rows[5][7] == datetime(2024, 2, 27)
    assert sheet.rows[5][8] == "✓"
    assert sheet.rows[5][9] == "#DIV/0!"  # an error value, as its text
    assert sheet.rows[6] == ["合计", None, None, None, None, "共3条", None, None, None, None]
    assert sheet.uncomputed == frozenset({(7, 10)})


def test_text_numbers_booleans_and_rich_text_keep_their_types(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["名称", "数量", "金额", "是否", "大数", "时间"])
    rich = CellRichText(["汨罗市", TextBlock(InlineFont(b=True), "城南"), "安置小区"])
    ws.append([rich, 5, 5120.36, True, 1e300, None])
    ws["F2"] = datetime(2024, 3, 12).time().replace(hour=14, minute=30)
    ws.append(["  前后有空格  ", "5人", "5,120.36万元", False, -0.0, None])
    path = tmp_path / "types.xlsx"
    book.save(path)

    rows = read_ledger_file(path).sheets[0].rows

    assert rows[1] == ["汨罗市城南安置小区", 5, 5120.36, True, 1e300, "14:30"]
    assert type(rows[1][1]) is int and type(rows[1][2]) is float
    assert rows[2] == ["  前后有空格  ", "5人", "5,120.36万元", False, 0, None]


def test_numbers_no_program_writes_are_passed_on_for_the_readers_to_refuse(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["金额", 111.25, 222.25, 333.25, 444])
    book.save(tmp_path / "good.xlsx")
    path = tmp_path / "怪数.xlsx"
    with zipfile.ZipFile(tmp_path / "good.xlsx") as old, zipfile.ZipFile(path, "w") as new:
        for member in old.infolist():
            data = old.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                for number, odd in [(b"111.25", b"NaN"), (b"222.25", b"1e999"), (b"333.25", b"12abc")]:
                    data = data.replace(b"<v>" + number + b"</v>", b"<v>" + odd + b"</v>")
            new.writestr(member, data)

    row = read_ledger_file(path).sheets[0].rows[0]

    assert row[0] == "金额"
    assert row[1] != row[1]  # NaN
    assert row[2] == float("inf")
    assert row[3:] == ["12abc", 444]


def test_shared_strings_and_merges_written_by_another_program_are_read(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "wps.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("信访登记")
    day = book.add_format({"num_format": "yyyy年m月d日"})
    ws.merge_range("A1:D1", "2023年信访事项登记台账")
    ws.write_row(1, 0, ["信访编号", "来信日期", "信访人", "办理情况"])
    ws.merge_range("D2:D3", "办理情况")
    ws.write_row(2, 0, ["XF2023-001"])
    ws.write_datetime(2, 1, datetime(2023, 5, 6), day)
    ws.write(2, 2, "王某某")
    ws.write_formula(3, 0, '="XF"&"2023-002"', None, "XF2023-002")
    book.close()

    sheet = read_ledger_file(path).sheets[0]

    assert sheet.rows[0] == ["2023年信访事项登记台账"] * 4
    assert sheet.rows[1] == ["信访编号", "来信日期", "信访人", "办理情况"]
    assert sheet.rows[2] == ["XF2023-001", datetime(2023, 5, 6), "王某某", "办理情况"]
    # XlsxWriter asks for recalculation on load: its cached results are not trusted
    assert sheet.rows[3] == ["XF2023-002", None, None, None]
    assert sheet.uncomputed == frozenset({(4, 1)})


def test_the_old_xls_ledger_is_read_with_its_merges_and_dates() -> None:
    ledger = read_ledger_file(OLD_XLS)

    assert ledger.name == "隐患台账-旧版.xls"
    sheet = ledger.sheets[0]
    assert sheet.title == "2023年隐患台账"
    assert sheet.rows[0] == ["汨罗市建筑工程服务中心2023年安全隐患排查整改台账"] * 10
    assert sheet.rows[1][5:] == ["隐患类别", "整改情况", "整改情况", "整改情况", "备注"]
    assert sheet.rows[2][5:] == ["隐患类别", "整改期限", "完成时间", "整改状态", "备注"]
    assert sheet.rows[3] == [
        1, datetime(2023, 3, 12), "汨罗市城南安置小区二期工程", "李建国、王芳", "3#楼临边防护栏杆缺失",
        "高处坠落", "2023.3.19", datetime(2023, 3, 18), "已整改", None,
    ]  # fmt: skip
    assert [row[2] for row in sheet.rows[3:8]] == [
        "汨罗市城南安置小区二期工程",
        "汨罗市城南安置小区二期工程",
        "汨罗市城南安置小区二期工程",
        "汨罗市第一中学教学楼（扩建）项目",
        "汨罗市人民医院住院综合楼",
    ]
    assert sheet.rows[7][1] == "2023.5.6"
    assert sheet.rows[7][6] == "5月20日"
    assert sheet.rows[8] == ["合计", "合计", None, None, "共5条隐患", None, None, None, None, None]
    assert len(sheet.rows) == 9
    assert sheet.uncomputed == frozenset()


def test_a_workbook_is_read_by_its_content_whatever_its_extension(tmp_path: Path) -> None:
    renamed_xls = tmp_path / "其实是旧版.xlsx"
    shutil.copyfile(OLD_XLS, renamed_xls)
    renamed_xlsx = tmp_path / "其实是新版.xls"
    _wps_hazards(renamed_xlsx)

    assert read_ledger_file(renamed_xls).sheets[0].rows[3][2] == "汨罗市城南安置小区二期工程"
    assert read_ledger_file(renamed_xlsx).sheets[0].rows[0][0] == TITLE


CSV_ROWS = [
    ["序号", "项目名称", "建设单位", "总投资（万元）", "开工日期"],
    ["1", "汨罗市城南安置小区二期工程", "汨罗市城市建设投资有限公司", "5,120.36", "2023/3/1"],
    ["2", "汨罗市第一中学教学楼（扩建）项目", "汨罗市教育局", "2.5亿元", "2023年5月"],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gbk", ","), ("utf-8-sig", "\t"), ("utf-8", ";"), ("gb18030", "\t"), ("utf-16", "\t")],
)
def test_csv_in_gbk_or_utf8_with_any_common_delimiter(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [list(row) for row in CSV_ROWS]
    rows[1][1] += delimiter + "一标段"  # quoted, as WPS writes it
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([rows[0], [], *rows[1:], [""] * 5])
    lines = [text.getvalue()]
    path = tmp_path / "工程项目清单.csv"
    path.write_bytes(lines[0].encode(encoding))

    ledger = read_ledger_file(path)

    assert [sheet.title for sheet in ledger.sheets] == ["工程项目清单"]
    rows = ledger.sheets[0].rows
    assert rows[0] == CSV_ROWS[0]
    assert rows[1] == [None] * 5
    assert rows[2][1] == f"汨罗市城南安置小区二期工程{delimiter}一标段"
    assert rows[2][3:] == ["5,120.36", "2023/3/1"]
    assert rows[3] == CSV_ROWS[2]
    assert len(rows) == 4


def test_a_csv_in_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x00abc\x00\x00\x00")

    with pytest.raises(LedgerFileError, match="不是可识别的文本表格（应为 UTF-8 或 GBK 编码的 CSV）"):
        read_ledger_file(path)


@pytest.mark.parametrize("suffix", [".et", ".ett"])
def test_a_wps_et_file_is_asked_to_be_saved_as_xlsx(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"隐患台账{suffix}"
    shutil.copyfile(OLD_XLS, path)

    with pytest.raises(LedgerFileError) as caught:
        read_ledger_file(path)

    assert str(caught.value) == f"这是 WPS 表格格式（{suffix}），请在 WPS 中另存为 .xlsx 后再导入"


def test_another_extension_is_refused_naming_what_can_be_read(tmp_path: Path) -> None:
    path = tmp_path / "隐患台账.docx"
    path.write_bytes(b"PK\x03\x04")

    with pytest.raises(LedgerFileError) as caught:
        read_ledger_file(path)

    assert str(caught.value) == "不能导入“.docx”格式的文件，可以导入的是 .xlsx、.xlsm、.xls 和 .csv 表格"


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _truncated(tmp_path: Path) -> Path:
    whole = _wps_hazards(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _broken_sheet_xml(tmp_path: Path) -> Path:
    source = _wps_hazards(tmp_path / "whole.xlsx")
    path = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for member in old.infolist():
            data = old.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<<<garbage"
            new.writestr(member, data)
    return path


def _encrypted(tmp_path: Path) -> Path:
    # What Excel and WPS write for a password-protected .xlsx: an OLE file holding EncryptedPackage.
    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    )
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: _file(d / "台账.xlsx", b""), "“台账.xlsx”是空文件（0 字节），未导入"),
        (
            lambda d: _file(d / "台账.xlsx", b"\x00garbage\xff" * 50),
            "“台账.xlsx”不是有效的 .xlsx 表格（可能已损坏，或只是改了扩展名），未导入",
        ),
        (
            lambda d: _file(d / "台账.xls", b"<html><body><table><tr><td>1</td></tr></table>"),
            "“台账.xls”其实是网页格式，不是真正的 Excel 表格；请在 WPS/Excel 中打开后另存为 .xlsx 再导入",
        ),
        (
            lambda d: _file(d / "台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
            "“台账.xls”不是有效的 .xls 表格（可能已损坏，或只是改了扩展名），未导入",
        ),
        (lambda d: _truncated(d), "“台账.xlsx”已损坏，无法打开（不是完整的 .xlsx 文件），未导入"),
        (
            lambda d: _broken_sheet_xml(d),
            "“台账.xlsx”的工作表“一季度”已损坏，无法读取，未导入（可在 WPS 中另存后再试）",
        ),
        (
            lambda d: _zip(d / "台账.xlsx", {"word/document.xml": b"<w/>"}),
            "“台账.xlsx”是 Word 文档，不是表格，未导入",
        ),
        (
            lambda d: _zip(d / "台账.xlsx", {"readme.txt": b"hello"}),
            "“台账.xlsx”不是 Excel 表格（可能只是改了扩展名），未导入",
        ),
        (
            lambda d: _zip(d / "台账.xlsx", {"xl/workbook.xml": b"<workbook/>"}),
            "“台账.xlsx”已损坏，无法读取，未导入（可在 WPS 中另存后再试）",
        ),
        (lambda d: _encrypted(d), "“台账.xlsx”设置了打开密码，请在 WPS/Excel 中取消密码后再导入"),
        (lambda d: d / "不存在.xlsx", "找不到文件"),
    ],
    ids=[
        "empty",
        "garbage",
        "html",
        "ole-garbage",
        "truncated",
        "broken-xml",
        "docx",
        "zip",
        "no-parts",
        "encrypted",
        "missing",
    ],
)
def test_a_damaged_or_disguised_file_is_refused_with_a_chinese_message(
    tmp_path: Path, make, message: str
) -> None:
    path = make(tmp_path)

    with pytest.raises(LedgerFileError) as caught:
        read_ledger_file(path)

    assert str(caught.value).startswith(message)


def test_a_workbook_with_nothing_in_it_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    book.active["C3"].number_format = "0.00"
    book.save(tmp_path / "空白.xlsx")

    with pytest.raises(LedgerFileError, match=r"^“空白\.xlsx”中没有任何内容，未导入$"):
        read_ledger_file(tmp_path / "空白.xlsx")


def _bomb(path: Path, megabytes: int) -> Path:
    """A zip holding a sheet of zeros: megabytes unpacked, about a thousandth of that packed."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return path


@pytest.mark.parametrize("megabytes", [600, 60])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, megabytes: int) -> None:
    path = _bomb(tmp_path / "台账.xlsx", megabytes)
    assert path.stat().st_size < 3 * 1024 * 1024

    started = time.perf_counter()
    with pytest.raises(LedgerFileError) as caught:
        read_ledger_file(path)

    assert str(caught.value) == "文件解压后过大，可能已损坏，未导入"
    assert time.perf_counter() - started < 1


def test_a_sheet_past_the_row_limit_is_refused_once_it_passes_it(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "大表.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("隐患")
    for row in range(25_000):
        ws.write_row(row, 0, (row + 1, "汨罗市城南安置小区二期工程", "临边防护缺失"))
    book.close()

    with pytest.raises(LedgerFileError) as caught:
        read_ledger_file(path)

    assert str(caught.value) == (
        "工作表“隐患”超过20000行（读到第20001行），未导入（请只保留要导入的数据，或分成几个文件导入）"
    )


def test_content_far_below_the_table_is_refused_without_reading_every_row(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "隐患"
    book.active["A1"] = "序号"
    book.active["A250000"] = "孤立的一格"
    book.save(tmp_path / "远处.xlsx")

    with pytest.raises(LedgerFileError, match=r"^工作表“隐患”超过20000行（读到第250000行）"):
        read_ledger_file(tmp_path / "远处.xlsx")


def test_a_cell_past_the_column_limit_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "项目"
    book.active["A1"] = "项目名称"
    book.active.cell(5, 61, "多出来的一列")
    book.save(tmp_path / "宽表.xlsx")

    with pytest.raises(LedgerFileError) as caught:
        read_ledger_file(tmp_path / "宽表.xlsx")

    assert str(caught.value) == (
        "工作表“项目”第5行BI列有内容，超过了60列（到BH列）的上限，未导入（请删去不导入的列或工作表）"
    )


def test_the_rows_of_all_sheets_together_are_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_ROWS_PER_FILE", 10)
    book = Workbook()
    for index, ws in enumerate([book.active, book.create_sheet(), book.create_sheet()]):
        ws.title = f"{index + 1}月"
        for row in range(4):
            ws.append([row + 1, "汨罗市城南安置小区二期工程"])
    book.save(tmp_path / "按月.xlsx")

    with pytest.raises(LedgerFileError, match=r"^文件中的数据超过10行，未导入（请分成几个文件导入）$"):
        read_ledger_file(tmp_path / "按月.xlsx")
    monkeypatch.setattr(files, "MAX_ROWS_PER_FILE", 12)
    assert [len(sheet.rows) for sheet in read_ledger_file(tmp_path / "按月.xlsx").sheets] == [4, 4, 4]
