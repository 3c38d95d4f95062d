package indexer

import (
	"encoding/csv"
	"os"
	"reflect"
	"strings"
	"testing"
)

const ogpCSV = "testdata/ogp-commitments/open_parliament_0703.csv"

func readTestdata(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseOGP parses the OGP export once per test and indexes it by identifier.
func parseOGP(t *testing.T) ([]Document, map[string]Document) {
	t.Helper()
	docs, err := Parse("ogp/open_parliament_0703.csv", readTestdata(t, ogpCSV), nil)
	if err != nil {
		t.Fatalf("Parse(%s): %v", ogpCSV, err)
	}
	byID := make(map[string]Document, len(docs))
	for _, d := range docs {
		if d.Commitment == nil {
			t.Fatalf("document %s has no commitment", d.ID)
		}
		byID[d.Commitment.Identifier] = d
	}
	return docs, byID
}

func TestParseCSVCommitmentCounts(t *testing.T) {
	docs, byID := parseOGP(t)
	if len(docs) != 558 || len(byID) != 558 {
		t.Fatalf("Parse(%s) = %d documents (%d identifiers), want 558", ogpCSV, len(docs), len(byID))
	}
	// Expected counts computed once with Python's csv module:
	//   collections.Counter(r['Country/Locality'] for r in csv.DictReader(open(path)))
	want := map[string]int{"Ukraine": 32, "North Macedonia": 31, "Ghana": 23, "Paraguay": 16, "Albania": 13, "Italy": 2}
	got := map[string]int{}
	for _, d := range docs {
		got[d.Commitment.Country]++
		if d.Kind != KindCommitment {
			t.Errorf("%s kind = %q, want %q", d.ID, d.Kind, KindCommitment)
		}
		if d.ID != "ogp.open-parliament-0703~"+strings.ToLower(d.Commitment.Identifier) {
			t.Errorf("%s: id does not carry the identifier %s", d.ID, d.Commitment.Identifier)
		}
	}
	for country, n := range want {
		if got[country] != n {
			t.Errorf("commitments of %s = %d, want %d", country, got[country], n)
		}
	}
}

func TestParseCSVCommitmentFields(t *testing.T) {
	_, byID := parseOGP(t)
	it := byID["IT0034"]
	c := it.Commitment
	checks := []struct{ field, got, want string }{
		{"IT0034 title", it.Title, "Transparent Milan: public registry of elected and appointed representatives"},
		{"IT0034 reference", it.Reference, "IT0034"},
		{"IT0034 country", c.Country, "Italy"},
		{"IT0034 region", c.Region, "Europe"},
		{"IT0034 level", c.Level, "National"},
		{"IT0034 action plan id", c.ActionPlanID, "AP_ITA03"},
		{"IT0034 action plan", c.ActionPlan, "Italy action plan 2016-2018"},
		{"IT0034 start", c.Start, "2016-09-01"},
		{"IT0034 end", c.End, ""},
		{"IT0034 date", it.Date, "2016-09-01"},
		{"IT0034 completion end of term", c.Assessment.CompletionEndOfTerm, "Limited"},
		{"IT0034 completion mid term", c.Assessment.CompletionMidTerm, "Limited"},
		{"IT0034 DIOG", c.Assessment.DidItOpenGovernment, "Did Not Change"},
		{"IT0034 potential impact", c.Assessment.PotentialImpact, "Minor"},
		{"IT0034 status", c.Status, "Limited"},
		{"IT0034 url", it.URL, "https://opengovpartnership.org/members/italy/commitments/it0034"},
		// The IRM's newer ratings; a star of 2015 the current formula took away.
		{"AU0024 potential for results", byID["AU0024"].Commitment.Assessment.PotentialForResults, "Substantial"},
		{"FI0032 early results", byID["FI0032"].Commitment.Assessment.EarlyResults, "Significant"},
		{"BG0027 starred (2015 yes, current formula no)", byID["BG0027"].Commitment.Assessment.Starred, "No"},
		{"AL0002 specificity", byID["AL0002"].Commitment.Assessment.Specificity, "Medium"},
		{"AL0002 potential impact", byID["AL0002"].Commitment.Assessment.PotentialImpact, "Moderate"},
		{"AL0002 completion progress", byID["AL0002"].Commitment.Assessment.CompletionMidTerm, "Substantial"},
		{"AL0002 status (no end-of-term)", byID["AL0002"].Commitment.Status, "Substantial"},
		{"AL0002 start (NA)", byID["AL0002"].Commitment.Start, ""},
		{"AL0002 date", byID["AL0002"].Date, ""},
		// Specificity is "ND" in this row, and Completion (Progress Report) "NA".
		{"AR0045 specificity", byID["AR0045"].Commitment.Assessment.Specificity, ""},
		{"AR0045 completion progress", byID["AR0045"].Commitment.Assessment.CompletionMidTerm, ""},
		{"AR0045 status", byID["AR0045"].Commitment.Status, "Substantial"},
		{"AR0045 start (US month/day)", byID["AR0045"].Commitment.Start, "2017-08-01"},
		{"AR0045 end (US month/day)", byID["AR0045"].Commitment.End, "2019-06-30"},
		{"GR0025 start (month precision)", byID["GR0025"].Commitment.Start, "2014-07"},
		{"GR0025 end (month precision)", byID["GR0025"].Commitment.End, "2016-06"},
		{"GR0025 date (no full start date)", byID["GR0025"].Date, ""},
		{"ID0041 start (day first: 28/5/2014)", byID["ID0041"].Commitment.Start, "2014-05-28"},
		// The end date 31/12/2016 shows the row is day first.
		{"BG0027 start (1/7/2014, day first as its end)", byID["BG0027"].Commitment.Start, "2014-07-01"},
		{"BG0027 end", byID["BG0027"].Commitment.End, "2016-12-31"},
		// No start: no date, although the end is known (the year facet is the start's).
		{"UA0046 date (start NA)", byID["UA0046"].Date, ""},
		{"UA0046 end", byID["UA0046"].Commitment.End, "2015-06-30"},
		// A spreadsheet turned the year 2023 into day 2023 (1905-07-15).
		{"KE0033 start (year as day number)", byID["KE0033"].Commitment.Start, "2023"},
		{"KE0033 end (year as day number)", byID["KE0033"].Commitment.End, "2027"},
		{"LK0032 start (serial 43525)", byID["LK0032"].Commitment.Start, "2019-03-01"},
		{"LK0032 end (serial 44439)", byID["LK0032"].Commitment.End, "2021-08-31"},
		// The year facet is the start's, at whatever precision it is known.
		{"AR0045 year", yearOf(byID["AR0045"]), "2017"},
		{"GR0025 year (start 2014-07)", yearOf(byID["GR0025"]), "2014"},
		{"KE0033 year (start 2023)", yearOf(byID["KE0033"]), "2023"},
		{"UA0046 year (start NA, end 2015)", yearOf(byID["UA0046"]), ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	lists := []struct {
		field     string
		got, want []string
	}{
		{"IT0034 lead", c.LeadInstitutions, []string{"City of Milan"}},
		{"IT0034 supporting", c.SupportingInstitution, []string{"Districts of the City of Milan, Metropolitan City of Milan",
			"Associations, foundations and universities involved in the field of transparency and accountability"}},
		// Policy-area columns set to 1 (checked with Python); the plan's own theme is a tag.
		{"IT0034 themes", c.Themes, []string{"Democratizing Decision-Making", "Regulatory Governance", "Open Parliaments",
			"Public Participation", "Participation in Lawmaking"}},
		{"IT0034 tags (the government's theme; the country is a facet of its own)", it.Tags, []string{"Transparency"}},
		{"IT0034 relevance", c.Assessment.Relevance, []string{"Access to information"}},
		{"AL0002 relevance", byID["AL0002"].Commitment.Assessment.Relevance,
			[]string{"Access to information", "Public accountability", "Technology and innovation"}},
		{"AM0052 lead (split on ;)", byID["AM0052"].Commitment.LeadInstitutions,
			[]string{"Commission for the Prevention of Corruption", "Ministry of Justice"}},
		{"HR0028 lead (split on line break)", byID["HR0028"].Commitment.LeadInstitutions,
			[]string{"MINISTRY OF ADMINISTRATION", "STATE ELECTORAL COMMISSION"}},
		// Names wrapped over two lines are one; list letters and bullets go.
		{"PY0068 lead (wrapped name)", byID["PY0068"].Commitment.LeadInstitutions, []string{"Comisión Especial de Parlamento Abierto"}},
		// An acronym on the next line, or after a dash, is the name's.
		{"UY0108 lead (acronym below)", byID["UY0108"].Commitment.LeadInstitutions, []string{"Unit for Access to Public Information (UAIP)"}},
		{"CA0066 lead (acronym below)", byID["CA0066"].Commitment.LeadInstitutions, []string{"Department of Finance Canada (FIN)", "Innovation Science and Economic Development Canada (ISED)"}},
		{"RS0039 lead (dash)", byID["RS0039"].Commitment.LeadInstitutions, []string{"Ministry of Public Administration and Local Self-Government - MPALSG"}},
		{"PY0067 lead (wrapped names)", byID["PY0067"].Commitment.LeadInstitutions, []string{"Secretaría General", "Secretaría",
			"Dirección General de Gabinete", "Dirección General de Comisiones", "Dirección General de Diario de Sesiones",
			"Dirección General de Comunicaciones", "Dirección General de Tecnología de la Información",
			"Dirección General de Digitalización Legislativa", "Comisiones",
			"Dirección General de Atención a la ciudadanía y AIP (OAC)", // ", - Secretaría General" after it is another item
			"Dirección General de Desarrollo Institucional y Cooperación Externa"}},
		{"ID0108 lead (lettered list)", byID["ID0108"].Commitment.LeadInstitutions[:3], []string{"Leaders of the Indonesian House of Representatives",
			"Legislation Committee", "Secretary General of the Indonesian House of Representatives"}},
		{"AR0094 lead (bullets, commas kept)", byID["AR0094"].Commitment.LeadInstitutions, []string{
			"Parliamentary Modernization Program, Office of Transparency and Access to Public Information, Administrative and Parliamentary Secretariat of the Honorable Chamber of Deputies",
			"Office of Transparency and Access to Public Information and Parliamentary Secretariat of the Honorable Senate"}},
		{"IT0034 references", it.References, []string{"IT0034", "AP_ITA03"}},
	}
	for _, l := range lists {
		if !reflect.DeepEqual(l.got, l.want) {
			t.Errorf("%s = %q, want %q", l.field, l.got, l.want)
		}
	}
	if !strings.HasPrefix(it.Body, "Short description Publishing any document useful to assess the activity of councilors") {
		t.Errorf("IT0034 body starts %q", it.Body[:min(len(it.Body), 80)])
	}
}

// TestParseCSVNoMissingCodes checks that no field of any commitment holds a
// missing-value code: they must be empty instead.
func TestParseCSVNoMissingCodes(t *testing.T) {
	docs, _ := parseOGP(t)
	for _, d := range docs {
		c := d.Commitment
		a := c.Assessment
		fields := []string{d.Title, d.Body, d.Date, d.URL, d.Status, c.Identifier, c.ActionPlan, c.ActionPlanID,
			c.Country, c.Region, c.Level, c.Start, c.End, c.Status, a.Specificity, a.Verifiable, a.PotentialImpact,
			a.CompletionMidTerm, a.CompletionEndOfTerm, a.Starred, a.DidItOpenGovernment, a.PotentialForResults, a.EarlyResults}
		for _, l := range [][]string{c.LeadInstitutions, c.SupportingInstitution, c.Themes, a.Relevance, d.References, d.Tags} {
			fields = append(fields, l...)
		}
		for _, f := range fields {
			if missing(f) && f != "" {
				t.Errorf("%s has a missing-value code as a value: %q", c.Identifier, f)
			}
		}
		if d.Title == "" || d.Body == "" || c.Country == "" {
			t.Errorf("%s: title %q, country %q, body of %d bytes: want all set", c.Identifier, d.Title, c.Country, len(d.Body))
		}
	}
}

// TestParseCSVLanguage: about 60 rows of the export are in Spanish.
func TestParseCSVLanguage(t *testing.T) {
	_, byID := parseOGP(t)
	if got := byID["AR0045"].Language; got != "es" {
		t.Errorf("AR0045 language = %q, want es", got)
	}
	if got := byID["IT0034"].Language; got != "en" {
		t.Errorf("IT0034 language = %q, want en", got)
	}
}

func TestParseCSVGeneric(t *testing.T) {
	tests := []struct {
		name, csv string
		want      []Document // Title, Reference, Date, Body, URL compared
		wantErr   string
	}{
		{
			name: "title and text columns",
			csv: "id,title,date,text,url\n" +
				"a1,Open data plan,2024-03-01,\"The city publishes its budget, line by line.\",https://example.org/a1\n" +
				"a2,Second,,short,\n",
			want: []Document{
				{Title: "Open data plan", Reference: "a1", Date: "2024-03-01", Body: "date: 2024-03-01\n\ntext: The city publishes its budget, line by line.", URL: "https://example.org/a1"},
				{Title: "Second", Reference: "a2", Body: "text: short"},
			},
		},
		{
			name: "semicolon separated, Italian headers, long text",
			csv:  "titolo;testo\nPiano;\"" + strings.Repeat("Il comune pubblica i dati. ", 4) + "\"\n",
			want: []Document{{Title: "Piano", Body: strings.TrimSpace(strings.Repeat("Il comune pubblica i dati. ", 4))}},
		},
		{name: "header only", csv: "title,text\n", wantErr: "csv: no data rows after the header"},
		{name: "OGP export without its key", csv: "Commitment ID,Commitment Title,Action Plan,Full Text\nAL0002,Open data,Albania 2012,Text\n",
			wantErr: `csv: looks like an OGP commitments export (columns Commitment Title, Action Plan, Full Text ...) but has no "Commitment Unique Identifier" column`},
		{name: "empty rows", csv: "title,text\n,\n\n , \n", wantErr: "csv: no data rows after the header"},
		{name: "bad quotes", csv: "title,text\n\"a\"b\"\"c,d\n\"unterminated\n", wantErr: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := parseCSV("x.csv", tc.csv)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("parseCSV error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if tc.want == nil {
				return // only must not panic
			}
			if err != nil {
				t.Fatalf("parseCSV: %v", err)
			}
			if len(docs) != len(tc.want) {
				t.Fatalf("parseCSV = %d documents, want %d", len(docs), len(tc.want))
			}
			for i, w := range tc.want {
				d := docs[i]
				got := Document{Title: d.Title, Reference: d.Reference, Date: d.Date, Body: d.Body, URL: d.URL}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("record %d = %+v, want %+v", i, got, w)
				}
			}
		})
	}
}

func TestOGPDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1/1/2024", "2024-01-01"},
		{"12/31/2022", "2022-12-31"},
		{"7/1/18", "2018-07-01"},
		{"31/12/2014", "2014-12-31"},
		{"July 2014", "2014-07"},
		{"9/2018", "2018-09"},
		{"Quarter 1 2014", "Quarter 1 2014"},
		{"2014", "2014"},
		{"Underway", "Underway"},
		{"13/13/2020", "13/13/2020"},
		{"2/30/2020", "2/30/2020"},
		{"7/19/1905", "2027"},
		{"43525", "2019-03-01"},
	}
	for _, tc := range tests {
		if got := ogpDate(tc.in, false); got != tc.want {
			t.Errorf("ogpDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	b := readTestdata(f, ogpCSV)
	f.Add(string(b[:6000]))
	f.Add("title,text\nA,b\n")
	f.Add("id;titolo;testo\n1;\"a\nb\";c\n")
	f.Fuzz(func(t *testing.T, s string) {
		docs, err := parseCSV("f.csv", s)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error has several lines: %q", err)
		}
		if err == nil && len(docs) == 0 {
			t.Error("no error and no documents")
		}
	})
}

// TestParseCSVHeaderCase checks that the OGP export's columns are found
// regardless of case, as the record's fields are read.
func TestParseCSVHeaderCase(t *testing.T) {
	docs, err := Parse("c.csv", []byte("COMMITMENT UNIQUE IDENTIFIER,Commitment Title,Action Plan,Full Text\nAL0002,Open data,Albania 2012,Text\n"), nil)
	if err != nil || len(docs) != 1 || docs[0].Kind != KindCommitment || docs[0].Reference != "AL0002" {
		t.Fatalf("Parse = %+v, %v; want one commitment AL0002", docs, err)
	}
}

// yearOf is the year facet value of d, or "" if it has none.
func yearOf(d Document) string {
	return strings.Join(FacetValues(&d)["year"], ",")
}

// TestParseCSVDamaged: an export cut short (inside a quoted field too) or
// with a separator missing in a row is refused, with the line, rather than
// archived with values in the wrong columns or rows lost; a row without its
// identifier is named by its line in the file.
func TestParseCSVDamaged(t *testing.T) {
	b := readTestdata(t, ogpCSV)
	text := string(b)
	lines := strings.SplitAfter(text, "\n")
	mid := strings.Index(text, "AL0003")
	tests := []struct {
		name, text, want string
	}{
		{"cut short inside a quoted field", text[:len(text)/2], "the file is cut short"},
		{"a separator missing", text[:mid] + strings.Replace(text[mid:], ",", " ", 1), "a separator is missing"},
		{"a value beyond the last column", lines[0] + strings.TrimRight(lines[1], "\r\n") + ",extra\n", "a value beyond the last column"},
	}
	for _, tc := range tests {
		_, err := Parse("ogp.csv", []byte(tc.text), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%s: %v; want an error naming the line, %q", tc.name, err, tc.want)
		}
	}
	// The identifier missing on the 3rd data row (AL0050; each of the first
	// rows is one line), after two blank lines: line 6.
	rows := strings.SplitN(text, "\n", 5)
	noID := rows[0] + "\n" + rows[1] + "\n\n\n" + rows[2] + "\n," + strings.SplitN(rows[3], ",", 2)[1] + "\n"
	if _, err := Parse("ogp.csv", []byte(noID), nil); err == nil || !strings.Contains(err.Error(), "line 6 has no Commitment Unique Identifier") {
		t.Errorf("row without identifier: %v; want line 6 named", err)
	}
}

// TestParseCSVAsToolsSaveIt: the export with its headers in snake_case (as
// pandas or R write them) and with lines ended by CR alone (Excel's "CSV
// (Macintosh)") gives the same commitments.
func TestParseCSVAsToolsSaveIt(t *testing.T) {
	want, _ := parseOGP(t)
	text := string(readTestdata(t, ogpCSV))
	header, rest, _ := strings.Cut(text, "\n")
	names, err := csv.NewReader(strings.NewReader(header)).Read()
	if err != nil {
		t.Fatal(err)
	}
	var snake []string
	for _, h := range names {
		snake = append(snake, fieldKey(h))
	}
	for name, variant := range map[string]string{
		"snake_case headers": strings.ReplaceAll(strings.Join(snake, ","), " ", "_") + "\n" + rest,
		"CR line endings":    strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r"),
	} {
		docs, err := Parse("ogp.csv", []byte(variant), nil)
		if err != nil || len(docs) != len(want) {
			t.Errorf("%s: %v, %d documents; want %d", name, err, len(docs), len(want))
			continue
		}
		for i, d := range docs {
			if d.Commitment == nil || !reflect.DeepEqual(*d.Commitment, *want[i].Commitment) {
				t.Errorf("%s: %s differs:\n%+v\nwant\n%+v", name, want[i].ID, d.Commitment, want[i].Commitment)
				break
			}
		}
	}
}
