"""A 副刊 piece's credit (文/禤小琤) printed under its title, centred, without brackets,
as essays and poems carry it; a news byline stays in brackets after the text. Read back
from the built PDF."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import yaml

from layout.build import build
from layout.model import Article

SAMPLE = Path(__file__).resolve().parent.parent / "issues" / "2025-03-09.yaml"


def test_which_bylines_are_credits_under_the_title():
    def art(byline):
        return Article(headline="乡愁在灶台边", body=("正文。",), kicker=None, subheadline=None,
                       byline=byline, source=None)
    assert art("文/禤小琤").credit_under_title and art("文／禤小琤").credit_under_title
    assert art("文·图/覃琤").credit_under_title
    assert not art("记者 冯佳雯").credit_under_title
    assert not art("文/记者 郭晓峰 通讯员 李明轩").credit_under_title
    assert not art("文/张三 图/李四").credit_under_title
    assert not art("文化站 供稿").credit_under_title
    assert art("文/禤小琤").printed_byline == "文/禤小琤"
    assert art("记者 冯佳雯").printed_byline == "（记者 冯佳雯）"


def test_an_essays_credit_stands_under_its_title(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    article = data["pages"][1]["articles"][0]
    article["byline"] = "文/禤小琤"
    issue = tmp_path / "issue.yaml"
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(issue, tmp_path / "o.pdf", pdfx=False)        # the nothing-lost check passes
    with pdfplumber.open(tmp_path / "o.pdf") as doc:
        page = doc.pages[1]
        chars = page.chars
    text = "".join(c["text"] for c in chars)
    start = text.index("文/禤小琤")
    credit = chars[start:start + 5]
    assert "（文/禤小琤）" not in text
    first = article["body"].strip()[:6]              # the story's first characters
    body = chars[text.index(first)]
    assert credit[0]["top"] < body["top"]             # above the text, under the title
    head = [c for c in chars if c["size"] > 20 and c["top"] < credit[0]["top"]]
    assert max(c["bottom"] for c in head) < credit[0]["top"]
    # centred under the headline
    mid = (min(c["x0"] for c in head) + max(c["x1"] for c in head)) / 2
    assert abs((credit[0]["x0"] + credit[-1]["x1"]) / 2 - mid) < 10
