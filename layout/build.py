"""The pipeline: issue YAML -> model -> fonts -> composition -> PDF."""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path

from . import conserve
from .compose import ComposedPage, Composer, body_gaps
from .errors import LayoutError
from .fonts import FontBook, MissingGlyph, drawn_chars, missing_glyph, shown, skipped
from .model import Article, Issue, load_issue
from .setting import HALF_FACE
from .style import HouseStyle, find_style, load_style

log = logging.getLogger("layout")


@dataclass
class Prepared:
    issue: Issue
    style: HouseStyle
    fonts: FontBook


def prepare(issue_path: Path, draft: bool = False, problems: list | None = None) -> Prepared:
    """Load and validate the issue and its style; read the fonts' metrics.

    problems: collect every page's and article's problem of the issue file in
    it (model.load_issue) before the first is raised. draft: kept for callers;
    nothing here depends on it now that no text is claimed before composition."""
    issue = load_issue(issue_path, problems)
    style = load_style(find_style(issue.paper, issue.path))
    # metrics from the full faces: what composition will set need not be known now;
    # a character no font has is named after composition (check_glyphs)
    return Prepared(issue, style, FontBook(style.fonts))


def compose(prep: Prepared, draft: bool = False, choices: dict[int, int] | None = None,
            set_cache: dict | None = None, progress=None) -> tuple[list[ComposedPage], Composer]:
    """Compose every page; choices: page number -> which of its best layouts to take.

    set_cache: set text kept across builds (layout/session.py), same style and fonts."""
    composer = new_composer(prep, draft=draft, choices=choices, set_cache=set_cache,
                            progress=progress)
    try:
        pages = composer.compose()
    except LayoutError:
        check_glyphs(prep, [])      # a character no font has: the first thing to fix
        raise
    check_glyphs(prep, pages)
    check_photo_resolution(prep, pages, draft)
    # nothing lost: read the text back from the composed lines (an internal error if not)
    conserve.check(prep.issue, pages, left_out(pages))
    log_crossheads(prep)
    warn_composed(prep, pages)
    for page in pages:
        result = page.layout
        log.info("page %d: layout score %.0f, %d empty cells, %d headline collisions, %.2f s",
                 page.number, result.score, result.white_cells, result.collisions,
                 page.layout_seconds)
    return pages, composer


def warn_composed(prep: Prepared, pages: list[ComposedPage]) -> None:
    """What the composed pages make the build (and `layout check`) warn of: each loose
    body line, and the prepress warnings (thin type or rules in several inks)."""
    limit = prep.style.setting.max_letterspace_em
    gaps = body_gaps(pages)
    log.info("widest inter-character gap in a justified body line: %.3f em (limit %.2f)",
             max((g for _, _, g in gaps), default=0.0), limit)
    # one warning a line, the same warning once (copy repeating a sentence with its
    # address gave six identical lines), saying how many lines it stands for
    said: dict[tuple, int] = {}
    for article, text, gap in gaps:
        if round(gap, 2) > limit:          # (0.2504 is no loose line to warn of as 0.25)
            key = (str(article.source_of("body", text)), article.headline, f"{gap:.2f}", text)
            said[key] = said.get(key, 0) + 1
    for (where, headline, gap, text), times in said.items():
        log.warning("%s: loose line in '%s': %s em between characters (limit %.2f): %s%s",
                    where, headline, gap, limit, text,
                    f" ({times} lines alike)" if times > 1 else "")
    for warning in print_warnings(prep.style, pages):
        log.warning("%s", warning)


def warn_placeholders(prep: Prepared, refuse: bool = False) -> None:
    """What `layout new` wrote for copy to come, still in the issue: warned at its line;
    refuse (the printer's files): an error, it never goes to the plant."""
    from .errors import InputError
    from .model import placeholders
    for where, what in placeholders(prep.issue):
        if refuse:
            raise InputError(f"{what}: write it before the printer's files are made", where)
        log.warning("%s: %s", where, what)


def log_crossheads(prep: Prepared) -> None:
    """`layout -v` (build and check): why a short line came out bold, at its line."""
    if not prep.style.setting.crossheads or not log.isEnabledFor(logging.INFO):
        return
    from .paragraphs import crossheads
    for page in prep.issue.pages:
        for a in page.articles:
            for k in sorted(crossheads(a.body)):
                log.info("%s: crosshead (小标题) in '%s', set bold: %s (setting.crossheads: "
                         "false sets it as text)", a.source_of("body", a.body[k]), a.headline,
                         a.body[k])


