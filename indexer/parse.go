package indexer

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// ErrUnsupported is returned by Parse for a file whose format the archive does not read.
var ErrUnsupported = errors.New("unsupported file format")

// Formats lists the file name extensions Parse reads.
var formats = map[string]string{
	".txt":      "text",
	".text":     "text",
	".md":       "markdown",
	".markdown": "markdown",
	".html":     "html",
	".htm":      "html",
	".pdf":      "pdf",
	".docx":     "docx",
	".csv":      "csv",
	".json":     "json",
	".jsonl":    "jsonl",
	".ndjson":   "jsonl",
}

// Supported reports whether Parse reads files with the name's extension.
func Supported(name string) bool {
	_, ok := formats[strings.ToLower(path.Ext(name))]
	return ok
}

// Parse reads one corpus file and returns the documents it holds: one for a
// text, Markdown, HTML, PDF or DOCX file, one per record for CSV and JSON
// exports. name is the file's slash-separated path relative to the corpus
// root; it sets the document ids and the Source field. meta, when not nil,
// is a YAML sidecar whose fields override what was inferred, as front matter
// does for Markdown.
//
// Kind and language are inferred from the content. The error says, in one
// line, why the file cannot be archived.
func Parse(name string, b []byte, meta []byte) ([]Document, error) {
	format, ok := formats[strings.ToLower(path.Ext(name))]
	if !ok {
		return nil, fmt.Errorf("%w %q (readable: .txt .md .html .pdf .docx .csv .json .jsonl)", ErrUnsupported, path.Ext(name))
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("empty file")
	}
	var (
		docs []Document
		err  error
	)
	switch format {
	case "pdf":
		var text, title string
		if text, title, err = pdfContent(b); err == nil {
			docs, err = textDocs(name, normalText(text), meta, true, normalText(title))
		}
	case "docx":
		var text string
		if text, err = docxText(b); err == nil {
			docs, err = textDocs(name, normalText(text), meta, true, "")
		}
	default:
		decode := decodeText
		if format == "html" {
			decode = decodeHTML
		}
		var text string
		if text, err = decode(b); err != nil {
			break
		}
		text = normalText(text)
		if !strings.Contains(text, "\n") {
			// Lines ended by CR alone, as old Mac tools and Excel's "CSV
			// (Macintosh)" save them.
			text = strings.ReplaceAll(text, "\r", "\n")
		}
		switch format {
		case "text", "markdown":
			// Markdown is written, not scraped: its short lists are text.
			docs, err = textDocs(name, text, meta, format == "markdown", "")
		case "html":
			var main, lang string
			var marked bool
			if main, marked, lang, err = htmlContent(text); err == nil {
				// &shy; is a soft hyphen too.
				if docs, err = textDocs(name, normalText(main), meta, marked, ""); err == nil && len(docs) == 1 && lang != "" && len(main) < declaredLangText {
					// Detection is unsure on a short text: the page's own word wins.
					docs[0].Language = lang
				}
			}
		case "csv":
			docs, err = parseCSV(name, text)
		case "json":
			docs, err = parseJSON(name, text)
		case "jsonl":
			docs, err = parseJSONLines(name, text)
		}
	}
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, errors.New("no documents found in file")
	}
	// One document per file (text, Markdown, HTML, PDF, DOCX): an id set in
	// its front matter or sidecar is the id staff chose, kept as it is. The
	// records of a data export keep theirs qualified by the file.
	single := format != "csv" && format != "json" && format != "jsonl"
	for i := range docs {
		finish(&docs[i], name, i, len(docs), single)
	}
	docs = splitLarge(docs)
	if err := checkIDs(docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// normalText returns text with accents as one character each ("à", not "a"
// and a combining grave), as they are typed and as the analyzers fold them,
// and without soft hyphens (U+00AD), which HTML pages and PDFs put inside
// words ("accounta\u00adbility") where a line may break: searching for the
// word found nothing.
func normalText(text string) string {
	text = norm.NFC.String(text)
	if strings.Contains(text, "\u00ad") {
		text = strings.ReplaceAll(text, "\u00ad", "")
	}
	return text
}

// declaredLangText is the length of text below which a page's declared
// language (<html lang>) is taken over the one detected; on longer text
// detection is sure, and a site's template may declare one language for
// pages in all of them.
const declaredLangText = 2000

// textDocs parses one text document, with optional front matter and sidecar
// metadata. clean says the text comes from a structured source (PDF, DOCX,
// HTML read by its structure, Markdown), not scraped from a web page; a text
// that staff gave metadata to is not a scraped page either. infoTitle is the
// title the file's own information gives (a PDF's), taken when it goes on
// where the title read from the text stops (see wholeTitle).
func textDocs(name, text string, sidecar []byte, clean bool, infoTitle string) ([]Document, error) {
	fm, body, err := splitFrontMatter(text)
	if err != nil {
		return nil, err
	}
	clean = clean || fm != nil || sidecar != nil
	if strings.TrimSpace(body) == "" && fm == nil {
		return nil, errors.New("no text in file")
	}
	var sm *meta
	if sidecar != nil {
		// Written by the same tools as front matter: UTF-8 or Windows-1252.
		st, err := decodeText(sidecar)
		if err != nil {
			return nil, &metaFileError{err}
		}
		// Its values are normalised as the text they describe.
		if sm, err = parseMeta([]byte(normalText(st)), 1); err != nil {
			return nil, &metaFileError{err}
		}
	}
	// What staff stated is not inferred again: front matter wins over the sidecar.
	kind, lang := sm.kindLang()
	if k, l := fm.kindLang(); k != "" || l != "" {
		kind, lang = cmp.Or(k, kind), cmp.Or(l, lang)
	}
	doc, err := parseTextAs(name, body, kind, lang, clean)
	if err != nil {
		return nil, err
	}
	doc.Title = wholeTitle(doc.Title, infoTitle)
	if sm != nil {
		sm.apply(&doc)
	}
	if fm != nil {
		fm.apply(&doc)
	}
	return []Document{doc}, nil
}

// finish fills what every document needs: id, source, language and a title.
// ownID keeps an id the document already has as it is.
func finish(d *Document, name string, i, n int, ownID bool) {
	d.Source = name
	if d.ID == "" {
		d.ID = docID(name, "", i, n)
	} else if !ownID && (n > 1 || d.ID != docID(name, "", 0, 1)) {
		// A record with its own identifier keeps it, qualified by the file.
		d.ID = docID(name, d.ID, i, n)
	}
	if d.Kind == "" {
		d.Kind = KindPage
	}
	if d.Language == "" {
		d.Language = detectLanguage(d.Title + "\n" + d.Body)
	}
	d.Title = cutAtWord(strings.TrimSpace(d.Title), maxTitle)
	if d.Title == "" {
		d.Title = titleFromBody(d.Body, name)
	}
	if d.Date == "" {
		// The first named date, but not an end: a commitment that gives
		// only when it ends has no date (the year facet is when it starts).
		if i := slices.IndexFunc(d.Dates, func(x Dated) bool { return x.Label != "end" }); i >= 0 {
			d.Date = d.Dates[i].Date
		}
	}
	if d.Reference != "" && !slices.Contains(d.References, d.Reference) {
		d.References = append([]string{d.Reference}, d.References...)
	}
	if c := d.Commitment; c != nil && c.Region == "" && isEUCountry(c.Country) {
		// An export gives each commitment's region; a draft that names
		// only its country (Italy's) is in Europe all the same.
		c.Region = "Europe"
	}
}

// maxTitle is the most characters a title keeps: a heading that runs on
// (a Markdown file of one line is one heading) would be copied into every
// part of a long text, every hit and every page.
const maxTitle = 500

// cutAtWord cuts s longer than max characters at a space in its second
// half, with an ellipsis.
func cutAtWord(s string, max int) string {
	n := 0
	for i := range s {
		if n == max {
			cut := s[:i]
			if j := strings.LastIndex(cut, " "); j > len(cut)/2 {
				cut = cut[:j]
			}
			return strings.TrimRight(cut, " ,;:") + "…"
		}
		n++
	}
	return s
}

// docID derives a stable, readable id from the file's path and, for files
// with many records, the record's own identifier or position.
func docID(name, record string, i, n int) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	id := slug(strings.ReplaceAll(base, "/", "."))
	if record != "" {
		return id + "~" + slug(record)
	}
	if n > 1 {
		return fmt.Sprintf("%s~%d", id, i+1)
	}
	return id
}

