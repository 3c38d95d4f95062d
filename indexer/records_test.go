package indexer

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestParseJSONCommitments: JSON and JSON Lines exports with the CSV's field
// names (three rows of the CSV, converted with Python's json module) give the
// same records as the CSV.
func TestParseJSONCommitments(t *testing.T) {
	_, fromCSV := parseOGP(t)
	for _, file := range []string{"testdata/ogp-commitments/three.json", "testdata/ogp-commitments/three.jsonl"} {
		t.Run(file, func(t *testing.T) {
			docs, err := Parse("ogp/"+file[strings.LastIndexByte(file, '/')+1:], readTestdata(t, file), nil)
			if err != nil {
				t.Fatalf("Parse(%s): %v", file, err)
			}
			var ids []string
			for _, d := range docs {
				ids = append(ids, d.Commitment.Identifier)
				want := fromCSV[d.Commitment.Identifier]
				// Only the source file and id differ.
				d.ID, d.Source, want.ID, want.Source = "", "", "", ""
				if !reflect.DeepEqual(d, want) {
					t.Errorf("%s from JSON = %+v\nwant (from CSV) %+v", d.Commitment.Identifier, d.Commitment, want.Commitment)
				}
			}
			if want := []string{"AL0002", "AR0045", "IT0034"}; !reflect.DeepEqual(ids, want) {
				t.Errorf("identifiers = %q, want %q", ids, want)
			}
		})
	}
}