def new_composer(prep: Prepared, **options) -> Composer:
    """A Composer for the prepared issue (options: Composer's).

    The fonts' metrics come from the full faces; the subsets to embed are made
    when the pages are drawn (render.render), from the glyphs they set."""
    prep.fonts.missing.clear()
    body_face = prep.fonts.faces[prep.style.body.fonts[0]]
    return Composer(prep.issue, prep.style, prep.fonts, body_face.em_bottom, **options)


def file_problems(issue_path: Path) -> tuple[Prepared | None, list, set]:
    """The problems found without composing, in file order (up to model.MAX_PROBLEMS):
    the issue file's own (every page and article read), then its style's, then the
    photos, characters and pins of every article (precheck). Returns the prepared
    issue (None when the file or its style has problems), the problems, and the
    numbers of the pages precheck found problems on."""
    from .errors import InputError
    from .model import MAX_PROBLEMS
    from .precheck import static_problems

    problems: list = []
    issue = load_issue(issue_path, problems, partial=True)
    try:
        style = load_style(find_style(issue.paper, issue.path))
    except InputError as err:
        return None, (problems + [err])[:MAX_PROBLEMS], set()
    prep = Prepared(issue, style, FontBook(style.fonts))
    seen = {str(p) for p in problems}
    static = [(n, p) for n, p in static_problems(issue, style, prep.fonts, partial=bool(problems))
              if str(p) not in seen]
    if problems:
        prep = None          # the issue read is not the issue written: compose nothing
    problems += [p for _, p in static]
    problems.sort(key=_file_order)       # so the list reads down the issue file
    return prep, problems[:MAX_PROBLEMS], {n or 1 for n, _ in static}   # the ear: page 1


def check_all(issue_path: Path) -> tuple[list[ComposedPage], Composer, list]:
    """`layout check`: every problem of an issue at once (up to model.MAX_PROBLEMS).

    The issue file's pages and articles are all checked; if they hold problems,
    those are returned. Otherwise every page is composed, and each page's
    overset or impossible pin is a problem (a page after one with a problem is
    composed without the parts it would have continued). Other errors raise.
    """
    from .errors import FitError, InputError
    from .model import MAX_PROBLEMS

    prep, problems, flawed = file_problems(issue_path)
    if prep is None or len(problems) >= MAX_PROBLEMS:
        return [], None, problems
    warn_placeholders(prep)
    from .buildcache import BuildMemory
    memory = BuildMemory(prep.style, issue=prep.issue.path)   # set text, layouts of earlier builds
    composer = new_composer(prep, set_cache=memory.set_cache)
    issue = prep.issue
    pages, carried = [], {}
    for page in issue.pages:
        if page.number in flawed:          # its problem is known; composing would repeat it
            carried = {}
            continue
        try:
            composed, carried = composer.compose_page(page, carried)
            pages.append(composed)
            problems += glyph_problems(prep, [composed])
            problems += photo_problems(prep, [composed])    # as the build refuses them
        except (InputError, FitError) as err:
            problems += glyph_problems(prep, [])     # a character no font has, first
            problems.append(err)
        if len(problems) >= MAX_PROBLEMS:
            del problems[MAX_PROBLEMS:]
            break
    if not problems:
        conserve.check(issue, pages, left_out(pages))
        memory.save()
    # the crossheads are the copy's, found before any page is laid out: listed even
    # when a page is overset (the editor cutting it wants to see them)
    log_crossheads(prep)
    return pages, composer, problems


def _file_order(err: LayoutError) -> tuple:
    src = err.source
    return (0, src.line, src.column) if src is not None else (1, 0, 0)


# -- characters no font has ------------------------------------------------------

def check_glyphs(prep: Prepared, pages: list[ComposedPage]) -> None:
    """Raise MissingGlyph for the first character the pages would print as a box."""
    problems = glyph_problems(prep, pages)
    if problems:
        raise problems[0]


