"""Masthead dates: Gregorian, weekday and lunar (农历) in Chinese."""
from __future__ import annotations

from datetime import date

import pytest

from layout.dates import date_zh, lunar_zh, month_zh, weekday_zh


@pytest.mark.parametrize("day, lunar", [
    (date(2025, 3, 9), "乙巳年二月初十"),
    (date(2025, 1, 29), "乙巳年正月初一"),     # 春节: the 干支 year turns here
    (date(2025, 1, 28), "甲辰年腊月廿九"),     # the day before is still 甲辰年
    (date(2023, 3, 22), "癸卯年闰二月初一"),   # leap months
    (date(2025, 7, 25), "乙巳年闰六月初一"),
])
def test_lunar_dates(day, lunar):
    assert lunar_zh(day) == lunar


def test_masthead_date_of_2025_03_09():
    d = date(2025, 3, 9)
    assert (date_zh(d), month_zh(d), weekday_zh(d), lunar_zh(d)) == (
        "2025年3月9日", "2025年3月", "星期日", "乙巳年二月初十")


def test_weekdays_through_a_week():
    week = [weekday_zh(date(2025, 3, day)) for day in range(3, 10)]
    assert week == ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


def test_no_leading_zeros():
    assert date_zh(date(2025, 1, 5)) == "2025年1月5日"
    assert month_zh(date(2025, 12, 31)) == "2025年12月"


def test_lunar_dates_are_kept_on_disk(tmp_path, monkeypatch):
    """A rebuild reads the date from the memo without the calendar library; a
    damaged memo is computed again, never an error."""
    import sys

    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path))
    day = date(2024, 2, 10)
    assert lunar_zh(day) == "甲辰年正月初一"
    monkeypatch.setitem(sys.modules, "lunar_python", None)      # importing it now fails
    assert lunar_zh(day) == "甲辰年正月初一"
    monkeypatch.delitem(sys.modules, "lunar_python")
    (tmp_path / "lunar.json").write_text('{"2024-02-10": 7, "x": [', encoding="utf-8")
    assert lunar_zh(day) == "甲辰年正月初一"
    (tmp_path / "lunar.json").write_text('["2024-02-10"]', encoding="utf-8")
    assert lunar_zh(day) == "甲辰年正月初一"
