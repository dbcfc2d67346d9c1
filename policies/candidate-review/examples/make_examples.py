#!/usr/bin/env python3
"""Writes the sample joint review beside this script: a township roster of eight candidates
(名册.xlsx) and the returns of the four departments that `returns.xy` declares — 县人民法院,
县公安局, 县纪委监委, and 乡镇人民政府 (one file per township: 东镇, 南镇). The people are
fictional; every ID number has a valid check digit (GB 11643). The .xlsx files are kept in the
repository so that the demo needs no Python; run this (python3-openpyxl) to make them again.

usage: make_examples.py [DIR]   (default: the folder of this script)"""
import pathlib
import sys

from openpyxl import Workbook
from openpyxl.styles import Font

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def citizen_id(region, born, seq):
    body = f"{region}{born.replace('-', '')}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


# 乡镇, 村, 姓名, 出生日期, 顺序码; the ID numbers follow.
PEOPLE = [
    ("东镇", "东村", "甲某", "1975-04-12", 11),
    ("东镇", "东村", "乙某", "1982-09-30", 23),
    ("东镇", "西村", "丙某", "1968-01-05", 35),
    ("东镇", "西村", "丁某", "1990-07-21", 47),
    ("南镇", "南村", "戊某", "1979-11-02", 59),
    ("南镇", "南村", "己某", "1985-03-18", 61),
    ("南镇", "北村", "庚某", "1972-06-25", 73),
    ("南镇", "北村", "辛某", "2006-08-09", 85),
]
ID = {p[2]: citizen_id("330102", p[3], p[4]) for p in PEOPLE}


def book(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for name, title, header, rows in sheets:
        ws = wb.create_sheet(name)
        if title:
            ws.append([title])
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
        ws.column_dimensions["A"].width = 22
    wb.save(path)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
    out.mkdir(parents=True, exist_ok=True)
    election = {"东镇": "2024-06-15", "南镇": "2024-06-20"}
    book(out / "名册.xlsx", [(
        "候选人名册", "某县第十二届村民委员会换届选举候选人名册（示例）",
        ["乡镇", "村", "姓名", "公民身份号码", "出生日期", "选举日"],
        [[t, v, n, ID[n], b, election[t]] for t, v, n, b, _ in PEOPLE])])
    book(out / "县人民法院.xlsx", [
        ("刑事判决", "县人民法院核查结果：刑事判决", ["身份证号", "罪名", "判决日期", "执行方式", "刑满释放日"],
         [[ID["乙某"], "盗窃罪", "2019-04-08", "刑满释放", "2020-10-07"],
          [ID["庚某"], "危险驾驶罪", "2012-05-20", "缓刑期满", "2013-05-19"]]),
        ("剥夺政治权利", None, ["身份证号"], []),
    ])
    book(out / "县公安局.xlsx", [
        ("刑事记录", None, ["公民身份号码", "罪名", "判决日", "执行方式", "释放日"],
         [[ID["乙某"], "盗窃罪", "2019-04-08", "刑满释放", "2020-10-07"]]),
        ("治安处罚", None, ["公民身份号码", "违法事由", "处罚种类", "处罚决定日"],
         [[ID["丁某"], "赌博", "罚款", "2022-02-14"]]),
        ("认定记录", None, ["公民身份号码", "认定类别", "认定日"], []),
        # 身份证号录错一位的记录：名册上没有这个号码（名册外的记录）
        ("上访记录", None, ["公民身份号码", "处理日"],
         [[citizen_id("330102", "1979-11-02", 95), "2021-08-30"]]),
    ])
    book(out / "县纪委监委.xlsx", [
        ("党纪处分", None, ["身份证号", "处分种类", "处分决定日"],
         [[ID["丙某"], "撤销党内职务", "2023-03-01"]]),
        ("核查情况", None, ["身份证号", "情况"], []),
    ])
    book(out / "东镇人民政府.xlsx", [
        ("欠款记录", None, ["身份证号", "拖欠金额", "经催缴未归还"], []),
        ("核查情况", None, ["身份证号", "情况类别"], [[ID["甲某"], "长期外出"]]),
    ])
    book(out / "南镇人民政府.xlsx", [
        ("欠款记录", None, ["身份证号", "拖欠金额", "经催缴未归还"],
         [[ID["戊某"], 12000, "是"]]),
        ("核查情况", None, ["身份证号", "情况类别"], []),
    ])


main()
