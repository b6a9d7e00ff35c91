"""The `layout` command: build, check and preview newspaper issues."""
from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from .errors import LayoutError, one_line

INTERRUPTED = 128 + signal.SIGINT       # Ctrl-C: 130, as a shell reports it


class _Issue(click.Path):
    """An issue file: not a folder, and not a Word file, a PDF or an image given by
    mistake (said by what it is, before the YAML loader calls it "not UTF-8 text")."""

    def __init__(self, exists: bool = False):
        super().__init__(path_type=Path, dir_okay=False, exists=exists)

    def convert(self, value, param, ctx):
        from .errors import InputError
        from .paths import check_issue_file

        if os.path.isdir(value):
            raise InputError(f"{value}: is a folder, not an issue file; give the .yaml file")
        if self.exists and not os.path.lexists(value):
            raise InputError(f"{value}: no such file")
        path = super().convert(value, param, ctx)
        check_issue_file(path)
        return path


class _File(click.Path):
    """A file to read (the PDF of `preflight`): it exists and is not a folder."""

    def __init__(self):
        super().__init__(path_type=Path, dir_okay=False, exists=True)

    def convert(self, value, param, ctx):
        from .errors import InputError

        if not os.path.lexists(value):
            raise InputError(f"{value}: no such file")
        if os.path.isdir(value):
            raise InputError(f"{value}: is a folder, not a file")
        return super().convert(value, param, ctx)


class _Folder(click.Path):
    """A folder to write into (made if missing): never an existing file."""

    def __init__(self, what: str):
        super().__init__(path_type=Path, file_okay=False)
        self.what = what

    def convert(self, value, param, ctx):
        from .errors import InputError

        if os.path.lexists(value) and not os.path.isdir(value):
            raise InputError(f"{value}: is a file, not a folder; {self.what} go into a folder: "
                             "give a new or existing folder")
        return super().convert(value, param, ctx)


