package indexer

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
)

// parseText reads one text document (plain text or Markdown, front matter
// already removed): it decides the kind from the content and hands the text
// to the parser of that kind. name only names the file in errors; folder
// names are not trusted to say what a document is.
func parseText(name, text string) (Document, error) {
	return parseTextAs(name, text, "", "", false)
}

// parseTextAs is parseText for a text whose kind or language may already be
// known (from front matter): a known language is not detected again, and a
// text known to be a page is not classified. A clean text (from a JSON
// record, a PDF, a DOCX, HTML read by its structure) is not a scraped page:
// the page reader does not look in it for menus, footers and link lists.
func parseTextAs(name, text, kind, lang string, clean bool) (Document, error) {
	text = normalizeText(text)
	if !hasWords(text) {
		return Document{}, errors.New("no words in text")
	}
	// Only "page" is taken as given: for the other kinds the layout decides
	// which parser reads the text (a Markdown file that staff mark as an
	// opinion need not be in an opinion's layout); the kind is set after.
	if kind != KindPage {
		kind = classify(text)
	}
	var doc Document
	switch kind {
	case KindCommitment:
		doc = parseActionPlan(text)
	case KindFactsheet:
		doc = parseFactsheet(text)
	case KindOpinion:
		doc = parseOpinion(text)
	default:
		doc = parsePage(text, clean)
	}
	// The parsers leave the language to this one place.
	if lang == "" {
		lang = detectLanguage(doc.Title + "\n" + doc.Body)
	}
	doc.Language = lang
	return doc, nil
}

// classify names the kind of a text from what it says. Each test looks for
// features that only that layout has, in every language of the label table.
func classify(text string) string {
	switch {
	case isActionPlan(text):
		return KindCommitment
	case isFactsheet(text):
		return KindFactsheet
	case isOpinion(text):
		return KindOpinion
	}
	return KindPage
}

// labels holds every spelling, per language, of the words the CoR and OGP
// layouts are recognised by. Add a language by adding its spellings here.
// Matching is case-insensitive and ignores Markdown/HTML markup around the label.
var labels = map[string][]string{
	"committee":        {"THE EUROPEAN COMMITTEE OF THE REGIONS", "IL COMITATO EUROPEO DELLE REGIONI"},
	"opinion of":       {"Opinion of the European Committee of the Regions", "Parere del Comitato europeo delle regioni"},
	"opinion heading":  {"OPINION", "PARERE"},
	"factsheet":        {"Opinion factsheet", "Scheda del parere", "Scheda informativa del parere"},
	"rapporteur":       {"Rapporteur", "Rapporteurs", "Relatore", "Relatrice", "Relatori"},
	"reference":        {"Reference", "Reference(s)", "Riferimento", "Riferimento/i", "Riferimenti"},
	"reference docs":   {"Reference document(s)", "Reference document", "Reference documents", "Documento di riferimento", "Documenti di riferimento", "Documento/i di riferimento"},
	"title":            {"Title", "Titolo"},
	"legal basis":      {"Legal basis", "Base giuridica"},
	"procedural basis": {"Procedural basis", "Base procedurale", "Base regolamentare"},
	"commission":       {"Commission responsible", "Commission", "Commissione competente", "Commissione"},
	"group":            {"Political group", "Group", "Gruppo politico", "Gruppo"},
	"status":           {"Status", "Stato"},
	"date adopted":     {"Date of adoption", "Adoption date", "Date adopted", "Data di adozione"},
	"adopted in commission": {
		"Date adopted by commission", "Date adopted in commission", "Data di adozione in commissione",
	},
	"adopted in plenary": {
		"Date adopted in plenary", "Date of adoption in plenary", "Data di adozione in sessione plenaria",
		"Data di adozione in plenaria",
	},
	"previous opinions": {"Previous Committee opinion(s)", "Previous Committee opinions", "Pareri precedenti del Comitato",
		"Precedenti pareri del Comitato", "Pareri precedenti del CdR", "Precedenti pareri del CdR"},
	"session":           {"Plenary session", "Sessione plenaria"},
	"procedure":         {"PROCEDURE", "PROCEDURA"},
	"tags":              {"Tags", "Tag", "Keywords", "Parole chiave", "Etichette", "Argomenti"},
	"adopted status":    {"Adopted", "Adottato", "Adottata"},
	"place of adoption": {"Brussels", "Bruxelles", "Brüssel", "Bruselas", "Bruxelas", "Brussel"},
	"plenary words":     {"plenary session", "sessione plenaria"},
	"appointment":       {"Appointment of Rapporteur", "Appointment of the rapporteur", "Nomina del relatore", "Nomina della relatrice"},
	"own initiative":    {"own-initiative", "own initiative", "d'iniziativa", "di iniziativa"},
	"action plan sections": {
		"Descrizione breve", "Obiettivo generale", "Situazione attuale", "Risultati attesi",
		"Short description", "General objective", "Status quo", "Expected results",
	},
	"lead institution": {
		"Amministrazione responsabile", "Amministrazioni responsabili", "Ente responsabile",
		"Lead implementing agency", "Lead institution",
	},
}

// isLabel reports whether s, stripped of markup and a trailing colon, is one of the spellings of label key.
func isLabel(key, s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(plain(s)), ":"))
	for _, l := range labels[key] {
		if strings.EqualFold(s, l) {
			return true
		}
	}
	return false
}

// hasLabel reports whether s contains one of the spellings of label key.
func hasLabel(key, s string) bool {
	low := strings.ToLower(s)
	for _, l := range labels[key] {
		if strings.Contains(low, strings.ToLower(l)) {
			return true
		}
	}
	return false
}

// labelPrefix splits "Label: value" when Label is one of the spellings of key.
func labelPrefix(key, s string) (string, bool) {
	return labelValue(key, plain(s))
}

