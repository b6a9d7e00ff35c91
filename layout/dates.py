"""Dates as the masthead prints them: 2025年3月9日, 星期日, 乙巳年二月初十."""
from __future__ import annotations

import datetime as _dt

from lunar_python import Solar

_WEEKDAYS = "一二三四五六日"      # date.weekday(): Monday is 0


def weekday_zh(d: _dt.date) -> str:
    return "星期" + _WEEKDAYS[d.weekday()]


def lunar_zh(d: _dt.date) -> str:
    """The lunar date, e.g. 乙巳年二月初十; a leap month reads 闰二月.

    The year's 干支 turns at 正月初一 (not at 立春), as calendars print it.
    """
    lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return f"{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def date_zh(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def month_zh(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月"
