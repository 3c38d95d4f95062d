package indexer

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// record is one row of a CSV export or one object of a JSON export: its
// values by field name, with lists kept apart. Lookups ignore case.
type record struct {
	keys   map[string]string // lower-case name -> name as given
	values map[string]string
	lists  map[string][]string
}

func newRecord() record {
	return record{keys: map[string]string{}, values: map[string]string{}, lists: map[string][]string{}}
}

// fieldKey is a field's name as fields are matched: lower case, and any
// run of other characters than letters and digits one space, so that the
// names tools write for one column match ("Country/Locality",
// "country_locality", "Supporting Institution(s)", "supporting_institution_s").
func fieldKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	if strings.HasPrefix(strings.TrimSpace(k), "_") {
		// The export's numeric codings of a column ("_Specificity"
		// beside "Specificity") stay apart.
		b.WriteByte('_')
	}
	gap := false
	for _, r := range k {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = b.Len() > 0
			continue
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// set records field k; HTML entities left by the exports are decoded here,
// once, whatever the format.
func (r record) set(k, v string) {
	if strings.Contains(v, "&") {
		v = html.UnescapeString(v)
	}
	r.keys[fieldKey(k)] = k
	r.values[k] = v
}

// has reports whether the record has a field named k, whatever its value.
func (r record) has(k string) bool {
	_, ok := r.keys[fieldKey(k)]
	return ok
}

// get returns the value of the first of keys the record has a value for.
// Missing-value codes (ND, NR, NA, N/A, empty) count as no value.
func (r record) get(keys ...string) string {
	for _, k := range keys {
		if name, ok := r.keys[fieldKey(k)]; ok {
			if v := strings.TrimSpace(r.values[name]); !missing(v) {
				return v
			}
		}
	}
	return ""
}

// list returns the strings of a JSON array field, or the value split on ";".
func (r record) list(k string) []string {
	name, ok := r.keys[fieldKey(k)]
	if !ok {
		return nil
	}
	if l := r.lists[name]; len(l) > 0 {
		return l
	}
	return splitList(r.get(k))
}

// missing reports whether v is one of the codes exports use for "no value".
func missing(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "", "ND", "NR", "NA", "N/A", "N.A.", "NULL", "NONE GIVEN", "-":
		return true
	}
	return false
}

// maxRecords bounds how many records one export may hold, so that a hostile
// file cannot make the indexer allocate without end.
const maxRecords = 100_000

// parseJSON reads a JSON file holding one record or an array of records
// (an object with a "records", "items" or "data" array is read too).
func parseJSON(name, text string) ([]Document, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(text, err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("json: more than one value in file (use .jsonl for one record per line)")
	}
	var objs []map[string]any
	switch t := v.(type) {
	case map[string]any:
		objs = []map[string]any{t}
		for _, k := range []string{"records", "items", "data", "results"} {
			// The records, unless the object is one itself; an export's
			// wrapper may have a title of its own beside its records.
			if arr, ok := t[k].([]any); ok && (!looksLikeRecord(t) || len(arr) > 0 && isRecordObject(arr[0])) {
				var err error
				if objs, err = objects(arr); err != nil {
					return nil, err
				}
				break
			}
		}
	case []any:
		var err error
		if objs, err = objects(t); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("json: no records with title or text (the file holds neither an object nor an array)")
	}
	return recordDocs(name, objs)
}

// parseJSONLines reads JSON Lines, one record per line.
func parseJSONLines(name, text string) ([]Document, error) {
	var objs []map[string]any
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("jsonl: line %d: %s at offset %d", i+1, se.Error(), se.Offset)
			}
			return nil, fmt.Errorf("jsonl: line %d: %s", i+1, firstLine(err.Error()))
		}
		if _, err := dec.Token(); err == nil {
			return nil, fmt.Errorf("jsonl: line %d: more than one value on the line", i+1)
		}
		o, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("jsonl: line %d: a record must be a JSON object", i+1)
		}
		if len(objs) >= maxRecords {
			return nil, fmt.Errorf("jsonl: more than %d records", maxRecords)
		}
		objs = append(objs, o)
	}
	return recordDocs(name, objs)
}

// jsonError turns a decoding error into one line with the position.
func jsonError(text string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line := strings.Count(text[:min(int(se.Offset), len(text))], "\n") + 1
		return fmt.Errorf("json: %s at line %d (offset %d)", se.Error(), line, se.Offset)
	case errors.As(err, &te):
		return fmt.Errorf("json: %s at offset %d", te.Error(), te.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("json: unexpected end of file at offset %d", len(text))
	}
	return fmt.Errorf("json: %s", firstLine(err.Error()))
}