class _Date(click.ParamType):
    """--date YYYY-MM-DD; a day that does not exist (2025-02-30) is said to be one."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        import calendar
        import datetime as dt
        import re

        from .errors import InputError

        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        flag = f"--{param.name.rstrip('_')}" if param is not None else "--date"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise InputError(f"{flag}: expected a date like 2025-03-16 (YYYY-MM-DD), "
                             f"got {text!r}")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            year, month, day = (int(v) for v in text.split("-"))
            if not 1 <= month <= 12:
                why = f"there is no month {month}"
            elif day == 0:
                why = "days start at 1"
            else:
                why = f"{year}年{month}月 has {calendar.monthrange(year, month)[1]} days"
            raise InputError(f"{flag} {text}: that day does not exist ({why})") from None


ISSUE = _Issue()
DPI = click.IntRange(10, 600)       # a PNG of an A3 page: 10 dpi a thumbnail, 600 a proof


class _Layout(click.Group):
    """The `layout` group: every error of the command line is one `error:` line too,
    and Ctrl-C is exit 130 with one line."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as err:     # `layout` alone: the help
            err.show()
            sys.exit(err.exit_code)
        except click.UsageError as err:
            message = one_line(err.format_message())
            if err.ctx is not None and (not isinstance(err, click.BadParameter)
                                        or isinstance(err, click.MissingParameter)):
                message = f"{message.rstrip('.')}; see `{err.ctx.command_path} --help`"
            click.echo(f"error: {message}", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"error: {one_line(err.format_message())}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("interrupted", err=True)
            sys.exit(INTERRUPTED)
        except LayoutError as err:                # a parameter's own check (ISSUE, --date)
            _fail(err)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # (before click's own "Aborted!", exit 1: 1 says text does not fit)
            click.echo("interrupted", err=True)
            sys.exit(INTERRUPTED)


def _fail(err: Exception) -> None:
    """One line on stderr and a non-zero exit; a traceback only with LAYOUT_DEBUG=1."""
    cause = err
    while cause is not None:
        if isinstance(cause, SystemExit):
            # a SIGTERM's exit that a library's bare `except:` turned into its own error
            # (ReportLab: "Can't open file …" while reading a font): still the kill
            sys.exit(cause.code)
        if isinstance(cause, KeyboardInterrupt) and cause is not err:
            raise cause         # Ctrl-C that a library turned into its own error
        cause = cause.__cause__ or cause.__context__
    if isinstance(err, OSError) and not os.environ.get("LAYOUT_DEBUG"):
        # the file system said no (full disk, read-only folder, unreadable file):
        # the place, not our code; exit 2 like any other input problem
        from .paths import fault
        err = fault(err)
    if isinstance(err, LayoutError):
        click.echo(f"error: {one_line(str(err))}", err=True)
        sys.exit(err.exit_code)
    if os.environ.get("LAYOUT_DEBUG"):
        raise err
    click.echo(f"error: internal error ({type(err).__name__}: {one_line(str(err))}); "
               "rerun with LAYOUT_DEBUG=1 for details and report it", err=True)
    sys.exit(3)


def _interrupted(what: str) -> None:
    """Ctrl-C: one line and exit 130 (1 would say the text does not fit)."""
    click.echo(f"interrupted; {what}", err=True)
    sys.exit(INTERRUPTED)


class _OneLine(logging.Formatter):
    """Every warning (and -v line) one line, whatever text it quotes: a headline
    written on two lines shows as '我区举办2025年 | “上街好人”发布仪式'."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return one_line(super().formatMessage(record))


@contextmanager
def _terminate_cleanly():
    """SIGTERM (a killed build) unwinds like Ctrl-C, so temporary files are removed."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:          # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _progress():
    """On a terminal, 'page 3 of 8' as pages are composed; nothing in a pipe or a log."""
    if not sys.stderr.isatty():
        return None

    def show(number: int, pages: int) -> None:
        # a line each (not \r): a page's warnings are printed between them
        click.echo(f"page {number} of {pages} composed", err=True)
    return show


def _default_out(issue: Path, suffix: str = ".pdf") -> Path:
    return Path("out") / (issue.stem + suffix)


@click.group(cls=_Layout, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="layout")
@click.option("-v", "--verbose", is_flag=True, help="Also say what each stage did and how long it took.")
def main(verbose: bool) -> None:
    """Lay out a Chinese newspaper issue (YAML) as a print-ready A3 PDF.

    An issue file names its house style with `paper:`; the style is looked up
    in a styles/ folder beside the issue, then among the styles installed with
    the tool.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine("%(levelname)s: %(message)s"))
    logging.basicConfig(handlers=[handler], level=logging.INFO if verbose else logging.WARNING)


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write (default: out/<issue file stem>.pdf). Never an input "
                   "of the build (the issue, its style, fonts, logo and photos), an existing "
                   "file that is not a PDF, a folder, a device, a pipe or a symbolic link.")
@click.option("--draft", is_flag=True,
              help="Write the PDF even when text does not fit, marking what is left out in red.")
@click.option("--report", type=click.Path(path_type=Path),
              help="Also write the layout report (modules, white space, collisions) as JSON "
                   "(an existing file there must be a layout report).")
@click.option("--pdfx/--no-pdfx", default=None,
              help="PDF/X-1a:2003 for the printer (default: as the house style says); "
                   "--no-pdfx for a quick draft.")
@click.option("--printer", is_flag=True,
              help="Also write one PDF per page and a manifest with their SHA-256, for the printer.")
@click.option("--epaper", type=_Folder("the e-paper's files"), metavar="DIR",
              help="Also write the e-paper (数字报) site into DIR, from this PDF and its layout.")
def build(issue: Path, output: Path | None, draft: bool, report: Path | None,
          pdfx: bool | None, printer: bool, epaper: Path | None) -> None:
    """Build ISSUE into a PDF."""
    from .finish import Finisher

    # the helper that loads pikepdf for the last stage is forked before the build's own
    # imports, so its loading overlaps theirs too (build() would fork it otherwise)
    with Finisher.start() as finisher:
        from .build import build as run
        from .model import counted

        out = output or _default_out(issue)
        existed = os.path.lexists(out)
        try:
            if epaper is not None:       # refused before anything is written
                from .epaper import check_dir
                check_dir(epaper)
            with _terminate_cleanly():
                pages = run(issue, out, draft=draft, report=report, pdfx=pdfx,
                            printer=printer, epaper=epaper, progress=_progress(),
                            finisher=finisher)
        except KeyboardInterrupt:
            # Ctrl-C: the temporary files are gone (atomic), nothing was replaced
            _interrupted(f"{out} left as it was" if existed else f"{out} not written")
        except Exception as err:  # noqa: BLE001 - every failure becomes one line
            _fail(err)
    click.echo(f"{out}: {counted(len(pages), 'page')}")


@main.command()
@click.argument("issue", type=ISSUE)
def check(issue: Path) -> None:
    """Validate ISSUE and its house style, and check that every article fits, without writing a PDF.

    Lists every problem it finds (up to 20), one line each: first those of the
    issue file (each page and article), else those of each page's composition.
    """
    from .build import check_all, layout_report
    from .model import counted

    try:
        pages, composer, problems = check_all(issue)
        if composer is not None:
            _composed_warnings(composer, pages)
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)
    if problems:
        for err in problems:
            click.echo(f"error: {one_line(str(err))}", err=True)
        if len(problems) > 1:           # one problem stays the one line every error is
            click.echo(f"{issue}: {len(problems)} problems"
                       + (" (the first 20)" if len(problems) >= 20 else ""), err=True)
        sys.exit(problems[0].exit_code)
    for page in layout_report(pages, composer)["pages"]:
        fit = page["fit"]
        n = fit["lines_short"]
        short = (f"; {n} line{'s' * (n != 1)} short, add about {fit['chars_to_add']} "
                 "characters or a photo" if fit["lines_short"] else "")
        teasers = sum(1 for m in page["modules"] if m.get("kind") == "teasers")
        # a 简讯 group is its items, not one article
        stories = sum(len(m.get("items", ())) or 1 for m in page["modules"]
                      if m.get("kind") != "teasers")
        # visible white: the empty cells and the headline air beyond each module's own
        # block (the warning's share counts the empty lines alone)
        click.echo(f"page {page['page']}: {counted(stories, 'article')}"
                   + (" and the 导读" if teasers else "")
                   + f", {page['white_space_pct']:.1f}% of the article area white "
                   "(empty cells and headline air), "
                   f"{counted(page['headline_collisions'], 'headline collision')}{short}")
    click.echo(f"{issue}: ok, {counted(len(pages), 'page')}")


def _composed_warnings(composer, pages) -> None:
    """What `layout build` says of the composed pages and `check_all` does not: loose
    lines and prepress warnings (build.warn_composed), a photo under the press's ppi as
    placed (said as the build's conversion says it, without converting it), and a photo
    (a photo the press refuses as placed is one of check_all's problems)."""
    from .build import Prepared, warn_composed
    from .compose import PHOTO_FLOOR
    from .photos import PhotoSettings, coarse_warning, placed_ppi

    prep = Prepared(composer.issue, composer.style, composer.fonts)
    warn_composed(prep, pages)
    settings = PhotoSettings.from_style(prep.style)
    log = logging.getLogger("layout")
    for page in pages:
        for ph in page.photos:
            # (under PHOTO_FLOOR of the press's ppi: check_photo_resolution says it)
            ppi = placed_ppi(ph.crop, ph.width, ph.height, settings)
            if settings.min_ppi * PHOTO_FLOOR - 0.5 <= ppi < settings.min_ppi - 0.5:
                log.warning("%s", coarse_warning(ph.file, ph.crop, ph.width, ph.height, settings))


@main.command()
@click.argument("pdf", type=_File())
@click.option("--trim", metavar="WxH", help="Page size the TrimBox must have, in mm (e.g. 297x420).")
@click.option("--no-pdfx", is_flag=True, help="Do not require the PDF/X keys and output intent.")
@click.option("--profile", type=click.Choice(["newspaper-x1a", "x1a", "x3"]),
              default="newspaper-x1a", show_default=True,
              help="The rules: PDF/X-1a for newsprint (ink, hairlines, type size, image "
                   "resolution, spot colours), plain PDF/X-1a, or PDF/X-3.")
@click.option("--max-ink", type=click.FloatRange(100, 400), metavar="PERCENT",
              help="Total ink limit (default: the profile's, 240 for newspaper-x1a).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for tools.")
def preflight(pdf: Path, trim: str | None, no_pdfx: bool, profile: str,
              max_ink: float | None, as_json: bool) -> None:
    """Check any PDF against what the printer needs; exit 1 if a check fails.

    Each check is pass, warn or FAIL, with the page and object of what it
    found: boxes and page size, fonts, colour spaces, spot colours, total ink,
    black text and rules, white overprint, hairlines, text size, fine detail
    in several inks, image resolution, compression, transparency, layers,
    PostScript/OPI/transfer/halftone, annotations, forms and actions, document
    info, PDF/X keys and the output intent. A file that cannot be read
    (damaged, truncated, encrypted) is one error line and exit 2.
    """
    from .preflight import inspect, passed, table

    trim_mm = None
    if trim:
        try:
            w, h = (float(v) for v in trim.lower().split("x"))
            trim_mm = (w, h)
        except ValueError:
            _fail(LayoutError(f"--trim: expected WIDTHxHEIGHT in mm such as 297x420, got {trim!r}"))
    try:
        report = inspect(pdf, trim_mm=trim_mm, pdfx=not no_pdfx, profile=profile,
                         max_ink=max_ink)
    except LayoutError as err:
        _fail(err)
    except Exception as err:  # noqa: BLE001 - an unreadable PDF is one line, not a traceback
        _fail(LayoutError(f"{pdf}: cannot read it as a PDF ({one_line(str(err))[:200]})"))
    ok = passed(report.checks)
    if as_json:
        import json
        click.echo(json.dumps({"file": str(pdf), **report.as_dict()}, ensure_ascii=False,
                              indent=1))
    else:
        click.echo(table(report.checks))
        warned = sum(c.status == "warn" for c in report.checks)
        click.echo(f"{pdf}: {'passes' if ok else 'FAILS'} preflight"
                   + (f" ({warned} warnings)" if ok and warned else ""))
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("-o", "--outdir", type=_Folder("the PNG pages"),
              help="Folder for the PNG pages (default: out/).")
@click.option("--dpi", default=60, show_default=True, type=DPI,
              help="Resolution of the PNGs (10 to 600).")
def preview(issue: Path, outdir: Path | None, dpi: int) -> None:
    """Build ISSUE and write one PNG per page; prints their paths.

    The PDF is built in a temporary folder and removed: a preview never
    touches the print PDF (out/<stem>.pdf).
    """
    from .build import build as run
    from .preview import pdf_to_pngs

    outdir = outdir or Path("out")
    try:
        with _terminate_cleanly(), \
                tempfile.TemporaryDirectory(prefix="layout-preview-") as scratch:
            pdf = Path(scratch) / (issue.stem + ".pdf")
            run(issue, pdf)
            pngs = pdf_to_pngs(pdf, outdir, dpi)
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)
    for png in pngs:
        click.echo(str(png))


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("-o", "--outdir", type=_Folder("the e-paper's files"),
              help="Folder for the site (default: out/<issue file stem>-epaper/).")
def epaper(issue: Path, outdir: Path | None) -> None:
    """Build ISSUE and write its e-paper (数字报): a static site of page images and articles.

    The PDF is built in a temporary folder and removed, as for preview; the
    site works from file:// and any static web server. A rebuild rewrites only
    what changed.
    """
    from .build import build as run
    from .epaper import check_dir
    from .model import counted

    outdir = outdir or Path("out") / f"{issue.stem}-epaper"
    try:
        check_dir(outdir)
        with _terminate_cleanly(), \
                tempfile.TemporaryDirectory(prefix="layout-epaper-") as scratch:
            # the pixels are the press file's; the PDF/X keys are not needed for them
            pages = run(issue, Path(scratch) / (issue.stem + ".pdf"), pdfx=False, epaper=outdir)
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)
    click.echo(f"{outdir / 'index.html'}: e-paper of {counted(len(pages), 'page')}")


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("-n", "--count", default=3, show_default=True, type=click.IntRange(1, 9),
              help="Layouts to offer per page.")
@click.option("-o", "--outdir", type=_Folder("the PNGs and candidates.json"),
              help="Folder for the PNGs and candidates.json (default: out/candidates/).")
@click.option("--dpi", default=40, show_default=True, type=DPI,
              help="Resolution of the PNGs (10 to 600).")
def candidates(issue: Path, count: int, outdir: Path | None, dpi: int) -> None:
    """Show the best few layouts of every page, to choose one with `layout: N`.

    Writes one PNG per page and layout, and candidates.json with each one's
    scorecard; prints a table. The print PDF is not touched.
    """
    from .candidates import make_candidates
    from .output import write_json

    outdir = outdir or Path("out") / "candidates"
    try:
        with _terminate_cleanly():
            found = make_candidates(issue, outdir, count, dpi)
            write_json(outdir / "candidates.json",
                       {"issue": str(issue),
                        "candidates": [{"page": c.page, "layout": c.number, "chosen": c.chosen,
                                        "png": str(c.png), **c.scorecard} for c in found]})
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)
    page = None
    for c in found:
        if c.page != page:
            page = c.page
            click.echo(f"page {page}:")
        s = c.scorecard
        click.echo(f"  {'*' if c.chosen else ' '} layout {c.number}: score {s['score']:.0f}, "
                   f"white {s['white_space_pct']:.1f}%, 碰题 {s['headline_collisions']}, "
                   f"widths {'/'.join(map(str, s['widths']))}, full width "
                   f"{s['full_width_pct']:.0f}%, "
                   + (f"lead {s['lead_columns']} columns" if s['lead_columns'] else "no lead")
                   + f"  {c.png}")
    click.echo("(* the layout taken now) to take another, write `layout: N` on the page "
               "in the issue file")


