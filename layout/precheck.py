"""Checks an issue needs no composition for, so that `layout check` lists them all at once.

Composition finds these too, but one at a time: it stops at the first photo it
cannot open or the first pin it cannot keep. Here every article of every page is
looked at, and each problem is an InputError with its YAML place, worded as
composition words it. static_problems(issue, style, fonts) returns them with the
number of the page they are on (None: the ear); it reads photo headers (no
pixels) and the fonts' coverage, nothing else.
"""
from __future__ import annotations

from .errors import InputError, near_file
from .model import Issue, Article, teaser_key, teaser_matches


def static_problems(issue: Issue, style, fonts, partial: bool = False
                    ) -> list[tuple[int | None, InputError]]:
    """partial: the issue was read with problems (an article may be missing from it), so a
    teaser naming no article read is not said to name none where its headline is written
    again in the file (its article may be the one that failed)."""
    from .fonts import missing_glyph, skipped

    out: list[InputError] = []
    covered = frozenset().union(*(f.coverage for f in fonts.faces.values()))
    chain = tuple(style.text["body"].fonts) if "body" in style.text else tuple(fonts.faces)
    seen: set[str] = set()
    cols = style.page.columns
    n_pages = len(issue.pages)

    def glyphs(text: str | None, where: str, source) -> None:
        for ch in text or "":
            if ch not in seen and ord(ch) not in covered and not skipped(ch):
                seen.add(ch)
                out.append(missing_glyph(ch, chain, where, source))

    def photo(p, label: str) -> None:
        try:
            file = probe(issue.path.parent, p.file, label, p.source)
        except InputError as err:
            out.append(err)
            return
        if (err := crop_error(p, file)) is not None:
            out.append(err)

    found: list[tuple[int | None, InputError]] = []
    for page in issue.pages:
        for a in page.articles:
            where = f"article '{a.headline}'"
            for field in ("kicker", "headline", "subheadline", "byline", "column_label"):
                glyphs(getattr(a, field), where, a.source_of(field))
            for para in a.body:
                glyphs(para, where, a.source_of("body", para))
            for i, p in enumerate(a.photos):
                glyphs(p.caption, where, p.source)
                glyphs(p.credit, where, p.source)
                photo(p, f"photo {i + 1} of article '{a.headline}'")
            out += _pins(a, page.number, n_pages, cols)
        for t in page.teasers:
            named = teaser_matches(t.headline, [b for q in issue.pages[1:] for b in q.articles])
            if len(named) > 1:
                out.append(teaser_error(t, f"{len(named)} articles on later pages"))
            elif not named and not (partial and _written_twice(issue.path, t.headline)):
                out.append(teaser_error(t, "no article on a later page"))
        found += [(page.number, err) for err in out]
        out.clear()
    if issue.ear is not None and issue.ear.photo is not None:
        photo(issue.ear.photo, "the ear's photo")
    return found + [(None, err) for err in out]


def _pins(a: Article, number: int, n_pages: int, cols: int) -> list[InputError]:
    """The pins no page can keep whatever else is on it."""
    out = []
    pins = a.pins or {}
    if a.columns is not None and not 1 <= a.columns <= cols:
        out.append(InputError(f"'columns: {a.columns}' in article '{a.headline}': the page has "
                              f"{cols} columns", pins.get("columns", a.source)))
    target = a.continue_on
    targets = (target,) if isinstance(target, int) else tuple(target or ())
    for t in targets:
        if not number < t <= n_pages:
            out.append(jump_error(a.continue_on, t, number, n_pages, a.headline,
                                  pins.get("continue_on", a.source)))
            break
    return out


def jump_error(given, target: int, number: int, n_pages: int, headline: str,
               source) -> InputError:
    """`continue_on` naming a page the story on page `number` cannot go on to."""
    why = (f"page {target} is not after page {number}, where the article is"
           if target <= number else f"the issue has {n_pages} page{'s' * (n_pages != 1)}")
    return InputError(f"'continue_on: {given}' in article '{headline}' must name later "
                      f"pages of this issue: {why}", source)


def _written_twice(path, text: str) -> bool:
    """Whether text stands at least twice in the issue file (a teaser's, and a headline's),
    compared as a teaser is (teaser_key: a headline's line breaks, spaces and quotes aside)."""
    try:
        return teaser_key(path.read_text(encoding="utf-8-sig")).count(teaser_key(text)) >= 2
    except (OSError, UnicodeDecodeError):
        return False


def teaser_error(teaser, why: str) -> InputError:
    """A 导读 entry that names no one article of the later pages: none (then the headline
    nearest it, if one is near: did you mean), or several (model.teaser_matches)."""
    named = getattr(teaser, "named", 0)
    if why.startswith("no article") and named > 1:   # several, once quotes and spaces are aside
        why = f"{named} articles on later pages"
    near = getattr(teaser, "near", None) if why.startswith("no article") else None
    hint = f" (did you mean '{near}'?)" if near else ""
    return InputError(f"teaser '{teaser.headline}': {why} has that headline{hint}; write the "
                      "headline (or its start) of one article of page 2 or a later page",
                      teaser.source)


def probe(folder, written: str, label: str, source=None):
    """photos.probe_photo of the photo written `written` beside the issue (folder), its
    not found naming the file it most likely meant (photo_hint)."""
    from .photos import probe_photo
    try:
        return probe_photo(folder / written, label, source)
    except InputError as err:
        raise photo_hint(err, folder, written) from None


def photo_hint(err: InputError, folder, written: str) -> InputError:
    """A photo not found, with the file of its folder it most likely names: one that
    differs in case only (photos/Bridge.JPG for photos/bridge.jpg) or a letter or two."""
    if not err.message.endswith("not found (its path is relative to the issue file)"):
        return err
    near = near_file(folder, written)
    if near is None:
        return err
    return InputError(f"{err.message} (did you mean {near}?)", err.source)


def crop_error(photo, file) -> InputError | None:
    """A photo's `crop: box` reaching outside its pixels, or its `crop: focus` a point
    off the picture (file: photos.PhotoFile): either is a typo, never a crop to guess."""
    if photo.box and (photo.box[2] > file.width or photo.box[3] > file.height):
        return InputError(f"'crop' box {list(photo.box)} lies outside the photo {photo.file} "
                          f"({file.width} x {file.height} pixels)", photo.source)
    if photo.focus and not (0 <= photo.focus[0] <= file.width
                            and 0 <= photo.focus[1] <= file.height):
        point = [round(v) if float(v).is_integer() else v for v in photo.focus]
        return InputError(f"'crop' focus {point} lies outside the photo {photo.file} "
                          f"({file.width} x {file.height} pixels): give a point in it, "
                          f"x 0 to {file.width}, y 0 to {file.height}", photo.source)
    return None
