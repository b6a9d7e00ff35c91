"""Copy intake: reporters' Word files (.docx) become articles of an issue file.

read_docx(path) reads one .docx with python-docx and guesses its parts:
kicker (引题), headline (主题), subheadline (副题), byline, body paragraphs and
photos with their captions and credits. Every guess is recorded with its
reason (Draft.guesses), so `layout import` can print a table staff can check.

import_into(drafts, issue, page) appends one article per draft to a page of
an issue file by *inserting text*: every byte the staff wrote stays as it
was (comments, order, quoting, blank lines). ruamel.yaml (round-trip) finds
where the page's articles end and writes each entry's YAML; the result is
then read back with the project's own loader (layout.model) and the new
articles are compared with the drafts before the file is replaced
atomically.

What is done to the body text, and nothing else:
  - empty paragraphs are dropped; spaces and full-width indents (U+3000,
    tabs, no-break spaces) at the ends of each paragraph and line go;
  - Word's manual line breaks (Shift+Enter) are joined the way the issue
    loader joins lines (nothing between Chinese characters, a space between
    Latin words); a line that opens with a full-width indent, or follows an
    empty line, starts a new paragraph (copy pasted from WeChat);
  - straight quotes " and ' become “” and ‘’ by context (an apostrophe
    between Latin letters stays).
Every other character of the body is kept; read_docx checks that itself.
"""
from __future__ import annotations

import io
import os
import re
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, LostTextError

# -- limits --------------------------------------------------------------------------------
# A reporter's file with a dozen photos is 10-50 MB; these stop a zip bomb or a
# wrong file before python-docx reads every part into memory.
MAX_DOCX_BYTES = 200 * 1024 * 1024          # the .docx on disk
MAX_UNPACKED_BYTES = 400 * 1024 * 1024      # all its parts, unpacked
MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024   # word/document.xml, unpacked
MAX_PARTS = 5000

PHOTO_EXTS = (".jpg", ".jpeg", ".png", ".tif", ".tiff")   # what issue 10's photos: takes
TITLE_MAX_CHARS = 60      # an unstyled paragraph longer than this is never a title
BYLINE_MAX_CHARS = 60

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_R_EMBED = "{%s}embed" % _NS["r"]
_R_LINK = "{%s}link" % _NS["r"]
_R_ID = "{%s}id" % _NS["r"]


def _w(tag: str) -> str:
    return "{%s}%s" % (_W, tag)


# -- what a file yields --------------------------------------------------------------------

@dataclass
class Photo:
    name: str                 # the picture's part in the .docx, e.g. image1.jpeg
    blob: bytes
    ext: str                  # '.jpeg', '.png', ...
    caption: str | None = None
    credit: str | None = None
    file: str | None = None   # where it was written, relative to the issue ('photos/x-1.jpeg')


@dataclass
class Draft:
    path: Path
    headline: str
    body: list[str]
    kicker: str | None = None
    subheadline: str | None = None
    byline: str | None = None
    photos: list[Photo] = field(default_factory=list)
    # (what, value, why): the table printed for staff
    guesses: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw_body: list[str] = field(default_factory=list)   # body paragraphs as read, for the check


@dataclass
class _Para:
    """One paragraph of the document as read, before any guess."""
    index: int                # 1-based among the document's paragraphs (tables not counted)
    text: str                 # with '\n' for manual line breaks, '\t' for tabs
    style: str                # the paragraph style's name
    bold: bool                # every run with text is bold
    centred: bool
    size: float | None        # the largest run size, pt
    images: list[Photo]
    role: str = "body"

    @property
    def plain(self) -> str:
        return _squash(self.text)


# -- reading -------------------------------------------------------------------------------

def read_docx(path: Path) -> Draft:
    """Read one reporter's .docx and guess its article; InputError naming the file if bad."""
    path = Path(path)
    _check_file(path)
    import docx                          # python-docx: only `layout import` needs it
    from docx.opc.exceptions import PackageNotFoundError
    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as err:
        raise InputError(f"{path}: not a Word .docx file ({err})") from None
    except (KeyError, ValueError, zipfile.BadZipFile, EOFError, OSError) as err:
        if isinstance(err, OSError) and not isinstance(err, zipfile.BadZipFile) \
                and err.errno is not None:
            raise
        raise InputError(f"{path}: cannot be read as a Word .docx file; it may be damaged: "
                         f"open it in Word or WPS and save it again ({type(err).__name__}: "
                         f"{err})") from None
    except Exception as err:  # noqa: BLE001 - lxml's XMLSyntaxError and kin
        raise InputError(f"{path}: cannot be read as a Word .docx file; it may be damaged: "
                         f"open it in Word or WPS and save it again ({type(err).__name__}: "
                         f"{err})") from None
    notes: list[str] = []
    paras = _paragraphs(document, notes)
    if not any(p.plain for p in paras) and not any(p.images for p in paras):
        raise InputError(f"{path}: the document holds no text"
                         + (" outside tables" if any("table" in n for n in notes) else ""))
    if not any(p.plain for p in paras):
        raise InputError(f"{path}: the document holds pictures but no text")
    return _guess(path, paras, notes)