func checkIDs(docs []Document) error {
	seen := make(map[string]bool, len(docs))
	for _, d := range docs {
		if seen[d.ID] {
			return fmt.Errorf("two records have the same identifier %q", d.ID)
		}
		seen[d.ID] = true
	}
	return nil
}

// slug lowercases s and keeps letters, digits, dots and single dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r > 127 && isLetter(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if s := b.String(); s != "" && s != "." && s != ".." {
		return s
	}
	return "doc" // "." and ".." name no page: /documents/.. is /
}

// metaFileError is an error in the metadata file (sidecar) of a PDF or
// DOCX, which the caller names.
type metaFileError struct{ err error }

func (e *metaFileError) Error() string { return "sidecar metadata: " + e.err.Error() }
func (e *metaFileError) Unwrap() error { return e.err }

// decodeText returns b as UTF-8 text. Text that is not valid UTF-8 is read as
// Windows-1252, which Italian and other European offices still save; UTF-16
// with a byte order mark is converted. Binary files are refused.
func decodeText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("bad UTF-16 text: %w", err)
		}
		b = out
	}
	if looksBinary(b) {
		return "", errors.New("binary file, not text")
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("text is neither UTF-8 nor Windows-1252: %w", err)
	}
	return string(out), nil
}

// decodeHTML returns an HTML page as UTF-8 text: a page that is not UTF-8
// is read in the character set its <meta> declares (ISO-8859-15 has € where
// Windows-1252 has ¤), else as decodeText reads it.
func decodeHTML(b []byte) (string, error) {
	if looksBinary(b) || utf8.Valid(b) {
		return decodeText(b) // UTF-16 with a byte order mark, binary, or UTF-8
	}
	e, name, _ := charset.DetermineEncoding(b, "")
	if name == "utf-8" {
		// Declared or guessed UTF-8 but not UTF-8: as decodeText reads it.
		return decodeText(b)
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("text is not %s as the page declares: %w", name, err)
	}
	return string(out), nil
}

// looksBinary reports whether b holds NUL bytes or many control characters in its first KiB.
func looksBinary(b []byte) bool {
	head := b[:min(len(b), 1024)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl > len(head)/20+1
}