func TestParseJSONInstitutional(t *testing.T) {
	tests := []struct {
		file       string
		title      string
		date       string
		reference  string
		status     string
		url        string
		procedure  []Field // those listed must be present
		bodyStart  string
		bodyAbsent []string
	}{
		{
			file: "32026R0604.json", title: "COMMISSION IMPLEMENTING REGULATION (EU) 2026/604", date: "2026-03-19",
			reference: "32026R0604", url: "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32026R0604",
			bodyStart:  "Official Journal of the European Union EN L series",
			bodyAbsent: []string{"---|", "| Official Journal", "* * *"},
		},
		{
			file: "32026D0421.json", title: "COUNCIL DECISION (CFSP) 2026/421", date: "2026-02-19", reference: "32026D0421",
			bodyAbsent: []string{"---|"},
		},
		{
			file: "TA-9-2019-0009.json", title: "Appointment of the Vice-Chair of the Supervisory Board of the European Central Bank",
			date: "2019-09-17", reference: "TA-9-2019-0009",
			procedure:  []Field{{"Procedure", "2019/0903(NLE)"}, {"EuroVoc concepts", "8465, 3251, 1448, 447442, 1712"}},
			bodyStart:  "Tuesday, 17 September 2019",
			bodyAbsent: []string{"Choisissez la langue", "čeština", "Previous", "Legal notice", "Last updated", "113k"},
		},
		{
			file: "TA-9-2019-0001.json", title: "Numerical strength of committees", date: "2019-07-03", reference: "TA-9-2019-0001",
			procedure:  []Field{{"Procedure", "2019/2689(RSO)"}},
			bodyStart:  "Wednesday, 3 July 2019",
			bodyAbsent: []string{"svenska", "Index\n"},
		},
		{
			file: "record_0004.json", title: "Delega al Governo in materia di florovivaismo", date: "2024-02-28",
			reference: "S.1048", status: "appr. definit. Legge",
			procedure: []Field{{"Initiative", "Ministro agricoltura Lollobrigida Francesco (Meloni-I)"}},
			bodyStart: "SENATO DELLA REPUBBLICA DISEGNO DI LEGGE N. 1048",
		},
		{
			file: "record_0005.json", date: "2024-02-28", reference: "S.1047", status: "assegnato (no esame)",
		},
		{
			// The record's title is only "Proposta di legge": the bill's is in the text.
			file: "AC10.json", title: "Introduzione dell'articolo 413-bis del codice civile, concernente il decesso del beneficiario dell'amministrazione di sostegno privo di eredi conosciuti",
			date: "2022-10-13", reference: "AC10",
			procedure: []Field{{"Assigned to", "Commissione II Giustizia"}},
			// The hard breaks inside the sentence are joined.
			bodyStart: "XIX Legislatura",
		},
		{
			// The text cites a Gazzetta Ufficiale of 23 June 2015 near its top:
			// that is no date of the bill's.
			file: "AC3.json", date: "2018-09-20", reference: "AC3",
			procedure: []Field{{"Assigned to", "Commissione XII Affari sociali"}},
		},
		{
			// The title comes after a table of contents of 110 lines.
			file: "AC5.json", reference: "AC5", date: "2022-09-23",
			title: "Conversione in legge del decreto-legge 23 settembre 2022, n. 144, recante ulteriori misure urgenti in materia di politica energetica nazionale, produttività delle imprese, politiche sociali e per la realizzazione del Piano nazionale di ripresa e resilienza (PNRR)",
		},
		{
			file: "AC8.json", date: "2022-10-13", reference: "AC8",
			title:     "Abrogazione dell'articolo 99 della Costituzione. Soppressione del Consiglio nazionale dell'economia e del lavoro",
			procedure: []Field{{"Assigned to", "Commissione I Affari Costituzionali"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			docs, err := Parse("institutional/"+tc.file, readTestdata(t, "testdata/institutional/"+tc.file), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(docs) != 1 {
				t.Fatalf("Parse = %d documents, want 1", len(docs))
			}
			d := docs[0]
			if tc.title != "" && strings.TrimSpace(d.Title) != tc.title {
				t.Errorf("title = %q, want %q", d.Title, tc.title)
			}
			if d.Date != tc.date {
				t.Errorf("date = %q, want %q", d.Date, tc.date)
			}
			for _, x := range d.Dates {
				if x.Label == "published" && x.Date != d.Date {
					t.Errorf("dates %+v: published %s, a date the record does not give (its date is %s)", d.Dates, x.Date, d.Date)
				}
			}
			if d.Reference != tc.reference || !slices.Contains(d.References, tc.reference) {
				t.Errorf("reference = %q (references %q), want %q", d.Reference, d.References, tc.reference)
			}
			if d.Status != tc.status {
				t.Errorf("status = %q, want %q", d.Status, tc.status)
			}
			if tc.url != "" && d.URL != tc.url {
				t.Errorf("url = %q, want %q", d.URL, tc.url)
			}
			if want := "institutional." + slug(strings.TrimSuffix(tc.file, ".json")); d.ID != want {
				t.Errorf("id = %q, want %q (a one-record file is that document)", d.ID, want)
			}
			for _, f := range tc.procedure {
				if !slices.Contains(d.Procedure, f) {
					t.Errorf("procedure %+v lacks %+v", d.Procedure, f)
				}
			}
			if !strings.HasPrefix(d.Body, tc.bodyStart) {
				t.Errorf("body starts %q, want %q", d.Body[:min(len(d.Body), 120)], tc.bodyStart)
			}
			for _, s := range tc.bodyAbsent {
				if strings.Contains(d.Body, s) {
					t.Errorf("body contains %q", s)
				}
			}
		})
	}
}

func TestParseJSONCamaraJoinsBrokenLines(t *testing.T) {
	docs, err := Parse("AC10.json", readTestdata(t, "testdata/institutional/AC10.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "Introduzione dell'articolo 413-bis del codice civile, concernente il decesso del beneficiario"
	if !strings.Contains(docs[0].Body, want) {
		t.Errorf("body lacks the joined line %q", want)
	}
}

func TestParseJSONCoROpinion(t *testing.T) {
	docs, err := Parse("cor/52025AR2449.json", readTestdata(t, "testdata/institutional/52025AR2449.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.URL != "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52025AR2449" {
		t.Errorf("url = %q", d.URL)
	}
	if !slices.Contains(d.References, "52025AR2449") {
		t.Errorf("references %q lack the CELEX number", d.References)
	}
	if !strings.Contains(d.Title, "EU Startup and Scaleup Strategy") {
		t.Errorf("title = %q", d.Title)
	}
	if d.Date != "2026-03-05" {
		t.Errorf("date = %q, want the adoption date 2026-03-05", d.Date)
	}
	if r := d.Rapporteur; r == nil || r.Name != "Jozef Viskupič" || r.Country != "SK" || r.Role != "President of Trnava region" {
		t.Errorf("rapporteur = %+v, want Jozef Viskupič (SK), President of Trnava region", d.Rapporteur)
	}
	if len(d.Paragraphs) != 16 {
		t.Errorf("paragraphs = %d, want 16", len(d.Paragraphs))
	}
	if d.Kind != KindOpinion {
		t.Errorf("kind = %q, want opinion", d.Kind)
	}
}

func TestParseJSONRecords(t *testing.T) {
	tests := []struct {
		name, file, text string
		wantTitles       []string
		wantIDs          []string
		wantErr          string
	}{
		{
			name: "array with ids", file: "x.json",
			text:       `[{"title":"A","text":"one","celex_id":"32026R0001"},{"title":"B","text":"two","doceo_id":"TA-9-2019-0001"}]`,
			wantTitles: []string{"A", "B"}, wantIDs: []string{"x~32026r0001", "x~ta-9-2019-0001"},
		},
		{
			name: "object with records", file: "x.json",
			text:       `{"records":[{"title":"A","text":"one","language":"it"},{"text":"# Heading\n\nbody"}]}`,
			wantTitles: []string{"A", "Heading"}, wantIDs: []string{"x~1", "x~2"},
		},
		{
			name: "json lines", file: "x.jsonl",
			text:       "{\"title\":\"A\",\"text\":\"one\"}\n\n{\"title\":\"B\",\"date\":\"3 marzo 2024\"}\n",
			wantTitles: []string{"A", "B"}, wantIDs: []string{"x~1", "x~2"},
		},
		{name: "invalid", file: "x.json", text: "[{\"title\": \"A\",\n \"text\": oops}]", wantErr: "json: invalid character 'o' looking for beginning of value at line 2 (offset 26)"},
		{name: "truncated", file: "x.json", text: `[{"title": "A"`, wantErr: "json: unexpected end of file at offset 14"},
		{name: "no records", file: "x.json", text: `[{"foo": 1}, {"bar": 2}]`, wantErr: "json: no records with title or text"},
		{name: "mixed array", file: "x.json", text: `[{"title":"A","text":"one"}, {"title":"B","text":"two"}, 42, "a string"]`, wantErr: "json: element 3 of the array is a number, not a record (a JSON object)"},
		{name: "null in records", file: "x.json", text: `{"records": [{"title":"A","text":"one"}, null]}`, wantErr: "json: element 2 of the array is null, not a record (a JSON object)"},
		{name: "scalar", file: "x.json", text: `42`, wantErr: "json: no records with title or text (the file holds neither an object nor an array)"},
		{name: "two values", file: "x.json", text: `{"title":"a"} {"title":"b"}`, wantErr: "json: more than one value in file (use .jsonl for one record per line)"},
		{name: "jsonl bad line", file: "x.jsonl", text: "{\"title\":\"A\"}\n{bad\n", wantErr: "jsonl: line 2: invalid character 'b' looking for beginning of object key string at offset 2"},
		{name: "jsonl not object", file: "x.jsonl", text: "[1]\n", wantErr: "jsonl: line 1: a record must be a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Parse(tc.file, []byte(tc.text), nil)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Parse error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var titles, ids []string
			for _, d := range docs {
				titles = append(titles, d.Title)
				ids = append(ids, d.ID)
			}
			if !reflect.DeepEqual(titles, tc.wantTitles) || !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("titles %q ids %q, want %q %q", titles, ids, tc.wantTitles, tc.wantIDs)
			}
		})
	}
}

// TestParseJSONCommitmentTypes: a JSON export may give flags and years as
// numbers or booleans rather than strings.
func TestParseJSONCommitmentTypes(t *testing.T) {
	src := `{"Commitment Unique Identifier": "XX0001", "Commitment Title": "Open budget", "Country/Locality": "Atlantis",
		"Year Of Submission": 2020, "Action Plan End Year": 2022, "Open Data": 1, "Legislation": true, "Audits": 0,
		"OGP Value Civic Participation": 1, "Starred (2015 Only)": false, "Specificity": "NR", "Full Text": "Publish the budget."}`
	docs, err := Parse("x.json", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := docs[0].Commitment
	if want := []string{"Legislation", "Open Data"}; !reflect.DeepEqual(c.Themes, want) {
		t.Errorf("themes = %q, want %q", c.Themes, want)
	}
	if want := []string{"Civic participation"}; !reflect.DeepEqual(c.Assessment.Relevance, want) {
		t.Errorf("relevance = %q, want %q", c.Assessment.Relevance, want)
	}
	if c.ActionPlan != "Atlantis action plan 2020-2022" || c.Assessment.Starred != "No" || c.Assessment.Specificity != "" {
		t.Errorf("action plan %q, starred %q, specificity %q; want Atlantis action plan 2020-2022, No, empty",
			c.ActionPlan, c.Assessment.Starred, c.Assessment.Specificity)
	}
	if docs[0].ID != "x~xx0001" {
		t.Errorf("id = %q, want x~xx0001", docs[0].ID)
	}
}

func TestParseJSONLanguageField(t *testing.T) {
	docs, err := Parse("x.json", []byte(`{"title":"Piano","text":"Il comune pubblica i dati.","lang":"IT","date":"2024-03-01T10:00:00Z"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if docs[0].Language != "it" || docs[0].Date != "2024-03-01" {
		t.Errorf("language %q date %q, want it 2024-03-01", docs[0].Language, docs[0].Date)
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, p := range []string{"testdata/institutional/TA-9-2019-0001.json", "testdata/institutional/AC8.json", "testdata/institutional/52025AR2449.json"} {
		f.Add(string(readTestdata(f, p)), false)
	}
	f.Add(string(readTestdata(f, "testdata/ogp-commitments/three.jsonl")), true)
	f.Add(`[{"title":"a","text":"b","tags":["x",1]}]`, false)
	f.Fuzz(func(t *testing.T, s string, lines bool) {
		var err error
		if lines {
			_, err = parseJSONLines("f.jsonl", s)
		} else {
			_, err = parseJSON("f.json", s)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error has several lines: %q", err)
		}
	})
}

// TestSingleCommitmentAfterSkippedObject: a JSON file whose only document is
// a commitment keeps the commitment's own id, even when an object before it
// was skipped (no title or text).
func TestSingleCommitmentAfterSkippedObject(t *testing.T) {
	var objs []map[string]any
	if err := json.Unmarshal(readTestdata(t, "testdata/ogp-commitments/three.json"), &objs); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal([]map[string]any{{"x": 1}, objs[0]})
	if err != nil {
		t.Fatal(err)
	}
	one, err := Parse("c/one.json", mustJSON(t, objs[0:1]), nil)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := Parse("c/one.json", b, nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %d documents, %v", len(docs), err)
	}
	if docs[0].Kind != KindCommitment || docs[0].ID != one[0].ID || docs[0].ID == "c.one" {
		t.Errorf("id %q (kind %s), want the commitment's own id %q, not the file's", docs[0].ID, docs[0].Kind, one[0].ID)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRepeatedLinesKept checks that text repeated on purpose stays: the same
// sentence under two articles of a bill, a heading that its table of
// contents named first. Only a scraped page's top, where menus and the
// title repeat, loses repeated lines.
func TestRepeatedLinesKept(t *testing.T) {
	var bill strings.Builder
	bill.WriteString("Disegno di legge sulla copertura\n\nIndice\nCapo I\nCapo II\n\n")
	for i := range 30 {
		fmt.Fprintf(&bill, "Testo introduttivo numero %d del disegno di legge.\n", i)
	}
	bill.WriteString("Capo I\nArt. 1\nIl comma 1 istituisce il fondo.\nIl comma 2 reca la copertura finanziaria.\n")
	bill.WriteString("Capo II\nArt. 2\nIl comma 1 proroga il termine.\nIl comma 2 reca la copertura finanziaria.\n")
	rec, err := json.Marshal(map[string]string{"title": "Disegno di legge sulla copertura", "text": bill.String()})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"bill.json": rec, "bill.txt": []byte(bill.String())} {
		docs, err := Parse(name, data, nil)
		if err != nil || len(docs) != 1 {
			t.Fatalf("%s: %v, %d documents", name, err, len(docs))
		}
		body := docs[0].Body
		lines := strings.Split(body, "\n")
		for line, want := range map[string]int{"Il comma 2 reca la copertura finanziaria.": 2, "Capo I": 2, "Capo II": 2} {
			if got := len(slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return strings.TrimSpace(l) != line })); got != want {
				t.Errorf("%s: %q %d times in the body, want %d:\n%s", name, line, got, want, body)
			}
		}
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Ministry A\rMinistry B", []string{"Ministry A", "Ministry B"}},
		{"Ministry A\r\nMinistry B; Ministry C", []string{"Ministry A", "Ministry B", "Ministry C"}},
		{"Ministry of Health\n  Ministry of Education", []string{"Ministry of Health", "Ministry of Education"}},
		{"Unit E\nDirectorate General for Budget", []string{"Unit E", "Directorate General for Budget"}},
		// NL0005 of the OGP export.
		{"Ministry of the Interior and Kingdom Relations & \nMinistry of Security and Justice",
			[]string{"Ministry of the Interior and Kingdom Relations", "Ministry of Security and Justice"}},
		{"Ministry of Trade & Industry", []string{"Ministry of Trade & Industry"}},
		{"1. Head of Bureau for Legal Affairs\n2. Secretariat General", []string{"Head of Bureau for Legal Affairs", "Secretariat General"}},
		{"3D NGO", []string{"3D NGO"}},
		{"Dirección General de \n  Comunicaciones", []string{"Dirección General de Comunicaciones"}},
		{"Comisión Especial de Parlamento \n  Abierto", []string{"Comisión Especial de Parlamento Abierto"}},
		{"Office of the Prime\n  minister", []string{"Office of the Prime minister"}},
		{"(a)        Secretary General,\n(b)        Legislation Committee", []string{"Secretary General", "Legislation Committee"}},
		{"\uf06c Ministry A\n\uf06c Ministry B", []string{"Ministry A", "Ministry B"}},
		// Items run together on one line (EC0014, MO0048 and SCO0006 of the OGP export).
		{"• Defensoría del Pueblo de Ecuador (DPE) • ParlAmericas • Open Government Partnership (OGP)",
			[]string{"Defensoría del Pueblo de Ecuador (DPE)", "ParlAmericas", "Open Government Partnership (OGP)"}},
		{"• Concerned ministries; • Territorial collectivities. • Associations of youth",
			[]string{"Concerned ministries", "Territorial collectivities", "Associations of youth"}},
		{"Scottish Exchequer and teams including: \uf0b7 Public Spending \uf0b7 Tax\uf0b7 Economy",
			[]string{"Scottish Exchequer and teams including", "Public Spending", "Tax", "Economy"}},
		{"Ministry of Culture, Youth and Sport · Unit E", []string{"Ministry of Culture, Youth and Sport · Unit E"}},
		{"ND", nil},
	}
	for _, tc := range tests {
		if got := splitList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestParseJSONTitledWrapper: an export whose wrapper has a title of its
// own beside its "data" array gives the records (it gave one empty page);
// a record with a "data" list of values stays one record.
func TestParseJSONTitledWrapper(t *testing.T) {
	docs, err := Parse("export.json", []byte(`{"title": "OGP commitments export 2024-07-03", "source": "OGP", "data": [
		{"Commitment Unique Identifier": "AT0001", "Country/Locality": "Atlantis", "Commitment Title": "Open budget", "Full Text": "Publish the budget."},
		{"Commitment Unique Identifier": "AT0002", "Country/Locality": "Atlantis", "Commitment Title": "Open contracts", "Full Text": "Publish contracts."}]}`), nil)
	if err != nil || len(docs) != 2 || docs[0].Commitment == nil || docs[1].Title != "Open contracts" {
		t.Errorf("titled wrapper: %v, %d documents; want the 2 commitments", err, len(docs))
	}
	docs, err = Parse("record.json", []byte(`{"title": "Budget figures", "text": "The budget grew.", "data": [1, 2, 3]}`), nil)
	if err != nil || len(docs) != 1 || docs[0].Title != "Budget figures" {
		t.Errorf("record with a data list: %v, %+v; want the one record", err, docs)
	}
}