// objects returns the records of an array, which must all be JSON objects
// (as a JSON Lines file's lines must): a stray value would otherwise vanish
// without a word.
func objects(arr []any) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(arr))
	for i, e := range arr {
		o, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("json: element %d of the array is %s, not a record (a JSON object)", i+1, jsonKind(e))
		}
		out = append(out, o)
	}
	return out, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	}
	return "a value"
}

// isRecordObject reports whether v is a JSON object that looks like a record.
func isRecordObject(v any) bool {
	o, ok := v.(map[string]any)
	return ok && looksLikeRecord(o)
}

func looksLikeRecord(o map[string]any) bool {
	for _, k := range []string{"title", "text", "body", "Commitment Unique Identifier", "Commitment Title"} {
		if _, ok := o[k]; ok {
			return true
		}
	}
	return false
}

// toRecord flattens a JSON object: scalars become strings, arrays of
// scalars become lists. Nested objects are dropped.
func toRecord(o map[string]any) record {
	r := newRecord()
	for k, v := range o {
		switch t := v.(type) {
		case string:
			// JSON escapes ("\u00ad", "a\u0300") are read after the file
			// was: the values are normalised as text files are.
			r.set(k, normalText(t))
		case json.Number:
			r.set(k, t.String())
		case bool:
			r.set(k, strconv.FormatBool(t))
		case []any:
			var l []string
			for _, e := range t {
				switch s := e.(type) {
				case string:
					if !missing(s) {
						l = append(l, strings.TrimSpace(normalText(s)))
					}
				case json.Number:
					l = append(l, s.String())
				}
			}
			r.set(k, strings.Join(l, "; "))
			r.lists[k] = l
		}
	}
	return r
}

// recordDocs turns JSON objects into documents: OGP commitments when they
// carry the export's fields, institutional texts otherwise.
func recordDocs(name string, objs []map[string]any) ([]Document, error) {
	if len(objs) > maxRecords {
		return nil, fmt.Errorf("json: %d records, more than the %d allowed", len(objs), maxRecords)
	}
	var docs []Document
	commitments := 0
	for _, o := range objs {
		r := toRecord(o)
		if isCommitment(r) {
			docs = append(docs, commitmentDoc(r))
			commitments++
		} else if d, ok := institutionalDoc(name, r); ok {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, errors.New("json: no records with title or text")
	}
	if len(docs) == 1 && commitments == 0 {
		// A file holding one text is that document: its id is the file's.
		docs[0].ID = ""
	}
	return docs, nil
}

var (
	celexRe     = regexp.MustCompile(`^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9]{4}`)
	corCelexRe  = regexp.MustCompile(`^5[0-9]{4}AR[0-9]{4}`)
	tableRuleRe = regexp.MustCompile(`^[\s|:-]*-{3,}[\s|:-]*$`)
	pickerRe    = regexp.MustCompile(`^[a-z]{2}[\s\x{a0}]+-[\s\x{a0}]+\S`)
	sizeLineRe  = regexp.MustCompile(`^[0-9]+k$`)
	procedureRe = regexp.MustCompile(`^Procedure\s*:\s*(\S.*)$`)
)

// institutionalDoc maps a JSON record of an institutional text (EUR-Lex,
// European Parliament, Italian Senate and Chamber, CoR opinions).
func institutionalDoc(name string, r record) (Document, bool) {
	title := r.get("title", "titolo", "name", "heading")
	text := r.get("text", "body", "testo", "content", "full_text", "Full Text")
	if title == "" && text == "" {
		return Document{}, false
	}
	celex := r.get("celex_id", "celex")
	if celex == "" && celexRe.MatchString(r.get("_id")) {
		celex = r.get("_id")
	}
	cor := corCelexRe.MatchString(celex) || strings.Contains(strings.ToLower(r.get("_source")), "cor-opinion")
	// An opinion's Official Journal layout (one item a line) is what the
	// opinion parser reads, so its lines are not joined.
	text, procedure := cleanRecordText(text, !cor)

	var d Document
	if text != "" {
		if p, err := parseTextAs(name, text, "", "", true); err == nil {
			d = p
		}
	}
	if d.Body == "" {
		d.Body = text
	}
	if d.Kind == "" {
		d.Kind = KindPage
	}
	// The record's title is the publisher's; for CoR opinions the opinion
	// parser reads a better one from the OJ layout, if it finds any.
	if title != "" && (!cor || d.Title == "") {
		d.Title = title
	}
	if generic := r.get("bill_type"); generic != "" && strings.EqualFold(d.Title, generic) {
		if t := billTitle(d.Body); t != "" {
			d.Title = t
		}
	}
	if v := r.get("date", "data", "published", "presentation_date"); v != "" {
		if iso, ok := parseDate(v); ok {
			d.Date = iso
			if d.Kind == KindPage {
				// The record says its date: a date the page reader took from
				// the text is a citation in it ("G.U. n. 143 del 23 giugno 2015").
				d.Dates = slices.DeleteFunc(d.Dates, func(x Dated) bool { return x.Label == "published" })
			}
		}
	}
	if d.Date == "" {
		if iso, ok := parseDate(r.get("presentation_date_raw", "data_presentazione")); ok {
			d.Date = iso
		}
	}
	if u := r.get("url", "link", "uri"); u != "" {
		d.URL = u
	}
	for _, ref := range []string{celex, r.get("doceo_id"), r.get("fase"), r.get("bill_number"), r.get("reference")} {
		if ref != "" && !slices.Contains(d.References, ref) {
			d.References = append(d.References, ref)
		}
	}
	if d.Reference == "" && len(d.References) > 0 {
		d.Reference = d.References[0]
	}
	if v := r.get("statoDdl", "status", "stato"); v != "" {
		d.Status = v
	}
	if lang := strings.ToLower(r.get("language", "lang", "lingua")); len(lang) == 2 {
		d.Language = lang
	}
	addField := func(label, v string) {
		if v != "" {
			d.Procedure = append(d.Procedure, Field{Label: label, Value: v})
		}
	}
	addField("Procedure", procedure)
	addField("Assigned to", r.get("assigned_to"))
	addField("Initiative", r.get("descrIniziativa"))
	addField("Initiative type", r.get("initiative_type"))
	addField("Legislature", r.get("legislatura", "legislature"))
	var eurovoc []string
	for _, u := range r.list("eurovoc_concepts") {
		eurovoc = append(eurovoc, u[strings.LastIndexByte(u, '/')+1:])
	}
	addField("EuroVoc concepts", strings.Join(eurovoc, ", "))
	for _, t := range []string{r.get("document_type"), r.get("bill_type"), r.get("natura")} {
		if t = strings.ReplaceAll(t, "_", " "); t != "" && !slices.Contains(d.Tags, t) {
			d.Tags = append(d.Tags, t)
		}
	}
	for _, t := range r.list("tags") {
		if !slices.Contains(d.Tags, t) {
			d.Tags = append(d.Tags, t)
		}
	}
	d.ID = cmp.Or(d.Reference, r.get("_id", "id"))
	return d, true
}

// billTitle finds the title of an Italian Chamber bill in its text, the line
// before "Presentata il ..." (the record's own title is only "Proposta di
// legge").
func billTitle(body string) string {
	lines := strings.Split(body, "\n")
	for i := 1; i < len(lines) && i < 300; i++ { // a bill's table of contents can run to a hundred lines
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "Presentat") {
			if t := strings.TrimSpace(lines[i-1]); len(t) > 15 && !strings.HasPrefix(t, "d'iniziativa") {
				return t
			}
			return ""
		}
	}
	return ""
}

