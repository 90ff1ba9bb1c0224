"""openpyxl's write-only mode against XlsxWriter's constant_memory, on rows shaped like the export.

    .venv/bin/python bench/xlsx_engines.py                 # 1,000 / 5,000 / 20,000 rows
    .venv/bin/python bench/xlsx_engines.py --rows 1000 --repeat 5
    .venv/bin/python bench/xlsx_engines.py --rows 1000,5000 --engines xlsxwriter   # XlsxWriter's two modes

Each writer gets the same rows (14 columns like the proposal export: id, long Vietnamese
title, names, an amount, dates, labels) and the same formatting (bold heading, widths,
frozen panes, dd/mm/yyyy dates, thousands, wrapped text). Printed per engine and row count:
the median wall and CPU ms over --repeat runs (on a busy machine compare the CPU), and the peak of Python's allocations while writing
(tracemalloc, measured in a separate run so that it does not slow the timed ones). Memory
flat in the rows means the peak does not grow with them. The openpyxl writer is the one the
export used before (app.documents.xlsx at the time, re-created here as it was); XlsxWriter
is app.documents.xlsx.write_xlsx today, in both its modes: constant_memory (flat memory, a
document job's export) and in memory (an export of at most EXPORT_IN_REQUEST_ROWS rows sent
in its request: faster, memory growing with the rows up to that bound).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TITLES = [
    "Đề nghị hỗ trợ kinh phí sửa chữa tuyến đường liên thôn bị xuống cấp nghiêm trọng sau mùa mưa lũ",
    "Kiến nghị bố trí vốn xây dựng trụ sở làm việc của Đảng ủy, HĐND, UBND xã sau sắp xếp",
    "Đề nghị bổ sung biên chế công chức địa chính - xây dựng cho xã, phường mới",
]
COLUMNS = [("Số", 7), ("Tiêu đề", 45), ("Xã, phường", 20), ("Lĩnh vực", 24), ("Kinh phí (đồng)", 16),
           ("Ngày gửi", 11), ("Trạng thái", 16), ("Đơn vị chủ trì", 24), ("Đơn vị phối hợp", 24),
           ("Hạn trả lời", 11), ("Thời hạn", 22), ("Kết quả trả lời", 20), ("Ngày trả lời", 11), ("Hội nghị", 30)]


def rows(count: int):
    start = date(2025, 1, 2)
    for i in range(count):
        sent = start + timedelta(days=i % 360)
        yield [i + 1, TITLES[i % 3], f"Xã Hòa Bình {i % 135}", "Giao thông, vận tải", 1_500_000_000 + i,
               sent, "Đã trả lời", "Sở Xây dựng", "Sở Tài chính, Sở Nội vụ" if i % 4 == 0 else "",
               sent + timedelta(days=15), "Đúng hạn" if i % 5 else "Quá hạn (3 ngày)", "Tiếp thu, giải quyết",
               sent + timedelta(days=12), "Hội nghị giao ban tháng 3/2025"]


def with_openpyxl(count: int) -> bytes:
    """openpyxl write-only, each kind of cell's style built once and copied (the export until now)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Danh sách kiến nghị")
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A5"
    title = WriteOnlyCell(sheet, value="Danh sách kiến nghị")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(["Phạm vi: toàn tỉnh"])
    heading = []
    for name, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        heading.append(cell)
    sheet.append(heading)
    styles = {}

    def make(value):
        kind = type(value)
        if kind not in styles:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
            elif isinstance(value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            styles[kind] = cell._style
            return cell
        cell = Cell(sheet, row=1, column=1, value=value, style_array=styles[kind])
        if isinstance(value, str):
            cell.data_type = "s"
        return cell

    for row in rows(count):
        sheet.append([make(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_xlsxwriter(count: int) -> bytes:
    """XlsxWriter with constant_memory, through the export's own builder (a document job's export)."""
    return _exports_writer(count, in_memory=False)


def with_xlsxwriter_in_memory(count: int) -> bytes:
    """XlsxWriter in memory (shared strings, no temporary files): an export sent in its request,
    at most EXPORT_IN_REQUEST_ROWS rows."""
    return _exports_writer(count, in_memory=True)


def _exports_writer(count: int, *, in_memory: bool) -> bytes:
    """app.documents.xlsx.write_xlsx, the exports' writer, into memory."""
    from app.documents.xlsx import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(buffer, "Danh sách kiến nghị", COLUMNS, rows(count), ["Phạm vi: toàn tỉnh"], in_memory=in_memory)
    return buffer.getvalue()


ENGINES = {"openpyxl write-only": with_openpyxl, "XlsxWriter constant_memory": with_xlsxwriter,
           "XlsxWriter in_memory": with_xlsxwriter_in_memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="", help="only the engines whose name holds this text (case ignored)")
    args = parser.parse_args()
    print(f"{'engine':<28} {'rows':>7} {'wall ms':>9} {'CPU ms':>8} {'peak MiB':>9} {'file kB':>8}")
    for count in [int(v) for v in args.rows.split(",")]:
        for name, write in ENGINES.items():
            if args.engines.lower() not in name.lower():
                continue
            write(50)  # imports and first-use costs out of the way
            times, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                data = write(count)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            tracemalloc.start()
            write(count)
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"{name:<28} {count:>7} {statistics.median(times):>9.0f} {statistics.median(cpu):>8.0f} "
                  f"{peak / 2**20:>9.1f} "
                  f"{len(data) / 1024:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
