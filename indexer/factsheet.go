package indexer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A CoR opinion factsheet, as scraped from cor.europa.eu, is a header line,
// the title, a block of metadata lines (labelled "Rapporteur: ..." or, when
// the scraper lost the labels, bare ": value" lines recognised by their
// shape), a block of key points, then the timeline: each event is a title,
// a text and a day-and-month date line ("30 Nov") AFTER the text, newest first.

var (
	cdrRef       = regexp.MustCompile(`\b(?:CDR|CdR|COR)[ -]\d{1,5}/\d{4}\b`)
	dayMonthLine = regexp.MustCompile(`^(\d{1,2})\s+(\p{L}{3,})\.?$`)
	surnameFirst = regexp.MustCompile(`^([\p{Lu}][\p{Lu}'’\- ]+),\s*(\p{L}.*)$`)
	ordinalSess  = regexp.MustCompile(`(?i)\b(\d{1,3}(?:st|nd|rd|th|ª|a|°|º)?\s+(?:plenary session|sessione plenaria))`)
)

// statusWords maps the status values a factsheet may print to the archive's English form.
var statusWords = map[string]string{
	"adopted": "Adopted", "adottato": "Adopted", "adottata": "Adopted",
	"in progress": "In progress", "in corso": "In progress", "ongoing": "In progress",
	"withdrawn": "Withdrawn", "ritirato": "Withdrawn",
}

// isFactsheet: a factsheet header, or a CDR reference together with a timeline of day-month lines.
func isFactsheet(text string) bool {
	head := firstLines(text, 5)
	for _, l := range head {
		if isLabel("factsheet", l) {
			return true
		}
	}
	if !cdrRef.MatchString(text) {
		return false
	}
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if _, _, ok := dayMonth(strings.TrimSpace(l)); ok {
			n++
		}
	}
	return n >= 2
}

func parseFactsheet(text string) Document {
	doc := Document{Kind: KindFactsheet}
	blocks := splitBlocks(text)
	i := 0
	if i < len(blocks) && len(blocks[i]) == 1 && isLabel("factsheet", blocks[i][0]) {
		i++
	}
	// Title and metadata often share a block; the title is its first line that is no metadata line.
	var meta, points []string
	for ; i < len(blocks); i++ {
		b := blocks[i]
		if doc.Title == "" && !isMetaLine(b[0]) {
			doc.Title = plain(b[0])
			b = b[1:]
		}
		for j, l := range b {
			if isMetaLine(l) {
				meta = append(meta, l)
				continue
			}
			if len(meta) > 0 {
				points = b[j:]
				break
			}
		}
		if len(meta) > 0 {
			i++
			break
		}
	}
	readFactsheetMeta(&doc, meta)
	if len(points) == 0 && i < len(blocks) && !hasEventDate(blocks[i]) {
		points = blocks[i]
		i++
	}
	for _, p := range points {
		if p = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(p), "-•*·")); p != "" {
			doc.KeyPoints = append(doc.KeyPoints, p)
		}
	}
	doc.Events = readEvents(blocks[i:], doc.Date)
	for _, e := range doc.Events {
		if m := ordinalSess.FindString(e.Title); m != "" && doc.Session == "" {
			doc.Session = m
		}
	}
	doc.Body = factsheetBody(doc)
	return doc
}

// isMetaLine: "Label: value" with a known label, or a bare ": value" line.
func isMetaLine(l string) bool {
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, ":") {
		return true
	}
	for _, key := range []string{"reference", "rapporteur", "group", "commission", "status", "date adopted", "adopted in plenary", "session"} {
		if _, ok := labelPrefix(key, t); ok {
			return true
		}
	}
	return false
}

// readFactsheetMeta fills fields from metadata lines, by label when there is one, else by the value's shape.
func readFactsheetMeta(doc *Document, lines []string) {
	rap := &Rapporteur{}
	byLabel := []struct {
		key string
		set func(v string)
	}{
		{"reference", func(v string) { doc.Reference = v }},
		{"rapporteur", func(v string) { rap.Name = personName(v) }},
		{"group", func(v string) { rap.Group = groupName(v) }},
		{"commission", func(v string) { doc.Commission = commissionAcronym(v) }},
		{"status", func(v string) { doc.Status = statusName(v) }},
		{"session", func(v string) { doc.Session = v }},
		{"adopted in plenary", func(v string) { setAdopted(doc, v) }},
		{"date adopted", func(v string) { setAdopted(doc, v) }},
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		labelled := false
		for _, f := range byLabel {
			if v, ok := labelPrefix(f.key, l); ok {
				f.set(v)
				labelled = true
				break
			}
		}
		if !labelled {
			guessMetaValue(doc, rap, strings.TrimSpace(strings.TrimPrefix(l, ":")))
		}
	}
	if rap.Name != "" {
		doc.Rapporteur = rap
	}
}

// guessMetaValue files an unlabelled value by its shape.
func guessMetaValue(doc *Document, rap *Rapporteur, v string) {
	switch {
	case v == "":
	case cdrRef.MatchString(v) && doc.Reference == "":
		doc.Reference = cdrRef.FindString(v)
	case isStatus(v):
		doc.Status = statusName(v)
	case isDate(v):
		setAdopted(doc, v)
	case knownGroup(v) != "":
		rap.Group = knownGroup(v)
	case surnameFirst.MatchString(v) && rap.Name == "":
		rap.Name = personName(v)
	case isUpperWord(v) && len(v) <= 8 && !strings.Contains(v, " "):
		doc.Commission = v
	}
}

