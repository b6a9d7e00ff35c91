"""The house style: page geometry, type styles by role, fonts, colours, masthead.

find_style(paper, issue_path) locates styles/<paper>.yaml (beside the issue,
then the styles installed with the tool); load_style(path) validates it into a
HouseStyle, rejecting unknown keys with file:line:column.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Source
from .yamlsrc import (Map, Node, Scalar, Seq, expect_int, expect_list, expect_map,
                      expect_number, expect_str, fail, fields, is_null, load_yaml)

CMYK = tuple[float, float, float, float]   # each 0..100 (%)

MM = 72 / 25.4                             # points per millimetre


@dataclass(frozen=True)
class PageGeometry:
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    columns: int
    column_chars: int          # column width in body characters
    gutter_chars: int          # gutter width in body characters
    module_gap_lines: int      # grid lines between stacked modules
    rule_width: float          # pt
    headline_air_lines: int = 2   # most extra grid lines a headline block takes to fill a page
    box_rule_width: float = 1.0   # pt, the frame of a boxed item


@dataclass(frozen=True)
class FontSpec:
    name: str                  # key used by TextStyle.fonts
    file: Path                 # resolved, exists
    index: int = 0             # face index in a .ttc collection
    latin: str | None = None   # its Latin companion (a FontSpec name): quotes inside Latin text


@dataclass(frozen=True)
class TextStyle:
    fonts: tuple[str, ...]     # fallback chain of FontSpec names
    size: float                # pt
    leading: float             # pt, baseline to baseline
    color: str = "text"        # a key of HouseStyle.colors
    tracking: float = 0.0      # extra space between characters, in em


@dataclass(frozen=True)
class Setting:
    kinsoku: str = "basic"                 # clreq level: basic | strict
    punctuation: str = "line-end-half"     # full | line-end-half
    latin_spacing_em: float = 0.0
    first_line_indent_chars: int = 2
    max_letterspace_em: float = 0.25
    parentheses: str = "as-typed"          # as-typed | full-width: ( ) beside Chinese set as （ ）
    line_start_bracket: str = "full"       # full | half: an opening bracket starting a line
    headline_words: tuple[str, ...] = ()   # names and places a headline never breaks inside
    keep_han_spaces: bool = False          # keep a space the copy puts between two Han characters
    crossheads: bool = True                # set a body's section heads (小标题) in their own role
    crosshead_space_lines: int = 1         # blank grid lines over a crosshead (not at a column top)


@dataclass(frozen=True)
class Masthead:
    name: str
    english_name: str
    publisher: str
    registration: str
    notice: str
    phone: str
    logo: Path | None
    height_lines: int
    # 报眼: the box beside the name for the issue's `ear:` (1-based first column, columns);
    # None: the style keeps no ear
    ear: tuple[int, int] | None = None
    # the issue strip under the name: rules over it (top first) and the rule under it,
    # each (width pt, colour name); thin ones in one ink, as thin multi-ink rules misregister
    strip_rules: tuple[tuple[float, str], ...] = ((2.0, "masthead"), (0.5, "rule"))
    strip_rule_under: tuple[float, str] = (0.5, "rule")


@dataclass(frozen=True)
class PageHeader:
    height_lines: int


@dataclass(frozen=True)
class Footer:
    height_lines: int
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class BriefGroup:
    """简讯: a page's short items set as one module under one title, each item's title a
    bold line in the run of text (a page of separate 2-line strips reads as clutter)."""
    title: str = "简讯"          # the group's headline
    min_items: int = 3          # fewer short items on a page stay separate modules


@dataclass(frozen=True)
class PhotoLayout:
    """How photos may be sized in the layout (the colour side is PrintSpec's)."""
    crop_factor: float = 1.25   # the crop may change a photo's proportions this much either way
    min_lines: int = 4          # no photo lower than this many grid lines
    max_share: float = 0.75     # a photo takes at most this share of its module's height
    gap_pt: float = 3.0         # clear space under a photo, above its caption
    credit: str = "below"       # below: the credit ranged right under the caption;
                                # edge: under the photo's right edge, above the caption
    news_title: str = "below"   # a 图片新闻's title: below the photo, above its caption
                                # (the photo leads; no title beside a neighbour's), or above


@dataclass(frozen=True)
class PrintSpec:
    """What the printer asked for: the PDF standard, page boxes and marks, ink limits."""
    pdfx: bool = True                        # PDF/X-1a:2003 (layout build --no-pdfx skips it)
    output_condition: str = "IFRA26"         # registered characterization (ICC registry)
    output_condition_info: str = "ISO 12647-3:2013, coldset offset printing on newsprint"
    bleed_mm: float = 0.0                    # 0: trim-size pages, as many newspaper printers want
    marks: bool = False                      # crop and registration marks and a slug line
    max_ink_percent: float = 240.0           # total area coverage of any colour (newsprint)
    photo_ppi: float = 300.0                 # photos are resampled to this as placed (never up)
    photo_min_ppi: float = 200.0             # a photo under this as placed is a warning
    output_profile: Path | None = None       # the printer's CMYK ICC profile for photos; None: GCR
    # pages printed in four colours; the others print black only, so their photos are set
    # in grey (K). None: every page is in colour
    colour_pages: tuple[int, ...] | None = None


@dataclass(frozen=True)
class HouseStyle:
    path: Path
    name: str
    page: PageGeometry
    fonts: dict[str, FontSpec]
    text: dict[str, TextStyle]     # roles: body, headline, lead_headline, kicker, subheadline,
                                   # byline, masthead_*, date_*, page_header, credits
    colors: dict[str, CMYK]
    setting: Setting
    masthead: Masthead
    page_header: PageHeader
    footer: Footer
    source: Source
    print: PrintSpec = PrintSpec()
    photos: PhotoLayout = PhotoLayout()
    briefs: BriefGroup = BriefGroup()

    @property
    def body(self) -> TextStyle:
        return self.text["body"]


# ---------------------------------------------------------------- finding

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """The tool's own data folder `name` (fonts, styles).

    Installed (pip install .), it ships inside the package as layout/<name>
    (pyproject.toml maps the repository's top-level folders in); in a checkout
    or an editable install it is the repository's <name>/ beside layout/.
    """
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


_INSTALLED_STYLES = (_bundled("styles"),)
_BUNDLED_FONTS = _bundled("fonts")
# a paper names a file, styles/<paper>.yaml: a safe spelling, well under the
# file system's 255 bytes a name (the issue loader refuses any other at its line)
_PAPER_NAME = re.compile(r"[a-z0-9_-]{1,64}")


def find_style(paper: str, issue_path: Path) -> Path:
    """The style file for `paper`: beside the issue first, then installed ones.

    An issue's folder may carry its own styles/ (or sit in issues/ beside
    one), so a paper's staff can adjust their style without touching the tool.
    """
    folder = Path(issue_path).resolve().parent
    candidates = [folder / "styles", folder.parent / "styles",
                  *(d for d in _INSTALLED_STYLES if d.is_dir())]
    looked: list[Path] = []
    for directory in candidates:
        if directory in looked:
            continue
        looked.append(directory)
        if _PAPER_NAME.fullmatch(paper) and _is_file(directory / f"{paper}.yaml"):
            return directory / f"{paper}.yaml"
    shown = paper if len(paper) <= 40 else paper[:40] + "…"
    raise InputError(
        f"unknown paper '{shown}': no styles/{shown}.yaml beside the issue or installed "
        f"(looked in: {', '.join(str(d) for d in looked)})",
        _paper_key_source(issue_path))


def _is_file(path: Path) -> bool:
    """Path.is_file, with any error (a name too long, no permission) meaning no."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _paper_key_source(issue_path: Path) -> Source | None:
    """Where `paper:` is written in the issue, for the error message."""
    try:
        root = load_yaml(issue_path)
    except InputError:
        return None
    if isinstance(root, Map) and "paper" in root.keys:
        return root.keys["paper"].source
    return root.source


# ---------------------------------------------------------------- loading

_TOP_KEYS = ("name", "page", "fonts", "text", "colors", "setting", "masthead",
             "page_header", "footer", "print", "photos", "briefs")
TEXT_ROLES = ("body", "headline", "lead_headline", "kicker", "subheadline", "byline",
              "page_header", "credits", "masthead_name", "masthead_english", "masthead_line",
              "date_month", "date_day", "date_weekday", "date_lunar")
# Roles a style may leave out: each falls back to the role named here.
OPTIONAL_ROLES = {"jump_headline": "headline",     # the short headline of a 转版 continuation
                  "minor_headline": "headline",    # headlines of short items
                  "brief_headline": "minor_headline",  # ... and of briefs (简讯, a few lines)
                  "caption": "byline",             # 图片说明, under a photo
                  "photo_credit": "byline",        # 记者 王明玥 摄, under the caption
                  "column_label": "kicker",        # 栏目 tag above a headline: 【基层风采】
                  "teaser": "body",                # 导读 entries on page 1
                  "brief_title": "column_label",   # an item's title inside a 简讯 group
                  "crosshead": "brief_title",      # a section's head (小标题) in a body
                  "question": "crosshead",         # a Q&A's question (问：…), justified
                  "editors_note": "byline",        # a 编者按 opening a body, justified
                  "ear_title": "kicker",           # 报眼: its title ...
                  "ear_text": "body"}              # ... and text
_KINSOKU = ("basic", "gb", "strict")
_PUNCTUATION = ("full", "line-end-half")
_PARENTHESES = ("as-typed", "full-width")
_LINE_START_BRACKET = ("full", "half")


# Sane ranges for what a style sets, so that a slip (size: 90 for 9, a 0 too many) is an
# error at its line instead of pages that print over themselves or hold no text. Far
# beyond any newspaper's: A3 and broadsheet pages are 280-600 mm, body type 8-11 pt.
PAGE_MM = (100, 1500)             # width_mm, height_mm
MARGIN_MM = (0, 200)              # margin_top_mm, margin_bottom_mm
PAGE_WHOLE = {"columns": (1, 20), "column_chars": (2, 100), "gutter_chars": (0, 10),
              "module_gap_lines": (0, 10), "headline_air_lines": (0, 20)}
RULE_PT = (0, 10)                 # rule_width
BODY_SIZE = (5, 20)               # pt: the body type (and so the grid's columns)
TEXT_SIZE = (4, 120)              # pt: every other role, headlines up to 120 pt
DISPLAY_SIZE = (4, 200)           # pt: the masthead's name and the date's day
DISPLAY_ROLES = ("masthead_name", "date_day")
LEADING_OVERLAP = 1.2             # a size at most this times its leading (a tight headline)
LEADING_SPREAD = 3                # a leading at most this times its size
MIN_ARTICLE_LINES = 10            # grid lines a page keeps for articles, at the least


def load_style(path: Path) -> HouseStyle:
    """Read and validate a house style file; raise InputError at the first problem."""
    path = Path(path)
    root = load_yaml(path)
    top = fields(root, "the house style", _TOP_KEYS,
                 required=tuple(k for k in _TOP_KEYS
                                if k not in ("setting", "print", "briefs")))
    folder = path.resolve().parent
    # roughly in file order; colours come before the text styles that name them
    name = _text(top["name"], "'name'")
    page = _page(top["page"])
    fonts = _fonts(top["fonts"], folder)
    colors = _colors(top["colors"])
    text = _text_styles(top["text"], fonts, colors)
    _type_area(top["page"], page, text["body"])
    setting = _setting(top.get("setting"))
    masthead = _masthead(top["masthead"], folder, colors)
    page_header = PageHeader(_lines(fields(top["page_header"], "'page_header'",
                                           ("height_lines",), ("height_lines",))))
    footer = _footer(top["footer"])
    _page_room(top["page"], page, text["body"], masthead, page_header, footer)
    return HouseStyle(
        path=path.resolve(),
        name=name,
        page=page,
        fonts=fonts,
        text=text,
        colors=colors,
        setting=setting,
        masthead=masthead,
        page_header=page_header,
        footer=footer,
        source=root.source,
        print=_print(top.get("print"), colors, folder),
        photos=_photo_layout(top.get("photos")),
        briefs=_brief_group(top.get("briefs")),
    )


def _plural(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _key_source(node: Node, key: str):
    """Where `key` of a page group is written (the group's own line if not a mapping)."""
    return node.items[key].source if isinstance(node, Map) and key in node.items \
        else node.source


def _type_area(node: Node, page: PageGeometry, body: TextStyle) -> None:
    """Refuse columns that, at the body's size, are wider than the page."""
    chars = page.columns * page.column_chars + (page.columns - 1) * page.gutter_chars
    wide = chars * body.size / MM
    if wide > page.width_mm:
        raise InputError(
            f"the type area, {_plural(page.columns, 'column')} of {page.column_chars} "
            f"characters and {_plural(page.columns - 1, 'gutter')} of {page.gutter_chars} at "
            f"the body's {body.size:g} pt, is {wide:.0f} mm wide: wider than the page "
            f"({page.width_mm:g} mm); make 'columns', 'column_chars' or 'gutter_chars' or the "
            "body size smaller", _key_source(node, "column_chars"))


def _page_room(node: Node, page: PageGeometry, body: TextStyle, masthead: Masthead,
               header: PageHeader, footer: Footer) -> None:
    """Refuse margins (or a masthead, header or footer) that leave a page no room for
    articles: the grid lines between the margins, at the body's leading (geometry.make_grid),
    must hold page 1's masthead and footer, an inner page's header and footer, and
    MIN_ARTICLE_LINES more."""
    free = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) * MM
    rows = max(0, int(free // body.leading))
    first = masthead.height_lines + footer.height_lines
    inner = header.height_lines + footer.height_lines
    need = max(first, inner) + MIN_ARTICLE_LINES
    if rows >= need:
        return
    parts = (f"the masthead's {masthead.height_lines}" if first >= inner
             else f"the page header's {header.height_lines}")
    raise InputError(
        f"the page's height less its margins ({page.height_mm:g} mm less margin_top_mm "
        f"{page.margin_top_mm:g} and margin_bottom_mm {page.margin_bottom_mm:g}) holds "
        f"{_plural(rows, 'grid line')} at the body's {body.leading:g} pt leading; a page needs "
        f"at least {need}: {parts}, the footer's {footer.height_lines} and "
        f"{MIN_ARTICLE_LINES} for articles; make the margins (or the masthead) smaller",
        _key_source(node, "margin_top_mm"))


def _brief_group(node: Node | None) -> BriefGroup:
    if is_null(node):
        return BriefGroup()
    given = fields(node, "'briefs'", [f.name for f in dataclasses.fields(BriefGroup)])
    values = {}
    if "title" in given:
        values["title"] = expect_str(given["title"], "'title' of 'briefs'").strip()
        if not values["title"] or len(values["title"]) > 12:
            raise fail(given["title"], "a short title such as 简讯 (1 to 12 characters)",
                       "'title' of 'briefs'")
    if "min_items" in given:
        values["min_items"] = expect_int(given["min_items"], "'min_items' of 'briefs'",
                                         minimum=2)
    return BriefGroup(**values)


def _photo_layout(node: Node | None) -> PhotoLayout:
    if is_null(node):
        return PhotoLayout()
    given = fields(node, "'photos'", [f.name for f in dataclasses.fields(PhotoLayout)])
    values = {}
    for key, low, high in (("crop_factor", 1.0, 3.0), ("max_share", 0.1, 1.0),
                           ("gap_pt", 0.0, 24.0)):
        if key in given:
            values[key] = expect_number(given[key], f"'{key}'", low=low, high=high)
    if "min_lines" in given:
        values["min_lines"] = expect_int(given["min_lines"], "'min_lines'", minimum=1)
    if "credit" in given:
        values["credit"] = expect_str(given["credit"], "'credit'").strip()
        if values["credit"] not in ("below", "edge"):
            raise fail(given["credit"], "below or edge", "'credit'")
    if "news_title" in given:
        values["news_title"] = expect_str(given["news_title"], "'news_title'").strip()
        if values["news_title"] not in ("below", "above"):
            raise fail(given["news_title"], "below or above", "'news_title'")
    return PhotoLayout(**values)


def _print(node: Node | None, colors: dict[str, CMYK], folder: Path | None = None) -> PrintSpec:
    """The printer's policy; colours above its ink limit are refused here."""
    spec = PrintSpec()
    if node is not None:
        given = fields(node, "'print'", [f.name for f in dataclasses.fields(PrintSpec)])
        values = {}
        for key in ("pdfx", "marks"):
            if key in given:
                value = given[key].value if isinstance(given[key], Scalar) else None
                if not isinstance(value, bool):
                    raise fail(given[key], "true or false", f"'{key}'")
                values[key] = value
        for key in ("output_condition", "output_condition_info"):
            if key in given:
                values[key] = _text(given[key], f"'{key}'")
        if "bleed_mm" in given:
            values["bleed_mm"] = expect_number(given["bleed_mm"], "'bleed_mm'", low=0, high=20)
        if "max_ink_percent" in given:
            values["max_ink_percent"] = expect_number(given["max_ink_percent"],
                                                      "'max_ink_percent'", low=100, high=400)
        for key, low in (("photo_ppi", 72), ("photo_min_ppi", 0)):
            if key in given:
                values[key] = expect_number(given[key], f"'{key}'", low=low, high=2400)
        if values.get("photo_min_ppi", 200.0) > values.get("photo_ppi", 300.0):
            raise InputError("'photo_min_ppi' is above 'photo_ppi'; the warning level must not "
                             "exceed the resolution photos are made at", node.source)
        if not is_null(given.get("colour_pages")):
            values["colour_pages"] = tuple(
                expect_int(v, "a page of 'colour_pages'", minimum=1)
                for v in expect_list(given["colour_pages"], "'colour_pages'"))
        if not is_null(given.get("output_profile")):
            values["output_profile"] = _existing_file(given["output_profile"], "output profile",
                                                      folder or Path.cwd(), None)
            from .photos import check_profile
            try:
                check_profile(values["output_profile"])
            except InputError as err:
                raise InputError(err.message, given["output_profile"].source) from None
        spec = PrintSpec(**values)
    for name, cmyk in colors.items():
        if sum(cmyk) > spec.max_ink_percent + 1e-9:
            raise InputError(f"colour '{name}' {list(cmyk)} has {sum(cmyk):g}% ink, over the "
                             f"printer's limit of {spec.max_ink_percent:g}% (print.max_ink_percent)",
                             node.source if node is not None else None)
    return spec


def _text(node: Node, what: str) -> str:
    text = expect_str(node, what).strip()
    if not text:
        raise InputError(f"{what} is empty", node.source)
    return text


def _lines(given: dict[str, Node]) -> int:
    return expect_int(given["height_lines"], "'height_lines'", minimum=1)


def _page(node: Node) -> PageGeometry:
    names = [f.name for f in dataclasses.fields(PageGeometry)]
    optional = ("headline_air_lines", "box_rule_width")
    given = fields(node, "'page'", names, required=[n for n in names if n not in optional])

    def num(key: str, **limits) -> float:
        return expect_number(given[key], f"'{key}'", **limits)

    def whole(key: str) -> int:
        low, high = PAGE_WHOLE[key]
        return expect_int(given[key], f"'{key}'", minimum=low, maximum=high)

    return PageGeometry(
        width_mm=num("width_mm", low=PAGE_MM[0], high=PAGE_MM[1]),
        height_mm=num("height_mm", low=PAGE_MM[0], high=PAGE_MM[1]),
        margin_top_mm=num("margin_top_mm", low=MARGIN_MM[0], high=MARGIN_MM[1]),
        margin_bottom_mm=num("margin_bottom_mm", low=MARGIN_MM[0], high=MARGIN_MM[1]),
        columns=whole("columns"),
        column_chars=whole("column_chars"),
        gutter_chars=whole("gutter_chars"),
        module_gap_lines=whole("module_gap_lines"),
        rule_width=num("rule_width", low=RULE_PT[0], high=RULE_PT[1]),
        **({"headline_air_lines": whole("headline_air_lines")}
           if "headline_air_lines" in given else {}),
        **({"box_rule_width": num("box_rule_width", low=0.25, high=6)}
           if "box_rule_width" in given else {}),
    )


def _fonts(node: Node, folder: Path) -> dict[str, FontSpec]:
    fonts = {}
    companions = {}
    for name, spec in expect_map(node, "'fonts'").items.items():
        given = fields(spec, f"font '{name}'", ("file", "index", "latin"), required=("file",))
        index = expect_int(given["index"], "'index'", minimum=0) if "index" in given else 0
        file = _existing_file(given["file"], "font file", folder, _BUNDLED_FONTS)
        latin = None
        if not is_null(given.get("latin")):
            latin = companions[name] = given["latin"]
        fonts[name] = FontSpec(name=name, file=file, index=index,
                               latin=None if latin is None else _text(latin, "'latin'"))
    if not fonts:
        raise InputError("'fonts' is empty; name at least one font", node.source)
    for name, latin in companions.items():
        # the Latin companion: a face of its own, itself without a companion
        companion = fonts[name].latin
        if companion not in fonts:
            raise InputError(f"font '{name}' names '{companion}' as its Latin companion "
                             f"('latin'), which 'fonts' does not define (defined: "
                             f"{', '.join(fonts)})", latin.source)
        if companion == name or fonts[companion].latin:
            what = "itself" if companion == name else \
                f"'{companion}', which has a Latin companion of its own,"
            raise InputError(f"font '{name}' names {what} as its Latin companion ('latin'); "
                             "name a face that has none", latin.source)
    return fonts


def _existing_file(node: Node, label: str, folder: Path, fallback: Path | None) -> Path:
    """A file named relative to the style's folder, else found by name in `fallback`."""
    written = _text(node, f"the {label}")
    tried = [(folder / written).resolve()]
    if fallback is not None:
        tried.append(fallback / Path(written).name)
    for candidate in tried:
        if candidate.is_file():
            return candidate
    raise InputError(f"{label} not found: {written} (looked for {', '.join(map(str, tried))})",
                     node.source)


def _colors(node: Node) -> dict[str, CMYK]:
    colors = {}
    for name, value in expect_map(node, "'colors'").items.items():
        what = f"colour '{name}'"
        expected = "4 CMYK percentages like [0, 100, 100, 10]"
        if not isinstance(value, Seq):
            raise fail(value, expected, what)
        parts = value.items
        if len(parts) != 4:
            raise InputError(f"expected {expected} for {what}, got {len(parts)} values",
                             value.source)
        colors[name] = tuple(expect_number(p, what, low=0, high=100) for p in parts)
    return colors


def _text_styles(node: Node, fonts: dict[str, FontSpec],
                 colors: dict[str, CMYK]) -> dict[str, TextStyle]:
    given = fields(node, "'text'", TEXT_ROLES + tuple(OPTIONAL_ROLES))
    for role in TEXT_ROLES:
        if role not in given:
            raise InputError(f"missing text style '{role}' in 'text'", node.source)
    styles = {role: _text_style(role, given[role], fonts, colors)
              for role in TEXT_ROLES + tuple(r for r in OPTIONAL_ROLES if r in given)}
    for role, fallback in OPTIONAL_ROLES.items():
        styles.setdefault(role, styles[fallback])
    return styles


def _text_style(role: str, node: Node, fonts: dict[str, FontSpec],
                colors: dict[str, CMYK]) -> TextStyle:
    given = fields(node, f"text style '{role}'", ("fonts", "size", "leading", "color", "tracking"),
                   required=("fonts", "size", "leading"))
    chain_node = given["fonts"]
    chain_items = [chain_node] if isinstance(chain_node, Scalar) else \
        expect_list(chain_node, f"'fonts' of text style '{role}'", nonempty=True)
    chain = []
    for item in chain_items:
        name = _text(item, f"a font name in text style '{role}'")
        if name not in fonts:
            raise InputError(f"text style '{role}' uses font '{name}', which 'fonts' does not "
                             f"define (defined: {', '.join(fonts)})", item.source)
        chain.append(name)
    color = TextStyle.color
    if "color" in given:
        color = _text(given["color"], f"'color' of text style '{role}'")
    if color not in colors:
        where = given["color"].source if "color" in given else node.source
        raise InputError(f"text style '{role}' uses colour '{color}', which 'colors' does not "
                         f"define (defined: {', '.join(colors)})", where)
    tracking = TextStyle.tracking
    if "tracking" in given:
        tracking = expect_number(given["tracking"], "'tracking'")   # negative tightens: allowed
    low, high = BODY_SIZE if role == "body" else DISPLAY_SIZE if role in DISPLAY_ROLES \
        else TEXT_SIZE
    size = expect_number(given["size"], "'size'", positive=True)
    if not low <= size <= high:
        raise fail(given["size"], f"a number from {low:g} to {high:g}",
                   f"'size' of text style '{role}'")
    leading = expect_number(given["leading"], "'leading'", positive=True)
    if size > LEADING_OVERLAP * leading + 1e-9:
        raise InputError(f"text style '{role}' has 'size: {size:g}' over its 'leading: "
                         f"{leading:g}' (at most {LEADING_OVERLAP * leading:g} pt, "
                         f"{LEADING_OVERLAP:g} times the leading): its lines would print over "
                         "one another; make the leading larger or the size smaller",
                         given["size"].source)
    if leading > LEADING_SPREAD * size + 1e-9:
        raise InputError(f"text style '{role}' has 'leading: {leading:g}', more than "
                         f"{LEADING_SPREAD:g} times its 'size: {size:g}' (at most "
                         f"{LEADING_SPREAD * size:g} pt): make the leading smaller",
                         given["leading"].source)
    return TextStyle(
        fonts=tuple(chain),
        size=size,
        leading=leading,
        color=color,
        tracking=tracking,
    )


def _setting(node: Node | None) -> Setting:
    if node is None:
        return Setting()
    given = fields(node, "'setting'", [f.name for f in dataclasses.fields(Setting)])
    values = {}
    for key, choices in (("kinsoku", _KINSOKU), ("punctuation", _PUNCTUATION),
                         ("parentheses", _PARENTHESES),
                         ("line_start_bracket", _LINE_START_BRACKET)):
        if key in given:
            values[key] = expect_str(given[key], f"'{key}'").strip()
            if values[key] not in choices:
                raise fail(given[key], " or ".join(choices), f"'{key}'")
    for key in ("latin_spacing_em", "max_letterspace_em"):
        if key in given:
            values[key] = expect_number(given[key], f"'{key}'", low=0)
    if "first_line_indent_chars" in given:
        values["first_line_indent_chars"] = expect_int(
            given["first_line_indent_chars"], "'first_line_indent_chars'", minimum=0)
    for key in ("keep_han_spaces", "crossheads"):
        if key in given:
            values[key] = _flag(given[key], f"'{key}'")
    if "crosshead_space_lines" in given:
        values["crosshead_space_lines"] = expect_int(
            given["crosshead_space_lines"], "'crosshead_space_lines'", minimum=0)
    if not is_null(given.get("headline_words")):
        values["headline_words"] = tuple(
            expect_str(w, "a word of 'headline_words'").strip()
            for w in expect_list(given["headline_words"], "'headline_words'"))
    return Setting(**values)


def _flag(node: Node, what: str) -> bool:
    value = node.value if isinstance(node, Scalar) else None
    if not isinstance(value, bool):
        raise fail(node, "true or false", what)
    return value


def _masthead(node: Node, folder: Path, colors: dict) -> Masthead:
    texts = ("name", "english_name", "publisher", "registration", "notice", "phone")
    given = fields(node, "'masthead'", texts + ("logo", "height_lines", "ear", "strip_rules"),
                   required=texts + ("height_lines",))
    logo = None
    if not is_null(given.get("logo")):
        logo = _existing_file(given["logo"], "logo", folder, None)
        # read its size now, so a logo that cannot be used is an error at its line here
        from .images import image_size
        try:
            image_size(logo)
        except InputError as err:
            raise InputError(err.message, given["logo"].source) from None
    ear = None
    if not is_null(given.get("ear")):
        box = fields(given["ear"], "'ear'", ("column", "columns"), required=("column", "columns"))
        ear = (expect_int(box["column"], "'column'", minimum=1),
               expect_int(box["columns"], "'columns'", minimum=1))
    rules = {}
    if not is_null(given.get("strip_rules")):
        rules = _strip_rules(given["strip_rules"], colors)
    return Masthead(
        **{key: _text(given[key], f"'{key}'") for key in texts},
        logo=logo,
        height_lines=_lines(given),
        ear=ear,
        **rules,
    )


def _strip_rules(node: Node, colors: dict) -> dict:
    """masthead: strip_rules: {over: [[2.0, masthead], [0.5, rule]], under: [0.5, rule]}"""
    given = fields(node, "'strip_rules'", ("over", "under"), required=("over", "under"))

    def rule(item: Node, what: str) -> tuple[float, str]:
        pair = expect_list(item, what)
        if len(pair) != 2:
            raise fail(item, "[width in pt, colour name]", what)
        width = expect_number(pair[0], f"the width of {what}", positive=True)
        colour = _text(pair[1], f"the colour of {what}")
        if colour not in colors:
            raise InputError(f"{what}: no colour '{colour}' under 'colors' "
                             f"(the style has {', '.join(sorted(colors))})", pair[1].source)
        return width, colour

    over = tuple(rule(item, f"rule {n} of 'over'")
                 for n, item in enumerate(expect_list(given["over"], "'over'"), 1))
    return {"strip_rules": over, "strip_rule_under": rule(given["under"], "'under'")}


def _footer(node: Node) -> Footer:
    given = fields(node, "'footer'", ("height_lines", "contacts"), required=("height_lines",))
    contacts: tuple[str, ...] = ()
    if not is_null(given.get("contacts")):
        items = given["contacts"]
        items = [items] if isinstance(items, Scalar) else expect_list(items, "'contacts'")
        contacts = tuple(_text(item, "a line of 'contacts'") for item in items)
    return Footer(height_lines=_lines(given), contacts=contacts)
