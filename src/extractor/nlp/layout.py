"""The Document's structure, carried on the Doc: sections and tables as the ingestor read them.

An ingestor knows where sections start and which cells a table holds (JATS elements, PDF geometry, a
flattened table's lines); components read that from the Doc instead of finding it again in the text.
`attach` puts it on a Doc before the pipeline runs, as plain data in `doc._.extractor_layout` (so the Doc
stays serializable); `layout(doc)` gives it back as `DocLayout`, built once per Doc. A Doc made from bare
text (`nlp("...")`) has an empty layout: components then read only the text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from extractor._typing import CharOffset
from extractor.ingest.document import Document, Section, Table
from extractor.nlp.doc_memo import doc_text, memo, remember_text
from extractor.nlp.prose import references_start as prose_references_start
from extractor.record import SectionName

EXTENSION = "extractor_layout"


@dataclass(frozen=True)
class DocLayout:
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()

    def section_at(self, offset: CharOffset) -> SectionName | None:
        i = bisect.bisect_right(self.sections, offset, key=lambda s: s.start) - 1
        if i < 0 or offset >= self.sections[i].end:
            return None
        return self.sections[i].name

    def table_at(self, offset: CharOffset) -> Table | None:
        """The table whose text holds `offset`, if any."""
        return next((t for t in self.tables if t.start <= offset < t.end), None)

    def in_table(self, offset: CharOffset) -> bool:
        return self.table_at(offset) is not None


def references_start(doc: Doc) -> CharOffset:
    """Where the reference list starts: the Document's first 'references' section, else a 'References' heading
    line in the text, else the text's end."""
    text = doc_text(doc)
    found = [s.start for s in layout(doc).sections if s.name == "references"]
    if found:
        return found[0]
    return prose_references_start(text)


def attach(doc: Doc, document: Document) -> Doc:
    """Put `document`'s sections and tables on `doc` (made from `document.text`)."""
    data: dict[str, Any] = {
        "sections": [[s.name, s.start, s.end, s.heading] for s in document.sections],
        "tables": [t.to_dict() for t in document.tables],
    }
    doc._.set(EXTENSION, data)
    remember_text(doc, document.text)
    return doc


def layout(doc: Doc) -> DocLayout:
    data = doc._.get(EXTENSION) if Doc.has_extension(EXTENSION) else None
    if not data:
        return DocLayout()
    return memo(doc, "layout", id(data), lambda: _build(data))


def _build(data: dict[str, Any]) -> DocLayout:
    sections = tuple(Section(name, start, end, heading) for name, start, end, heading in data.get("sections", []))
    tables = tuple(Table.from_dict(t) for t in data.get("tables", []))
    return DocLayout(sections, tables)
