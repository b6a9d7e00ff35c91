"""Dates as the masthead prints them: 2025年3月9日, 星期日, 乙巳年二月初十."""
from __future__ import annotations

import datetime as _dt
import json

_WEEKDAYS = "一二三四五六日"      # date.weekday(): Monday is 0


def weekday_zh(d: _dt.date) -> str:
    return "星期" + _WEEKDAYS[d.weekday()]


def lunar_zh(d: _dt.date) -> str:
    """The lunar date, e.g. 乙巳年二月初十; a leap month reads 闰二月.

    The year's 干支 turns at 正月初一 (not at 立春), as calendars print it.
    """
    # an issue's date is looked up again at every rebuild: the answers are kept on disk,
    # since importing the calendar and computing one date are ~4 % of a warm build
    from .fonts import _atomic_write, _read, cache_dir

    memo_path = cache_dir() / "lunar.json"
    try:
        memo = json.loads(_read(memo_path) or b"{}")
    except ValueError:                  # a damaged memo is only a slower lookup
        memo = {}
    key = d.isoformat()
    if not isinstance(memo, dict) or not isinstance(memo.get(key), str):
        from lunar_python import Solar

        lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        memo = memo if isinstance(memo, dict) else {}
        memo[key] = (f"{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月"
                     f"{lunar.getDayInChinese()}")
        try:
            _atomic_write(memo_path, json.dumps(memo, ensure_ascii=False).encode())
        except OSError:                 # an unwritable cache: computed again next time
            pass
    return memo[key]


def date_zh(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def month_zh(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月"