def glyph_problems(prep: Prepared, pages: list[ComposedPage]) -> list[MissingGlyph]:
    """Every character setting asked for that no font of its chain has, once each,
    named with where it is: the drawn glyphs of the pages whose face lacks them (by
    the line's origin, as conserve reads it), then what the setter recorded and no
    page draws (text left out of a draft; found in the issue file). Clears the
    font book's record."""
    fonts, style, issue = prep.fonts, prep.style, prep.issue
    recorded = dict(fonts.missing)
    fonts.missing.clear()
    out: list[MissingGlyph] = []
    seen: set[str] = set()
    # first, per face, the distinct characters it draws that it lacks: almost always
    # none, and then no run need be looked at
    lacking = {name: fonts.faces[name].lacks(chars)
               for name, chars in drawn_chars(pages).items()}
    for page in pages:
        if not any(lacking.values()):
            break
        for pl in page.lines:
            for run in pl.line.runs:
                face = fonts.faces[run.face.removesuffix(HALF_FACE)]
                if not lacking[face.name].intersection(run.text):
                    continue
                for ch in run.text:
                    if ord(ch) in face.coverage or ch in seen or skipped(ch):
                        continue
                    seen.add(ch)
                    where, source = _origin(issue, page, pl, ch)
                    chain = recorded.get(ch) or (style.text[pl.role].fonts
                                                 if pl.role in style.text else (face.name,))
                    if any(ord(ch) in fonts.faces[n].coverage for n in chain):
                        # another face of the chain has it, but a word is set in one face
                        out.append(MissingGlyph(
                            f"character {shown(ch)} (U+{ord(ch):04X}) in {where} is not in the font "
                            f"{face.name} that sets the word '{run.text}'; add a font that has "
                            "it to the house style", source, ch))
                    else:
                        out.append(missing_glyph(ch, chain, where, source))
    for ch, chain in recorded.items():
        if ch not in seen:
            seen.add(ch)
            out.append(missing_glyph(ch, chain, *_find(issue, ch)))
    return out


def _origin(issue: Issue, page: ComposedPage, pl, ch: str) -> tuple[str, object]:
    """Where a placed line's character comes from: words for the error, and its YAML place."""
    owner, what = pl.origin or (None, None)
    if isinstance(owner, Article):
        where = f"article '{owner.headline}'"
        if what in ("caption", "credit"):
            for photo in owner.photos:
                if ch in (getattr(photo, what) or ""):
                    return where, photo.source
        return where, owner.source_of(what or "", pl.line.text)
    if owner == "ear" and issue.ear is not None:
        return "the ear", issue.ear.source
    if isinstance(owner, str) and owner.startswith("page "):
        src = next((p for p in issue.pages if f"page {p.number}" == owner), None)
        if what == "section" and src is not None:
            return f"the section of {owner}", src.source
        if what == "credits" and src is not None:
            names = (src.credits.duty_editor or "") + "".join(src.credits.proofreaders)
            return (f"the credits of {owner}", src.source) if ch in names else ("the footer", None)
        return f"{owner} header", None
    if pl.role.startswith("masthead"):
        return "the masthead", None
    if pl.role.startswith("date"):
        return "the date", None
    return _find(issue, ch, f"page {page.number}")


def _find(issue: Issue, ch: str, default: str = "the page furniture") -> tuple[str, object]:
    """The first place in the issue file that has ch (text the pages do not show)."""
    for page in issue.pages:
        for a in page.articles:
            where = f"article '{a.headline}'"
            for photo in a.photos:
                if ch in (photo.caption or "") + (photo.credit or ""):
                    return where, photo.source
            fields = (("headline", a.headline), ("kicker", a.kicker),
                      ("subheadline", a.subheadline), ("byline", a.byline),
                      ("column_label", a.column_label), *(("body", p) for p in a.body))
            for field, text in fields:
                if ch in (text or ""):
                    return where, a.source_of(field, text)
        if ch in (page.section or ""):
            return f"the section of page {page.number}", page.source
        if ch in (page.credits.duty_editor or "") + "".join(page.credits.proofreaders):
            return f"the credits of page {page.number}", page.source
        for teaser in page.teasers:
            if ch in teaser.headline:
                return "a teaser", teaser.source
    ear = issue.ear
    if ear is not None and ch in (ear.title or "") + (ear.text or ""):
        return "the ear", ear.source
    return default, None


def left_out(pages: list[ComposedPage]) -> tuple:
    """The articles (or parts) a draft could not place, on any page."""
    return tuple(a for page in pages for a in page.left_out)


