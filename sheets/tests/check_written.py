#!/usr/bin/env python3
"""Checks with openpyxl a workbook written by write_xlsx from write_test.cpp's sample(): values,
types, the bold frozen header with its filter, and column widths. Exits 1 on the first mismatch.

Usage: check_written.py PATH
"""
import datetime
import sys

import openpyxl


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    assert wb.sheetnames == ["联审结果", "Notes"], wb.sheetnames
    ws = wb["联审结果"]
    expect = {
        "A1": "姓名", "B2": "110101199001011234", "D2": 87.5,
        "E2": datetime.datetime(2021, 6, 1), "A5": "王五\n（兼）", "C5": '逗号, "引号"',
        "D5": -0.25, "B6": "_x0041_ stays",
    }
    for ref, value in expect.items():
        assert ws[ref].value == value, (ref, ws[ref].value, value)
    # Control characters are written as Excel escapes them, which openpyxl 3.0 does not undo.
    assert ws["A6"].value in ("tab\tcontrol\x01", "tab\tcontrol_x0001_"), ws["A6"].value
    assert ws["E2"].number_format == "yyyy-mm-dd", ws["E2"].number_format
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "A2", ws.freeze_panes
    assert ws.auto_filter.ref == "A1:E6", ws.auto_filter.ref
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    # 身份证号 has 18 digits, 联审日期 is four CJK characters (8), 结论's widest is 逗号, "引号" (12).
    assert widths["B"] >= 20 and widths["E"] >= 10 and widths["C"] >= 14, widths
    assert widths["A"] < widths["B"], widths


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("check_written.py:", e, file=sys.stderr)
        sys.exit(1)
