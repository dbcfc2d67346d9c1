#!/usr/bin/env python3
"""Makes the sheets tests' input files in OUT_DIR: workbooks written by openpyxl, a hand-made one
for what openpyxl does not write (rich text, inline strings, formula strings, cells without
references, prefixed namespaces, a sheet part not named sheetN.xml, a huge dimension claim, the 1904
date system), a zip bomb, and CSV files in each encoding. `--seeds DIR` writes the fuzz seeds instead.

Usage: make_inputs.py OUT_DIR | make_inputs.py --seeds DIR
"""
import datetime
import pathlib
import sys
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def basic(path):
    """Every kind of cell, dates in several formats, CJK, an empty sheet and a gap row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["姓名", "年龄", "比例", "党员", "出生日期", "状态", "登记日", "时刻", "大数"])
    ws.append(["张三", 12, 0.5, True, datetime.date(1970, 5, 1), "#N/A", 45292, 0.5, 1e20])
    ws["G2"].number_format = 'yyyy"年"m"月"d"日"'
    ws["H2"].number_format = "h:mm"
    # Row 3 is left empty: a gap.
    ws["A4"] = "李四（村委会）"
    ws["B4"] = -3
    ws["D4"] = False
    ws["E4"] = datetime.datetime(2021, 6, 1, 8, 30)
    wb.create_sheet("空表")
    other = wb.create_sheet("Sheet Three")
    other["B2"] = "only cell"
    wb.save(path)


def date1904(path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "dates"
    ws["A1"] = datetime.date(2024, 5, 1)
    ws["A2"] = 0
    ws["A2"].number_format = "yyyy-mm-dd"
    wb.save(path)


def formula(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 1
    ws["A2"] = "=A1+1"  # openpyxl saves no result
    wb.save(path)


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def handmade(path):
    """Parts as other programs write them; the workbook's first sheet is in data/b.xml."""
    parts = {
        "[Content_Types].xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>
<Override PartName="/xl/data/b.xml" ContentType="{CT}.worksheet+xml"/>
<Override PartName="/xl/data/a.xml" ContentType="{CT}.worksheet+xml"/>
<Override PartName="/xl/strings.xml" ContentType="{CT}.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>
</Types>""",
        "_rels/.rels": f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
        "xl/workbook.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook {NS} {NS_R}><workbookPr date1904="1"/>
<sheets><sheet name="第一" sheetId="1" r:id="rIdB"/><sheet name="Prefixed" sheetId="2" r:id="rIdA"/></sheets>
</workbook>""",
        "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdA" Type="{REL}/worksheet" Target="data/a.xml"/>
<Relationship Id="rIdB" Type="{REL}/worksheet" Target="/xl/data/b.xml"/>
<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="strings.xml"/>
<Relationship Id="rIdT" Type="{REL}/styles" Target="styles.xml"/>
</Relationships>""",
        "xl/strings.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<sst {NS} count="3" uniqueCount="3">
<si><t>plain</t></si>
<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve"> text </t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si>
<si><t>tab_x0009_here</t></si>
</sst>""",
        "xl/styles.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet {NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="[$-804]yyyy/m/d;@"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>""",
        "xl/data/b.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>内联</t></is></c><c r="B2" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>
<c r="C2" t="str"><f>UPPER("x")</f><v>X</v></c><c r="D2" t="e"><v>#DIV/0!</v></c><c r="E2" t="b"><v>1</v></c></row>
<row><c><v>1</v></c><c s="1"><v>0</v></c><c s="2"><v>1.5</v></c><c s="3"><v>45000</v></c><c s="1"/><c t="s"/><c><v>7</v></c></row>
<row r="1048576"><c r="B1048576"><v>42</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>""",
        "xl/data/a.xml": """<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="2"><x:c r="C2" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row>
</x:sheetData></x:worksheet>""",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))


def bomb(path):
    """A workbook whose sheet inflates to 600 MB of spaces (about 600 KB compressed)."""
    basic(path)
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            block = b" " * (1 << 20)
            for _ in range(600):
                w.write(block)


CSV_ROWS = "姓名,身份证号,出生日期,备注\r\n张三,110101199001011234,1990-01-01,\r\n李四,,1985/3/2,\"村委会, 主任\"\r\n"


def csvs(out):
    (out / "utf8.csv").write_bytes(CSV_ROWS.replace("\r\n", "\n").encode("utf-8"))
    (out / "utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" + CSV_ROWS.encode("utf-8"))
    (out / "gb18030.csv").write_bytes((CSV_ROWS + "王五,,,𠀀字\r\n").encode("gb18030"))
    (out / "quoted.csv").write_bytes(
        'a,"b,c","say ""hi"""\r\n"two\r\nlines",,"x"\n\nlast,"",end,'.encode("utf-8"))
    (out / "unclosed.csv").write_bytes('a,b\nc,"d\ne,f\n'.encode("utf-8"))
    (out / "after_quote.csv").write_bytes('a,b\nc,"d"x,e\n'.encode("utf-8"))
    (out / "neither.csv").write_bytes("名字\n".encode("gb18030") + b"ok\n\x80\xff\n")
    (out / "bom_then_gbk.csv").write_bytes(b"\xef\xbb\xbfa\n" + "张".encode("gb18030") + b"\n")
    (out / "utf16.csv").write_bytes("a,b\r\n".encode("utf-16"))
    (out / "empty.csv").write_bytes(b"")


def seeds(out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["姓名", "出生日期", "年龄", "党员"])
    ws.append(["张三", datetime.date(1970, 5, 1), 54, True])
    wb.save(out / "tiny.xlsx")
    handmade(out / "handmade.xlsx")
    (out / "utf8.csv").write_bytes(CSV_ROWS.encode("utf-8"))
    (out / "gb18030.csv").write_bytes(CSV_ROWS.encode("gb18030"))


def main():
    if sys.argv[1:2] == ["--seeds"]:
        out = pathlib.Path(sys.argv[2])
        out.mkdir(parents=True, exist_ok=True)
        seeds(out)
        return
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    basic(out / "basic.xlsx")
    date1904(out / "1904.xlsx")
    formula(out / "formula.xlsx")
    handmade(out / "handmade.xlsx")
    openpyxl.load_workbook(out / "handmade.xlsx")  # another reader takes it too
    bomb(out / "bomb.xlsx")
    csvs(out)
    (out / "done").write_text("ok\n")


if __name__ == "__main__":
    main()