// labelValue is labelPrefix for a line already stripped by plain.
func labelValue(key, s string) (string, bool) {
	i := strings.Index(s, ":")
	if i < 0 {
		return "", false
	}
	if isLabel(key, s[:i]) {
		return strings.TrimSpace(s[i+1:]), true
	}
	return "", false
}

var (
	htmlTag  = regexp.MustCompile(`</?[a-zA-Z][^<>]*>`)
	mdLink   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	spaceRun = regexp.MustCompile(`[ \t\p{Zs}]+`)
	// Emphasis markers open after a space or an opening quote and close
	// before a space, punctuation or a closing quote: "*Open* *Data*",
	// "\"*smart city*\"". Two passes, as one marker's space may be the next's.
	emphasisOpen  = regexp.MustCompile(`(^|[\s"“«(])[*_]+`)
	emphasisClose = regexp.MustCompile(`[*_]+($|[\s.,;:!?)"”»])`)
)

// plain strips Markdown and HTML markup from one line: heading marks, bold and
// italic markers, tags, link targets, pandoc's trailing backslashes.
// It is called on every line, so each regular expression runs only when the
// line holds the character it looks for, and a line with none of the
// characters any step acts on is only trimmed.
func plain(s string) string {
	if !hasMarkup(s) {
		return strings.TrimSpace(s)
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = htmlTag.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "](") {
		s = mdLink.ReplaceAllString(s, "$1")
	}
	s = strings.TrimLeft(strings.TrimSpace(s), "#")
	if strings.IndexByte(s, '\\') >= 0 {
		s = strings.ReplaceAll(s, "\\", "")
	}
	if strings.ContainsAny(s, "*_") {
		s = strings.ReplaceAll(s, "**", "")
		s = emphasisOpen.ReplaceAllString(s, "$1")
		s = emphasisClose.ReplaceAllString(s, "$1")
		s = strings.Trim(s, "*_ \t")
	}
	if strings.Contains(s, "  ") || hasOddSpace(s) {
		s = spaceRun.ReplaceAllString(s, " ")
	}
	return strings.TrimSpace(s)
}

// hasMarkup reports whether s holds a byte that one of plain's steps acts
// on: '<', ']', '#', '\\', '*', '_', a tab, two spaces in a row, or the
// start of U+00A0, U+2009 or U+202F. Without one, plain only trims s.
func hasMarkup(s string) bool {
	for i := 0; i < len(s); i++ {
		if !markupByte[s[i]] {
			continue
		}
		switch s[i] {
		case '<', ']', '#', '\\', '*', '_', '\t':
			return true
		case ' ':
			if i+1 < len(s) && s[i+1] == ' ' {
				return true
			}
		case 0xC2, 0xE2:
			if hasOddSpace(s[i:min(i+3, len(s))]) {
				return true
			}
		}
	}
	return false
}

// markupByte marks the bytes hasMarkup looks at.
var markupByte = [256]bool{'<': true, ']': true, '#': true, '\\': true, '*': true, '_': true, '\t': true, ' ': true, 0xC2: true, 0xE2: true}

// hasOddSpace is strings.ContainsAny(s, "\t\u00a0\u2009\u202f") without
// decoding s: in UTF-8 the bytes of those runes mean nothing else.
func hasOddSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t':
			return true
		case 0xC2: // U+00A0 is C2 A0
			if i+1 < len(s) && s[i+1] == 0xA0 {
				return true
			}
		case 0xE2: // U+2009 is E2 80 89, U+202F is E2 80 AF
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x89 || s[i+2] == 0xAF) {
				return true
			}
		}
	}
	return false
}

// normalizeText gives every parser the same line endings and spaces.
func normalizeText(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\f", "\n")
	if strings.Contains(s, "\xef\xac") { // U+FB00-FB06 in UTF-8: most texts have none
		s = ligatures.Replace(s)
	}
	return s
}

// ligatures spells out the typographic ligatures PDFs (and text extracted
// from them) carry, so that "ﬁnanziamento" is found as "finanziamento".
var ligatures = strings.NewReplacer("ﬀ", "ff", "ﬁ", "fi", "ﬂ", "fl", "ﬃ", "ffi", "ﬄ", "ffl", "ﬅ", "st", "ﬆ", "st")

// hasWords reports whether s holds at least one word of two letters.
func hasWords(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
			if n >= 2 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

// collapseBlank trims lines' trailing spaces and keeps at most one blank line in a row.
func collapseBlank(lines []string) string {
	out := make([]string, 0, len(lines))
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// nameCase writes words typed in capitals, as CoR documents print surnames,
// with an initial capital: "CIRIO" -> "Cirio", "D'AMICO" -> "D'Amico".
func nameCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if !isUpperWord(w) {
			continue
		}
		r := []rune(strings.ToLower(w))
		up := true
		for j, c := range r {
			if up && unicode.IsLetter(c) {
				r[j] = unicode.ToUpper(c)
				up = false
			}
			if c == '-' || c == '\'' || c == '’' {
				up = true
			}
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// isUpperWord reports whether w has two or more letters, all capitals.
func isUpperWord(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// sentenceCase rewrites an all-capitals heading as "First word capitalised".
func sentenceCase(s string) string {
	if !isUpperWord(strings.ReplaceAll(s, " ", "")) {
		return s
	}
	r := []rune(strings.ToLower(s))
	for i, c := range r {
		if unicode.IsLetter(c) {
			r[i] = unicode.ToUpper(c)
			break
		}
	}
	return string(r)
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

// isLetter is unicode.IsLetter for parse.go, where unicode names x/text's encoding package.
func isLetter(r rune) bool { return unicode.IsLetter(r) }
