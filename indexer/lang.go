package indexer

// detectLanguage returns the ISO 639-1 code of the language text is written in.
// TODO(parsers): real detection.
func detectLanguage(text string) string { return "en" }