# Press limits for type (coldset newsprint): below these sizes registration
# error between plates shows.
MIN_REVERSED_PT = 10.0      # white type knocked out of a tint
MIN_MULTI_INK_PT = 14.0     # type printed in two or more inks
MIN_MULTI_INK_RULE_PT = 1.0  # rules printed in two or more inks
MIN_IMAGE_PPI = 200.0       # effective resolution of a raster image


def print_warnings(style: HouseStyle, pages: list[ComposedPage]) -> list[str]:
    """What a prepress operator would flag: thin reversed or multi-ink type, low-res images."""
    out = []
    used = {(pl.role, pl.color, pl.size) for page in pages for pl in page.lines}
    for role, color, size in sorted(used):
        cmyk = style.colors.get(color)
        if cmyk is None:
            continue
        inks = sum(1 for v in cmyk if v > 0)
        if inks == 0 and size < MIN_REVERSED_PT:
            out.append(f"{style.path}: text style '{role}' is reversed (white) at {size:g} pt; "
                       f"under {MIN_REVERSED_PT:g} pt it may fill in on newsprint")
        elif inks >= 2 and size < MIN_MULTI_INK_PT:
            out.append(f"{style.path}: text style '{role}' prints in {inks} inks at {size:g} pt; "
                       f"under {MIN_MULTI_INK_PT:g} pt misregistration will show")
    thin = {(r.color, r.width) for page in pages for r in page.rules
            if r.width < MIN_MULTI_INK_RULE_PT}
    for color, width in sorted(thin):
        cmyk = style.colors.get(color)
        inks = 0 if cmyk is None else sum(1 for v in cmyk if v > 0)
        if inks >= 2:
            out.append(f"{style.path}: rules in colour '{color}' print in {inks} inks at "
                       f"{width:g} pt; under {MIN_MULTI_INK_RULE_PT:g} pt misregistration "
                       "will show")
    for page in pages:
        for img in page.images:
            from .images import image_size
            if img.path.suffix.lower() != ".svg":
                px_w, _ = image_size(img.path)
                ppi = px_w / (img.width / 72)
                if ppi < MIN_IMAGE_PPI:
                    out.append(f"{img.path}: {ppi:.0f} ppi as placed on page {page.number}; "
                               f"the press wants at least {MIN_IMAGE_PPI:g}")
    return out


def check_photo_resolution(prep: Prepared, pages: list[ComposedPage], draft: bool) -> None:
    """A photo that prints under the press's floor where composition placed it fails
    the build naming it (photo_problems), before the PDF's preflight would fail naming
    only an image number; a draft warns."""
    for err in photo_problems(prep, pages):
        if not draft:
            raise err
        log.warning("%s", err)


def photo_problems(prep: Prepared, pages: list[ComposedPage]) -> list:
    """Each photo placed (at its narrowest, or its pinned width) under compose.PHOTO_FLOOR
    of the style's photo_min_ppi: an InputError naming it, for the build and `check`."""
    from .compose import PHOTO_FLOOR
    from .errors import InputError
    floor = float(getattr(prep.style.print, "photo_min_ppi", 0) or 0) * PHOTO_FLOOR
    out = []
    for page in pages:
        for ph in page.photos:
            if ph.origin is None or not floor:
                continue
            article, index = ph.origin
            x0, y0, x1, y1 = ph.crop
            ppi = min((x1 - x0) / (ph.width / 72), (y1 - y0) / (ph.height / 72))
            if ppi >= floor - 0.5:
                continue
            photo = article.photos[index]
            msg = (f"photo {index + 1} of article '{article.headline}' ({photo.file}, "
                   f"{x1 - x0} x {y1 - y0} pixels) prints at {ppi:.0f} ppi as placed "
                   f"({ph.width / 72 * 25.4:.0f} mm wide) on page {page.number}; the press "
                   f"refuses under {floor:g} ppi: use a larger original"
                   + (f" or fewer columns than its columns: {photo.columns}" if photo.columns
                      else ""))
            out.append(InputError(msg, photo.source))
    return out


