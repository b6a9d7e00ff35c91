"""The issue as layout staff wrote it: validated, with source positions.

load_issue(path) reads an issue YAML file and returns an Issue, or raises
InputError naming file:line:column and what was expected.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from .errors import Source


@dataclass(frozen=True)
class Credits:
    duty_editor: str | None          # 值班编辑
    proofreaders: tuple[str, ...]    # 校对


@dataclass(frozen=True)
class Article:
    headline: str                    # 主题 (required)
    body: tuple[str, ...]            # paragraphs, in order; never empty
    kicker: str | None               # 引题
    subheadline: str | None          # 副题
    byline: str | None               # printed as （记者 王明玥 罗浩）
    source: Source                   # where the article's mapping starts


@dataclass(frozen=True)
class Page:
    number: int                      # 第N版, 1-based, in file order
    section: str | None              # shown in the page header of inner pages
    articles: tuple[Article, ...]
    credits: Credits                 # the issue's credits unless the page overrides them
    source: Source


@dataclass(frozen=True)
class Issue:
    path: Path
    paper: str                       # names the house style: styles/<paper>.yaml
    date: _dt.date
    number: int                      # 第N期
    total: int                       # 总第N期
    credits: Credits
    pages: tuple[Page, ...]
    source: Source