def _check_file(path: Path) -> None:
    """Refuse what is not a readable .docx before python-docx sees it, naming the file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        from .paths import fault
        raise fault(err, path, "read") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not a .docx file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is not a regular file (a pipe or a device); give a .docx file")
    if st.st_size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes); ask for the file again")
    if st.st_size > MAX_DOCX_BYTES:
        raise InputError(f"{path}: is {st.st_size // (1024 * 1024)} MB; a .docx may have at "
                         f"most {MAX_DOCX_BYTES // (1024 * 1024)} MB (shrink its pictures)")
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head == _OLE_MAGIC:
                f.seek(0)
                whole = f.read()
            else:
                whole = b""
    except OSError as err:
        from .paths import fault
        raise fault(err, path, "read") from None
    if head == _OLE_MAGIC:
        # An OLE compound file: an encrypted .docx (Word wraps the package in one, with
        # EncryptionInfo and EncryptedPackage streams), an old .doc, or another Office file.
        if "EncryptedPackage".encode("utf-16-le") in whole:
            raise InputError(f"{path}: is password-protected; open it in Word or WPS, remove "
                             "the password (文件 → 信息 → 保护文档 → 用密码进行加密, leave it "
                             "empty) and save it as .docx")
        if "WordDocument".encode("utf-16-le") in whole or path.suffix.lower() == ".doc":
            raise InputError(f"{path}: is an old Word .doc file; open it in Word or WPS and "
                             "save it as .docx (Word 文档), then import that")
        raise InputError(f"{path}: is an old Office file (OLE), not a Word .docx file")
    if path.suffix.lower() == ".doc":
        raise InputError(f"{path}: a .doc name, but not an old Word file either; open it in "
                         "Word or WPS and save it as .docx")
    if head[:4] != b"PK\x03\x04":
        kind = ("a PDF" if head.startswith(b"%PDF") else
                "an RTF file; open it in Word or WPS and save it as .docx"
                if head.startswith(b"{\\rtf") else "not a ZIP package")
        raise InputError(f"{path}: not a Word .docx file ({kind})")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                kind = ("an Excel workbook" if "xl/workbook.xml" in names else
                        "a PowerPoint file" if "ppt/presentation.xml" in names else
                        "an OpenDocument file; save it as .docx" if "mimetype" in names else
                        "a ZIP file without word/document.xml")
                raise InputError(f"{path}: not a Word .docx file ({kind})")
            if len(infos) > MAX_PARTS:
                raise InputError(f"{path}: holds {len(infos)} parts; a .docx may have at "
                                 f"most {MAX_PARTS}")
            unpacked = sum(i.file_size for i in infos)
            doc_xml = next(i.file_size for i in infos if i.filename == "word/document.xml")
    except zipfile.BadZipFile as err:
        raise InputError(f"{path}: the .docx is damaged ({err}); open it in Word or WPS and "
                         "save it again") from None
    if unpacked > MAX_UNPACKED_BYTES or doc_xml > MAX_DOCUMENT_XML_BYTES:
        raise InputError(f"{path}: unpacks to {unpacked // (1024 * 1024)} MB "
                         f"(text {doc_xml // (1024 * 1024)} MB); a .docx may unpack to at most "
                         f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB with "
                         f"{MAX_DOCUMENT_XML_BYTES // (1024 * 1024)} MB of text")


def _paragraphs(document, notes: list[str]) -> list[_Para]:
    """The body's paragraphs in order, with their text and the formatting the guesses use."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    paras: list[_Para] = []
    tables = 0
    tracked = bool(document.element.body.xpath(".//w:ins | .//w:del"))
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            tables += 1
            rows, cols = len(item.rows), len(item.columns)
            after = f"after paragraph {len(paras)}" if paras else "at the start"
            notes.append(f"a table ({rows}×{cols}) {after} was left out: its text is not in "
                         "the article; copy it by hand if it belongs there")
            continue
        if not isinstance(item, Paragraph):
            continue
        text, images, boxes, numbered = _paragraph_content(item, document, notes)
        index = len(paras) + 1
        if boxes:
            notes.append(f"paragraph {index}: text in a text box was left out")
        if numbered and _squash(text):
            notes.append(f"paragraph {index}: Word list numbering is not text; it was not kept")
        paras.append(_Para(index, text, _style_name(item), *_format(item), images))
    if tracked:
        notes.append("the file has tracked changes: insertions are kept, deletions left out "
                     "(as if accepted); check against the reporter's intent")
    return paras


def _style_name(paragraph) -> str:
    try:
        style = paragraph.style
        return (style.name or "") if style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _paragraph_content(paragraph, document, notes):
    """(text, photos, had text boxes, numbered) of one paragraph, walking its XML in order.

    Runs inside tracked insertions (w:ins), hyperlinks, fields and smart tags
    are read; deleted text (w:delText), field codes (w:instrText), text boxes
    and the fallback copy of alternate content are not.
    """
    p = paragraph._p
    out: list[str] = []
    images: list[Photo] = []
    boxes = False
    skip = {_w("txbxContent"), "{%s}Fallback" % _NS["mc"], _w("del"), _w("moveFrom"),
            _w("pPr"), _w("rPr"), _w("instrText"), _w("delText")}

    def walk(el) -> None:
        nonlocal boxes
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue                  # a comment or processing instruction
            if tag in skip:
                if tag == _w("txbxContent") and "".join(child.itertext()).strip():
                    boxes = True
                continue
            if tag == _w("t"):
                out.append(child.text or "")
            elif tag == _w("tab") and el.tag == _w("r"):
                out.append("\t")
            elif tag in (_w("br"), _w("cr")):
                kind = child.get(_w("type"))
                if kind in (None, "textWrapping"):
                    out.append("\n")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag == _w("sym"):
                code = child.get(_w("char")) or ""
                try:
                    ch = chr(int(code, 16))
                except ValueError:
                    ch = ""
                if ch and not 0xE000 <= ord(ch) <= 0xF8FF:
                    out.append(ch)
                else:
                    notes.append(f"a symbol-font character ({child.get(_w('font'))} "
                                 f"{code}) was left out")
            elif tag == "{%s}blip" % _NS["a"] or tag == "{%s}imagedata" % _NS["v"]:
                _picture(child, document, images, notes)
            else:
                walk(child)

    walk(p)
    numbered = bool(p.xpath("./w:pPr/w:numPr"))
    return "".join(out), images, boxes, numbered