// cleanRecordText removes the web-page residue scrapers leave in the text:
// the European Parliament's language picker and navigation, EUR-Lex's table
// rules, page footers. It returns the procedure number found in the
// navigation, if any.
func cleanRecordText(text string, join bool) (string, string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	procedure := ""
	// European Parliament: a language picker, then navigation ending with
	// the sizes of the PDF and Word versions ("113k", "48k").
	picker := 0
	for _, l := range lines[:min(len(lines), 40)] {
		if pickerRe.MatchString(strings.TrimSpace(l)) {
			picker++
		}
	}
	if picker >= 10 {
		cut := -1
		for i, l := range lines[:min(len(lines), 80)] {
			l = strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " "))
			if m := procedureRe.FindStringSubmatch(l); m != nil && procedure == "" {
				procedure = strings.TrimSpace(m[1])
			}
			if sizeLineRe.MatchString(l) || l == "Next" || l == "Index" {
				cut = i
			}
		}
		if cut >= 0 {
			lines = lines[cut+1:]
		}
		for len(lines) > 0 {
			l := strings.TrimSpace(lines[len(lines)-1])
			if l == "" || strings.HasPrefix(l, "Last updated:") || strings.HasPrefix(l, "Legal notice") {
				lines = lines[:len(lines)-1]
				continue
			}
			break
		}
	}
	tables := false
	for _, l := range lines {
		if tableRuleRe.MatchString(l) && strings.Contains(l, "|") {
			tables = true
			break
		}
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		t := strings.TrimRight(l, " \t")
		if tables {
			if tableRuleRe.MatchString(t) && strings.Contains(t, "|") || strings.TrimSpace(t) == "* * *" {
				continue
			}
			// "(1) | Whereas ..." is a table cell boundary, not text.
			if strings.Contains(t, "|") {
				t = strings.TrimSpace(strings.Trim(strings.ReplaceAll(t, " | ", " "), "| "))
			}
		}
		// A line starting with a lower-case word or a closing mark continues
		// the previous one: a hard break left by an HTML-to-text converter.
		if n := len(out); join && n > 0 && out[n-1] != "" && continues(t) {
			out[n-1] = strings.TrimRight(out[n-1], " ") + joiner(out[n-1], t) + strings.TrimLeft(t, " ")
			continue
		}
		out = append(out, t)
	}
	return strings.TrimSpace(squeezeBlankLines(strings.Join(out, "\n"))), procedure
}

