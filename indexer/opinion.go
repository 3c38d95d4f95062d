package indexer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A CoR opinion comes in two layouts that share the same parts, in order:
//   - the CoR's own document (Markdown converted from PDF): reference
//     ("ECON-VII/038"), plenary session, title, summary bullets, rapporteur,
//     reference documents, numbered paragraphs under headings, place and date,
//     signatures, then a procedure table and footnotes;
//   - the Official Journal text: masthead ("C/2026/2605", publication date),
//     "Opinion of the European Committee of the Regions – <title>", labels and
//     values on separate lines ("Rapporteur", ":", value), paragraphs whose
//     number stands on its own line, place and date, ELI/ISSN trailer.
// The parser reads the parts by their shape, so both layouts go through the
// same steps.

var (
	corRef        = regexp.MustCompile(`\b[A-Z]{2,6}-[IVX]{1,4}/\d{1,4}\b`)
	ojRef         = regexp.MustCompile(`\bC/\d{4}/\d{1,6}\b`)
	docRef        = regexp.MustCompile(`\b(?:COM|SWD|JOIN|SEC|C)\(\d{4}\)\s?\d+(?:\s?final)?`)
	numberedLine  = regexp.MustCompile(`^(\d{1,3})\.(?:\s+(.*))?$`)
	romanHeading  = regexp.MustCompile(`^[IVXL]{1,5}\.\s+(\S.*)$`)
	rapporteurRe  = regexp.MustCompile(`^(.+?)\s*\(\s*([A-Z]{2})\s*/\s*([^)]+?)\s*\)\s*,?\s*(.*)$`)
	footnoteMark  = regexp.MustCompile(`^\(\s*\d{1,3}\s*\)$`)
	inlineNote    = regexp.MustCompile(`\s?\(\s(\d{1,3})\s\)`)
	ojNoteLine    = regexp.MustCompile(`^\(\s*(\d{1,3})\s*\)\s+(\S.*)$`)
	placeDate     = regexp.MustCompile(`^(\p{L}+),\s+(\d{1,2}\.?\s+\p{L}+\s+\d{4})\.?$`)
	ojDateLine    = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.\d{4}$`)
	anchorNote    = regexp.MustCompile(`<a[^>]*>(.*?)</a>\s*(?:<sup>\s*(\d+)\s*</sup>)?`)
	footnoteLine  = regexp.MustCompile(`^(?:<sup>\s*(\d+)\s*</sup>|\[\^(\d+)\]:?)\s*(.+)$`)
	sectionNumber = regexp.MustCompile(`^(?:[IVXL]{1,5}|[A-Z]|\d{1,2})\.\s+`)
)

// isOpinion: a line naming the Committee as author ("THE EUROPEAN COMMITTEE OF
// THE REGIONS", "Opinion of the European Committee of the Regions – ...") and
// a first numbered paragraph.
func isOpinion(text string) bool {
	author := false
	first := false
	for _, l := range strings.Split(text, "\n") {
		p := plain(l)
		if isCommitteeLine(p) || startsWithLabel("opinion of", p) {
			author = true
		}
		if m := numberedLine.FindStringSubmatch(p); m != nil && m[1] == "1" {
			first = true
		}
	}
	return author && first
}

// isCommitteeLine: "THE EUROPEAN COMMITTEE OF THE REGIONS", perhaps followed by "(CoR)".
func isCommitteeLine(p string) bool {
	p = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p), "(CoR)"))
	p = strings.TrimSuffix(strings.TrimSuffix(p, "(CdR)"), ",")
	return isLabel("committee", p)
}

func startsWithLabel(key, p string) bool {
	low := strings.ToLower(p)
	for _, l := range labels[key] {
		if strings.HasPrefix(low, strings.ToLower(l)) {
			return true
		}
	}
	return false
}

func parseOpinion(text string) Document {
	doc := Document{Kind: KindOpinion}
	lines := strings.Split(text, "\n")
	end := opinionEnd(lines)
	readOpinionHeader(&doc, lines[:end])
	doc.Notes = readNotes(lines[end:])
	readParagraphs(&doc, lines[:end])
	readPlaceDate(&doc, lines[end:])
	readProcedure(&doc, lines[end:])
	readELI(&doc, lines[end:])
	finishOpinion(&doc)
	doc.Body = opinionBody(lines)
	return doc
}

// readELI adds the European Legislation Identifier of the OJ trailer
// ("ELI: http://data.europa.eu/eli/C/2026/2605/oj") to the references.
func readELI(doc *Document, lines []string) {
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(plain(l), "ELI:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				addRef(doc, strings.TrimRight(f[0], ".;,"))
			}
		}
	}
}

// opinionEnd is the index of the line that closes the paragraphs: the place
// and date, the procedure heading, a footnote rule or the ELI trailer.
func opinionEnd(lines []string) int {
	for i, l := range lines {
		p := plain(l)
		switch {
		case isPlaceDate(p), isProcedureHeading(p), strings.TrimSpace(l) == "---",
			strings.HasPrefix(p, "ELI:"):
			return i
		}
	}
	return len(lines)
}

func isPlaceDate(p string) bool {
	m := placeDate.FindStringSubmatch(p)
	return m != nil && isLabel("place of adoption", m[1]) && isDate(m[2])
}

func isProcedureHeading(p string) bool {
	return isLabel("procedure", sectionNumber.ReplaceAllString(p, ""))
}

// readOpinionHeader reads what comes before the first paragraph: reference,
// session, title, rapporteur and reference documents.
func readOpinionHeader(doc *Document, lines []string) {
	for i, l := range lines {
		p := plain(l)
		switch {
		case p == "":
		case numberedLine.MatchString(p) && strings.HasPrefix(p, "1."):
			return
		case doc.Reference == "" && corRef.MatchString(p):
			doc.Reference = corRef.FindString(p)
		case doc.Session == "" && hasLabel("plenary words", p) && len(p) < 100:
			doc.Session = p
		case i < 8 && ojDateLine.MatchString(p):
			if d, ok := parseDate(p); ok {
				doc.Dates = append(doc.Dates, Dated{Label: "published in the Official Journal", Date: d})
			}
		case isLabel("opinion heading", p) && doc.Title == "":
			if t := nextText(lines, i+1); t >= 0 && !startsWithLabel("opinion of", plain(lines[t])) {
				doc.Title = plain(lines[t])
			}
		case startsWithLabel("opinion of", p):
			doc.Title = stripTitlePrefix(joinBlock(lines, i))
		case isLabel("rapporteur", p) || hasLabelValue("rapporteur", p):
			if doc.Rapporteur == nil {
				doc.Rapporteur = readRapporteur(lines, i)
			}
		case isLabel("reference docs", p):
			readReferenceDocs(doc, lines, i+1)
		}
		for _, r := range ojRef.FindAllString(p, -1) {
			addRef(doc, r)
		}
	}
}

func hasLabelValue(key, p string) bool {
	v, ok := labelPrefix(key, p)
	return ok && v != ""
}

// maxLookahead bounds how far a label looks for its value, so that a text
// made of thousands of labels stays linear.
const maxLookahead = 8

// nextText is the index of the next line with text from i on, or -1.
func nextText(lines []string, i int) int {
	for end := min(len(lines), i+maxLookahead); i < end; i++ {
		if p := plain(lines[i]); p != "" && p != ":" {
			return i
		}
	}
	return -1
}

// joinBlock joins line i and the lines after it up to a blank line or a
// parenthesised reference, as a title broken over lines.
func joinBlock(lines []string, i int) string {
	parts := []string{plain(lines[i])}
	for j := i + 1; j < min(len(lines), i+maxLookahead); j++ {
		p := plain(lines[j])
		if p == "" || strings.HasPrefix(p, "(") || isLabel("rapporteur", p) {
			break
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// stripTitlePrefix removes "Opinion of the European Committee of the Regions – ".
func stripTitlePrefix(s string) string {
	for _, l := range labels["opinion of"] {
		if len(s) >= len(l) && strings.EqualFold(s[:len(l)], l) {
			s = s[len(l):]
			break
		}
	}
	return strings.TrimSpace(strings.TrimLeft(s, " –—-:"))
}

// readRapporteur reads "NAME (COUNTRY/GROUP), role" from the label's line or the next one.
func readRapporteur(lines []string, i int) *Rapporteur {
	v, _ := labelPrefix("rapporteur", plain(lines[i]))
	if v == "" {
		j := nextText(lines, i+1)
		if j < 0 {
			return nil
		}
		v = plain(lines[j])
	}
	return parseRapporteur(v)
}

func parseRapporteur(v string) *Rapporteur {
	v = strings.TrimSpace(v)
	if v == "" || v == "-" {
		return nil
	}
	m := rapporteurRe.FindStringSubmatch(v)
	if m == nil {
		return &Rapporteur{Name: personName(v)}
	}
	return &Rapporteur{Name: personName(m[1]), Country: m[2], Group: groupName(m[3]), Role: strings.TrimSpace(m[4])}
}

// readReferenceDocs reads the documents an opinion answers, from line i on up
// to the next heading, and files their references (COM(2025) 270 ...).
func readReferenceDocs(doc *Document, lines []string, i int) {
	var parts []string
	for end := min(len(lines), i+4*maxLookahead); i < end; i++ {
		p := plain(lines[i])
		if p == "" {
			if len(parts) > 0 {
				break
			}
			continue
		}
		if p == ":" {
			continue
		}
		if isHeadingLine(lines[i], p) || startsWithLabel("opinion of", p) || isCommitteeLine(p) {
			break
		}
		if p != "-" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return
	}
	v := strings.Join(parts, " ")
	doc.Procedure = append(doc.Procedure, Field{Label: "Reference document(s)", Value: v})
	for _, r := range docRef.FindAllString(v, -1) {
		if !slices.Contains(doc.ReferenceDocs, r) {
			doc.ReferenceDocs = append(doc.ReferenceDocs, r)
		}
	}
}

func addRef(doc *Document, r string) {
	if r != "" && r != doc.Reference && !slices.Contains(doc.References, r) {
		doc.References = append(doc.References, r)
	}
}

// isHeadingLine: a Markdown heading, a line wholly in bold or italics, a
// Roman-numbered heading or a line in capitals.
func isHeadingLine(raw, p string) bool {
	t := strings.TrimSpace(raw)
	switch {
	case p == "":
		return false
	case strings.HasPrefix(t, "#"):
		return true
	case len(t) > 2 && strings.HasPrefix(t, "*") && strings.HasSuffix(t, "*"):
		return true
	case romanHeading.MatchString(p):
		return true
	}
	return mostlyCapitals(p)
}

// mostlyCapitals: at least five letters, none in lower case except in a
// short parenthesis such as "(CoR)".
func mostlyCapitals(p string) bool {
	if i := strings.Index(p, "("); i > 0 {
		p = p[:i]
	}
	n := 0
	for _, r := range p {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 5
}

// sectionName turns a heading into the form paragraphs carry:
// "I. POLICY RECOMMENDATIONS" -> "Policy recommendations".
func sectionName(p string) string {
	p = sectionNumber.ReplaceAllString(strings.TrimSpace(p), "")
	return sentenceCase(strings.TrimSpace(p))
}

// readParagraphs reads the numbered paragraphs, each with its heading. Numbers
// must run 1, 2, 3 ...: a number out of sequence is text. Lines between two
// numbered paragraphs that are no heading belong to the paragraph before:
// PDF page breaks cut paragraphs, sometimes mid-sentence. Bullets before the
// first paragraph are the summary, kept as key points.
func readParagraphs(doc *Document, lines []string) {
	section := ""
	// parts collects each paragraph's pieces, joined at the end: appending to
	// a growing string would be quadratic on long texts.
	var parts [][]string
	var cur *Paragraph
	// other collects, once the numbered paragraphs have started, the lines
	// outside them (amendments, their reasons) with their headings, as
	// Markdown; headings is how many of the last lines are headings, which
	// go with the next numbered paragraph if one follows.
	var other [][]string
	headings := 0
	defer func() {
		for i := range doc.Paragraphs {
			doc.Paragraphs[i].Text = strings.Join(parts[i], " ")
		}
		for i := range doc.OtherText {
			doc.OtherText[i].Text = strings.TrimSpace(strings.Join(other[i], "\n"))
		}
		doc.OtherText = slices.DeleteFunc(doc.OtherText, func(b TextBlock) bool { return b.Text == "" })
	}()
	addOther := func(l string, heading bool) {
		if len(doc.Paragraphs) == 0 {
			return
		}
		if len(doc.OtherText) == 0 || doc.OtherText[len(doc.OtherText)-1].After != len(doc.Paragraphs) {
			doc.OtherText = append(doc.OtherText, TextBlock{After: len(doc.Paragraphs)})
			other = append(other, nil)
		}
		other[len(other)-1] = append(other[len(other)-1], l)
		if heading {
			headings++
		} else if l != "" {
			headings = 0
		}
	}
	for _, l := range lines {
		p := plain(l)
		if p == "" && cur == nil {
			addOther("", false)
		}
		if p == "" || footnoteMark.MatchString(p) {
			continue
		}
		if m := numberedLine.FindStringSubmatch(p); m != nil {
			if n, _ := strconv.Atoi(m[1]); n == len(doc.Paragraphs)+1 {
				if k := len(other); k > 0 && doc.OtherText[k-1].After == len(doc.Paragraphs) {
					// The headings just read are this paragraph's section's.
					other[k-1] = trimHeadings(other[k-1], headings)
				}
				headings = 0
				doc.Paragraphs = append(doc.Paragraphs, Paragraph{Number: n, Section: section})
				parts = append(parts, nil)
				if t := cleanParagraph(m[2], len(doc.Notes) > 0); t != "" {
					parts[n-1] = append(parts[n-1], t)
				}
				cur = &doc.Paragraphs[n-1]
				continue
			}
		}
		if isCommitteeLine(p) {
			continue
		}
		if isHeadingLine(l, p) {
			section = sectionName(p)
			cur = nil
			addOther(strings.TrimSpace(l), true)
			continue
		}
		if cur != nil {
			if t := cleanParagraph(p, len(doc.Notes) > 0); t != "" {
				parts[cur.Number-1] = append(parts[cur.Number-1], t)
			}
			continue
		}
		if len(doc.Paragraphs) > 0 {
			addOther(strings.TrimRight(l, " \t\r"), false)
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "- ") && len(p) > 2 {
			doc.KeyPoints = append(doc.KeyPoints, strings.TrimSpace(strings.TrimPrefix(p, "- ")))
		}
	}
}

// trimHeadings drops the last n heading lines of lines, and the blank lines
// among and after them.
func trimHeadings(lines []string, n int) []string {
	for len(lines) > 0 && (n > 0 || strings.TrimSpace(lines[len(lines)-1]) == "") {
		if strings.TrimSpace(lines[len(lines)-1]) != "" {
			n--
		}
		lines = lines[:len(lines)-1]
	}
	return lines
}

// cleanParagraph returns the plain text of a paragraph's line. The Official
// Journal's note marks, "( 1 )", become "[1]" when the notes are known
// (marks), and go otherwise.
func cleanParagraph(s string, marks bool) string {
	repl := ""
	if marks {
		repl = " [$1]"
	}
	return strings.TrimSpace(inlineNote.ReplaceAllString(plain(s), repl))
}

// readNotes reads the footnotes the Official Journal prints after the
// signature: "( 1 )   OJ C 123, 1.2.2025, p. 1.".
func readNotes(lines []string) []Note {
	var out []Note
	for _, l := range lines {
		if m := ojNoteLine.FindStringSubmatch(plain(l)); m != nil {
			n, _ := strconv.Atoi(m[1])
			if !slices.ContainsFunc(out, func(x Note) bool { return x.Number == n }) {
				out = append(out, Note{Number: n, Text: strings.TrimSpace(m[2])})
			}
		}
	}
	return out
}

// readPlaceDate reads "Brussels, 21 November 2024." as the adoption date.
func readPlaceDate(doc *Document, lines []string) {
	for _, l := range lines {
		p := plain(l)
		if m := placeDate.FindStringSubmatch(p); m != nil && isLabel("place of adoption", m[1]) {
			if d, ok := parseDate(m[2]); ok {
				setDated(doc, "adopted in plenary", d)
			}
			return
		}
	}
}

// setDated sets a named date once.
func setDated(doc *Document, label, d string) {
	for _, x := range doc.Dates {
		if x.Label == label {
			return
		}
	}
	doc.Dates = append(doc.Dates, Dated{Label: label, Date: d})
}

// readProcedure reads the procedure table (tab- or pipe-separated rows after
// the PROCEDURE heading) and the footnotes that give previous opinions' OJ references.
func readProcedure(doc *Document, lines []string) {
	notes := map[string]string{}
	for _, l := range lines {
		if m := footnoteLine.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			n := m[1] + m[2]
			notes[n] = strings.TrimSpace(strings.TrimSuffix(plain(m[3]), "."))
		}
	}
	in := false
	var prev []PreviousOpinion
	var prevNotes []string
	for _, l := range lines {
		p := plain(l)
		if isProcedureHeading(p) {
			in = true
			continue
		}
		if !in {
			continue
		}
		label, raw, ok := tableRow(l)
		if !ok {
			if strings.TrimSpace(l) == "---" {
				in = false
			}
			continue
		}
		value := plain(raw)
		if isLabel("previous opinions", label) {
			prev, prevNotes = previousOpinions(raw)
			var titles []string
			for _, o := range prev {
				titles = append(titles, o.Title)
			}
			if len(titles) > 0 {
				value = strings.Join(titles, "; ")
			}
		}
		doc.Procedure = append(doc.Procedure, Field{Label: label, Value: value})
		applyProcedureRow(doc, label, value)
	}
	for i := range prev {
		if i < len(prevNotes) {
			prev[i].OJReference = notes[prevNotes[i]]
		}
	}
	doc.PreviousOpinions = prev
}

// tableRow splits "label<TAB>value" or "| label | value |".
func tableRow(l string) (label, value string, ok bool) {
	t := strings.TrimSpace(l)
	var parts []string
	switch {
	case strings.Contains(t, "\t"):
		parts = strings.SplitN(t, "\t", 2)
	case strings.HasPrefix(t, "|"):
		parts = strings.Split(strings.Trim(t, "|"), "|")
		if len(parts) < 2 || strings.Trim(parts[0], "-: ") == "" {
			return "", "", false
		}
		parts = []string{parts[0], strings.Join(parts[1:], "|")}
	default:
		return "", "", false
	}
	label = plain(parts[0])
	return label, strings.TrimSpace(parts[1]), label != ""
}

// previousOpinions reads linked opinion titles with their footnote numbers;
// without links, the value is a list separated by semicolons.
func previousOpinions(raw string) ([]PreviousOpinion, []string) {
	var ops []PreviousOpinion
	var notes []string
	for _, m := range anchorNote.FindAllStringSubmatch(raw, -1) {
		if t := plain(m[1]); t != "" {
			ops = append(ops, PreviousOpinion{Title: t})
			notes = append(notes, m[2])
		}
	}
	if len(ops) > 0 {
		return ops, notes
	}
	for _, t := range strings.Split(plain(raw), ";") {
		if t = strings.TrimSpace(t); t != "" && t != "-" {
			ops = append(ops, PreviousOpinion{Title: t})
			notes = append(notes, "")
		}
	}
	return ops, notes
}

// applyProcedureRow files a procedure row's value in its field.
func applyProcedureRow(doc *Document, label, value string) {
	if value == "" || value == "-" || strings.EqualFold(value, "N/A") {
		return
	}
	switch {
	case isLabel("title", label):
		if doc.Title == "" {
			doc.Title = value
		}
	case isLabel("reference", label):
		for _, r := range corRef.FindAllString(value, -1) {
			addRef(doc, r)
		}
	case isLabel("legal basis", label):
		doc.LegalBasis = value
	case isLabel("procedural basis", label):
		doc.ProceduralBasis = value
	case isLabel("commission", label):
		doc.Commission = commissionAcronym(value)
	case isLabel("rapporteur", label):
		if doc.Rapporteur == nil {
			doc.Rapporteur = parseRapporteur(value)
		}
	case isLabel("adopted in commission", label):
		if d, ok := parseDate(value); ok {
			setDated(doc, "adopted in commission", d)
		}
	case isLabel("adopted in plenary", label):
		if d, ok := parseDate(value); ok {
			setDated(doc, "adopted in plenary", d)
		}
	}
}

// finishOpinion picks the main date and reference once every part is read.
func finishOpinion(doc *Document) {
	for _, d := range doc.Dates {
		if d.Label == "adopted in plenary" {
			doc.Date = d.Date
		}
	}
	if doc.Reference == "" {
		for _, r := range doc.References {
			if ojRef.MatchString(r) {
				doc.Reference = r
				break
			}
		}
	}
	// Dates run in the order things happened.
	slices.SortStableFunc(doc.Dates, func(a, b Dated) int { return strings.Compare(a.Date, b.Date) })
	if doc.Status == "" && doc.Date != "" {
		doc.Status = "Adopted"
	}
}

// opinionBody is the text without markup debris: HTML tags, the OJ masthead,
// footnote marks and the ELI/ISSN trailer go; table rows become "- label: value".
func opinionBody(lines []string) string {
	var out []string
	joinNext := false
	for i, l := range lines {
		p := plain(l)
		switch {
		case footnoteMark.MatchString(p), strings.HasPrefix(p, "ELI:"), strings.HasPrefix(p, "ISSN "):
			continue
		case i < 8 && isMasthead(p):
			continue
		}
		if p == ":" && len(out) > 0 {
			// The OJ prints "Rapporteur", ":", value on three lines.
			out[len(out)-1] += ":"
			joinNext = true
			continue
		}
		l = htmlTag.ReplaceAllString(l, "")
		if label, value, ok := strings.Cut(strings.TrimSpace(l), "\t"); ok {
			l = "- " + label + ": " + strings.TrimSpace(value) // a procedure row
		}
		l = inlineNote.ReplaceAllString(l, "")
		if joinNext && len(out) > 0 {
			out[len(out)-1] += " " + strings.TrimSpace(l)
			joinNext = false
			continue
		}
		if numberedLine.MatchString(p) && strings.HasSuffix(p, ".") && len(p) <= 4 {
			// The OJ prints the paragraph number alone on its line.
			out = append(out, p)
			joinNext = true
			continue
		}
		out = append(out, l)
	}
	if !slices.Contains(out, "") {
		// Plain OJ text has one paragraph per line and no blank lines;
		// Markdown needs them to keep the paragraphs apart.
		return strings.Join(out, "\n\n")
	}
	return collapseBlank(joinPageBreaks(out))
}

// joinPageBreaks rejoins text that a PDF page break cut: a line starting in
// lower case after blank lines continues the text before it, when that text
// did not end a sentence.
func joinPageBreaks(lines []string) []string {
	var out []string
	last := -1 // index in out of the last line with text
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			out = append(out, l)
			continue
		}
		first, _ := utf8.DecodeRuneInString(t)
		if last >= 0 && unicode.IsLower(first) && !endsSentence(out[last]) && !strings.HasPrefix(strings.TrimSpace(out[last]), "#") {
			out = out[:last+1] // drop the blank lines of the break
			out[last] = strings.TrimRight(out[last], " ") + " " + t
			continue
		}
		out = append(out, l)
		last = len(out) - 1
	}
	return out
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " *_")
	return s == "" || strings.ContainsAny(s[len(s)-1:], ".;:!?")
}

// isMasthead: the Official Journal's running header lines.
func isMasthead(p string) bool {
	switch {
	case strings.EqualFold(p, "Official Journal of the European Union"), strings.EqualFold(p, "Gazzetta ufficiale dell'Unione europea"),
		strings.EqualFold(p, "C series"), strings.EqualFold(p, "Serie C"), ojDateLine.MatchString(p), ojRef.MatchString(p) && len(p) < 14:
		return true
	}
	return len(p) == 2 && isUpperWord(p)
}
