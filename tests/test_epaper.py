"""The e-paper (数字报): the static site `layout epaper` and `layout build --epaper` write.

The sample issue and a small issue with a 转版 article are built once per module
with their layout reports. The checks: the files and images are there; every
HTML file parses with html5lib (strict); nothing points at another host; every
character of every article (read from the YAML file itself, not through the
model) is in the article pages' text; every module of the report is a region
linking to its article, a continued article's two modules to one article page;
a rebuild rewrites nothing when nothing changed. In headless Chromium (Debian's
chromium and chromedriver, driven by selenium; skipped without them) clicking
every article's headline and every region on the page views, loaded from
file://, opens the article page with that headline; the screenshot of page 1 it
takes is saved to $EPAPER_SCREENSHOT when that is set (docs/epaper.png for the
README).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from layout.build import build
from layout.cli import main
from layout.epaper import MARKER, region_rects

html5lib = pytest.importorskip("html5lib")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
SENTENCE = "全区上下凝心聚力，推动经济社会高质量发展。"
CONT_FIRST = "三月九日上午，我区召开重点项目建设推进会，研究部署下一阶段工作。"
CONT_LAST = "会议要求，各单位要压实责任，确保各项任务按期完成，以实干实绩交出高分答卷。"


def _paras(n: int, per: int = 12) -> list[str]:
    return [SENTENCE * min(per, n - i) for i in range(0, n, per)]


def continued_issue(folder: Path) -> Path:
    """Page 1: an article too long for it, continued on page 2 (转版), after page 2's own."""
    def art(headline, paras, extra=()):
        lines = [f"      - headline: {headline}", "        byline: 记者 王明玥", *extra,
                 "        body: |"]
        for i, p in enumerate(paras):
            lines += ([""] if i else []) + ["          " + p]
        return lines

    out = ["paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803", "pages:",
           "  - section: 要闻", "    articles:",
           *art("转版稿件测试", [CONT_FIRST, *_paras(300), CONT_LAST],
                ["        kicker: 重点项目", "        continue_on: 2"]),
           "  - section: 综合", "    articles:", *art("二版自有稿件", _paras(40))]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cont.yaml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


class Site:
    def __init__(self, issue: Path, root: Path, report: dict, seconds: float):
        self.issue, self.root, self.report, self.seconds = issue, root, report, seconds
        self.data = json.loads((root / "issue.json").read_text("utf-8"))

    def html_files(self) -> list[Path]:
        return sorted(self.root.glob("*.html"))


def _make(tmp: Path, issue: Path) -> Site:
    site = tmp / "site"
    t0 = time.perf_counter()
    build(issue, tmp / "issue.pdf", report=tmp / "r.json", epaper=site)
    seconds = time.perf_counter() - t0
    return Site(issue, site, json.loads((tmp / "r.json").read_text("utf-8")), seconds)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Site:
    return _make(tmp_path_factory.mktemp("epaper-sample"), SAMPLE)


@pytest.fixture(scope="module")
def continued(tmp_path_factory) -> Site:
    tmp = tmp_path_factory.mktemp("epaper-continued")
    return _make(tmp, continued_issue(tmp))


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> Site:
    return _make(tmp_path_factory.mktemp("ep-photos"), ROOT / "issues" / "photo-example.yaml")


@pytest.fixture(params=["sample", "continued", "photos"])
def any_site(request) -> Site:
    return request.getfixturevalue(request.param)