def layout_report(pages: list[ComposedPage], composer: Composer) -> dict:
    """The layout report other tools read (`layout build --report`): keep these keys.

    Boxes are [x0, top, x1, bottom] in pt from the top-left corner of the trim box;
    an inset (L-shape) module's box is its bounding box and `body_columns` says how
    many columns its body narrows to. Modules are listed inner first: a module whose
    box lies inside an inset's box comes before it.
    """
    g = composer.grid
    per_line = composer.style.page.column_chars
    out = []
    for page in pages:
        result = page.layout
        area = g.columns * page.body_rows
        overset = page.overset_chars
        height = page.height

        def y_of(row: int) -> float:          # a grid line's top, from the trim top
            return round(height - g.line_top(page.body_top + row), 2)

        def box(column: int, span: int, row: int, rows: int) -> list[float]:
            x0 = g.column_x(column)
            return [round(x0, 2), y_of(row), round(x0 + composer.span_width(span), 2),
                    y_of(row + rows)]

        modules = []
        for pm in page.placed:
            p = pm.placement
            heads = []
            for pl in pm.head_lines:
                eb = g.em_bottom
                heads.append({"text": pl.line.text, "size": pl.size,
                              "box": [round(pl.x, 2), round(height - pl.y - pl.size * (1 + eb), 2),
                                      round(pl.x + pl.line.natural, 2),
                                      round(height - pl.y - pl.size * eb, 2)]})
            # the report's roles are lead, article, brief and photo: page 1's 导读 and a 简讯
            # group are briefs, of the kind named
            role = "brief" if pm.role in ("teasers", "briefs") else pm.role
            m = {"headline": pm.headline, "role": role, "columns": p.span, "lines": p.rows,
                 "position": {"column": p.column + 1, "line": p.row + 1},
                 "box": box(p.column, p.span, p.row, p.rows), "air_lines": p.air,
                 "headline_lines": heads}
            if role != pm.role:
                m["kind"] = pm.role
            if p.narrow:
                m["body_columns"] = p.narrow
                m["wide_lines"] = p.wide_rows      # body lines across its width first
            if pm.items:          # a 简讯 group: its items' headlines, in reading order
                m["items"] = [a.headline for a in pm.items]
                m["item_sources"] = [{"file": a.source.file, "line": a.source.line,
                                      "column": a.source.column} for a in pm.items]
            if pm.photos:
                m["photos"] = [{"file": str(ph.file.path), "crop": list(ph.crop),
                                "box": [round(ph.x, 2), round(height - ph.y - ph.height, 2),
                                        round(ph.x + ph.width, 2), round(height - ph.y, 2)]}
                               for ph in pm.photos]
            origin = pm.head_lines[0].origin if pm.head_lines else None
            if origin and hasattr(origin[0], "source"):   # the article's YAML file:line:col
                src = origin[0].source
                m["source"] = {"file": src.file, "line": src.line, "column": src.column}
            modules.append(m)
        # inner modules first: an inset's corner modules lie in its bounding box (or start
        # in it and run on below, beside the stories under its narrow body)
        depth = [sum(1 for o in modules if o is not m and _in_corner(m, o)) for m in modules]
        modules = [m for _, m in sorted(zip(depth, modules), key=lambda dm: -dm[0])]
        white = result.white_cells
        short = math.ceil(white / g.columns)     # as the build's warning counts them
        fit = {"lines_short": short, "chars_to_add": white * per_line,
               "column_lines_short": white, "lines_over": 0, "chars_to_cut": 0,
               "column_lines_over": 0}
        if page.overset_cut or overset:
            # a draft of an over-full page: the cut the build's error names (the page
            # is full, so not short, whatever the draft's own layout leaves white)
            lines, chars = page.overset_cut or (math.ceil(overset / per_line), overset)
            fit.update(lines_short=0, chars_to_add=0, column_lines_short=0,
                       lines_over=max(1, math.ceil(lines / g.columns)), chars_to_cut=chars,
                       column_lines_over=lines)
        out.append({
            "page": page.number,
            "area": [round(g.left, 2), y_of(0), round(g.left + g.width, 2),
                     y_of(page.body_rows)],
            "modules": modules,
            "white_space_pct": round(100 * (white + result.air_cells) / area, 2) if area else 0.0,
            "overset_chars": overset,
            "headline_collisions": result.collisions,
            "fit": fit,
            "score": round(result.score, 1),
            "seconds": round(page.layout_seconds, 3),
        })
    return {"pages": out}


