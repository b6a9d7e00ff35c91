"""Headline word cuts are cached on disk: a warm build needs no jieba, and cuts the same."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

CODE = textwrap.dedent('''
    import json, sys
    from layout import words
    cut = words.pieces("我区开展新时代文明实践推动周集中展示活动")
    print(json.dumps({"cut": cut, "jieba": "jieba" in sys.modules}, ensure_ascii=False))
''')


def run(cache) -> dict:
    env = dict(os.environ, LAYOUT_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True,
                         text=True, check=True, timeout=120).stdout
    return json.loads(out)


def test_the_second_cut_comes_from_the_cache_without_jieba(tmp_path):
    first = run(tmp_path)
    second = run(tmp_path)
    assert first["jieba"] is True and second["jieba"] is False
    assert first["cut"] == second["cut"]
    assert "".join(first["cut"]) == "我区开展新时代文明实践推动周集中展示活动"
    assert (tmp_path / "words.json").is_file()


def test_a_damaged_cache_is_cut_again(tmp_path):
    (tmp_path / "words.json").write_text("{not json", encoding="utf-8")
    got = run(tmp_path)
    assert got["jieba"] is True and "".join(got["cut"]) == "我区开展新时代文明实践推动周集中展示活动"
    json.loads((tmp_path / "words.json").read_text(encoding="utf-8"))     # rewritten whole