def _picture(el, document, images: list[Photo], notes: list[str]) -> None:
    rid = el.get(_R_EMBED) or el.get(_R_ID)
    if not rid:
        if el.get(_R_LINK):
            notes.append("a picture is only linked from the file, not in it; ask for the photo")
        return
    try:
        part = document.part.related_parts[rid]
    except KeyError:
        notes.append("a picture's data is missing from the file")
        return
    name = str(part.partname).rsplit("/", 1)[-1]
    ext = os.path.splitext(name)[1].lower() or ".bin"
    if any(ph.name == name for ph in images):
        return
    images.append(Photo(name=name, blob=part.blob, ext=ext))


def _format(paragraph) -> tuple[bool, bool, float | None]:
    """(all bold, centred, largest size in pt), with styles' values where runs say nothing."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    def chain(style, get):
        seen = 0
        while style is not None and seen < 20:
            value = get(style)
            if value is not None:
                return value
            style = style.base_style
            seen += 1
        return None

    try:
        pstyle = paragraph.style
    except (KeyError, ValueError):
        pstyle = None
    runs = [r for r in paragraph.runs if r.text.strip()]
    bolds, sizes = [], []
    for run in runs:
        b = run.bold
        if b is None and run.style is not None:
            b = chain(run.style, lambda s: s.font.bold)
        if b is None:
            b = chain(pstyle, lambda s: s.font.bold)
        bolds.append(bool(b))
        size = run.font.size
        if size is None:
            size = chain(pstyle, lambda s: s.font.size)
        if size is not None:
            sizes.append(size.pt)
    align = paragraph.alignment
    if align is None:
        align = chain(pstyle, lambda s: s.paragraph_format.alignment)
    centred = align == WD_ALIGN_PARAGRAPH.CENTER
    return bool(runs) and all(bolds), centred, max(sizes) if sizes else None


# -- guessing ------------------------------------------------------------------------------

_SPACE_RUN = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_FINAL_STOP = tuple("。．.；;")

# 标题 / Title, Heading 1-3 (Word's English names, WPS's Chinese ones), 副标题 / Subtitle
_STYLE_RANKS = [
    (re.compile(r"(?i)^(title|标题)$"), 5),
    (re.compile(r"(?i)^(heading|标题)\s*1$"), 4),
    (re.compile(r"(?i)^(heading|标题)\s*2$"), 3),
    (re.compile(r"(?i)^(heading|标题)\s*3$"), 2),
    (re.compile(r"(?i)^(subtitle|副标题)$"), 1),
]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# roles a name may follow directly (记者张三), and short ones that need a separator (文/张三)
_ROLE_LONG = (r"(?:本报|本刊|本台|本网|融媒)?(?:首席|特约|见习|实习|驻[%s]{1,4})?"
              r"(?:摄影记者|记者|通讯员)|实习生" % _HAN)
_ROLE_SHORT = r"撰稿|摄影|供图|文字|文\s*[/／]\s*图|图\s*[/／]\s*文|文|图"
_ROLE = r"%s|%s" % (_ROLE_LONG, _ROLE_SHORT)
_NAME = r"[%s]{2,4}(?:[·•][%s]{1,8})?" % (_HAN, _HAN)
_GROUP = (r"(?:(?:%s)\s*[/／:：]?\s*|(?:%s)(?:\s*[/／:：]\s*|\s+))?%s(?:[\s、，,]+%s)*"
          % (_ROLE_LONG, _ROLE_SHORT, _NAME, _NAME))
_BYLINE = re.compile(r"^[□■]?\s*(?P<all>%s(?:[\s、，,]*%s)*)\s*(?P<tail>供稿|报道|摄)?$"
                     % (_GROUP, _GROUP))
_STARTS_WITH_ROLE = re.compile(r"(?:%s)|(?:%s)(?:\s*[/／:：]|\s)" % (_ROLE_LONG, _ROLE_SHORT))
_BRACKETS = {"（": "）", "(": ")", "【": "】", "［": "］", "[": "]"}
_DATELINE = re.compile(r"^(?:本报讯|本报[%s\d]{1,12}?电|(?:新华社|中新社|人民网|新华网|央视网|"
                       r"[%s]{2,6}(?:日报|晚报|报|网|台))[%s\d]{0,16}?(?:月\d{1,2}日)?[电讯])"
                       % (_HAN, _HAN, _HAN))
_CAPTION = re.compile(r"^(?:图为|图：|图:|上图|下图|左图|右图|中图|图片说明|图说|▲|△|↑)")
_CREDIT = re.compile(r"^(?P<before>.*?)[（(]\s*(?P<credit>[^（()）]*?(?:摄|摄影|供图|图))\s*[)）]\s*$"
                     r"|^(?P<before2>.*?)(?P<credit2>(?:%s)?\s*%s(?:[\s、，,]+%s)*\s*摄)\s*$"
                     % (_ROLE, _NAME, _NAME), re.S)


def _squash(text: str) -> str:
    """A paragraph's text for the guesses: breaks and runs of spaces as one space, trimmed."""
    return _SPACE_RUN.sub(" ", text).strip()


