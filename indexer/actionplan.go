package indexer

import (
	"regexp"
	"strings"
)

// The drafts of Italy's 3rd OGP action plan (open.gov.it consultation, 2016)
// are Markdown converted by pandoc, one action per file: a heading
// "#### **N.\" + " Title**" broken over lines, then bold section labels
// ("Descrizione breve", "Obiettivo generale", "Situazione attuale",
// "Risultati attesi") whose closing "**" pandoc moved to the start of the
// next line: "**Descrizione breve\" + "**Text ...".

var (
	splitBold     = regexp.MustCompile(`\\\n\*\*`)
	actionNumber  = regexp.MustCompile(`^(\d{1,3})\.\s*(.*)$`)
	actionPlanRef = regexp.MustCompile(`(?i)\d+\s*°\s+piano\s+d['’]\s?azione\s+nazionale[^.\n;]*`)
)

// isActionPlan: at least two of the action sections as label lines.
func isActionPlan(text string) bool {
	found := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		if p := plain(l); isLabel("action plan sections", p) {
			found[strings.ToLower(p)] = true
		}
	}
	return len(found) >= 2
}

func parseActionPlan(text string) Document {
	doc := Document{Kind: KindCommitment, Commitment: &Commitment{}}
	text = repairPandoc(text)
	lines := strings.Split(text, "\n")
	number, title, rest := actionHeading(lines)
	doc.Title = title
	if number != "" {
		doc.Reference = "Azione " + number
	}
	sections := actionSections(rest)
	for _, s := range sections {
		switch {
		case isLabel("lead institution", s.Label):
			for _, inst := range splitList(s.Value) {
				if p := strings.TrimSpace(plain(inst)); p != "" {
					doc.Commitment.LeadInstitutions = append(doc.Commitment.LeadInstitutions, p)
				}
			}
		case strings.EqualFold(s.Label, "Descrizione breve") || strings.EqualFold(s.Label, "Short description"):
			doc.Summary = plain(joinLines(s.Value))
		}
	}
	if m := actionPlanRef.FindString(joinLines(text)); m != "" {
		doc.Commitment.ActionPlan = strings.TrimSpace(m)
	}
	doc.Commitment.Country = "Italy"
	doc.Body = actionBody(title, sections)
	return doc
}

// repairPandoc closes bold labels split over two lines and drops hard-break
// backslashes and empty headings.
func repairPandoc(text string) string {
	text = splitBold.ReplaceAllString(text, "**\n")
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "#")) == "" && strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// actionHeading reads the "#### **N. Title**" heading, which may run over
// several lines, and returns the number, the title and the lines after it.
func actionHeading(lines []string) (number, title string, rest []string) {
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		var parts []string
		j := i
		for ; j < min(len(lines), i+maxLookahead); j++ {
			t := strings.TrimSpace(lines[j])
			if t == "" {
				break
			}
			parts = append(parts, plain(strings.ReplaceAll(t, "*", " ")))
			if j > i && strings.HasSuffix(t, "**") {
				j++
				break
			}
		}
		h := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
		if m := actionNumber.FindStringSubmatch(h); m != nil {
			number, h = m[1], m[2]
		}
		if h != "" {
			rest = append(append([]string{}, lines[:i]...), lines[j:]...)
			return number, h, rest
		}
	}
	// No heading: the first bold line that is not a section label.
	for i, l := range lines {
		if p := plain(l); p != "" && strings.HasPrefix(strings.TrimSpace(l), "**") && !isLabel("action plan sections", p) {
			return "", p, append(append([]string{}, lines[:i]...), lines[i+1:]...)
		}
	}
	return "", "", lines
}

// actionSections splits the lines at the section labels. Text before the
// first label (such as a "Consultazione chiusa" notice) is a section without label.
func actionSections(lines []string) []Field {
	var out []Field
	label := ""
	var body []string
	flush := func() {
		if v := strings.TrimSpace(strings.Join(body, "\n")); v != "" || label != "" {
			out = append(out, Field{Label: label, Value: v})
		}
	}
	for _, l := range lines {
		p := plain(l)
		if isLabel("action plan sections", p) || isLabel("lead institution", p) {
			flush()
			label, body = strings.TrimSuffix(p, ":"), nil
			continue
		}
		body = append(body, l)
	}
	flush()
	return out
}

// actionBody writes the action as Markdown with one heading per section.
func actionBody(title string, sections []Field) string {
	var b strings.Builder
	b.WriteString("# " + title + "\n\n")
	for _, s := range sections {
		if s.Label != "" {
			b.WriteString("## " + s.Label + "\n\n")
		}
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(s.Value, "\\\n", "\n")) + "\n\n")
	}
	return collapseBlank(strings.Split(b.String(), "\n"))
}

// joinLines undoes hard wrapping: lines of a paragraph become one line.
func joinLines(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
