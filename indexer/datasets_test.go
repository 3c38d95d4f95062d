package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyInto copies testdata files into a corpus folder under new names.
func copyInto(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for dst, src := range files {
		b, err := os.ReadFile(filepath.Join("testdata", src))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, dst)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIngestDatasets puts each real data set in a corpus folder, as staff
// would, and checks what the archive holds afterwards.
func TestIngestDatasets(t *testing.T) {
	corpus := t.TempDir()
	files := map[string]string{
		"ogp/open_parliament_0703.csv":   "ogp-commitments/open_parliament_0703.csv",
		"cor/52025AR2449.json":           "cor-opinions/52025AR2449.json",
		"eu/32026D0421.json":             "institutional/32026D0421.json",
		"eu/TA-9-2019-0009.json":         "institutional/TA-9-2019-0009.json",
		"it/senato/record_0004.json":     "institutional/record_0004.json",
		"it/camera/AC10.json":            "institutional/AC10.json",
		"formats/opinion.pdf":            "formats/opinion.pdf",
		"formats/scheda.docx":            "formats/scheda.docx",
		"formats/news.html":              "formats/news.html",
		"cor/factsheet-it.txt":           "cor-it/factsheet-it.txt",
		"seeds/opinione-econ.md":         "cor-it/opinion-it.md",
		"seeds/004_0db3a085d7f705a5.txt": "seeds/004_0db3a085d7f705a5.txt",
		"seeds/000_7f59fc298196f26d.txt": "seeds/000_7f59fc298196f26d.txt",
		"formats/ogp-three.jsonl":        "ogp-commitments/three.jsonl",
	}
	entries, err := os.ReadDir("testdata/it-ogp-nap3")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		files["nap3/"+e.Name()] = "it-ogp-nap3/" + e.Name()
	}
	copyInto(t, corpus, files)
	// Sidecar metadata for the PDF.
	if err := os.WriteFile(filepath.Join(corpus, "formats/opinion.yaml"), []byte("title: AI in the public sector (PDF)\ndate: 2024-11-21\nkind: opinion\nreference: ECON-VII/038-PDF\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	ix := openTest(t)
	ctx := context.Background()
	sum, err := ix.Sync(ctx, os.DirFS(corpus))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 {
		t.Fatalf("Sync failed files: %+v", sum.Problems)
	}
	rs, _ := ix.Receipts(ctx)
	states := map[string]string{}
	for _, r := range rs {
		states[r.File] = r.State
	}
	if states["formats/opinion.yaml"] != StateIgnored {
		t.Errorf("sidecar receipt = %q, want ignored", states["formats/opinion.yaml"])
	}

	search := func(q Query) Results {
		t.Helper()
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return res
	}
	facet := func(res Results, name, value string) int {
		for _, v := range res.Facets[name] {
			if v.Value == value {
				return v.Count
			}
		}
		return 0
	}

	// OGP commitments: 558 from the CSV and 3 from the JSON Lines export.
	commitments := search(Query{Filters: map[string][]string{"kind": {KindCommitment}}})
	if commitments.Total != 558+3+33 {
		t.Errorf("commitments = %d, want 594 (558 CSV + 3 JSONL + 33 Italian drafts)", commitments.Total)
	}
	csv := search(Query{Filters: map[string][]string{"kind": {KindCommitment}, "language": {"en", "es"}}})
	// Counts per country, computed with Python's csv module over the export (csv_test.go), plus the JSONL rows.
	for country, want := range map[string]int{"Ukraine": 32, "North Macedonia": 31, "Ghana": 23, "Paraguay": 16} {
		if got := facet(csv, "country", country); got != want {
			t.Errorf("commitments in %s = %d, want %d", country, got, want)
		}
	}
	// Regions of the world and stars, computed the same way: the Region
	// column, and the star of the most recent assessment, as the export's
	// own "Max star" (323 rows have only ND, NR or NA there, and no value).
	for _, tc := range []struct {
		name, value string
		want        int
	}{
		{"region", "Europe", 255 + 2}, {"region", "Americas", 77 + 1}, {"region", "Asia and the Pacific", 116},
		{"region", "Africa and the Middle East", 110}, {"starred", "Yes", 36 + 1}, {"starred", "No", 199 + 2},
	} {
		if got := facet(csv, tc.name, tc.value); got != tc.want {
			t.Errorf("commitments with %s %s = %d, want %d", tc.name, tc.value, got, tc.want)
		}
	}
	// A facet value of two words typed in the query, quoted, filters as the parameter does.
	for _, q := range []string{`country:"North Macedonia"`, `country:“north macedonia”`} {
		if got := search(Query{Text: q}).Total; got != 31 {
			t.Errorf("%s: %d documents, want the 31 commitments", q, got)
		}
	}
	if got := facet(commitments, "country", "Italy"); got != 2+1+33 {
		t.Errorf("commitments in Italy = %d, want 36 (IT0007 and IT0034 from the CSV, IT0034 again from the JSONL, the 33 drafts)", got)
	}
	// A start known to the month or the year only (AM0022: "August 2014")
	// counts for date ranges as for the year facet.
	in2014 := search(Query{From: "2014", To: "2014", Filters: map[string][]string{"kind": {KindCommitment}}})
	if want := facet(commitments, "year", "2014"); in2014.Total != uint64(want) || want < 30 {
		t.Errorf("commitments from 2014 to 2014 = %d, year facet 2014 = %d; want the same, over 30", in2014.Total, want)
	}
	if got := search(Query{Text: "AM0022", From: "2014-08-01", To: "2014-08-31"}); len(got.Hits) == 0 || !strings.HasSuffix(got.Hits[0].ID, "am0022") {
		t.Errorf("AM0022 (start August 2014) in August 2014: %v", hitIDs(got))
	}
	// A start known to the quarter ("Quarter 1 2014", "I quarter of 2021") too.
	for q, month := range map[string]string{"JO0042": "2014-01", "RS0046": "2021-01"} {
		if got := search(Query{Text: q, From: month, To: month}); len(got.Hits) == 0 || !strings.HasSuffix(got.Hits[0].ID, strings.ToLower(q)) {
			t.Errorf("%s in %s: %v", q, month, hitIDs(got))
		}
	}
	// Values as the Italian pages name them find what the values do.
	for _, pair := range [][2]string{
		{"lingua:spagnolo", "language:es"},
		{"lingua:español", "language:es"},
		{`stato:"non chiaro"`, "status:unclear"},
		{`piano:"Italia, piano d'azione 2016-2018"`, `plan:"Italy action plan 2016-2018"`},
		{`piano:"Repubblica Ceca, piano d’azione 2016-2018"`, `plan:"Czech Republic action plan 2016-2018"`},
		{"area:Europa", "region:Europe"},
		{`area:"africa e medio oriente"`, `region:"Africa and the Middle East"`},
		{"stella:sì", "starred:yes"},
	} {
		it, en := search(Query{Text: pair[0]}).Total, search(Query{Text: pair[1]}).Total
		if it != en || en == 0 {
			t.Errorf("%s: %d, %s: %d; want the same, not 0", pair[0], it, pair[1], en)
		}
	}
	// Country names in Italian, as the Italian pages show them.
	for _, tc := range []struct {
		q    string
		want uint64
	}{
		{"paese:Italia kind:commitment", 36},
		{`paese:"macedonia del nord"`, 31},
		{"country:Ucraina", 32},
		{`paese:"Madrid, Spagna"`, 1}, // MAD0005, the one commitment of "Madrid, Spain"
		{"paese:Atlantide", 0},
	} {
		if got := search(Query{Text: tc.q}).Total; got != tc.want {
			t.Errorf("%s: %d documents, want %d", tc.q, got, tc.want)
		}
	}
	it := search(Query{Text: "IT0034", Filters: map[string][]string{"kind": {KindCommitment}}})
	if len(it.Hits) == 0 {
		t.Fatal("IT0034 not found by its identifier")
	}
	d, err := ix.Doc(ctx, it.Hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Commitment; c == nil || !slices.Equal(c.LeadInstitutions, []string{"City of Milan"}) ||
		c.Assessment.CompletionEndOfTerm != "Limited" || c.ActionPlanID != "AP_ITA03" || c.Identifier != "IT0034" {
		t.Errorf("IT0034 = %+v", d.Commitment)
	}
	if got := facet(search(Query{Filters: map[string][]string{"institution": {"City of Milan"}}}), "kind", KindCommitment); got != 2 {
		t.Errorf("institution=City of Milan: %d commitments, want 2 (IT0034 from the CSV and the JSONL)", got)
	}

	// Italy's third action plan drafts, in Italian.
	nap := search(Query{Filters: map[string][]string{"kind": {KindCommitment}, "language": {"it"}}})
	if nap.Total != 33 {
		t.Errorf("Italian commitments = %d, want 33", nap.Total)
	}
	// They name only their country, Italy: their region of the world is Europe.
	if eu := search(Query{Filters: map[string][]string{"kind": {KindCommitment}, "language": {"it"}, "region": {"Europe"}}}); eu.Total != 33 {
		t.Errorf("Italian commitments in Europe = %d, want 33", eu.Total)
	}
	if res := search(Query{Text: `"Milano Trasparente"`, Filters: map[string][]string{"language": {"it"}}}); res.Total != 3 {
		t.Errorf("Milano Trasparente = %d (%v), want 3: the two drafts and the DOCX action sheet", res.Total, hitIDs(res))
	}

	// The CoR opinion in Official Journal layout.
	oj := search(Query{Text: "C/2026/2605"})
	if len(oj.Hits) == 0 {
		t.Fatal("OJ opinion not found by its OJ reference")
	}
	if sn := strings.Join(oj.Hits[0].Snippets, " "); !strings.Contains(sn, "<mark>2605</mark>") {
		t.Errorf("OJ opinion's snippet for its reference = %q, want it marked", sn)
	}
	d, _ = ix.Doc(ctx, oj.Hits[0].ID)
	if d.Kind != KindOpinion || d.Rapporteur == nil || d.Rapporteur.Name != "Jozef Viskupič" || len(d.Paragraphs) != 16 || d.Date != "2026-03-05" {
		t.Errorf("OJ opinion: kind %s, rapporteur %+v, %d paragraphs, date %s", d.Kind, d.Rapporteur, len(d.Paragraphs), d.Date)
	}
	if !slices.Contains(d.References, "52025AR2449") || slices.Contains(d.References, "COM(2025) 270") {
		t.Errorf("OJ opinion references %v: want the CELEX number, not the Commission's document it answers", d.References)
	}
	// An identifier with a filter or other words in the query still finds
	// its document, first.
	for _, tc := range []struct{ q, want string }{
		{"C/2026/2605 kind:opinion", oj.Hits[0].ID},
		{"COM(2025) 270", oj.Hits[0].ID}, // the document it answers, not its own
		{"2026/2605 lang:en", oj.Hits[0].ID},
		{"52025AR2449 regions", oj.Hits[0].ID},
		// Its ELI, as printed, without the scheme, from "eli/" on.
		{"http://data.europa.eu/eli/C/2026/2605/oj", oj.Hits[0].ID},
		{"https://data.europa.eu/eli/C/2026/2605/oj/", oj.Hits[0].ID},
		{"data.europa.eu/eli/C/2026/2605/oj", oj.Hits[0].ID},
		{"eli/C/2026/2605/oj", oj.Hits[0].ID},
		{"IT0034 kind:commitment", it.Hits[0].ID},
		{"IT0034 transparent", it.Hits[0].ID},
	} {
		res := search(Query{Text: tc.q})
		if len(res.Hits) == 0 || res.Hits[0].ID != tc.want || res.Relaxed {
			t.Errorf("%s: %v (relaxed %v), want %s first", tc.q, hitIDs(res), res.Relaxed, tc.want)
		}
	}
	// With a word the document does not have, the search is relaxed to any
	// word, and the identifier still ranks its document first.
	for _, q := range []string{"budget C/2026/2605", "budget 52025AR2449", "budget OJ C 2026/2605"} {
		if res := search(Query{Text: q}); len(res.Hits) == 0 || res.Hits[0].ID != oj.Hits[0].ID || !res.Relaxed {
			t.Errorf("%s: %v (relaxed %v), want the OJ opinion %s first of a relaxed search", q, hitIDs(res), res.Relaxed, oj.Hits[0].ID)
		}
	}
	// Names typed without their accents find them, in English and Italian
	// documents, and the snippet marks the name as written.
	for _, q := range []string{"Viskupic", "viskupič", "VISKUPIC Trnava", "Tutto"} {
		res := search(Query{Text: q, Filters: map[string][]string{"kind": {KindOpinion}}})
		if !slices.Contains(hitIDs(res), oj.Hits[0].ID) || res.Relaxed {
			t.Errorf("%s: %v (relaxed %v), want the OJ opinion %s", q, hitIDs(res), res.Relaxed, oj.Hits[0].ID)
		}
	}
	if res := search(Query{Text: "Viskupic", Filters: map[string][]string{"kind": {KindOpinion}}}); len(res.Hits) == 0 ||
		!strings.Contains(strings.Join(res.Hits[0].Snippets, " "), "<mark>Viskupič</mark>") {
		t.Errorf("Viskupic: snippets do not mark Viskupič: %+v", res.Hits)
	}

	// Opinions: the seed, the Italian version, the OJ one and the PDF with its sidecar.
	opinions := search(Query{Filters: map[string][]string{"kind": {KindOpinion}}})
	if opinions.Total != 4 {
		t.Errorf("opinions = %d (%v), want 4", opinions.Total, hitIDs(opinions))
	}
	if got := facet(opinions, "language", "it"); got != 1 {
		t.Errorf("Italian opinions = %d, want 1", got)
	}
	pdf := search(Query{Text: "ECON-VII/038-PDF"})
	if len(pdf.Hits) == 0 || pdf.Hits[0].Title != "AI in the public sector (PDF)" || pdf.Hits[0].Source != "formats/opinion.pdf" {
		t.Errorf("PDF with sidecar = %+v", pdf.Hits)
	}
	if res := search(Query{Text: "\"regulatory sandboxes\"", Filters: map[string][]string{"kind": {KindOpinion}}}); res.Total != 3 {
		t.Errorf("phrase in the seed, its PDF and the OJ opinion: %d hits (%v), want 3", res.Total, hitIDs(res))
	}

	// Institutional records, English and Italian.
	for q, title := range map[string]string{
		"florovivaismo":                        "Delega al Governo in materia di florovivaismo",
		"\"Supervisory Board\" \"Vice-Chair\"": "Appointment of the Vice-Chair of the Supervisory Board of the European Central Bank",
	} {
		res := search(Query{Text: q})
		if len(res.Hits) == 0 || res.Hits[0].Title != title {
			t.Errorf("Search(%s) first = %v, want %q", q, hitIDs(res), title)
		}
	}
	// The factsheets, English and Italian, are found by their reference.
	fs := search(Query{Text: "CDR 3529/2017"})
	var kinds []string
	for _, h := range fs.Hits {
		if h.Reference == "CDR 3529/2017" {
			kinds = append(kinds, h.Kind+"/"+h.Language)
		}
	}
	slices.Sort(kinds)
	if strings.Join(kinds, " ") != "factsheet/en factsheet/it" {
		t.Errorf("CDR 3529/2017 factsheets = %v, want the English and the Italian one", kinds)
	}
}
