package indexer

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// parseCSV reads a CSV export, one document per row. An export of the Open
// Government Partnership commitments database (columns "Commitment Unique
// Identifier", "Commitment Title", ...) gives commitments; any other CSV
// gives one page per row, titled from a title or name column.
func parseCSV(name, text string) ([]Document, error) {
	text = strings.TrimPrefix(text, "\ufeff")
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = csvSeparator(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("csv: header: %s", firstLine(err.Error()))
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	// The columns that have a name: a row with fewer fields lost a
	// separator, or the file was cut short (perhaps inside a quoted
	// field), and its values would stand in the wrong columns.
	named := len(header)
	for named > 0 && header[named-1] == "" {
		named--
	}
	var rows []record
	var lines []int // the line each row starts on
	for {
		row, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("csv: %s", firstLine(err.Error()))
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= maxRecords {
			return nil, fmt.Errorf("csv: more than %d rows", maxRecords)
		}
		if blank := len(row) == 1 && strings.TrimSpace(row[0]) == ""; !blank && len(row) < named {
			return nil, fmt.Errorf("csv: line %d has %d fields, the header %d (a separator is missing, or the file is cut short)", line, len(row), named)
		}
		if i := slices.IndexFunc(row[min(len(row), len(header)):], func(v string) bool { return strings.TrimSpace(v) != "" }); i >= 0 {
			return nil, fmt.Errorf("csv: line %d has %d fields, the header %d (a value beyond the last column)", line, len(row), len(header))
		}
		r := newRecord()
		empty := true
		for i, v := range row {
			if i >= len(header) || header[i] == "" {
				continue
			}
			r.set(header[i], v)
			if strings.TrimSpace(v) != "" {
				empty = false
			}
		}
		if !empty {
			rows = append(rows, r)
			lines = append(lines, line)
		}
	}
	if len(rows) == 0 {
		return nil, errors.New("csv: no data rows after the header")
	}
	if !slices.ContainsFunc(header, func(h string) bool { return fieldKey(h) == fieldKey("Commitment Unique Identifier") }) {
		// An OGP export with its key column renamed would otherwise be read as
		// hundreds of pages without a commitment field. (Columns are matched
		// as record.get matches them: see fieldKey.)
		var known []string
		for _, h := range header {
			if slices.ContainsFunc(ogpColumns, func(c string) bool { return fieldKey(h) == fieldKey(c) }) {
				known = append(known, h)
			}
		}
		if len(known) >= 3 {
			return nil, fmt.Errorf("csv: looks like an OGP commitments export (columns %s ...) but has no %q column", strings.Join(known[:3], ", "), "Commitment Unique Identifier")
		}
	}
	if isCommitment(rows[0]) {
		docs := make([]Document, 0, len(rows))
		for i, r := range rows {
			if r.get("Commitment Unique Identifier") == "" {
				return nil, fmt.Errorf("csv: line %d has no Commitment Unique Identifier", lines[i])
			}
			docs = append(docs, commitmentDoc(r))
		}
		return docs, nil
	}
	docs := genericRows(header, rows)
	if len(docs) == 0 {
		cols := make([]string, 0, 8)
		for _, h := range header[:min(len(header), 8)] {
			cols = append(cols, strconv.Quote(collapseSpace(h)))
		}
		return nil, fmt.Errorf("csv: no row has a title or text (columns: %s)", strings.Join(cols, ", "))
	}
	uniqueIDs(docs)
	return docs, nil
}

// csvSeparator guesses the field separator from the header line: European
// spreadsheets save with ";", some tools with tabs.
func csvSeparator(text string) rune {
	head := text
	if i := strings.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, n := ',', strings.Count(head, ",")
	for _, c := range []rune{';', '\t'} {
		if k := strings.Count(head, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

// genericRows makes one page per row of a CSV that is not a known export.
func genericRows(header []string, rows []record) []Document {
	titleCol, idCol := "", ""
	for _, h := range header {
		switch strings.ToLower(h) {
		case "title", "titolo", "name", "nome", "subject", "oggetto", "heading":
			if titleCol == "" {
				titleCol = h
			}
		case "id", "identifier", "reference", "ref", "code", "codice":
			if idCol == "" {
				idCol = h
			}
		}
	}
	var docs []Document
	for _, r := range rows {
		var d Document
		d.Kind = KindPage
		d.Title = r.get(titleCol)
		d.ID = r.get(idCol)
		d.Reference = d.ID
		var body []string
		for _, h := range header {
			if h == titleCol || h == idCol {
				continue
			}
			v := r.get(h)
			if v == "" {
				continue
			}
			switch lh := strings.ToLower(h); {
			case lh == "url" || lh == "link":
				d.URL = v
			case lh == "date" || lh == "data":
				if iso, ok := parseDate(v); ok {
					d.Date = iso
				}
				body = append(body, h+": "+v)
			case lh == "language" || lh == "lang" || lh == "lingua":
				if len(v) == 2 {
					d.Language = strings.ToLower(v)
				}
			case len(v) > 80 || strings.Contains(v, "\n"):
				body = append(body, v)
			default:
				body = append(body, h+": "+v)
			}
		}
		d.Body = strings.Join(body, "\n\n")
		if d.Title == "" && d.Body == "" {
			continue
		}
		docs = append(docs, d)
	}
	return docs
}

// uniqueIDs drops record ids when two records share one, so that ids fall
// back to the records' positions rather than collide.
func uniqueIDs(docs []Document) {
	seen := map[string]bool{}
	for _, d := range docs {
		if d.ID == "" {
			continue
		}
		k := slug(d.ID)
		if seen[k] {
			for i := range docs {
				docs[i].ID = ""
			}
			return
		}
		seen[k] = true
	}
}

// ogpColumns are columns of the OGP commitments export besides its key.
var ogpColumns = []string{"Commitment Title", "Full Text", "Action Plan", "Action Plan ID", "Country/Locality",
	"Lead Institution", "Supporting Institution(s)", "National Or Local", "Completion (End Of Term)",
	"Completion (Progress Report)", "Did It Open Government (Overall)", "Potential Impact", "Specificity", "Starred"}

// isCommitment reports whether a record comes from the OGP commitments export.
func isCommitment(r record) bool {
	return r.has("Commitment Unique Identifier") && (r.has("Commitment Title") || r.has("Full Text"))
}

// policyAreas are the OGP export's 0/1 policy-area columns, in the export's order.
var policyAreas = []string{
	"Anti-Corruption and Integrity", "Anti-corruption Institutions", "Anti-Corruption Strategies", "Asset Disclosure",
	"Audits", "Beneficial Ownership", "Conflicts Of Interest", "Elections", "Political Finance", "Lobbying",
	"Open Contracting", "Public Procurement", "Right To Information", "Whistleblower Protections",
	"Civic Space and Enabling Environment", "Freedom of Assembly", "Freedom of Association", "Freedom of Expression",
	"Democratizing Decision-Making", "Digital Participation", "Mainstreaming Participation", "Regulatory Governance",
	"Social Accountability", "Digital Governance", "Automated Decision-making", "Data Stewardship and Privacy",
	"Digital Inclusion", "Disinformation/Misinformation", "Online Civic Space", "Environment & Climate",
	"Climate Finance", "Climate Mitigation and Adaptation", "Environmental Regulation",
	"International Environmental Agreements", "Fiscal Openness", "Publication Of Budget/Fiscal Information",
	"Public Participation In Budget/Fiscal Policy", "Oversight Of Budget/Fiscal Policies",
	"Stimulus and Economic Recovery", "Tax", "Debt", "Inclusion", "Gender", "Gender-Based Violence",
	"Economic Inclusion", "LGBTQIA+", "People with Disabilities", "Youth", "Justice", "Access to Justice",
	"Open Justice", "Policing & Corrections", "Judiciary", "Open Parliaments", "Public Service Delivery",
	"Citizenship & Immigration", "Education", "Health & Nutrition", "Infrastructure & Transport",
	"Water & Sanitation", "Capacity Building", "Digital Transformation", "Legislation", "Regulation",
	"Legislative Oversight", "Open Data", "Public Participation", "Aid", "Energy", "Extractive Industries",
	"Land and Spatial Planning", "Media & Telecommunications", "Science & Technology", "Security & Public Safety",
	"Labor", "Private Sector", "Subnational", "Human Rights", "Open Parliament Plan",
	"Sustainable Development Goals", "Open Data (Water/Sanitation)", "Open Data (Health)",
	"Open Data (Education)", "Participation in Lawmaking", "Access to information", "Money in Politics",
}

// ogpValues maps the export's relevance columns to the OGP values they name.
var ogpValues = [][2]string{
	{"OGP Value Access To Information", "Access to information"},
	{"OGP Value Civic Participation", "Civic participation"},
	{"OGP Value Public Accountability", "Public accountability"},
	{"OGP Value Technology", "Technology and innovation"},
}

// commitmentDoc maps one row of the OGP commitments export.
func commitmentDoc(r record) Document {
	id := r.get("Commitment Unique Identifier")
	c := &Commitment{
		Identifier:            id,
		Country:               r.get("Country/Locality", "Country"),
		Region:                r.get("Region"),
		Level:                 level(r.get("National Or Local")),
		ActionPlanID:          r.get("Action Plan ID"),
		ActionPlan:            r.get("Action Plan", "Action Plan Name"),
		LeadInstitutions:      splitList(r.get("Lead Institution", "Lead Institutions")),
		SupportingInstitution: splitList(r.get("Supporting Institution(s)", "Supporting Institutions")),
	}
	// A row whose one date cannot be month first (31/12/2016) has both day first.
	start, end := r.get("Start Date"), r.get("End Date")
	dayFirst := isDayFirst(start) || isDayFirst(end)
	c.Start, c.End = ogpDate(start, dayFirst), ogpDate(end, dayFirst)
	if c.ActionPlan == "" && c.Country != "" {
		from, to := r.get("Year Of Submission"), r.get("Action Plan End Year")
		switch {
		case from != "" && to != "" && to != from:
			c.ActionPlan = fmt.Sprintf("%s action plan %s-%s", c.Country, from, to)
		case from != "":
			c.ActionPlan = fmt.Sprintf("%s action plan %s", c.Country, from)
		}
	}
	for _, area := range policyAreas {
		if isSet(r.get(area)) {
			c.Themes = append(c.Themes, area)
		}
	}
	for _, t := range r.list("Themes") {
		if !slices.Contains(c.Themes, t) {
			c.Themes = append(c.Themes, t)
		}
	}
	a := Assessment{
		Specificity:         r.get("Specificity"),
		Verifiable:          r.get("Verifiable"),
		PotentialImpact:     r.get("Potential Impact"),
		CompletionMidTerm:   r.get("Completion (Progress Report)"),
		CompletionEndOfTerm: r.get("Completion (End Of Term)"),
		DidItOpenGovernment: r.get("Did It Open Government (Overall)"),
	}
	for _, v := range ogpValues {
		if isSet(r.get(v[0])) {
			a.Relevance = append(a.Relevance, v[1])
		}
	}
	// The star of the most recent assessment: end of term, then mid-term
	// (the current formula), then the formula of 2015, as the export's own
	// "Max star" has it (a star of 2015 that the current formula took
	// away is no star).
	for _, v := range []string{r.get("Starred (Current Formula) End of Term"), r.get("Starred (Current Formula) Progress Report"),
		r.get("Starred (2015 Only)"), r.get("Starred")} {
		if v != "" {
			a.Starred = "No"
			if isSet(v) {
				a.Starred = "Yes"
			}
			break
		}
	}
	a.PotentialForResults = r.get("Potential for Results")
	a.EarlyResults = r.get("Early Results")
	c.Assessment = a
	c.Status = cmp.Or(a.CompletionEndOfTerm, a.CompletionMidTerm)

	d := Document{
		ID:         id,
		Kind:       KindCommitment,
		Title:      cmp.Or(r.get("Commitment Title"), r.get("Short Title")),
		Reference:  id,
		References: []string{id},
		Body:       cleanOGPText(r.get("Full Text")),
		URL:        r.get("URL"),
		Status:     c.Status,
		Commitment: c,
	}
	if lang := strings.ToLower(r.get("language", "lang")); len(lang) == 2 {
		d.Language = lang
	}
	if isISODate(c.Start) {
		d.Date = c.Start
		d.Dates = append(d.Dates, Dated{Label: "start", Date: c.Start})
	}
	if isISODate(c.End) {
		d.Dates = append(d.Dates, Dated{Label: "end", Date: c.End})
	}
	if c.ActionPlanID != "" {
		d.References = append(d.References, c.ActionPlanID)
	}
	// The government's own free-text theme is no policy area (it spells
	// them its own way: "OPEN PARLIAMENT", "Anti-Corruption"): a tag.
	if t := r.get("Theme"); t != "" && !slices.Contains(d.Tags, t) {
		d.Tags = append(d.Tags, t)
	}
	return d
}

// isSet reads a 0/1 flag, which JSON exports may give as true/false.
func isSet(v string) bool {
	switch strings.ToLower(v) {
	case "1", "1.0", "true", "yes", "y":
		return true
	}
	return false
}

func level(v string) string {
	switch l := strings.ToLower(v); {
	case strings.Contains(l, "local"):
		return "Local"
	case strings.Contains(l, "national"):
		return "National"
	}
	return v
}

func isISODate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

var (
	usDateRe    = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{2}|[0-9]{4})$`)
	monthYearRe = regexp.MustCompile(`^([A-Za-z]+)\.? ([0-9]{4})$`)
	serialRe    = regexp.MustCompile(`^[0-9]{5}$`)
	slashMonth  = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{4})$`)
)

// isDayFirst reports whether s is a date n/n/yyyy whose first number
// cannot be a month.
func isDayFirst(s string) bool {
	m := usDateRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return a > 12 && b <= 12
}

// ogpDate reads the export's free-text dates. Full dates are month/day/year,
// as the spreadsheet was kept in US format, except where the first number
// cannot be a month, or the row's other date shows it is day first
// (dayFirst); "July 2014" gives "2014-07"; spreadsheet serial numbers
// ("43525") are converted, and dates in 1905 are years that a spreadsheet
// took for day numbers (7/15/1905 is day 2023, meant as the year 2023).
// Anything else is kept as written.
func ogpDate(s string, dayFirst bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if m := usDateRe.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if len(m[3]) == 2 {
			y += 2000
		}
		month, day := a, b
		if dayFirst || a > 12 && b <= 12 {
			month, day = b, a
		}
		t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if month < 1 || month > 12 || t.Day() != day {
			return s
		}
		if y == 1905 {
			serial := int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
			if serial >= 1990 && serial <= 2100 {
				return strconv.Itoa(serial)
			}
			return s
		}
		return t.Format("2006-01-02")
	}
	if m := slashMonth.FindStringSubmatch(s); m != nil {
		// "9/2018": a month, in the export's month-first style.
		if t, err := time.Parse("1/2006", m[1]+"/"+m[2]); err == nil {
			return t.Format("2006-01")
		}
	}
	if m := monthYearRe.FindStringSubmatch(s); m != nil {
		if t, err := time.Parse("January 2006", englishMonths(m[1])+" "+m[2]); err == nil {
			return t.Format("2006-01")
		}
		if t, err := time.Parse("Jan 2006", m[1]+" "+m[2]); err == nil {
			return t.Format("2006-01")
		}
	}
	if serialRe.MatchString(s) {
		n, _ := strconv.Atoi(s)
		if n > 30000 && n < 60000 {
			return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format("2006-01-02")
		}
	}
	if iso, ok := parseDate(s); ok {
		return iso
	}
	return s
}

var (
	pageNumberLine = regexp.MustCompile(`^\s*(?:[Pp]age\s+)?[0-9]{1,3}(?:\s*(?:/|of)\s*[0-9]{1,3})?\s*$`)
	multiSpace     = regexp.MustCompile(`[ \t\x{a0}]{2,}`)
)

// cleanOGPText tidies a commitment's full text lightly (its HTML entities
// were decoded by record.set): lines holding only a page number dropped,
// trailing blanks and runs of blank lines removed. Hard line breaks are kept:
// in Markdown they are soft.
func cleanOGPText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if pageNumberLine.MatchString(l) {
			continue
		}
		out = append(out, multiSpace.ReplaceAllString(strings.TrimRight(l, " \t"), " "))
	}
	return strings.TrimSpace(squeezeBlankLines(strings.Join(out, "\n")))
}
