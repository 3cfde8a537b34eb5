"""Pure text helpers shared by the components: numbers, statistics as printed, sentences, tables. No spaCy."""