@main.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--into", type=ISSUE,
              help="Issue file to append the articles to (its comments and layout are kept). "
                   "Without it, the YAML entries are printed.")
@click.option("--page", type=click.IntRange(min=1),
              help="Page to append to (default: the last); one more than the issue has adds a page.")
def import_(files: tuple[Path, ...], into: Path | None, page: int | None) -> None:
    """Turn reporters' Word files (.docx) into articles, one per file.

    Prints what it took for kicker, headline, subheadline, byline, body and
    photos (to stderr), so it can be checked. Photos go to photos/ beside the issue.
    """
    from .intake import run

    try:
        run(list(files), into, page)
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: a free one, printed on start).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.option("-o", "--outdir", type=_Folder("the page images"),
              help="Folder for the page images (default: out/<issue file stem>-watch/).")
@click.option("--dpi", default=72, show_default=True, type=click.IntRange(20, 300),
              help="Resolution of the page images.")
def watch(issue: Path, port: int, open_browser: bool, outdir: Path | None, dpi: int) -> None:
    """Rebuild a draft of ISSUE on every save and show it live at http://127.0.0.1:PORT/.

    The page shows every page with its module outlines, fit, white space,
    collisions and warnings; a broken save shows the error (file:line:col)
    over the last good pages. The print PDF is not touched. Ctrl-C stops it.
    """
    from .watch import run

    try:
        with _terminate_cleanly():
            run(issue, port=port, open_browser=open_browser, outdir=outdir, dpi=dpi)
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)


