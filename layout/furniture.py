"""Page furniture: the masthead of page 1, the header of inner pages, the credits.

A mixin of the Composer: it uses the composer's grid, style, issue and its
text helpers (`one_line`, `_put`).
"""
from __future__ import annotations

import math
from pathlib import Path

from . import dates
from .errors import InputError
from .geometry import PlacedImage, Rule
from .model import Page

# Grid lines a photo in the 报眼 keeps at least.
MIN_EAR_PHOTO_LINES = 4
# Least space between two labels sharing a line (the page header's three parts), in em.
LABEL_GAP_EM = 2.0


class Furniture:
    def _masthead(self, out: list, rules: list, images: list, photos: list) -> None:
        g, st, m, d = self.grid, self.style, self.style.masthead, self.issue.date
        rows = m.height_lines
        # date block: the right two columns, behind a vertical rule
        box_w = 2 * g.column_width + g.gutter
        box_x = g.left + g.width - box_w
        stack = [(dates.month_zh(d), "date_month"), (str(d.day), "date_day"),
                 (dates.weekday_zh(d), "date_weekday"), (dates.lunar_zh(d), "date_lunar")]
        total = sum(st.text[r].leading for _, r in stack)
        top = g.line_top(0) - (g.pitch * (rows - 3) - total) / 2
        for text, role in stack:
            ts = st.text[role]
            base = top - (ts.leading - ts.size) / 2 - ts.size * (1 + g.em_bottom)
            self._put(out, self.text.one_line(text, role), role, box_x, base, "center", box_w)
            top -= ts.leading
        rules.append(Rule(box_x - g.gutter / 2, g.line_top(1), box_x - g.gutter / 2,
                          g.line_top(rows - 4), st.page.rule_width))
        # paper name (type, or the logo picture), English name and publisher, left
        name_ts = st.text["masthead_name"]
        name_w = self.text.one_line(m.name, "masthead_name").natural
        y = g.line_top(0) - name_ts.leading * 0.95
        if m.logo:
            images.append(self._logo(m.logo, g.left, g.line_top(0), box_x - g.gutter - g.left,
                                     name_ts.leading))
            name_w = images[-1].width
        else:
            self._put(out, self.text.one_line(m.name, "masthead_name"), "masthead_name", g.left, y)
        en = st.text["masthead_english"]
        y -= en.leading * 1.6
        self._put(out, self.text.one_line(m.english_name, "masthead_english"), "masthead_english",
                  g.left, y, "center", name_w)
        y -= st.text["masthead_line"].leading * 1.4
        self._put(out, self.text.one_line(m.publisher, "masthead_line"), "masthead_line",
                  g.left, y, "center", name_w)
        if self.issue.ear:
            self._ear(out, rules, photos, g.left + name_w, box_x - g.gutter, rows - 4)

        # issue strip: one grid line of text under a thick and a thin rule, a rule
        # under it, and one empty grid line before the first article
        r = rows - 2
        y, below = g.line_top(r) + 1.0, None    # the rules over it stack upwards, 1.75 pt apart
        for w, colour in reversed(m.strip_rules):
            if below is not None:
                y += below / 2 + 1.75 + w / 2
            rules.append(Rule(g.left, y, g.left + g.width, y, w, colour))
            below = w
        w, colour = m.strip_rule_under
        y = g.line_top(r + 1) - 1.0
        rules.append(Rule(g.left, y, g.left + g.width, y, w, colour))
        issue_no = f"第{self.issue.number}期（总第{self.issue.total}期）"
        page = self.issue.pages[0]
        items = [(m.registration, None), (issue_no, None)]
        if page.section:     # page 1 names its section in the strip, as inner pages do above
            items.append((f"第1版  {page.section}", ("page 1", "section")))
        items += [(m.notice, None), (m.phone, None)]
        self._spread(out, items, "masthead_line", g.baseline(r, st.text["masthead_line"].size),
                     page)

    def _ear(self, out: list, rules: list, photos: list, free_x0: float, free_x1: float,
             rows: int) -> None:
        """报眼: the issue's `ear` in a ruled box the style keeps beside the name.

        It takes grid lines 1 to `rows` of the masthead and the style's columns; the
        title is centred, the text justified under it; a photo fills the room between
        them (cropped to it). Text that does not fit is an error saying by how much:
        nothing is cut.
        """
        g, st, ear = self.grid, self.style, self.issue.ear
        where = ear.source
        if not st.masthead.ear:
            raise InputError("'ear' (报眼): the house style keeps no ear box beside the masthead "
                             "(masthead: ear: {column, columns})", where)
        column, span = st.masthead.ear
        if column + span - 1 > g.columns:
            raise InputError(f"the style's ear box (column {column}, {span} columns) leaves the "
                             f"page's {g.columns} columns", st.source)
        x0 = g.column_x(column - 1)
        width = span * g.column_width + (span - 1) * g.gutter
        def clear(c: int, n: int) -> bool:       # 0.01 pt: a box that fits exactly fits
            left = g.column_x(c - 1)
            return (left >= free_x0 + g.gutter - 0.01
                    and left + n * g.column_width + (n - 1) * g.gutter <= free_x1 + 0.01)
        if not clear(column, span):
            free = [c for c in range(1, g.columns + 1) if clear(c, 1)]
            hint = (f"columns {free[0]}–{free[-1]} are free there (masthead: ear: "
                    f"{{column: {free[0]}, columns: {len(free)}}})" if len(free) > 1 else
                    f"column {free[0]} is free there (masthead: ear: {{column: {free[0]}, "
                    "columns: 1})" if free else
                    "no column is free between them: a shorter paper name, or no ear")
            raise InputError(f"the style's ear box (masthead: ear: column {column}, {span} "
                             f"column{'s' * (span != 1)}) overlaps the paper's name or the date "
                             f"block; {hint}", st.source)
        pad = g.gutter / 2
        inner = width - 2 * pad
        title = self.text.set(ear.title, "ear_title", inner, justify=False, trim_last=True).lines
        text = self.text.set(ear.text, "ear_text", inner).lines if ear.text else ()
        tt, tx = st.text["ear_title"], st.text["ear_text"]
        need = len(title) * tt.leading + len(text) * tx.leading
        room = (rows - 1) * g.pitch - 2 * pad
        if ear.photo:        # the photo needs some room of its own
            need += MIN_EAR_PHOTO_LINES * g.pitch
        if need > room + 0.01:
            over = math.ceil((need - room) / tx.leading)
            raise InputError(f"'ear' (报眼) is {over} line{'s' * (over != 1)} too long for its "
                             f"box (about {over * len(text[0].text)} characters): cut the text",
                             where)
        top = g.line_top(1)
        bottom = g.line_top(rows)
        w = st.page.rule_width
        for xa, ya, xb, yb in ((x0, top, x0 + width, top), (x0, bottom, x0 + width, bottom),
                               (x0, top, x0, bottom), (x0 + width, top, x0 + width, bottom)):
            rules.append(Rule(xa, ya, xb, yb, w))
        y = top - pad
        for ln in title:
            self._put(out, ln, "ear_title", x0 + pad,
                      y - (tt.leading - tt.size) / 2 - tt.size * (1 + g.em_bottom),
                      "center", inner, ("ear", "title"))
            y -= tt.leading
        if ear.photo:
            gap = st.photos.gap_pt
            height = y - gap - (bottom + pad + len(text) * tx.leading)
            photos.append(self._ear_photo(ear.photo, x0 + pad, y - gap - height, inner, height))
            y -= gap + height + gap
        for ln in text:
            self._put(out, ln, "ear_text", x0 + pad,
                      y - (tx.leading - tx.size) / 2 - tx.size * (1 + g.em_bottom),
                      "left", inner, ("ear", "text"))
            y -= tx.leading

    def _ear_photo(self, photo, x: float, y: float, width: float, height: float):
        """The ear's photo, cropped to its box (x, y: lower-left)."""
        from .geometry import PlacedPhoto
        from .photos import crop_box
        from .precheck import probe

        file = probe(self.issue.path.parent, photo.file, "the ear's photo", photo.source)
        crop = crop_box(file.width, file.height, width / height, photo.focus, photo.box)
        return PlacedPhoto(file, crop, x, y, width, height, photo.mono or not self.in_colour(1),
                           ("ear", 0))

    @staticmethod
    def _logo(path: Path, x: float, top: float, max_w: float, max_h: float) -> PlacedImage:
        """The logo scaled to fit max_w x max_h, aspect kept, hanging from top."""
        from .images import image_size

        w, h = image_size(path)
        scale = min(max_w / w, max_h / h)
        return PlacedImage(path, x, top - h * scale, w * scale, h * scale)

    def _spread(self, out: list, items: list[tuple[str, tuple | None]], role: str, y: float,
                page: Page) -> None:
        """Labels spread across the type area, equal space between them."""
        g = self.grid
        items = [(self.text.one_line(t, role), origin) for t, origin in items if t]
        size = self.style.text[role].size
        space = (g.width - sum(ln.natural for ln, _ in items)) / max(1, len(items) - 1)
        if space < LABEL_GAP_EM * size:
            over = (LABEL_GAP_EM * size - space) * max(1, len(items) - 1) / size
            raise InputError(f"page 1: the masthead's issue line (registration, issue number, "
                             f"section, notice, phone) is too long by {over:.1f} characters; "
                             f"shorten the section or the house style's masthead lines",
                             page.source)
        x = g.left
        for ln, origin in items:
            self._put(out, ln, role, x, y, origin=origin)
            x += ln.natural + space

    def _page_header(self, page: Page, out: list, rules: list) -> None:
        g, st, d = self.grid, self.style, self.issue.date
        role = "page_header"
        y = g.baseline(1, st.text[role].size)
        left = st.masthead.name
        mid = f"{dates.date_zh(d)}  {dates.weekday_zh(d)}  农历{dates.lunar_zh(d)}"
        right = f"第{page.number}版" + (f"  {page.section}" if page.section else "")
        left_ln, mid_ln, right_ln = (self.text.one_line(t, role) for t in (left, mid, right))
        # the date is centred; paper name and 第N版 + section must keep clear of it
        size = st.text[role].size
        side = (g.width - mid_ln.natural) / 2 - LABEL_GAP_EM * size
        over = max(left_ln.natural, right_ln.natural) - side
        if over > 0:
            raise InputError(
                f"page {page.number}: section '{_short(page.section or '')}' is too long for "
                f"the page header by {over / size:.1f} characters; shorten it", page.source)
        here = f"page {page.number}"
        self._put(out, left_ln, role, g.left, y, origin=(here, "paper"))
        self._put(out, mid_ln, role, g.left, y, "center", g.width, (here, "date"))
        self._put(out, right_ln, role, g.left, y, "right", g.width, (here, "section"))
        y_rule = g.line_top(st.page_header.height_lines - 1)
        rules.append(Rule(g.left, y_rule, g.left + g.width, y_rule, 1.0))
        rules.append(Rule(g.left, y_rule - 2, g.left + g.width, y_rule - 2, 0.3))

    def _footer(self, page: Page, out: list, rules: list) -> None:
        credits = page.credits
        g, st = self.grid, self.style
        rows = st.footer.height_lines
        y_rule = g.line_top(g.rows - rows) - g.pitch / 2
        rules.append(Rule(g.left, y_rule, g.left + g.width, y_rule, st.page.rule_width))
        parts = []
        if credits.duty_editor:
            parts.append(f"值班编辑 {credits.duty_editor}")
        if credits.proofreaders:
            parts.append("校对 " + " ".join(credits.proofreaders))
        parts += list(st.footer.contacts)
        role = "credits"
        line = self.text.one_line("   ".join(parts), role)
        # the style gives the credits one line, under the rule
        over = line.natural - g.width
        if over > 0:
            raise InputError(
                f"page {page.number}: the credits line (值班编辑, 校对 and the style's contacts) "
                f"is too long by {over / st.text[role].size:.1f} characters; shorten the names "
                f"or the house style's footer.contacts", page.source)
        self._put(out, line, role, g.left, g.baseline(g.rows - 1, st.text[role].size),
                  "center", g.width, (f"page {page.number}", "credits"))


def _short(text: str, n: int = 20) -> str:
    return text if len(text) <= n else text[:n] + "…"
