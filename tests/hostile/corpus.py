"""Builds the bad-input corpus: every kind of broken or hostile file a real folder can hold.

Nothing is downloaded: each file is made here, from reportlab PDFs, bytes and text. `build(dir)` writes them
all and returns {file name: kind}. Sizes are chosen to exercise the limits (a 1 GB decompression bomb, a
100 MB text, 3,000 pages) while keeping the corpus quick to generate.
"""

from __future__ import annotations

import io
import os
import random
import zlib
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

TEXT = (
    "A 62-year-old woman received everolimus 10 mg daily plus exemestane 25 mg daily. Median PFS was "
    "7.8 months (95% CI 6.9-8.5). Grade 3 stomatitis occurred in 8% of patients. "
)


PAGE_LINES = [
    "Patients received everolimus 10 mg daily plus exemestane 25 mg daily until progression.",
    "Median progression-free survival was 7.8 months (95% CI 6.9-8.5) versus 3.2 months.",
    "Grade 3 stomatitis occurred in 8% of patients; grade 3 anemia in 6%.",
    "Hazard ratio 0.45 (95% CI 0.38-0.54); P < 0.001. Overall survival was not reached.",
    "Hemoglobin fell to 9.1 g/dL in week 6 and recovered after dose reduction.",
]


def pdf_bytes(pages: int = 1, text: str = TEXT, *, encrypt: str | None = None, user_password: str = "") -> bytes:
    """Pages of different sentences: lines repeated on every page would be removed as running heads."""
    buffer = io.BytesIO()
    kwargs = {}
    if encrypt is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        kwargs["encrypt"] = StandardEncryption(user_password, ownerPassword=encrypt, canPrint=0)
    pdf = canvas.Canvas(buffer, pagesize=A4, **kwargs)
    for page in range(pages):
        y = 760
        for line in (text[:80], text[80:160], *PAGE_LINES[page % len(PAGE_LINES) :], f"Section {page + 1} ends."):
            pdf.drawString(72, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.rect(100, 400, 300, 200, fill=1)  # a scanned page: marks, no text layer
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies numbered 1..n, with a correct xref table (object 1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def inflating_stream(size: int, byte: int = 0x20) -> bytes:
    """A zlib stream of about size/1000 bytes that inflates to `size` copies of `byte`, made in milliseconds.

    Why not `zlib.compress(b" " * size)`: deflating a gigabyte takes ~10 s. After a full flush the deflate state
    is reset, so every further megabyte compresses to the same bytes: one compressed block, repeated. The adler32
    of a run of one byte has a closed form, so the gigabyte is never materialized.
    """
    chunk = bytes([byte]) * (1 << 20)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = squeeze.compress(chunk) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(chunk) + squeeze.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(size, len(chunk))
    tail = squeeze.compress(chunk[:rest]) + squeeze.flush() if blocks else b""
    body = first + block * (blocks - 1) + tail if blocks else squeeze.compress(chunk[:rest]) + squeeze.flush()
    n, mod = size, 65521
    adler = ((n + byte * n * (n + 1) // 2) % mod) << 16 | (1 + byte * n) % mod
    return b"\x78\xda" + body + adler.to_bytes(4, "big")


def bomb_pdf(inflated_bytes: int = 1 << 30) -> bytes:
    """One page whose content stream inflates from about 1 MB to `inflated_bytes` of spaces."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(inflating_stream(inflated_bytes), b"/Filter /FlateDecode "),
        ]
    )


def cmap_traversal_pdf(marker_dir: Path) -> bytes:
    """A Type0 font whose /Encoding names a CMap by a relative path: pdfminer.six before 20251229 loaded
    '<name>.pickle.gz' from there and unpickled it (the 2025 CMap issue). The planted pickle would create
    `marker_dir/PWNED`; a fixed pdfminer (and pdfium) never runs it."""
    import gzip
    import pickle

    class Exploit:
        def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
            return (os.system, (f"touch {marker_dir / 'PWNED'}",))

    (marker_dir / "evil.pickle.gz").write_bytes(gzip.compress(pickle.dumps(Exploit())))
    target = os.path.relpath(marker_dir / "evil", Path.cwd()).replace("/", "#2F").encode()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(b"BT /F1 12 Tf 72 700 Td <0041> Tj ET"),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Evil /Encoding /" + target + b" /DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Evil"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        ]
    )


NESTING = 10_000
"""Bracket depth. Each bracket is a token: 10,000 levels are 20,000 tokens, which the whole pipeline reads in
seconds; before the tokenizer fix they cost O(n^2) regex scans (50,000 levels: over 10 minutes)."""
AMPERSANDS = 20_000


def build(root: Path) -> dict[str, str]:
    """Writes the corpus under `root` and returns {relative path: kind}."""
    root.mkdir(parents=True, exist_ok=True)
    good = pdf_bytes(2)
    noise = random.Random(9)  # the same corpus on every run
    files: dict[str, tuple[str, bytes | str]] = {
        "good.pdf": ("control: a valid two-page PDF", good),
        "good.txt": ("control: a valid text", TEXT * 20),
        "truncated.pdf": ("truncated PDF", good[: len(good) // 2]),
        "corrupted.pdf": (
            "corrupted PDF (bytes overwritten mid-file)",
            good[:400] + noise.randbytes(600) + good[1000:],
        ),
        "broken-xref.pdf": (
            "PDF with a broken xref table",
            good.replace(b"xref", b"xrfe").replace(b"startxref", b"startxrfe"),
        ),
        "encrypted-user-password.pdf": (
            "encrypted PDF with a user password",
            pdf_bytes(1, encrypt="owner", user_password="secret"),
        ),
        "encrypted-owner-only.pdf": ("encrypted PDF without a user password", pdf_bytes(1, encrypt="owner")),
        "image-only.pdf": ("image-only PDF (no text layer)", image_only_pdf()),
        "bomb.pdf": ("decompression bomb (1 GB stream)", bomb_pdf()),
        "many-pages.pdf": ("PDF with 3,000 pages", pdf_bytes(3000)),
        "html-saved-as.pdf": (
            "HTML error page saved as .pdf",
            b"<!DOCTYPE html><html><body>403 Forbidden</body></html>",
        ),
        "garbage.pdf": ("binary garbage named .pdf", noise.randbytes(4096)),
        "garbage.txt": ("binary garbage named .txt", noise.randbytes(4096)),
        "empty.txt": ("zero-byte file", b""),
        "whitespace.txt": ("whitespace-only file", b"  \n\t\n   \n"),
        "utf16.txt": ("UTF-16 text", TEXT.encode("utf-16")),
        "latin1.txt": ("Latin-1 text", (TEXT + " Température élevée à 38,4 °C.").encode("latin-1")),
        "huge.txt": ("100 MB text", (TEXT + "\n") * (100 * 2**20 // (len(TEXT) + 1))),
        "one-long-line.txt": ("a single 1 MB line without spaces", "x" * 2**20),
        "nested-brackets.txt": (
            f"deeply nested brackets ({NESTING:,} levels)",
            "(" * NESTING + "everolimus 10 mg " + ")" * NESTING + "\n\n" + TEXT,
        ),
        "digit-runs.txt": (
            "long digit runs (200,000 digits; 1,000 numbers; 5,000 comma groups)",
            TEXT + "\n\n" + "9" * 200_000 + " mg\n\n" + "1.5 " * 1000 + "% versus\n\n" + "1," * 5_000 + "%",
        ),
        "billion-laughs.xml": ("XML entity expansion (billion laughs)", _billion_laughs()),
        "xxe.xml": (
            "XML external entity (XXE)",
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<article><body><p>&x;</p></body></article>",
        ),
        "ampersands.html": (
            f"HTML with {AMPERSANDS:,} character references in one word",
            "<!DOCTYPE html><html><body><article><p>" + "&amp;" * AMPERSANDS + "</p></article></body></html>",
        ),
        "billion-laughs.html": (
            "HTML with a billion-laughs DOCTYPE",
            _billion_laughs()
            .replace("<article><body><p>", "<html><body><p>")
            .replace("</body></article>", "</body></html>"),
        ),
        "odd name with spaces.txt": ("file name with spaces", TEXT * 5),
        "odd\nname.txt": ("file name with a newline", TEXT * 5),
    }
    written: dict[str, str] = {}
    for name, (kind, content) in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / name).write_bytes(data)
        written[name] = kind
    odd = os.fsdecode(b"non-utf8-\xff\xfe.txt")
    (root / odd).write_bytes((TEXT * 5).encode())
    written[odd] = "file name with non-UTF-8 bytes"
    (root / "cmap").mkdir(exist_ok=True)
    (root / "cmap-traversal.pdf").write_bytes(cmap_traversal_pdf(root / "cmap"))
    written["cmap-traversal.pdf"] = "PDF with a malicious CMap reference (pickle path traversal)"
    loop = root / "loop"
    loop.mkdir(exist_ok=True)
    if not (loop / "self").is_symlink():
        (loop / "self").symlink_to(loop, target_is_directory=True)
    if not (root / "self-loop.txt").is_symlink():
        (root / "self-loop.txt").symlink_to(root / "self-loop.txt")
    written["self-loop.txt"] = "symlink loop (a link to itself)"
    if not (root / "dangling.txt").is_symlink():
        (root / "dangling.txt").symlink_to(root / "no-such-file.txt")
    written["dangling.txt"] = "dangling symlink"
    unreadable = root / "unreadable.txt"
    unreadable.write_bytes((TEXT * 5).encode())
    unreadable.chmod(0)  # root reads it anyway: the test accepts a record then
    written["unreadable.txt"] = "unreadable file (mode 000)"
    fifo = root / "fifo.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    written["fifo.txt"] = "named pipe (FIFO) with a .txt name"
    return written


def _billion_laughs() -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]><article><body><p>&lol9;</p></body></article>'
