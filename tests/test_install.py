"""What `pip install .` ships: the bundled fonts and house styles as package data.

The real check, a fresh venv with a non-editable install building an issue kept
outside the repository, is a step of .ci/run (it takes a wheel build). These
are the quick ones: pyproject.toml maps every data file in, leaves tests/ and
issues/ out, and layout/style.py finds the data in both shapes of install.
"""
from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from layout import style

tomllib = pytest.importorskip("tomllib")        # Python 3.11+

REPO = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]


def test_fonts_and_styles_are_packages_mapped_from_the_top_level_folders():
    config = _setuptools()
    assert set(config["packages"]) == {"layout", "layout.fonts", "layout.styles"}
    assert config["package-dir"] == {"layout.fonts": "fonts", "layout.styles": "styles"}


@pytest.mark.parametrize("package, folder", [("layout.fonts", "fonts"),
                                             ("layout.styles", "styles")])
def test_every_data_file_matches_a_package_data_pattern(package, folder):
    patterns = _setuptools()["package-data"][package]
    files = [p for p in (REPO / folder).iterdir() if p.is_file()]
    assert files
    left_out = [p.name for p in files
                if not any(fnmatch.fnmatch(p.name, pattern) for pattern in patterns)]
    assert not left_out, f"{folder}/ files the wheel would leave out: {left_out}"


def test_tests_and_issues_are_not_packaged():
    for package in _setuptools()["packages"]:
        assert package.split(".")[0] == "layout"
        assert "tests" not in package and "issues" not in package


def test_a_checkout_uses_the_top_level_folders():
    # the tests run from a checkout or an editable install: layout/ has no fonts/ inside
    if (style._PACKAGE / "fonts").is_dir():
        pytest.skip("running from an installed copy of layout")
    assert style._BUNDLED_FONTS == REPO / "fonts"
    assert REPO / "styles" in style._INSTALLED_STYLES


def test_an_installed_package_uses_its_own_folders(tmp_path, monkeypatch):
    # the shape of site-packages after pip install .: layout/fonts, layout/styles
    package = tmp_path / "site-packages" / "layout"
    (package / "fonts").mkdir(parents=True)
    (package / "styles").mkdir()
    (tmp_path / "site-packages" / "styles").mkdir()     # someone else's top-level folder
    monkeypatch.setattr(style, "_PACKAGE", package)
    assert style._bundled("fonts") == package / "fonts"
    assert style._bundled("styles") == package / "styles"
