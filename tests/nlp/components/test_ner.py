"""The packaged BC5CDR model: it loads offline, finds chemicals and diseases in real sentences, and its output is
combined with the drug lexicon by the documented rule (lexicon wins, guarded new drugs, a disease is no drug)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from extractor import Extractor
from extractor.eval.external.bc5cdr_ner import iob_entities, score
from extractor.nlp.components.ner import (
    MAX_CHUNK_CHARS,
    ChemicalDiseaseNER,
    PieceTokenizer,
    batches,
    chunks,
    combine,
    is_new_drug_name,
    load_packaged_model,
    new_drug_words,
    packaged_model_path,
    word_pieces,
)
from extractor.nlp.pipeline import load_pipeline
from extractor.nlp.text.drug_lexicon import DrugLexicon, packaged_lexicon

# The default pipeline's configuration, cut down to what the NER component reads (tokens, sentences, drugs).
PIPELINE = ["extractor_paragraph_sentences", "sentencizer", "abbreviation_detector", "extractor_drugs", "extractor_ner"]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline("default", {"nlp.pipeline": PIPELINE})


@pytest.fixture(scope="module")
def ner(nlp: Language) -> ChemicalDiseaseNER:
    component = nlp.get_pipe("extractor_ner")
    assert isinstance(component, ChemicalDiseaseNER)
    return component


def labelled(spans: list[Span], label: str) -> set[str]:
    return {s.text for s in spans if s.label_ == label}


# --- pure functions --------------------------------------------------------------------------------------------

PIECES = [
    ("everolimus-induced", ["everolimus", "-", "induced"]),
    ("5-FU", ["5", "-", "FU"]),
    ("0.5 mg/m2", ["0", ".", "5", "mg", "/", "m2"]),
    ("Parkinson's", ["Parkinson", "'", "s"]),
    ("α-tocopherol", ["α", "-", "tocopherol"]),
]


@pytest.mark.parametrize(("text", "expected"), PIECES)
def test_word_pieces_follow_the_bc5cdr_tokenization(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in word_pieces(text)] == expected


# train.tsv, first sentence: "Selegiline - induced postural hypotension in Parkinson ' s disease : ..."
IOB_TAGS = ["B-Chemical", "O", "O", "B-Disease", "I-Disease", "O", "B-Disease", "I-Disease", "I-Disease", "I-Disease"]


def test_iob_entities() -> None:
    assert iob_entities(IOB_TAGS) == [(0, 1, "CHEMICAL"), (3, 5, "DISEASE"), (6, 10, "DISEASE")]
    assert iob_entities(["O", "I-Chemical", "I-Disease"]) == [(1, 2, "CHEMICAL"), (2, 3, "DISEASE")]


def test_score_is_exact_match_per_label() -> None:
    gold = [{(0, 1, "CHEMICAL"), (3, 5, "DISEASE")}]
    predicted = [{(0, 1, "CHEMICAL"), (3, 4, "DISEASE")}]
    result = score(gold, predicted)
    assert result["CHEMICAL"]["f1"] == 1.0
    assert result["DISEASE"]["f1"] == 0.0
    assert result["ALL"]["precision"] == 0.5


NEW_DRUG_NAMES = [
    ("capivasertib", True),  # INN stem -ib
    ("Temsirolimus", True),  # -limus
    ("estrogen", False),  # a hormone, no INN stem
    ("glucose", False),  # stoplisted by the drug lexicon
    ("everolimus", False),  # a lexicon surface: the lexicon decides
    ("CDK4/6", False),  # not a name
]


@pytest.mark.parametrize(("text", "expected"), NEW_DRUG_NAMES)
def test_new_drug_name_guards(text: str, expected: bool) -> None:
    lexicon = DrugLexicon(synonyms={"everolimus": "everolimus"}, stoplist={"glucose"})
    assert is_new_drug_name(text, lexicon) is expected


def test_piece_tokenizer_tags_lexicon_surfaces_longest_first() -> None:
    lexicon = DrugLexicon(
        synonyms={"5-fu": "fluorouracil", "fluorouracil": "fluorouracil", "rapamycin": "sirolimus"},
        stoplist={"target of rapamycin", "fu"},
    )
    doc = PieceTokenizer(spacy.blank("en").vocab, lexicon)("5-FU, not the mammalian Target of Rapamycin")
    assert [(t.text, t.tag_) for t in doc] == [
        ("5", "DRUG"),
        ("-", "DRUG"),
        ("FU", "DRUG"),  # the longer drug surface wins over the stoplisted "fu"
        (",", ""),
        ("not", ""),
        ("the", ""),
        ("mammalian", ""),
        ("Target", "STOP"),
        ("of", "STOP"),
        ("Rapamycin", "STOP"),  # inside a longer stoplisted phrase
    ]


def test_piece_tokenizer_matches_every_surface_a_brute_force_search_finds() -> None:
    """`matches` tries only pieces that begin a surface, and longer surfaces only where their first two pieces
    begin one: the same matches as trying every length at every piece, on a seed article with the real lexicon."""
    tokenizer = PieceTokenizer(spacy.blank("en").vocab, packaged_lexicon())
    text = sorted((Path(__file__).parents[3] / "corpus" / "seeds").glob("*.txt"))[2].read_text(encoding="utf-8")
    lower = [text[start:end].lower() for start, end in word_pieces(text)]
    longest = max(len(surface.split()) for surface in tokenizer.surfaces)
    expected = [
        (tokenizer.surfaces[" ".join(lower[i : i + n])], i, i + n)
        for i in range(len(lower))
        for n in range(1, min(longest, len(lower) - i) + 1)
        if " ".join(lower[i : i + n]) in tokenizer.surfaces
    ]
    assert tokenizer.matches(lower) == expected
    assert len(expected) > 50


def test_chunks_are_runs_of_whole_sentences_within_the_limit() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "One two three. Four five six. Seven eight nine ten eleven twelve thirteen."
    doc = nlp(text)
    assert [text[a:b] for a, b in chunks(doc, max_chars=30)] == [
        "One two three. Four five six.",
        "Seven eight nine ten eleven",  # a sentence longer than the limit is cut between tokens
        "twelve thirteen.",
    ]
    assert [text[a:b] for a, b in chunks(doc, max_chars=1000)] == [text]
    assert [text[a:b] for a, b in chunks(nlp.make_doc(text), max_chars=15)][:2] == ["One two three.", "Four five six."]


def test_chunks_skip_the_sentences_read_refuses() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "One two three. Four five six. Seven eight nine. Ten eleven."
    doc = nlp(text)
    read = lambda start, end: "five" not in text[start:end]  # noqa: E731
    # a refused sentence ends a run: the text the model reads is always a stretch of consecutive sentences
    assert [text[a:b] for a, b in chunks(doc, max_chars=1000, read=read)] == [
        "One two three.",
        "Seven eight nine. Ten eleven.",
    ]


def test_batches_hold_at_most_a_chunk_of_text_each() -> None:
    ranges = [(0, 40), (50, 90), (100, 190), (200, 210), (300, 420)]
    grouped = batches(ranges, 100)
    assert [r for group in grouped for r in group] == ranges
    assert grouped == [[(0, 40), (50, 90)], [(100, 190), (200, 210)], [(300, 420)]]  # a longer one alone
    assert all(sum(e - s for s, e in group) <= MAX_CHUNK_CHARS for group in batches(ranges, MAX_CHUNK_CHARS))


# --- the packaged model ----------------------------------------------------------------------------------------


def test_packaged_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = load_packaged_model()
    assert model.pipe_labels["ner"] == ["CHEMICAL", "DISEASE"]


def test_packaged_model_is_small() -> None:
    files = [p for p in Path(packaged_model_path()).rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 20_000_000
    assert (packaged_model_path() / "README.md").is_file()


SEEDS = Path(__file__).parents[3] / "corpus" / "seeds"


@pytest.mark.slow
def test_model_reads_the_same_through_numpy_blas() -> None:
    """The packaged model runs its matrix products on numpy's BLAS, not thinc's default blis (faster here): every
    layer uses it, and a whole seed article gets the same entities as with the default ops."""
    fast = load_packaged_model()
    assert {node.ops.use_blis for node in fast.get_pipe("ner").model.walk()} == {False}
    default = spacy.load(packaged_model_path())
    assert True in {node.ops.use_blis for node in default.get_pipe("ner").model.walk()}
    text = (SEEDS / "002_e5b7ac3fa1a98ba6.txt").read_text(encoding="utf-8")[:20_000]
    ents = [[(e.start_char, e.end_char, e.label_) for e in model(text).ents] for model in (fast, default)]
    assert len(ents[0]) > 100
    assert ents[0] == ents[1]


SENTENCES = [
    # 000_0a971266401ee98e.txt, background (line-end hyphen as printed)
    (
        "result in serious adverse effects, including intersti-\ntial pneumonia, infections, stomatitis, delayed "
        "wound \n healing, and hyperglycemia, because mTOR inhibition \nsuppresses basic cellular processes.",
        set(),
        {"stomatitis", "hyperglycemia"},
    ),
    # 002_e5b7ac3fa1a98ba6.txt, everolimus safety
    (
        "well known, and include stomatitis, noninfectious pneumoni-\n\ntis, infection, hyperglycemia, and "
        "dyslipidemia. Everolimus ",
        {"Everolimus"},
        {"stomatitis", "hyperglycemia", "dyslipidemia"},
    ),
    # 002_e5b7ac3fa1a98ba6.txt, trials table
    ("RAD001 plus carboplatin in breast cancer patients NCT01127763", {"RAD001", "carboplatin"}, {"breast cancer"}),
]


@pytest.mark.parametrize(("text", "chemicals", "diseases"), SENTENCES)
def test_model_finds_chemicals_and_diseases(
    nlp: Language, ner: ChemicalDiseaseNER, text: str, chemicals: set[str], diseases: set[str]
) -> None:
    predicted = ner.predict(nlp.make_doc(text))
    assert chemicals <= labelled(predicted, "CHEMICAL")
    assert diseases <= labelled(predicted, "DISEASE")


# --- the combination rule --------------------------------------------------------------------------------------


def test_lexicon_wins_on_overlap(nlp: Language) -> None:
    # 002_e5b7ac3fa1a98ba6.txt: the model says CHEMICAL "RAD001"; the lexicon names it everolimus
    doc = nlp("RAD001 plus carboplatin in breast cancer patients NCT01127763")
    assert {(e.text, e.kb_id_) for e in doc.ents if e.label_ == "DRUG"} == {
        ("RAD001", "everolimus"),
        ("carboplatin", "carboplatin"),
    }
    assert [s.text for s in doc.spans["diseases"]] == ["breast cancer"]


NO_LEXICON = [
    # 002_e5b7ac3fa1a98ba6.txt: both are drugs (rapamycin = sirolimus), both end in an INN stem
    ("is rapamycin. Temsirolimus is administered either orally or ", {"rapamycin", "temsirolimus"}),
    # 001_1fbf8c8289c92d00.txt: a chemical (a hormone) that is no drug
    ("invasive lobular carcinoma that was positive for estrogen", set()),
]


@pytest.mark.parametrize(("text", "drugs"), NO_LEXICON)
def test_model_only_chemical_becomes_a_drug_when_it_looks_like_one(
    nlp: Language, ner: ChemicalDiseaseNER, text: str, drugs: set[str]
) -> None:
    doc = nlp.make_doc(text)
    predicted = ner.predict(doc)
    assert labelled(predicted, "CHEMICAL")  # the model sees a chemical either way
    ents, _ = combine(doc, predicted, DrugLexicon())  # a lexicon that knows none of them
    assert {e.kb_id_ for e in ents if e.label_ == "DRUG"} == drugs


def test_a_disease_is_never_a_drug(nlp: Language, ner: ChemicalDiseaseNER) -> None:
    # 002_e5b7ac3fa1a98ba6.txt; as if the lexicon listed "stomatitis" as a drug surface
    doc = nlp.make_doc("well known, and include stomatitis, noninfectious pneumoni-\n\ntis")
    stomatitis = next(t.i for t in doc if t.text == "stomatitis")
    doc.ents = [Span(doc, stomatitis, stomatitis + 1, label="DRUG", kb_id="stomatitis")]
    ents, diseases = combine(doc, ner.predict(doc), DrugLexicon(synonyms={"stomatitis": "stomatitis"}))
    assert "stomatitis" in {s.text for s in diseases}
    assert not [e for e in ents if e.label_ == "DRUG"]


def test_component_round_trip(nlp: Language, ner: ChemicalDiseaseNER, tmp_path: Path) -> None:
    text = "RAD001 plus carboplatin in breast cancer patients NCT01127763"
    ner.to_disk(tmp_path / "ner")
    restored = ChemicalDiseaseNER(
        nlp, "extractor_ner", model="default", diseases_key="diseases", drug_component="extractor_drugs"
    )
    restored.model = spacy.blank("en")  # from_disk must bring the trained model back
    restored.from_disk(tmp_path / "ner")
    doc = nlp.make_doc(text)
    assert [(s.start, s.end, s.label_) for s in restored.predict(doc)] == [
        (s.start, s.end, s.label_) for s in ner.predict(doc)
    ]


def test_the_reference_list_is_not_read(nlp: Language, ner: ChemicalDiseaseNER) -> None:
    # 002_e5b7ac3fa1a98ba6.txt sentence, then a cited title under "References" (no evidence: assemble drops it)
    body = "RAD001 plus carboplatin in breast cancer patients NCT01127763"
    doc = nlp(f"{body}\n\nReferences\n\n1. Everolimus-induced pneumonitis in breast cancer patients.")
    assert {s.text for s in ner.predict(doc)} == {s.text for s in ner.predict(nlp(body))}
    assert "Everolimus" in {e.text for e in doc.ents}  # the lexicon still marks it; assemble decides


# --- reading only where the model's entities can reach the record ------------------------------------------------


def test_relevant_sentences(extractor: Extractor) -> None:
    """An INN-shaped word the lexicon does not know, a percentage, placebo, a treatment cue, or a drug with a word
    of the adverse-event component's attribution and case cues: read; anything else (a drug alone, an INN-shaped
    lexicon surface the drug matcher left): not read."""
    ner = extractor.nlp.get_pipe("extractor_ner")
    assert isinstance(ner, ChemicalDiseaseNER) and ner.read == "relevant"
    sentences = {  # sentences (lines) of the seed articles 000, 001 and 002
        "who developed osteomyelitis during the treatment with everolimus plus exemestane.": True,  # drugs, 'develop'
        "Ciprofloxacin did not alleviate the symptoms.": False,  # a drug, but no disease here could become an event
        "treatment with tremifen, multiple hepatic metastases were": True,  # an INN-shaped word ('-ifen') no surface
        # a lexicon surface the drug matcher did not take here: `is_new_drug_name` refuses it as a model entity too
        "The wound was infected with methicillin-resistant Staph-": False,
        "Sternal osteomyelitis has a mortality rate of 31% when": True,
        "marker expression in the placebo arm but a good response": True,
        "Radiotherapy was performed on the affected ster-": True,  # a non-drug treatment
        "Here, we report the case of a patient with recurrent breast cancer": False,
        "lary lymph node dissection at the age of 45.": False,
    }
    doc = extractor.nlp.make_doc("\n\n".join(sentences))
    for name, component in extractor.nlp.pipeline:
        if name == "extractor_ner":
            break
        doc = component(doc)
    read = ner.relevant(doc)
    assert {s.text.strip(): read(s.start_char, s.end_char) for s in doc.sents if s.text.strip()} == sentences


@pytest.mark.slow
def test_relevant_reading_changes_no_record_of_the_seeds(extractor: Extractor) -> None:
    """Reading every sentence gives the same records as reading the relevant ones (issue 17: the model is most
    of the pipeline's time, and about half of an article's sentences cannot use what it finds)."""
    ner = extractor.nlp.get_pipe("extractor_ner")
    assert isinstance(ner, ChemicalDiseaseNER)
    articles = sorted(SEEDS.glob("*.txt"))
    relevant = [extractor.extract_file(path).model_dump_json() for path in articles]
    ner.read = "all"
    try:
        every = [extractor.extract_file(path).model_dump_json() for path in articles]
    finally:
        ner.read = "relevant"
    assert relevant == every


def test_new_drug_words_are_the_words_is_new_drug_name_could_accept() -> None:
    lexicon = packaged_lexicon()
    text = "changed to tremifen; everolimus and methicillin-resistant; anti-everolimus; mab"
    words = [text[s : s + 20].split()[0].strip(";") for s in new_drug_words(text, lexicon)]
    assert words == ["tremifen", "everolimus"]  # the second: 'anti-everolimus' is no lexicon surface
    assert new_drug_words(text)[:3] == [text.index("tremifen"), text.index("everolimus"), text.index("methicillin")]
    for start in new_drug_words(text):
        word = text[start:].split()[0].strip(";").split("-")[0]
        assert start in new_drug_words(text, lexicon) or not is_new_drug_name(word, lexicon)