def parse(path: Path):
    """Strict html5lib: the first parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def text_of(el) -> str:
    return "".join(el.itertext())


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- files --------------------------------------------------------------------------------------

def test_the_site_has_its_files_and_page_images(any_site):
    root, data = any_site.root, any_site.data
    n_pages = len(any_site.report["pages"])
    assert (root / "index.html").is_file() and (root / "feed.xml").is_file()
    assert (root / "style.css").is_file() and (root / MARKER).is_file()
    assert [p["page"] for p in data["pages"]] == list(range(1, n_pages + 1))
    for p in data["pages"]:
        assert (root / p["html"]).is_file()
        for kind, width in zip(("1x", "2x", "thumb"), p["images"]["widths"]):
            with Image.open(root / p["images"][kind]) as img:
                assert img.format == "JPEG" and img.mode == "RGB"      # web JPEG, not CMYK
                assert abs(img.width - width) <= 1
                w, h = p["size_pt"]
                assert abs(img.height - width * h / w) <= 2           # the trim box, uncut
    for a in data["articles"]:
        assert (root / a["html"]).is_file()


def test_every_html_file_parses_without_errors(any_site):
    files = any_site.html_files()
    assert len(files) == 1 + len(any_site.data["pages"]) + len(any_site.data["articles"])
    for path in files:
        doc = parse(path)
        assert doc.get("lang") == "zh-CN", path


def test_nothing_points_at_another_host(any_site):
    for path in [*any_site.html_files(), any_site.root / "style.css"]:
        text = path.read_text("utf-8")
        assert "://" not in text, path
        assert "@import" not in text and "url(" not in text, path
    for path in any_site.html_files():
        for el in parse(path).iter():
            for attr in ("href", "src", "srcset", "action", "poster", "data"):
                for url in re.split(r",\s*", el.get(attr, "")):
                    url = url.strip().split(" ")[0]
                    assert not re.match(r"[a-z][a-z0-9+.-]*:|//|/", url, re.I), (path, url)
    feed = ElementTree.parse(any_site.root / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = feed.findall(".//a:link", ns)
    assert len(links) == 2 + len(any_site.data["articles"])
    for link in links:
        assert (any_site.root / link.get("href")).is_file()


# -- the articles' text -------------------------------------------------------------------------

def _article_pages(site: Site) -> dict[str, str]:
    """Headline -> the squeezed text of the <article> of its page."""
    out = {}
    for a in site.data["articles"]:
        doc = parse(site.root / a["html"])
        (article,) = doc.iter("article")
        (h1,) = article.iter("h1")
        out[text_of(h1)] = squeeze(text_of(article))
    return out


def test_every_character_of_every_article_is_on_its_page(any_site):
    raw = yaml.safe_load(any_site.issue.read_text("utf-8"))
    pages = _article_pages(any_site)
    count = 0
    for page in raw["pages"]:
        for a in page["articles"]:
            text = pages[a["headline"].strip()]
            at = 0
            for key in ("kicker", "headline", "subheadline"):
                if a.get(key):
                    at = text.index(squeeze(a[key]), at) + len(squeeze(a[key]))
            for para in re.split(r"\n\s*\n", a.get("body", "")):
                if para.strip():
                    at = text.index(squeeze(para), at) + len(squeeze(para))
                    count += len(squeeze(para))
            if a.get("byline"):
                assert squeeze(a["byline"]) in text[at:]
    assert count > 1000


def test_an_article_page_sets_its_crossheads_as_the_paper_does(tmp_path):
    # the printed page sets 一、田间地头的“智慧大脑” and the Q&A's questions bold, on lines
    # of their own; the e-paper's article shows them as headings, the rest as paragraphs
    site = _make(tmp_path, ROOT / "tests" / "data" / "crossheads.yaml")
    heads = {}
    for a in site.data["articles"]:
        (article,) = parse(site.root / a["html"]).iter("article")
        (h1,) = article.iter("h1")
        heads[text_of(h1)] = [text_of(h) for h in article.iter("h2")
                              if h.get("class") == "crosshead"]
    assert heads["春耕时节田间忙 科技助力丰收路"] == [
        "一、田间地头的“智慧大脑”", "二、农技专家走进百姓家", "三、直播间里的“新农人”",
        "四、政策红利惠及千家万户"]
    assert heads["宅基地申请那些事儿 一文读懂"][0] == "哪些人可以申请宅基地？"
    assert heads["社区食堂开张 老人吃上暖心饭"] == [] and heads["春季防火 安全第一"] == []


def test_a_continued_article_is_one_page_linked_from_both_pages(continued):
    data = continued.data
    (art,) = [a for a in data["articles"] if a["headline"] == "转版稿件测试"]
    assert art["pages"] == [1, 2]
    for n in (1, 2):
        regions = [r for r in data["pages"][n - 1]["regions"] if r["article"] == art["id"]]
        assert len(regions) == 1
    html = (continued.root / art["html"]).read_text("utf-8")
    assert CONT_FIRST in html and CONT_LAST in html
    assert 'href="page-1.html#' in html and 'href="page-2.html#' in html
    for n in (1, 2):
        page = (continued.root / f"page-{n}.html").read_text("utf-8")
        assert f'href="{art["html"]}"' in page


# -- regions ------------------------------------------------------------------------------------

def test_every_module_is_a_region_of_its_article(any_site):
    data = any_site.data
    headline = {a["id"]: a["headline"] for a in data["articles"]}
    for rpage, page in zip(any_site.report["pages"], data["pages"]):
        modules = [m for m in rpage["modules"] if m.get("kind") != "teasers"]   # 导读: no article
        assert [m["box"] for m in modules] == [r["box"] for r in page["regions"]]
        w, h = page["size_pt"]
        for m, r in zip(modules, page["regions"]):
            assert headline[r["article"]] == m["headline"]
            assert r["rects_pct"]
            for left, top, width, height in r["rects_pct"]:       # inside the module's box
                x0, t0, x1, b0 = m["box"]
                assert x0 / w * 100 - 0.01 <= left and left + width <= x1 / w * 100 + 0.01
                assert t0 / h * 100 - 0.01 <= top and top + height <= b0 / h * 100 + 0.01


def test_region_rects_cut_the_inner_boxes_out():
    box = [0, 0, 600, 400]
    rects = region_rects(box, [[300, 100, 600, 400]])          # an inset's corner
    assert sorted(rects) == sorted([[0, 0, 600, 100], [0, 100, 300, 400]])
    assert region_rects(box, []) == [box]
    area = sum((r[2] - r[0]) * (r[3] - r[1]) for r in region_rects(box, [[100, 100, 200, 200]]))
    assert area == 600 * 400 - 100 * 100


def test_a_cmyk_print_photo_becomes_an_srgb_web_jpeg(tmp_path):
    from layout.epaper import PHOTO_PX, _web_image

    src = tmp_path / "print.jpg"
    Image.new("CMYK", (2400, 1600), (0, 60, 90, 10)).save(src)
    img = _web_image(src, (0, 0, 1200, 1600))          # cropped as printed
    assert img.mode == "RGB" and img.size == (1200, 1600)
    img = _web_image(src, None)
    assert img.size == (PHOTO_PX, 800)
    r, g, b = img.getpixel((10, 10))
    assert r > g > b                                   # orange stays orange


# -- rebuilding ---------------------------------------------------------------------------------

def test_a_rebuild_rewrites_nothing_that_did_not_change(tmp_path):
    from layout.epaper import write_epaper
    from layout.build import compose, layout_report, prepare

    issue = continued_issue(tmp_path)
    site = tmp_path / "site"
    build(issue, tmp_path / "a.pdf", epaper=site)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    (site / "page-7.html").write_text("left by an earlier, longer issue", "utf-8")
    prep = prepare(issue)
    pages, composer = compose(prep)
    build(issue, tmp_path / "b.pdf")
    t0 = time.perf_counter()
    summary = write_epaper(prep.issue, prep.style, layout_report(pages, composer),
                           tmp_path / "b.pdf", site)
    assert summary["rendered"] == [] and summary["written"] == []
    assert summary["removed"] == ["page-7.html"]
    assert time.perf_counter() - t0 < 1.0
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if p.name != MARKER} == \
        {p: t for p, t in before.items() if p.name != MARKER}


def test_an_edit_on_page_2_renders_page_2_again_and_nothing_else(tmp_path):
    from layout.epaper import write_epaper
    from layout.build import compose, layout_report, prepare

    issue = continued_issue(tmp_path)
    site = tmp_path / "site"
    build(issue, tmp_path / "a.pdf", epaper=site)
    text = issue.read_text("utf-8")
    at = text.index("全区上下", text.index("二版自有稿件"))      # same characters, new order
    issue.write_text(text[:at] + "区全上下" + text[at + 4:], "utf-8")
    build(issue, tmp_path / "b.pdf")
    prep = prepare(issue)
    pages, composer = compose(prep)
    summary = write_epaper(prep.issue, prep.style, layout_report(pages, composer),
                           tmp_path / "b.pdf", site)
    own = next(a["html"] for a in json.loads((site / "issue.json").read_text("utf-8"))["articles"]
               if a["headline"] == "二版自有稿件")
    assert summary["rendered"] == [2]
    assert sorted(summary["written"]) == sorted(
        ["img/page-2.jpg", "img/page-2@2x.jpg", "img/page-2-thumb.jpg", own, "issue.json",
         "feed.xml"])


def test_a_folder_of_other_files_is_refused(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    (folder / "index.html").write_text("someone else's site", "utf-8")
    result = CliRunner().invoke(main, ["epaper", str(SAMPLE), "-o", str(folder)])
    assert result.exit_code == 2, result.output
    assert "not an e-paper made by layout" in result.output
    assert (folder / "index.html").read_text("utf-8") == "someone else's site"


def test_the_epaper_command_writes_the_site(tmp_path, sample):
    out = tmp_path / "site"
    t0 = time.perf_counter()
    result = CliRunner().invoke(main, ["epaper", str(SAMPLE), "-o", str(out)])
    seconds = time.perf_counter() - t0
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in out.glob("*.html")) == \
        sorted(p.name for p in sample.root.glob("*.html"))
    print(f"layout epaper of the sample, warm font cache, in process: {seconds:.2f} s")
    assert seconds < 4.0       # 2 s on an idle machine; the CI box is shared


# -- in a browser -------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1700", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--allow-file-access-from-files"):
        opts.add_argument(arg)
    # the repository's fonts for the page's Chinese text, as a reader's phone has its own:
    # the test machine may have no CJK font installed
    tmp = tmp_path_factory.mktemp("fontconfig")
    conf = tmp / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=ROOT / "fonts", cache=tmp / "cache"), "utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=opts)
    except Exception as err:       # noqa: BLE001 - a broken browser install is a skip
        pytest.skip(f"chromium did not start: {err}")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> None:
    driver.get(path.resolve().as_uri())
    driver.execute_script("return document.images.length && Promise.all("
                          "[...document.images].map(i => i.decode().catch(() => 0)))")


def _h1(driver) -> str:
    return driver.execute_script("return document.querySelector('article h1').textContent")


def _click_at(driver, x: float, y: float) -> None:
    """A real pointer click at viewport coordinates (x, y)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(x), int(y)).click()
    actions.perform()


