package indexer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxPartBytes is the most text one indexed document holds. A longer text
// (a 60 MB scraped dump) is archived as parts of about this size: indexing
// one document takes about 40 times its text in memory, and a document page
// is rendered whole.
const maxPartBytes = 1 << 20

// splitLarge splits every document whose body is longer than maxPartBytes,
// and that has no numbered paragraphs, into parts. The first part keeps the
// document's id, the others add "~part-N"; each title says which part it is.
func splitLarge(docs []Document) []Document {
	var out []Document
	for i, d := range docs {
		if len(d.Body) <= maxPartBytes || len(d.Paragraphs) > 0 {
			if out != nil {
				out = append(out, d)
			}
			continue
		}
		if out == nil {
			out = append(out, docs[:i]...)
		}
		bodies := splitText(d.Body, maxPartBytes)
		for k, body := range bodies {
			p := d
			p.Body = body
			p.Title = fmt.Sprintf("%s (%d/%d)", d.Title, k+1, len(bodies))
			if k > 0 {
				p.ID = fmt.Sprintf("%s~part-%d", d.ID, k+1)
				p.Summary, p.KeyPoints, p.Events = "", nil, nil
			}
			out = append(out, p)
		}
	}
	if out == nil {
		return docs
	}
	return out
}

// splitText cuts s into pieces of at most max bytes, at a paragraph break
// when there is one in the second half of the piece, else at a line break or
// a space, else between two characters.
func splitText(s string, max int) []string {
	var out []string
	for len(s) > max {
		cut := -1
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(s[:max], sep); i >= max/2 {
				cut = i + len(sep)
				break
			}
		}
		if cut < 0 {
			cut = max
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			if cut == 0 {
				cut = max // not UTF-8 here: any cut will do, as long as it moves on
			}
		}
		if piece := strings.TrimSpace(s[:cut]); piece != "" {
			out = append(out, piece)
		}
		s = s[cut:]
	}
	if piece := strings.TrimSpace(s); piece != "" || len(out) == 0 {
		out = append(out, piece)
	}
	return out
}