// continues reports whether a line reads as the continuation of the one before.
func continues(line string) bool {
	t := strings.TrimLeft(line, " ")
	if t == "" {
		return false
	}
	switch t[0] {
	case ',', ';', '.', ')', ':', '!', '?':
		return !strings.HasPrefix(t, "...")
	}
	r := []rune(t)[0]
	return r >= 'a' && r <= 'z' && !pickerRe.MatchString(t) && !strings.HasPrefix(t, "- ")
}

func joiner(prev, next string) string {
	switch strings.TrimLeft(next, " ")[0] {
	case ',', ';', '.', ')', ':', '!', '?':
		return ""
	}
	if strings.HasSuffix(prev, "(") || strings.HasSuffix(prev, "'") || strings.HasSuffix(prev, "’") ||
		strings.HasSuffix(prev, "-") && !strings.HasSuffix(prev, " -") {
		return ""
	}
	return " "
}

var blankRun = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// squeezeBlankLines keeps at most one blank line in a row.
func squeezeBlankLines(s string) string { return blankRun.ReplaceAllString(s, "\n\n") }

// splitList splits an institution list on semicolons and line breaks, the
// separators exports use between names; commas are left alone because they
// occur inside names ("Ministry of Culture, Youth and Sport").
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	add := func(part string) {
		part = strings.TrimSpace(listMarker.ReplaceAllString(strings.TrimSpace(part), ""))
		// "A &" at a line's end joins two names listed one a line (NL0005).
		part = strings.Join(strings.Fields(strings.TrimRight(part, " .,:&")), " ")
		if part != "" && !missing(part) && !slices.Contains(out, part) {
			out = append(out, part)
		}
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = midLineBullet.ReplaceAllString(s, "$1\n$2")
	s = commaDash.ReplaceAllString(s, "\n- ")
	for _, chunk := range strings.Split(s, ";") {
		item, prev := "", ""
		for _, line := range strings.Split(chunk, "\n") {
			if item != "" && continuesItem(prev, line) {
				item += " " + strings.TrimSpace(line)
			} else {
				add(item)
				item = line
			}
			prev = line
		}
		add(item)
	}
	return out
}

// listMarker is a list item's bullet, letter or number at the start of a
// line: "- ", "● ", "(a) ", "b) ", "1. ", "\uf06c" (a Word bullet in a
// private-use code point).
var listMarker = regexp.MustCompile(`^(?:[-•*·–●▪○\x{f06c}\x{f0b7}\x{f0a7}]+|\(?[a-z0-9]{1,2}\)|[0-9]{1,2}\.\s)\s*`)

// midLineBullet is a bullet after other text on its line: items run
// together on one line ("• Ministry A • Ministry B") start a line each.
var midLineBullet = regexp.MustCompile(`(\S)[ \t]*([•●▪\x{f06c}\x{f0b7}\x{f0a7}])`)

// commaDash is a dash item after a comma on the line of another: "AIP
// (OAC), - Secretaría General" (PY0067).
var commaDash = regexp.MustCompile(`,[ \t]+[-–][ \t]+`)

// continuesItem reports whether line goes on with the list item whose last
// line is prev, rather than starting one: a name wrapped over two lines
// ("Dirección General de Tecnología de" / "  la Información"). It does when
// it carries no list marker and prev ends with a linking word, or when it
// is indented by two spaces or more and starts in lower case or follows a
// line the wrap left a space at the end of ("Parlamento " / "  Abierto").
// An acronym in brackets on a line of its own is the name's before it
// ("Unit for Access to Public Information" / "(UAIP)."), and so is what
// follows a dash at a line's end ("... Self-Government -" / "MPALSG").
func continuesItem(prev, line string) bool {
	t := strings.TrimSpace(line)
	words := strings.Fields(prev)
	if t == "" || len(words) == 0 || listMarker.MatchString(t) {
		return false
	}
	last := strings.ToLower(words[len(words)-1])
	if slices.Contains([]string{"de", "del", "della", "di", "of", "and", "for", "the", "la", "et", "des", "du", "-", "–"}, last) {
		return true
	}
	if strings.HasPrefix(t, "(") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(t)
	return strings.HasPrefix(line, "  ") && (unicode.IsLower(r) || strings.HasSuffix(prev, " "))
}