@main.command()
@click.argument("issue", type=_Issue(exists=True))
@click.option("--date", "date_", type=_Date(),
              help="Date of the new issue, YYYY-MM-DD (default: 7 days after ISSUE's).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: <date>.yaml beside ISSUE); never overwritten.")
def new(issue: Path, date_, output: Path | None) -> None:
    """Write the next issue's file from ISSUE: date, 第N期 and 总第N期 moved on, credits
    and sections kept, one placeholder article per page."""
    from .session import next_issue

    from .errors import InputError
    from .paths import fault

    try:
        path, text, notes = next_issue(issue, date_)
        path = output or path
        if os.path.lexists(path):
            if os.path.islink(path):
                raise InputError(f"{path}: is a symbolic link; it is left as it is "
                                 f"({'choose another -o' if output else 'choose -o'})")
            if not os.path.isfile(path):
                raise InputError(f"{path}: is not a regular file (a folder, a device or a "
                                 "pipe); give -o the path of a new .yaml file")
            raise InputError(f"{path}: already exists; it is left as it is "
                             f"({'choose another -o' if output else 'choose -o'})")
        parent = path.parent
        if os.path.lexists(parent) and not os.path.isdir(parent):
            raise InputError(f"{path}: cannot be written: {parent} is not a folder")
        try:
            parent.mkdir(parents=True, exist_ok=True)      # as `layout build` makes out/
        except OSError as err:
            raise fault(err, parent, "make") from err
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)
    click.echo(f"{path}: new issue; `layout watch {path}` to lay it out")
    for note in notes:
        click.echo(f"  {note}")