def byline_form(text: str) -> tuple[str, str] | None:
    """(the byline as stored, its form) if `text` is a byline paragraph, else None.

    本报记者 张三 / 记者 张三 通讯员 李四 / 文/张三 图/李四 / （记者 张三）/ 通讯员 李四 供稿.
    The stored byline loses the brackets the printed one puts back, and runs of
    spaces become one space.
    """
    t = _squash(text)
    if not t or len(t) > BYLINE_MAX_CHARS:
        return None
    form = "plain"
    if t[0] in _BRACKETS and t[-1] == _BRACKETS[t[0]]:
        t, form = t[1:-1].strip(), "in brackets"
    if not t or any(c in t for c in "。！？；“”\"'"):
        return None
    t = t.lstrip("□■ ")
    m = _BYLINE.match(t)
    if not m:
        return None
    tail = next((w for w in ("供稿", "报道", "摄") if t.endswith(w)), None)
    if not _STARTS_WITH_ROLE.match(t) and not tail:
        return None                       # names alone, or a short sentence
    if tail == "摄":
        form = "photo credit"
    elif tail:
        form = f"… {tail}"
    elif re.search(r"[/／]", t):
        form = "文/… 图/…"
    return t, form


def _title_rank(p: _Para) -> int:
    for pattern, rank in _STYLE_RANKS:
        if pattern.match(p.style.strip()):
            return rank
    return 0


def _looks_title(p: _Para) -> bool:
    t = p.plain
    return bool(t) and len(t) <= TITLE_MAX_CHARS and not t.endswith(_FINAL_STOP) \
        and byline_form(t) is None and not _DATELINE.match(t) and not p.images


def _assign_titles(titles: list[_Para], ranks: list[float]) -> dict[str, _Para]:
    """Which of 1-3 title paragraphs is the kicker, the headline and the subheadline."""
    best = max(ranks)
    tops = [i for i, r in enumerate(ranks) if r == best]
    if len(tops) == 1:
        h = tops[0]
    elif len(titles) == 2:
        a, b = titles[0].plain, titles[1].plain
        # 副题 usually opens with a dash; an 引题 is usually the shorter line
        h = 0 if b.startswith(("—", "--", "－")) or len(a) >= len(b) else 1
    else:
        h = 1 if len(titles) == 3 else tops[0]
    roles: dict[str, _Para] = {"headline": titles[h]}
    if h > 0:
        roles["kicker"] = titles[h - 1]
    if h + 1 < len(titles):
        roles["subheadline"] = titles[h + 1]
    return roles