func setAdopted(doc *Document, v string) {
	if d, ok := parseDate(v); ok {
		doc.Date = d
		doc.Dates = append(doc.Dates, Dated{Label: "adopted in plenary", Date: d})
	}
}

func isDate(s string) bool { _, ok := parseDate(s); return ok }

func isStatus(v string) bool {
	_, ok := statusWords[strings.ToLower(strings.TrimSpace(v))]
	return ok
}

func statusName(v string) string {
	if s, ok := statusWords[strings.ToLower(strings.TrimSpace(v))]; ok {
		return s
	}
	return v
}

// personName turns "CECCONI, Frank" or "Alberto CIRIO" into "Frank Cecconi" / "Alberto Cirio".
func personName(s string) string {
	s = strings.TrimSpace(plain(s))
	if m := surnameFirst.FindStringSubmatch(s); m != nil {
		s = m[2] + " " + m[1]
	}
	return nameCase(strings.Join(strings.Fields(s), " "))
}

// groups are the CoR political groups, keyed by lower-case spelling.
var groups = map[string]string{
	"epp": "EPP", "pes": "PES", "alde": "ALDE", "renew e": "Renew Europe", "renew europe": "Renew Europe",
	"renew": "Renew Europe", "re": "Renew Europe", "ecr": "ECR", "ea": "EA", "greens": "Greens",
	"verdi": "Greens", "ppe": "EPP", "pse": "PES", "ae": "EA", "the left": "The Left", "non-attached": "Non-attached",
}

// knownGroup returns the group's short name when s names one ("ALDE (Group of the ...)").
func knownGroup(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " ("); i > 0 {
		s = s[:i]
	}
	return groups[strings.ToLower(s)]
}

func groupName(s string) string {
	if g := knownGroup(s); g != "" {
		return g
	}
	return strings.TrimSpace(s)
}

// commissionAcronym takes "ECON" out of "Commission for Economic Policy (ECON)".
func commissionAcronym(s string) string {
	s = strings.TrimSpace(plain(s))
	if i, j := strings.LastIndex(s, "("), strings.LastIndex(s, ")"); i >= 0 && j > i {
		if a := s[i+1 : j]; isUpperWord(a) && !strings.Contains(a, " ") {
			return a
		}
	}
	return s
}

// months maps month names and abbreviations in the archive's languages to numbers.
var months = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12,
	"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "agosto": 8,
	"settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
}

// dayMonth reads a timeline date line such as "30 Nov" or "08 giu".
func dayMonth(s string) (day, month int, ok bool) {
	m := dayMonthLine.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	month, ok = months[strings.ToLower(m[2])]
	day, _ = strconv.Atoi(m[1])
	return day, month, ok && day >= 1 && day <= 31
}

func hasEventDate(block []string) bool {
	for _, l := range block {
		if _, _, ok := dayMonth(strings.TrimSpace(l)); ok {
			return true
		}
	}
	return false
}

// readEvents reads the timeline. The date line closes an event: the lines
// before it, since the previous date, are its title and text. The year is not
// printed: events run backwards from the adoption, so a month later than the
// one of the event after it belongs to the year before.
func readEvents(blocks [][]string, adopted string) []Event {
	year, month := 0, 12
	if len(adopted) >= 7 {
		year, _ = strconv.Atoi(adopted[:4])
		month, _ = strconv.Atoi(adopted[5:7])
	}
	var events []Event
	var pending []string
	for _, b := range blocks {
		for _, l := range b {
			l = strings.TrimSpace(l)
			d, m, ok := dayMonth(l)
			if !ok {
				pending = append(pending, plain(l))
				continue
			}
			if m > month {
				year--
			}
			month = m
			e := Event{}
			if year > 0 {
				e.Date = fmt.Sprintf("%04d-%02d-%02d", year, m, d)
			}
			if len(pending) > 0 {
				e.Title = pending[0]
				e.Text = strings.Join(pending[1:], "\n")
			}
			events = append(events, e)
			pending = nil
		}
	}
	return events
}

// BodyRepeatsFacts reports whether d's body is only its key points and
// timeline, as a factsheet's is (made for search), which a page shows
// on their own.
func (d *Document) BodyRepeatsFacts() bool {
	return (len(d.KeyPoints) > 0 || len(d.Events) > 0) && d.Body == factsheetBody(*d)
}

// factsheetBody writes the factsheet as Markdown: key points, then the timeline.
func factsheetBody(doc Document) string {
	var b strings.Builder
	for _, p := range doc.KeyPoints {
		b.WriteString("- " + p + "\n")
	}
	for _, e := range doc.Events {
		fmt.Fprintf(&b, "\n### %s\n\n", e.Title)
		if e.Date != "" {
			b.WriteString(e.Date + "\n\n")
		}
		if e.Text != "" {
			b.WriteString(e.Text + "\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// splitBlocks splits text into blocks of non-blank lines.
func splitBlocks(text string) [][]string {
	var blocks [][]string
	var cur []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// firstLines returns the first n non-blank lines of text, trimmed.
func firstLines(text string, n int) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
			if len(out) == n {
				break
			}
		}
	}
	return out
}
