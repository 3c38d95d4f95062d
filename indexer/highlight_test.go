package indexer

import (
	"github.com/blevesearch/bleve/v2/registry"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

func TestMatcherFind(t *testing.T) {
	ix := openTest(t)
	en := ix.gen.Mapping().AnalyzerNamed(textLang("en"))
	it := ix.gen.Mapping().AnalyzerNamed(textLang("it"))
	filler := strings.Repeat("The committee notes the report of the council. ", 400) // 18 KB
	tests := []struct {
		name  string
		query string
		an    string
		text  string
		want  []string // the matched words, in order
	}{
		{"stemmed English", "regulatory sandbox", "en", "Regulatory sandboxes at EU level.", []string{"Regulatory", "sandboxes"}},
		{"stem rewrites the ending", "policies", "en", "A policy for every region.", []string{"policy"}},
		{"Italian stems meet", "partecipativa", "it", "La partecipazione dei cittadini, partecipare.", []string{"partecipazione", "partecipare"}},
		{"prefix", "digit*", "en", "Digital solutions and digitisation.", []string{"Digital", "digitisation"}},
		{"fuzzy", "sandboxs~1", "en", "One sandbox here.", []string{"sandbox"}},
		{"no query word in text", "sandbox", "en", "Nothing to see.", nil},
		{"far into a long text", "sandboxes", "en", filler + "Regulatory sandboxes at the end. " + filler, []string{"sandboxes"}},
		{"several places in a long text", "sandbox", "en", "A sandbox. " + filler + "Another sandbox. " + filler, []string{"sandbox", "sandbox"}},
		{"only lines with a probe, in order", "sandbox policies", "en", "Sandboxes first.\nNothing here.\nA policy line.\n\nsandbox again, policies too", []string{"Sandboxes", "policy", "sandbox", "policies"}},
		{"match on the last line without newline", "regions", "en", "One line.\nEvery region", []string{"region"}},
		{"lower-casing changes the length", "sandbox", "en", "İstanbul sandbox.\nOther sandbox", []string{"sandbox", "sandbox"}},
		{"accents typed without", "Tutto Blizkovsky", "en", "Signed, Kata TÜTTŐ.\nRapporteur: Blížkovský.", []string{"TÜTTŐ", "Blížkovský"}},
		{"accents typed without, far into a long text", "citta", "it", filler + " la città di Milano. " + filler, []string{"città"}},
		{"a form indexed as another's", "anni", "it", "Negli ultimi anni la regione ha investito.", []string{"anni"}},
		{"after an elided word", "anno", "it", "Entro quest'anno la regione investirà.", []string{"quest'anno"}},
		{"accents typed without, beside a word as typed", "Tutto Viskupic", "en", "Signed by Viskupic and Kata TÜTTŐ.", []string{"Viskupic", "TÜTTŐ"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clauses, err := parseQueryString(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			an, name := en, textLang("en")
			if tc.an == "it" {
				an, name = it, textLang("it")
			}
			spans, _ := newMatcher(clauses, an, name).find(tc.text)
			var got []string
			for _, s := range spans {
				got = append(got, tc.text[s.start:s.end])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("find(%q) = %q, want %q", tc.query, got, tc.want)
			}
		})
	}
}

func TestSnippetDropsMarkdownMarkers(t *testing.T) {
	text := "# Milano Trasparente\n\n## Descrizione breve\n\nPubblicare **ogni** atto #42."
	got := fragment(text, []span{{2, 8}})
	want := "<mark>Milano</mark> Trasparente  Descrizione breve  Pubblicare ogni atto #42."
	if got != want {
		t.Errorf("fragment = %q, want %q", got, want)
	}
	// A snippet cut just before a heading's space loses the marker too.
	if got := flat("risultati attesi ##"); got != "risultati attesi " {
		t.Errorf("flat = %q, want the heading marker gone", got)
	}
}

// TestMatcherLinesAgreeWithWholeText checks that analysing only the lines
// holding a probe finds exactly the words analysing the whole text finds,
// on the seed documents (up to the length where windows take over).
func TestMatcherLinesAgreeWithWholeText(t *testing.T) {
	ix := openTest(t)
	texts, err := filepath.Glob("testdata/seeds/*")
	if err != nil || len(texts) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	queries := []string{"digital", "regions innovation", "sandboxes", "artificial intelligence", "open government", "partecipazione", "regione", "public services"}
	checked := 0
	for _, name := range texts {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := normalizeText(string(b))
		if len(text) > longText { // long texts are analysed in windows, by design
			text = text[:strings.LastIndexByte(text[:longText], '\n')]
		}
		for _, lang := range []string{"en", "it"} {
			an := ix.gen.Mapping().AnalyzerNamed(textLang(lang))
			for _, q := range queries {
				clauses, err := parseQueryString(q)
				if err != nil {
					t.Fatal(err)
				}
				m := newMatcher(clauses, an, textLang(lang))
				got, _ := m.find(text)
				m.probes = nil // analyse everything
				want, _ := m.find(text)
				if !slices.Equal(got, want) {
					t.Errorf("%s, %s, %q: lines give %d spans, whole text %d", filepath.Base(name), lang, q, len(got), len(want))
				}
				checked += len(want)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d matches checked; the seeds should give more", checked)
	}
}

// FuzzMatcherFind checks that finding a query's words through its probes
// (only the words holding one are analysed) gives exactly what analysing
// the whole text gives, for texts up to the length where windows take over.
func FuzzMatcherFind(f *testing.F) {
	f.Add("regulatory sandboxes", "Regulatory sandboxes at EU level.\nA sandbox (sandboxing) here.", false)
	f.Add("partecipazione", "La partecipazione dei cittadini, dell'partecipativa\tpartecipare.", true)
	f.Add("digit* policies", "Digital policy; digitisation—policies.\r\nİstanbul", false)
	f.Add("\"open data\"", "open  data,open-data\u2009opendata", false)
	bi, err := bleve.NewMemOnly(mustMapping(f))
	if err != nil {
		f.Fatal(err)
	}
	en := bi.Mapping().AnalyzerNamed(textLang("en"))
	it := bi.Mapping().AnalyzerNamed(textLang("it"))
	f.Fuzz(func(t *testing.T, q, text string, italian bool) {
		if len(text) > longText || len(q) > 200 {
			return
		}
		clauses, err := parseQueryString(q)
		if err != nil {
			return
		}
		an, name := en, textLang("en")
		if italian {
			an, name = it, textLang("it")
		}
		m := newMatcher(clauses, an, name)
		got, _ := m.find(text)
		m.probes = nil
		want, _ := m.find(text)
		if !slices.Equal(got, want) {
			t.Errorf("find(%q) on %q: probes give %v, the whole text %v", q, text, got, want)
		}
	})
}

func mustMapping(f *testing.F) *mapping.IndexMappingImpl {
	m, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	return m
}

// TestCitedParagraph: the paragraph cited holds more than half of the
// query's words; a word some searched language drops as too common ("la")
// does not count.
func TestCitedParagraph(t *testing.T) {
	ix := openTest(t)
	m := ix.gen.Mapping()
	d := &Document{Paragraphs: []Paragraph{
		{Number: 1, Text: "The La Rioja region and La Palma."},
		{Number: 2, Text: "Cohesion funds for mountain regions."},
	}}
	for _, tc := range []struct {
		q    string
		want int // paragraph number, 0 for none
	}{
		{"la cohesion", 2},
		{"la", 1}, // only a stop word: it is what there is
		{"cohesion mountain zebra", 2},
		{"cohesion zebra", 0},
	} {
		clauses, err := parseQueryString(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		markStopWords(clauses, []string{textLang("en"), textLang("it")}, m)
		got := 0
		if i, _ := citedParagraph(d, newMatcher(clauses, m.AnalyzerNamed(textLang("en")), textLang("en"))); i >= 0 {
			got = d.Paragraphs[i].Number
		}
		if got != tc.want {
			t.Errorf("citedParagraph(%q) = paragraph %d, want %d", tc.q, got, tc.want)
		}
	}
	// Past the highlight budget there is no matcher, and no paragraph.
	if i, spans := citedParagraph(d, nil); i != -1 || spans != nil {
		t.Errorf("citedParagraph without a matcher = %d, %v; want none", i, spans)
	}
	// A phrase is cited where it stands, its stop words typed with or
	// without their accents; not where its words stand apart.
	it := &Document{Paragraphs: []Paragraph{
		{Number: 1, Text: "Il Comitato sostiene le città piccole e chiede più fondi."},
		{Number: 2, Text: "Le città più piccole hanno bisogno di fondi."},
	}}
	for _, q := range []string{`"citta piu piccole"`, `"città più piccole"`} {
		clauses, err := parseQueryString(q)
		if err != nil {
			t.Fatal(err)
		}
		name := textLang("it")
		if i, _ := citedParagraph(it, newMatcher(clauses, m.AnalyzerNamed(name), name)); i != 1 {
			t.Errorf("citedParagraph(%s) = %d, want the second paragraph", q, i)
		}
	}
}

// TestMatcherFindIsStable: a long text with many places for several query
// words gives the same matches every time (the probes once came from a map,
// and which windows were analysed changed from one search to the next).
func TestMatcherFindIsStable(t *testing.T) {
	ix := openTest(t)
	an := ix.gen.Mapping().AnalyzerNamed(textLang("en"))
	text := strings.Repeat("Open data helps. ", 300) + strings.Repeat("A parliament that is open. ", 300) + "Openness of the parliament."
	clauses, err := parseQueryString("open parliament openness")
	if err != nil {
		t.Fatal(err)
	}
	first, _ := newMatcher(clauses, an, textLang("en")).find(text)
	for range 30 {
		if got, _ := newMatcher(clauses, an, textLang("en")).find(text); !slices.Equal(got, first) {
			t.Fatalf("find gave %v, then %v", first, got)
		}
	}
}

// TestMatcherFindsRareWordInLongText: in a text past longText, a query word
// that stands once, near the end, is found although another of the query's
// probes stands in nearly every word before it ("c" of "C/2026/2605"): the
// OJ opinion's identifier lost its highlight when its ELI made its text long.
func TestMatcherFindsRareWordInLongText(t *testing.T) {
	ix := openTest(t)
	an := ix.gen.Mapping().AnalyzerNamed(textLang("en"))
	text := strings.Repeat("The Committee of the Regions calls on the Commission to act. ", 200) + "Kata TÜTTŐ C/2026/2605 52025AR2449."
	if len(text) <= longText {
		t.Fatalf("text of %d bytes, want more than %d", len(text), longText)
	}
	clauses, err := parseQueryString("C/2026/2605")
	if err != nil {
		t.Fatal(err)
	}
	_, words := newMatcher(clauses, an, textLang("en")).find(text)
	if !words["2026"] || !words["2605"] {
		t.Errorf("found %v, want 2026 and 2605", words)
	}
}

// TestMatcherEmptyTerm: a query word an analyzer takes to nothing (bleve's
// own Polish analyzer stems "1" so) is no probe; found at every offset, it
// made the matcher look for it forever, filling memory until the process
// died. The other words are found.
func TestMatcherEmptyTerm(t *testing.T) {
	an, err := registry.NewCache().AnalyzerNamed("pl")
	if err != nil {
		t.Fatal(err)
	}
	if ts := an.Analyze([]byte("1")); len(ts) != 1 || len(ts[0].Term) != 0 {
		t.Fatalf("bleve's Polish analyzer gives %v for 1; the test needs an empty term", ts)
	}
	clauses, err := parseQueryString("1 stycznia")
	if err != nil {
		t.Fatal(err)
	}
	m := newMatcher(clauses, an, "pl")
	text := "Wchodzi w życie 1 stycznia 2024 roku."
	spans, _ := m.find(text)
	if !slices.ContainsFunc(spans, func(sp span) bool { return text[sp.start:sp.end] == "stycznia" }) {
		t.Errorf("find = %v; want stycznia among the spans", spans)
	}
}