def _guess(path: Path, paras: list[_Para], notes: list[str]) -> Draft:
    guesses: list[tuple[str, str, str]] = []
    items = [p for p in paras if p.plain or p.images]

    # photos and their captions, wherever they are
    photos: list[Photo] = []
    for k, p in enumerate(items):
        if not p.images:
            continue
        caption_para = None
        if p.plain:
            caption_para = p if _is_caption(p.plain) else None
        if caption_para is None and k + 1 < len(items) and items[k + 1].role == "body" \
                and not items[k + 1].images and _is_caption(items[k + 1].plain):
            caption_para = items[k + 1]
        if caption_para is None and k > 0 and items[k - 1].role == "body" \
                and not items[k - 1].images and items[k - 1].plain \
                and _CAPTION.match(items[k - 1].plain):
            caption_para = items[k - 1]
        credit_para = None
        if caption_para is not None and caption_para is not p:
            at = items.index(caption_para)
            nxt = items[at + 1] if at + 1 < len(items) else None
            if nxt is not None and nxt.role == "body" and not nxt.images \
                    and _split_caption(caption_para.plain)[1] is None \
                    and _is_credit_only(nxt.plain):
                credit_para = nxt
        for n, photo in enumerate(p.images):
            if caption_para is not None and n == len(p.images) - 1:
                photo.caption, photo.credit = _split_caption(caption_para.plain)
                if credit_para is not None:
                    photo.credit = _split_caption(credit_para.plain)[1]
            photos.append(photo)
        for para in (caption_para, credit_para):
            if para is not None:
                para.role = "caption"
        if p.plain and p.role != "caption":
            p.role = "body"          # an inline picture in a paragraph of text
        elif not p.plain:
            p.role = "picture"

    # titles at the top: styled, or the first short bold / centred lines without a final 。
    rest = [p for p in items if p.role == "body"]
    titles: list[_Para] = []
    styled = [p for p in rest[:4] if _title_rank(p)]
    how = ""
    if styled:
        for p in rest:
            if len(titles) < 3 and _title_rank(p) and len(p.plain) <= 200:
                titles.append(p)
            else:
                break
        ranks = [float(_title_rank(p)) for p in titles]
        how = "style"
    if not titles:
        body_sizes = [p.size for p in rest if p.size and len(p.plain) > TITLE_MAX_CHARS]
        body_size = max(set(body_sizes), key=body_sizes.count) if body_sizes else None
        for p in rest:
            big = p.size is not None and body_size is not None and p.size > body_size
            if len(titles) < 3 and _looks_title(p) and (p.bold or p.centred or big):
                titles.append(p)
            else:
                break
        ranks = [(p.size or 0) + (0.5 if p.bold else 0) for p in titles]
        how = "format"
    if not titles and rest and _looks_title(rest[0]):
        titles, ranks, how = [rest[0]], [0.0], "position"
    if not titles:
        first = rest[0].plain if rest else ""
        raise InputError(f"{path}: no headline found: the first paragraph "
                         f"('{first[:20]}…', {len(first)} characters) is not a short line "
                         "without a final 。; put the headline first, on its own line")
    roles = _assign_titles(titles, ranks)
    fields: dict[str, str] = {}
    for what in ("kicker", "headline", "subheadline"):
        if what not in roles:
            continue
        p = roles[what]
        p.role = what
        fields[what] = _title_text(p.text)
        if how == "style":
            why = f"paragraph {p.index}, style '{p.style}'"
        elif how == "format":
            looks = [w for w, on in (("bold", p.bold), ("centred", p.centred)) if on]
            size = f", {p.size:g} pt" if p.size else ""
            why = f"paragraph {p.index}, {' and '.join(looks) or 'larger'}{size}"
        else:
            why = f"paragraph {p.index}: the first line, short, no final 。 (no formatting to go by)"
        if len(titles) > 1:
            why += {"kicker": "; above the headline", "subheadline": "; below the headline",
                    "headline": "; the largest" if len(set(ranks)) > 1 else
                    "; the longer line"}[what]
        guesses.append((what, fields[what], why))

    # bylines: right under the titles, or the last paragraphs
    rest = [p for p in items if p.role == "body"]
    bylines: list[tuple[str, str, _Para]] = []
    last_title = max(p.index for p in titles)
    for p in rest:
        if p.index < last_title:
            continue
        form = byline_form(p.plain)
        if form is None or form[1] == "photo credit":
            break
        bylines.append((*form, p))
        p.role = "byline"
    top = len(bylines)
    for p in reversed([p for p in items if p.role == "body"]):
        form = byline_form(p.plain)
        if form is None or (form[1] == "photo credit" and photos):
            break
        bylines.insert(top, (*form, p))
        p.role = "byline"
    if bylines:
        text = " ".join(b[0] for b in bylines)
        where = ", ".join(f"paragraph {b[2].index} ({'top' if i < top else 'end'}, {b[1]})"
                          for i, b in enumerate(bylines))
        fields["byline"] = text
        guesses.append(("byline", text, where))

    body_paras = [p for p in items if p.role == "body"]
    if not body_paras:
        raise InputError(f"{path}: no body text: the file holds only "
                         + ", ".join(sorted({p.role for p in items if p.role != 'body'})))
    if body_paras and _DATELINE.match(body_paras[0].plain):
        lead = _DATELINE.match(body_paras[0].plain).group(0)
        inner = ""
        after = body_paras[0].plain[len(lead):]
        if after[:1] in _BRACKETS and _BRACKETS[after[0]] in after:
            inner = after[:after.index(_BRACKETS[after[0]]) + 1]
        why = "kept in the body"
        if inner and "byline" not in fields:
            why += f"; its byline {inner} stays there too (no byline: key)"
        guesses.append(("dateline", lead + inner, why))
    for p in body_paras:
        if _title_rank(p) and p.role == "body":
            notes.append(f"paragraph {p.index} has the style '{p.style}' (a 小标题?): kept as "
                         "a body paragraph")
        if _CAPTION.match(p.plain) and not p.images:
            notes.append(f"paragraph {p.index} looks like a photo caption but the file has no "
                         "picture beside it: kept in the body")

    from .model import counted
    body, raw, stats = _body(body_paras)
    _check_kept(path, raw, body)
    detail = [f"{counted(len(body), 'paragraph')}, {counted(sum(map(len, body)), 'character')}"]
    for key, what in (("joined", "manual line break") , ("split", "manual line break"),
                      ("indents", "indent"), ("quotes", "straight quote"), ("tabs", "tab")):
        if stats[key]:
            done = {"joined": "joined", "split": "taken as new paragraphs", "indents": "dropped",
                    "quotes": "made “” ‘’", "tabs": "made spaces"}[key]
            detail.append(f"{counted(stats[key], what)} {done}")
    guesses.append(("body", _preview(body[0]), "; ".join(detail)))
    for q in stats["unbalanced"]:
        notes.append(f"body paragraph {q}: its straight quotes do not pair up; check the "
                     "“” there")
    for n, photo in enumerate(photos, 1):
        what = f"photo {n}"
        cap = photo.caption or "(no caption found)"
        guesses.append((what, photo.name, f"caption: {_preview(cap)}; credit: "
                        f"{photo.credit or '(none found)'}"))
        if photo.ext not in PHOTO_EXTS:
            notes.append(f"{what} ({photo.name}) is not JPEG, PNG or TIFF; ask for the "
                         "original photo")
    return Draft(path=path, headline=fields["headline"], body=body, kicker=fields.get("kicker"),
                 subheadline=fields.get("subheadline"), byline=fields.get("byline"),
                 photos=photos, guesses=guesses, notes=notes, raw_body=raw)