def test_clicking_every_headline_on_the_page_opens_its_article(browser, any_site):
    """A click where the report says each headline is printed opens that article's page."""
    clicks = 0
    for rpage, page in zip(any_site.report["pages"], any_site.data["pages"]):
        w, h = page["size_pt"]
        for m in rpage["modules"]:
            if m.get("kind") == "teasers":           # 导读: a list of other articles, no page
                continue
            x0, top, x1, bottom = m["headline_lines"][0]["box"]
            _open(browser, any_site.root / page["html"])
            img = browser.execute_script(
                "const r = document.querySelector('.sheet img').getBoundingClientRect();"
                "return [r.left, r.top, r.width, r.height]")
            y = img[1] + (top + bottom) / 2 / h * img[3]
            scroll = max(0, y - 400)
            browser.execute_script(f"window.scrollTo(0, {scroll})")
            time.sleep(0.05)
            scrolled = browser.execute_script("return window.scrollY")
            _click_at(browser, img[0] + (x0 + x1) / 2 / w * img[2], y - scrolled)
            time.sleep(0.1)
            assert browser.current_url.endswith(".html") and "article-" in browser.current_url, \
                (m["headline"], browser.current_url)
            assert _h1(browser) == m["headline"]
            clicks += 1
    assert clicks == sum(1 for p in any_site.report["pages"] for m in p["modules"]
                         if m.get("kind") != "teasers")