@main.command()
@click.argument("issue", type=ISSUE)
def fonts(issue: Path) -> None:
    """List the fonts ISSUE's house style uses: files, licences, roles and coverage.

    Coverage: the 6,763 Han characters of GB 2312, the CJK Unified Ideographs
    block, Extension A and Extension B (rare characters in names).
    """
    from .fontinfo import font_infos, table
    from .fonts import FontBook
    from .model import load_issue
    from .style import find_style, load_style

    try:
        parsed = load_issue(issue)
        style = load_style(find_style(parsed.paper, parsed.path))
        click.echo(f"{style.path}:")
        click.echo(table(font_infos(style, FontBook(style.fonts))))
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        _fail(err)


def entry() -> None:
    """The `layout` command (and `python -m layout.cli`): main, then a quick exit.

    Once the command is done, its files written and closed, the interpreter's own
    teardown (freeing every object of the fonts' tables, the set text and the pages,
    one by one) adds a tenth to a warm build for nothing anyone sees; the exit
    handlers (the fonts' scratch folder) and the output are still run and flushed.
    The cyclic garbage collector runs a hundredth as often as by default: a build
    makes a few hundred thousand objects, nearly none in cycles, and the default
    700-allocation trigger rescanned them over and over."""
    import gc
    gc.set_threshold(70_000, 20, 100)
    try:
        main()
        code = 0
    except SystemExit as err:
        if err.code is not None and not isinstance(err.code, int):
            click.echo(err.code, err=True)      # as Python prints a message exit
            code = 1
        else:
            code = err.code or 0
    import atexit
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):           # a closed pipe: nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