def _in_corner(a: dict, b: dict) -> bool:
    """Module a starts inside inset b's box, below b's top (in b's corner)."""
    if "body_columns" not in b:
        return False
    x0, t0, x1, _ = a["box"]
    X0, T0, X1, B0 = b["box"]
    return X0 - 0.5 <= x0 and x1 <= X1 + 0.5 and T0 + 0.5 < t0 < B0 - 0.5


def build(issue_path: Path, out: Path, *, draft: bool = False, report: Path | None = None,
          pdfx: bool | None = None, printer: bool = False,
          epaper: Path | None = None, progress=None, finisher=None) -> list[ComposedPage]:
    """The whole pipeline; pdfx None: as the house style's printer policy says.

    epaper: also write the e-paper (数字报) site into this folder (layout/epaper.py).
    progress: called (page number, pages) as each page is composed.
    finisher: a started Finisher (the command forks it before importing this module);
    without one, the build starts its own.
    """
    import datetime as dt

    from .buildcache import BuildMemory
    from .errors import FitError, InputError
    from .finish import Finisher
    from contextlib import ExitStack

    from .output import atomic, dump_json, printer_files, read_delivery, retire_printer_sets
    from .paths import DRAFT_PRINTER, check_outputs, printer_stem

    if draft and printer:       # before the issue is even read: drafts never go to the plant
        raise InputError(DRAFT_PRINTER)
    t0 = time.perf_counter()
    # the PDF/X pass and the preflight's helper, loading pikepdf while the pages are made
    with finisher or Finisher.start() as finisher:
        prep = prepare(issue_path, draft)
        warn_placeholders(prep, refuse=printer)
        # never destroy a file the build did not make: refused before anything is written
        check_outputs(prep, out, report=report, printer=printer)
        # set text and page layouts of earlier builds
        memory = BuildMemory(prep.style, issue=prep.issue.path)
        try:
            pages, composer = compose(prep, draft, progress=progress, set_cache=memory.set_cache)
        except FitError:
            # overset: what was set and laid out is sound (only a page is too full), and the
            # editor builds again after each cut: the next try sets and searches only that
            memory.save()
            raise
        issue, style = prep.issue, prep.style
        # a draft is never press-ready: no PDF/X keys (and a 样张 mark on every page)
        pdfx = False if draft else style.print.pdfx if pdfx is None else pdfx
        title = f"{style.masthead.name} {issue.date.isoformat()} 第{issue.number}期"
        now = dt.datetime.now().astimezone()
        slug = f"{style.masthead.name} {issue.date.isoformat()} 第{issue.number}期 {out.name} " \
               f"{now:%Y-%m-%d %H:%M}"
        # the last delivery, read before the files listing the old PDF are retired, so a
        # resent page is known as a new version of the one the printer has
        delivered = read_delivery(out.parent, printer_stem(issue)) if printer else {}
        wanted = report is not None or epaper is not None
        data = layout_report(pages, composer) if wanted else None
        # printer's files listing the old PDF go just before it is replaced
        from .render import render   # ReportLab (only needed to write the PDF), after the fork
        with ExitStack() as stack:
            # the report is written whole to its temporary file, and the e-paper from the
            # new PDF, before the PDF replaces the old one: a report or e-paper that cannot
            # be written (a full disk, a folder that may not be written) leaves the last
            # good PDF where it was; the report replaces its old one just after the PDF
            if report is not None:
                dump_json(stack.enter_context(atomic(report)), data)
            with atomic(out, before_replace=lambda: retire_printer_sets(out)) as tmp:
                render(pages, style, prep.fonts, tmp, title=title, slug=slug)
                keys = dict(title=title, output_condition=style.print.output_condition,
                            output_condition_info=style.print.output_condition_info,
                            created=now, max_ink=style.print.max_ink_percent) if pdfx else None
                finisher.run(tmp, keys, (style.page.width_mm, style.page.height_mm))
                if epaper is not None:  # page images from this PDF, regions from the report
                    from .epaper import write_epaper
                    write_epaper(issue, style, data, tmp, epaper)
        if printer:
            stem = printer_stem(issue)
            for path in printer_files(out, out.parent, stem, previous=delivered):
                log.info("printer file: %s", path)
        memory.save()
        log.info("built %s: %d pages in %.2f s", out, len(pages), time.perf_counter() - t0)
        return pages
