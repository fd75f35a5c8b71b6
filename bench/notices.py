"""A notice's PDF (通报) rendered on the server (not a test): seconds and size.

    .venv/bin/python bench/notices.py [--rows 40 200 1000] [--runs 5]

No database: a notice of the shape the inspections and assessments issue (a page of text,
then a findings table of `--rows` rows, a ranking table as long; pypdf counts the pages) is rendered by
`notices.pdf.render` as the PDF view does; the first render (fonts loaded) and the median
of `--runs` more. The issue's target: under 3 s. The load average is printed too: other
work on the 2 cores slows every figure.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
os.environ.setdefault("DANGJIAN_DEBUG", "1")

import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from dangjian.notices import pdf  # noqa: E402
from dangjian.notices.rules import plain  # noqa: E402


def notice(rows: int):
    findings = [
        [str(i), f"第{i}村党支部", "主题党日未按月开展，会议记录不全", "2026-12-31", "张三"]
        for i in range(1, rows + 1)
    ]
    ranking = [[str(i), f"第{i}村党支部", f"{60 + i % 40}.5", "一般"] for i in range(1, rows + 1)]
    text = "本季度县委组织部采取电话抽查、随机暗访等方式，对全县村（社区）党组织进行了督查。" * 5
    sections = [
        {"heading": "一、基本情况", "paragraphs": [text, text]},
        {
            "heading": "二、发现的问题",
            "table": {
                "columns": ["序号", "党组织", "问题", "整改时限", "责任人"],
                "rows": findings,
            },
        },
        {
            "heading": "三、考核排名（倒序）",
            "table": {"columns": ["名次", "党组织", "得分", "等次"], "rows": ranking},
        },
        {"heading": "四、下一步工作要求", "paragraphs": [text]},
    ]
    return SimpleNamespace(
        issuer_name="中共宁陵县委组织部",
        number="宁组通〔2026〕12号",
        title="关于2026年第四季度基层党建工作督查情况的通报",
        addressees="各乡镇党委、街道党工委，县直各单位党组织",
        issued_on=datetime.date(2026, 12, 7),
        withdrawn_on=None,
        sections=plain(sections),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[40, 100, 200])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; CJK fonts: {', '.join(pdf.cjk_fonts()[:3])}")
    for rows in args.rows:
        n = notice(rows)
        started = time.perf_counter()
        data = pdf.render(n)
        first = time.perf_counter() - started
        times, cpu = [], []
        for _ in range(args.runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            data = pdf.render(n)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(
            f"{rows:>5} rows a table: first {first:.2f} s, median {statistics.median(times):.2f} s"
            f" (CPU {statistics.median(cpu):.2f} s) of {args.runs}, {len(data) / 1024:.0f} KB,"
            f" {pages} pages"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