def _is_caption(text: str) -> bool:
    if not text or len(text) > 300:
        return False
    if _CAPTION.match(text):
        return True
    m = _CREDIT.match(text)
    return bool(m) and len(text) <= 200


def _is_credit_only(text: str) -> bool:
    m = _CREDIT.match(text)
    if not m:
        return False
    before = m.group("before") if m.group("credit") is not None else m.group("before2")
    return not before.strip()


def _split_caption(text: str) -> tuple[str | None, str | None]:
    """'图为…。（记者 张三 摄）' → ('图为…。', '记者 张三 摄')."""
    m = _CREDIT.match(text)
    if not m:
        return text, None
    before = m.group("before") if m.group("credit") is not None else m.group("before2")
    credit = m.group("credit") if m.group("credit") is not None else m.group("credit2")
    return (before.strip() or None), _squash(credit)


def _title_text(text: str) -> str:
    """A title's text: its lines joined as the loader joins them, spaces squashed."""
    from .model import paragraphs
    lines = [ln for ln in text.replace("\t", " ").split("\n") if ln.strip(" \u3000\u00a0")]
    joined = " ".join(paragraphs("\n".join(lines))) if lines else ""
    return chinese_quotes(re.sub(r"[ \u3000\u00a0]+", " ", joined).strip())[0]


def _preview(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n] + "…"


# -- the body ------------------------------------------------------------------------------

_INDENT = " \u3000\u00a0\t\u2002\u2003\u200b\ufeff"


def _body(paras: list[_Para]) -> tuple[list[str], list[str], dict]:
    """(paragraphs to write, the same paragraphs as read, counts of what was done)."""
    from .model import paragraphs
    stats = {"joined": 0, "split": 0, "indents": 0, "quotes": 0, "tabs": 0, "unbalanced": []}
    out: list[str] = []
    raw: list[str] = []
    for p in paras:
        raw.append(p.text)
        groups: list[list[str]] = [[]]
        for k, line in enumerate(p.text.split("\n")):
            indented = line[:1] in _INDENT and line.strip(_INDENT) != ""
            if indented:
                stats["indents"] += 1
            if not line.strip(_INDENT):
                if k and groups[-1]:
                    groups.append([])
                    stats["split"] += 1
                continue
            if k and groups[-1]:
                if indented:
                    groups.append([])
                    stats["split"] += 1
                else:
                    stats["joined"] += 1
            stats["tabs"] += line.strip(_INDENT).count("\t")
            groups[-1].append(line.replace("\t", " "))
        for lines in groups:
            if not lines:
                continue
            (text,) = paragraphs("\n".join(lines))
            text, n, ok = chinese_quotes(text)
            stats["quotes"] += n
            if not ok:
                stats["unbalanced"].append(len(out) + 1)
            out.append(text)
    return out, raw, stats


_OPENERS = set(" \t\u3000（([{【《〈「『，、：；。！？—…·“‘\u00a0")
_CLOSERS = set(" \t\u3000，。、；：！？）)]}】》〉」』…—·”’,.;:!?\u00a0")


def chinese_quotes(text: str) -> tuple[str, int, bool]:
    """Straight quotes → “” and ‘’ by context: (text, how many, every one paired).

    A quote after the start, a space or an opening mark opens; one before the
    end, a space or a closing mark closes; between two letters it opens if
    none is open, else closes. An apostrophe between Latin letters (it's)
    stays as it is.
    """
    chars = list(text)
    changed, balanced = 0, True
    open_ = {'"': False, "'": False}
    pairs = {'"': ("“", "”"), "'": ("‘", "’")}
    for i, ch in enumerate(chars):
        if ch not in pairs:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch == "'" and before.isascii() and before.isalnum() and after.isascii() \
                and after.isalnum():
            continue                          # an apostrophe
        opening = before in _OPENERS
        closing = after in _CLOSERS
        if opening and not closing:
            is_open = True
        elif closing and not opening:
            is_open = False
        else:
            is_open = not open_[ch]
        if is_open and open_[ch] or not is_open and not open_[ch]:
            balanced = False
        open_[ch] = is_open
        chars[i] = pairs[ch][0 if is_open else 1]
        changed += 1
    if any(open_.values()):
        balanced = False
    return "".join(chars), changed, balanced


def _kept_key(text: str) -> str:
    """Text for the every-character check: no white space, quotes straight."""
    from .setting import ZERO_WIDTH
    table = {ord(c): None for c in ZERO_WIDTH}
    table.update({ord("“"): '"', ord("”"): '"', ord("‘"): "'", ord("’"): "'"})
    return "".join(text.translate(table).split())


def _check_kept(path: Path, raw: list[str], body: list[str]) -> None:
    """Every character of the body as read is in the body as written, in order."""
    a, b = _kept_key("".join(raw)), _kept_key("".join(body))
    if a != b:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise LostTextError(f"{path}: internal error: the body lost or changed text near "
                            f"'{a[max(0, at - 10):at + 10]}'; please report it")


