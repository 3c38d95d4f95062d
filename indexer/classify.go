package indexer

import (
	"strings"
	"unicode"
)

// parseText reads one text document (plain text or Markdown, front matter
// already removed): it decides the kind from the content and hands the text
// to the parser of that kind.
// TODO(parsers): opinion, factsheet and page parsers.
func parseText(name, text string) (Document, error) {
	return Document{Kind: KindPage, Body: strings.TrimSpace(text)}, nil
}

// titleFromBody picks the first meaningful line of body as a title, or the file name.
func titleFromBody(body, name string) string {
	for _, line := range strings.Split(body, "\n") {
		line = strings.Trim(strings.TrimSpace(line), "#*_ ")
		if len([]rune(line)) >= 3 {
			if r := []rune(line); len(r) > 200 {
				line = string(r[:200]) + "…"
			}
			return line
		}
	}
	return name
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }
