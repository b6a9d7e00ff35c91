"""The YAML loader: libyaml's events (when PyYAML has libyaml) give the same tree,
values and positions as PyYAML's own parser; a file that does not parse is read
again by PyYAML, so the messages are PyYAML's either way."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout import yamlsrc
from layout.errors import InputError

REPO = Path(__file__).resolve().parent.parent
FILES = [REPO / "issues" / "2025-03-09.yaml", REPO / "issues" / "photo-example.yaml",
         REPO / "styles" / "shangjie.yaml", REPO / "tests" / "data" / "briefs-page.yaml"]


def flat(node, out=None) -> list:
    out = [] if out is None else out
    src = (node.source.line, node.source.column)
    if isinstance(node, yamlsrc.Scalar):
        out.append(("scalar", src, repr(node.value), node.text, node.style))
    elif isinstance(node, yamlsrc.Seq):
        out.append(("seq", src, len(node.items)))
        for item in node.items:
            flat(item, out)
    else:
        out.append(("map", src, list(node.items)))
        for key, value in node.items.items():
            flat(node.keys[key], out)
            flat(value, out)
    return out


def load(path: Path, fast: bool, monkeypatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(yamlsrc, "_PARSED", {})
        if not fast:
            m.setattr(yamlsrc, "_FastLoader", None)
        return flat(yamlsrc.load_yaml(path))


@pytest.mark.skipif(yamlsrc._FastLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_libyaml_events_give_the_same_tree(path, monkeypatch):
    assert load(path, True, monkeypatch) == load(path, False, monkeypatch)


@pytest.mark.parametrize("text", ["a: [1, 2\nb: 3\n", "a: b: c\n", "a: b\x07c\n", "- a\nb: 1\n"])
def test_a_bad_file_has_pyyaml_messages(tmp_path, text, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    errors = []
    for fast in (True, False):
        with monkeypatch.context() as m:
            m.setattr(yamlsrc, "_PARSED", {})
            if not fast:
                m.setattr(yamlsrc, "_FastLoader", None)
            with pytest.raises(InputError) as err:
                yamlsrc.load_yaml(path)
            errors.append((str(err.value), err.value.source))
    assert errors[0] == errors[1]


def test_a_file_read_twice_is_parsed_once(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(yamlsrc, "_PARSED", {})
    first = yamlsrc.load_yaml(path)
    assert yamlsrc.load_yaml(path) is first
    path.write_text("a: 2\n", encoding="utf-8")          # new text: parsed again
    assert yamlsrc.load_yaml(path).items["a"].value == 2


def test_a_tab_for_indentation_says_to_use_spaces(tmp_path):
    path = tmp_path / "tab.yaml"
    path.write_text("paper: shangjie\npages:\n\t- articles: []\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        yamlsrc.load_yaml(path)
    assert str(info.value).startswith(f"{path}:3:1: invalid YAML: found character '\\t'")
    assert "replace the tab with spaces" in str(info.value)