# -- writing the YAML ----------------------------------------------------------------------

def _loader_takes_photos() -> bool:
    """Whether the issue loader knows `photos:` yet (issue 10); until then they are comments."""
    from . import model
    return "photos" in getattr(model, "_ARTICLE_KEYS", ())


def entry_yaml(draft: Draft, indent: int = 0, newline: str = "\n") -> str:
    """The draft as one item of an `articles:` list, its dash at column `indent`."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    entry = CommentedMap()
    for key in ("kicker", "headline", "subheadline", "byline"):
        value = getattr(draft, key)
        if value:
            entry[key] = value
    entry["body"] = LiteralScalarString("\n\n".join(draft.body) + "\n")
    real_photos = _loader_takes_photos()
    placeable = [ph for ph in draft.photos if ph.ext in PHOTO_EXTS] if real_photos else []
    as_comment = [ph for ph in draft.photos if ph not in placeable]
    if placeable:
        entry["photos"] = [_photo_map(ph) for ph in placeable]
    y = YAML()
    y.width = 1 << 16
    y.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    y.dump([entry], buf)
    lines = buf.getvalue().splitlines()
    # ruamel puts the list's dash at column 2 (offset); bring it to column 0
    lines = [ln[2:] if ln.startswith("  ") else ln for ln in lines]
    head = [f"# from {draft.path.name} (layout import)"]
    if as_comment:
        why = ("the issue loader has no photos: key yet" if not real_photos else
               "not JPEG, PNG or TIFF: convert them, then move them into photos:")
        comment = [f"# photos: ({why}, so they are listed here as a comment)"]
        for ph in as_comment:
            comment.append(f"#   - file: {ph.file or ph.name + '  (not written: no --into)'}")
            comment.append(f"#     caption: {ph.caption or ''}")
            comment.append(f"#     credit: {ph.credit or ''}")
        at = next(i for i, ln in enumerate(lines) if ln.startswith(("  body:", "- body:")))
        lines[at:at] = ["  " + c for c in comment]
    pad = " " * indent
    return "".join(pad + ln + newline if ln else newline for ln in head + lines)


def _photo_map(ph: Photo):
    from ruamel.yaml.comments import CommentedMap
    m = CommentedMap()
    m["file"] = ph.file or ph.name
    if ph.caption:
        m["caption"] = ph.caption
    if ph.credit:
        m["credit"] = ph.credit
    return m


# -- into an issue file --------------------------------------------------------------------

@dataclass
class Imported:
    page: int
    new_page: bool
    first_line: int            # 1-based line of the first new entry in the written file
    last_line: int
    photos: list[Path]


def import_into(drafts: list[Draft], issue: Path, page: int | None = None) -> Imported:
    """Append one article per draft to `page` (default: the last) of the issue file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from .model import load_issue

    issue = Path(issue)
    load_issue(issue)                        # a broken issue file is its own error, first
    real = Path(os.path.realpath(issue))
    original = real.read_bytes()
    text = original.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body_text = text[len(bom):]
    newline = "\r\n" if "\r\n" in body_text else "\n"
    try:
        data = YAML().load(body_text)
    except YAMLError as err:                 # the loader took it; ruamel did not
        raise InputError(f"{issue}: cannot be read for editing ({err})") from None
    pages = data["pages"]
    npages = len(pages)
    if page is None:
        page = npages
    if not 1 <= page <= npages + 1:
        raise InputError(f"--page {page}: the issue has pages 1 to {npages}; give one of "
                         f"them, or {npages + 1} to add a page")
    lines = body_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    new_page = page == npages + 1
    if new_page:
        dash = _dash_column(lines, pages, 0)
        end = _end_of(lines, data, ["pages"], dash + 2)
        article_dash = dash + 4
        block = " " * dash + "- articles:" + newline
    else:
        pmap = pages[page - 1]
        arts = pmap["articles"]
        if arts.fa.flow_style():
            raise InputError(f"{issue}: the articles of page {page} are written as a flow list "
                             "[...]; write them one per '- ' line to import into that page")
        article_dash = _dash_column(lines, arts, 0)
        end = _end_of(lines, data, ["pages", page - 1, "articles"], article_dash + 2)
        block = ""
    writes = _plan_photos(drafts, real.parent)
    entries = "".join(entry_yaml(d, article_dash, newline) for d in drafts)
    block += entries
    new_text = bom + "".join(lines[:end]) + block + "".join(lines[end:])
    first_line = end + 1 + (1 if new_page else 0)
    last_line = end + block.count("\n")

    from .output import atomic
    with atomic(real) as tmp:
        tmp.write_bytes(new_text.encode("utf-8"))
        try:
            loaded = load_issue(tmp)         # the project's own loader must take it
        except InputError as err:
            names = ", ".join(str(d.path) for d in drafts)
            raise InputError(f"{names}: the article would not load into {issue}: "
                             f"{err.message}; nothing was written") from None
        _check_written(drafts, loaded, page, issue)
        if real.read_bytes() != original:
            raise InputError(f"{issue}: the file changed while importing (saved in an "
                             "editor?); nothing was written: run the import again")
        _write_photos(writes)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(real).st_mode))
        except OSError:
            pass
    return Imported(page, new_page, first_line, last_line,
                    [real.parent / p.file for d in drafts for p in d.photos if p.file])