def test_clicking_every_region_opens_its_article(browser, any_site):
    headline = {a["id"]: a["headline"] for a in any_site.data["articles"]}
    for page in any_site.data["pages"]:
        _open(browser, any_site.root / page["html"])
        n = browser.execute_script("return document.querySelectorAll('a.region').length")
        assert n == sum(len(r["rects_pct"]) for r in page["regions"])
        for i in range(n):
            _open(browser, any_site.root / page["html"])
            el = browser.execute_script(
                f"const a = document.querySelectorAll('a.region')[{i}];"
                "a.scrollIntoView({block: 'center'}); return a")
            want = headline[el.get_attribute("data-article")]
            el.click()                          # selenium clicks the element's centre
            assert _h1(browser) == want


def test_page_view_in_the_browser_and_its_screenshot(browser, sample, tmp_path):
    a2 = sample.data["articles"][1]
    _open(browser, sample.root / f"page-{a2['page']}.html")
    browser.execute_script(f"location.hash = '{a2['id']}'")
    browser.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.2)
    # the current article's region is highlighted (:target)
    bg = browser.execute_script(
        f"return getComputedStyle(document.querySelector('#{a2['id']} .region')).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    shot = tmp_path / "epaper.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("EPAPER_SCREENSHOT"):
        target = Path(os.environ["EPAPER_SCREENSHOT"])
        with Image.open(shot) as img:
            # like the README's other pictures: 64 colours, about 200 KB
            small = img.convert("RGB").resize((1024, round(img.height * 1024 / img.width)),
                                              Image.LANCZOS)
            small.quantize(64).save(target, optimize=True)
    # zoom: the sheet doubles its width
    width = browser.execute_script("return document.querySelector('.sheet').offsetWidth")
    browser.find_element("css selector", "label.zoomlabel").click()
    assert browser.execute_script("return document.querySelector('.sheet').offsetWidth") \
        >= 1.9 * width


def test_an_article_page_reads_on_a_phone(browser, sample):
    browser.set_window_size(390, 844)
    try:
        for a in sample.data["articles"][:3]:
            _open(browser, sample.root / a["html"])
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, a["html"]
            size = browser.execute_script(
                "return parseFloat(getComputedStyle(document.querySelector('.text p')).fontSize)")
            assert size >= 15
    finally:
        browser.set_window_size(1280, 1700)


def test_the_photo_example_shows_its_photos_as_web_jpegs(photos):
    issue = yaml.safe_load((ROOT / "issues" / "photo-example.yaml").read_text(encoding="utf-8"))
    captions = {ph["caption"]: ph["file"] for page in issue["pages"] for a in page["articles"]
                for ph in a.get("photos", [])}
    found = {}
    for path in sorted(photos.root.glob("article-*.html")):
        for img in parse(path).iter("img"):
            if img.get("alt") in captions:
                found[img.get("alt")] = photos.root / img.get("src")
    assert set(found) == set(captions)
    for jpg in found.values():
        with Image.open(jpg) as im:
            assert im.format == "JPEG" and im.mode == "RGB"