def _dash_column(lines: list[str], seq, i: int) -> int:
    """The column of the '- ' that opens item i of a block sequence."""
    line, col = seq.lc.data[i][0], seq.lc.data[i][1]
    text = lines[line]
    dash = text.rfind("-", 0, col + 1 if text[col:col + 1] == "-" else col)
    if dash >= 0 and text[:dash].strip() == "":
        return dash
    # '-' alone on the line above the item
    prev = lines[line - 1] if line else ""
    if prev.strip() == "-":
        return prev.index("-")
    return max(col - 2, 0)


def _end_of(lines: list[str], data, path: list, key_column: int) -> int:
    """The line index just after the last line of the node at `path` (a block sequence).

    That is where the next thing begins (the next key of the enclosing
    mappings, the next item of the enclosing lists, or the end of the file),
    moved back over blank lines and over comments indented less than the
    sequence's items' keys (those belong to what follows).
    """
    end = len(lines)
    node = data
    for step in path:
        if isinstance(step, int):
            if step + 1 < len(node):
                end = min(end, node.lc.data[step + 1][0])
        else:
            keys = list(node.keys())
            k = keys.index(step)
            if k + 1 < len(keys):
                end = min(end, node.lc.key(keys[k + 1])[0])
        node = node[step]
    # back up to the last line of the previous entry
    while end > 0:
        line = lines[end - 1]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if not stripped or (stripped.startswith("#") and indent < key_column):
            end -= 1
            continue
        break
    return end


def _check_written(drafts: list[Draft], issue, page: int, name: Path) -> None:
    """The loader reads back exactly what was drafted, every body character included."""
    articles = issue.pages[page - 1].articles[-len(drafts):]
    for d, a in zip(drafts, articles):
        got = [_kept_key(x or "") for x in (a.kicker, a.headline, a.subheadline, a.byline)]
        want = [_kept_key(x or "") for x in (d.kicker, d.headline, d.subheadline, d.byline)]
        if got != want or _kept_key("".join(a.body)) != _kept_key("".join(d.raw_body)):
            raise LostTextError(f"{name}: internal error: the article from {d.path.name} does "
                                "not read back as drafted; nothing was written; please report it")


def _safe_stem(path: Path) -> str:
    stem = re.sub(r"[^\w\u3400-\u9fff.-]+", "-", path.stem).strip("-.") or "photo"
    return stem[:60]


def _plan_photos(drafts: list[Draft], folder: Path) -> list[tuple[Path, bytes]]:
    """Choose a file in photos/ beside the issue for each photo (Photo.file); what to write.

    A file already there with the same bytes (the photo imported before) is reused;
    one with other bytes is never overwritten: the name gets -2, -3, ...
    """
    target = folder / "photos"
    writes: list[tuple[Path, bytes]] = []
    taken: set[str] = set()
    for d in drafts:
        for n, ph in enumerate(d.photos, 1):
            stem = f"{_safe_stem(d.path)}-{n}"
            ext = ".jpg" if ph.ext == ".jpeg" else ph.ext
            k = 1
            while True:
                name = f"{stem}{ext}" if k == 1 else f"{stem}-{k}{ext}"
                dest = target / name
                if name not in taken and not os.path.lexists(dest):
                    writes.append((dest, ph.blob))
                    break
                if name not in taken and dest.is_file() and not dest.is_symlink() \
                        and dest.read_bytes() == ph.blob:
                    break
                k += 1
            taken.add(name)
            ph.file = f"photos/{name}"
    return writes


def _write_photos(writes: list[tuple[Path, bytes]]) -> None:
    from .paths import fault
    for dest, blob in writes:
        try:
            dest.parent.mkdir(exist_ok=True)
            with open(dest, "xb") as f:
                f.write(blob)
        except OSError as err:
            raise fault(err, dest, "write") from None


# -- the command ---------------------------------------------------------------------------

def guess_table(draft: Draft) -> str:
    """What was guessed from one file, for staff to check."""
    rows = [(w, v, why) for w, v, why in draft.guesses]
    rows += [("note", n, "") for n in draft.notes]
    width = max(len(w) for w, _, _ in rows)
    out = [f"{draft.path}:"]
    for what, value, why in rows:
        line = f"  {what.ljust(width)}  {value}"
        if why:
            line += f"    ← {why}"
        out.append(line)
    return "\n".join(out)


def run(files: list[Path], into: Path | None, page: int | None, out=None, err=None) -> None:
    """`layout import`: read every file first (all or nothing), then print or insert."""
    out = out or sys.stdout
    err = err or sys.stderr
    if page is not None and into is None:
        raise InputError("--page needs --into ISSUE.yaml")
    drafts = [read_docx(Path(f)) for f in files]
    if into is None:
        for d in drafts:
            print(guess_table(d), file=err)
            out.write(entry_yaml(d))
        return
    done = import_into(drafts, into, page)
    for d in drafts:
        print(guess_table(d), file=err)
    where = "a new page " if done.new_page else "page "
    print(f"{into}: {len(drafts)} article{'s' if len(drafts) != 1 else ''} added to {where}"
          f"{done.page} (lines {done.first_line}-{done.last_line})"
          + (f"; {len(done.photos)} photo{'s' if len(done.photos) != 1 else ''} in "
             f"{Path(into).parent / 'photos'}" if done.photos else ""), file=out)
