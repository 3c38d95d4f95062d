package indexer

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
)

func TestExpand(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text     string
		fuzzy    int
		analyzer string
		want     expansion
	}{
		// Cut where what is left out begins an ending the stemmer takes
		// off ("intelligence" is "intellig" + "ence"; no ending begins
		// with "gen").
		{"intelligen", 0, "en", expansion{prefixes: []string{"intelligen"}, terms: []string{"intellige", "intellig"}}},
		{"Intellige", 0, "en", expansion{prefixes: []string{"intellige", "intellig"}, terms: []string{"intelli"}}},
		// "international" is "intern", "organizing" "organ".
		{"internationa", 0, "en", expansion{prefixes: []string{"internationa"}, terms: []string{"internation", "internat", "intern"}}},
		{"organizi", 0, "en", expansion{prefixes: []string{"organizi"}, terms: []string{"organiz", "organ"}}},
		{"attivit", 0, "it_snowball", expansion{prefixes: []string{"attivit"}, terms: []string{"attiv"}}},
		{"l'Unione", 0, "it_snowball", expansion{prefixes: []string{"l'unione", "union"}, terms: []string{"l'union"}}},
		// The Italian stemmer takes off whole suffixes: up to six letters.
		{"amministrazion", 0, "it_snowball", expansion{prefixes: []string{"amministrazion"}, terms: []string{"amministrazi", "amministraz", "amministra", "amministr"}}},
		// Not "parte" nor "part": "partecip*" is not "parte*".
		{"partecip", 0, "it_snowball", expansion{prefixes: []string{"partecip"}}},
		{"partecipaz", 0, "it_snowball", expansion{prefixes: []string{"partecipaz"}, terms: []string{"partecipa", "partecip"}}},
		{"città", 0, "it_snowball", expansion{prefixes: []string{"città", "citta", "citt"}}},
		{"Viskupič", 0, "en", expansion{prefixes: []string{"viskupič", "viskupic", "viskup"}}},
		// Spanish is stemmed lightly: two letters at most ("partecip*",
		// an Italian word, must not find the Spanish "parte").
		{"partecip", 0, "es", expansion{prefixes: []string{"partecip"}, terms: []string{"parteci", "partec"}}},
		// No list of endings for French: any letters may be cut.
		{"gouvernem", 0, "fr", expansion{prefixes: []string{"gouvernem"}, terms: []string{"gouverne", "gouvern", "gouver", "gouve", "gouv"}}},
		{"pol", 0, "en", expansion{prefixes: []string{"pol"}}},
		{"intelligence", 1, "en", expansion{fuzzy: "intellig"}},
		{"trasparenza", 2, "it_snowball", expansion{fuzzy: "trasparent"}},
		{"The", 1, "en", expansion{fuzzy: "the"}}, // a stop word: as typed
		{"Città", 1, "std", expansion{fuzzy: "citta"}},
	}
	for _, tc := range tests {
		c := clause{text: tc.text, prefix: tc.fuzzy == 0, fuzzy: tc.fuzzy}
		got := expand(c, m.AnalyzerNamed(tc.analyzer), tc.analyzer)
		if !slices.Equal(got.prefixes, tc.want.prefixes) || !slices.Equal(got.terms, tc.want.terms) || got.fuzzy != tc.want.fuzzy {
			t.Errorf("expand(%q, %s) = %+v, want %+v", tc.text, tc.analyzer, got, tc.want)
		}
	}
}

// TestStemTailsCover checks stemTails against words other than those it was
// made from: for every word of the Italian drafts and opinion and of the
// English opinion and factsheet, each prefix of it that the cuts of old
// (any letters) found it by still finds its stem.
func TestStemTailsCover(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{
		"it_snowball": {"testdata/cor-it/opinion-it.md", "testdata/cor-it/factsheet-it.txt"},
		"en":          {"testdata/seeds/000_7f59fc298196f26d.txt", "testdata/seeds/004_0db3a085d7f705a5.txt"},
	}
	drafts, err := filepath.Glob("testdata/it-ogp-nap3/*.md")
	if err != nil || len(drafts) == 0 {
		t.Fatalf("drafts: %v %v", drafts, err)
	}
	files["it_snowball"] = append(files["it_snowball"], drafts...)
	for name, paths := range files {
		an := m.AnalyzerNamed(name)
		words, checked := map[string]bool{}, 0
		for _, path := range paths {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range strings.FieldsFunc(string(b), func(r rune) bool { return !unicode.IsLetter(r) }) {
				words[strings.ToLower(w)] = true
			}
		}
		for w := range words {
			toks := an.Analyze([]byte(w))
			if len(toks) != 1 {
				continue
			}
			stem := string(toks[0].Term)
			runes := []rune(w)
			for n := minPrefixLen; n <= len(runes); n++ {
				c := clause{text: string(runes[:n]), prefix: true}
				if !finds(expandAnyCut(c, an, name), stem) {
					continue
				}
				checked++
				if !finds(expand(c, an, name), stem) {
					t.Errorf("%s: %s* no longer finds %q (%s)", name, c.text, stem, w)
				}
			}
		}
		if checked < 1000 {
			t.Errorf("%s: %d prefixes checked, want a real sample", name, checked)
		}
	}
}

// expandAnyCut is expand with the cuts of old: any letters.
func expandAnyCut(c clause, an analysis.Analyzer, name string) expansion {
	e := expand(c, an, name)
	low := strings.ToLower(c.text)
	e.terms = nil
	for cut := 1; cut <= stemCut(name); cut++ {
		r := []rune(low)
		if len(r)-cut < minCutLen {
			break
		}
		if short := string(r[:len(r)-cut]); !e.covers(short) {
			e.terms = append(e.terms, short)
		}
	}
	return e
}

// finds reports whether a field term matches e.
func finds(e expansion, term string) bool {
	return e.covers(term) || slices.Contains(e.terms, term)
}

// TestPrefixAndFuzzyFindStems searches with * and ~ for words the index
// holds only as stems, and requires the documents that contain them, with
// the word marked in the snippet.
func TestPrefixAndFuzzyFindStems(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"ai.md":   {Data: []byte("---\ntitle: Opinion\nlanguage: en\n---\n\nArtificial intelligence in the public sector needs regulatory sandboxes.\n")},
		"it.md":   {Data: []byte("---\ntitle: Parere\nlanguage: it\n---\n\nLe attività dell'Unione per la trasparenza amministrativa e la partecipazione.\n")},
		"part.md": {Data: []byte("---\ntitle: Bilancio\nlanguage: it\n---\n\nUna parte del bilancio resta al comune.\n")},
		"dig.md":  {Data: []byte("---\ntitle: Other\nlanguage: en\n---\n\nThe harbour committee met on Tuesday.\n")},
	})
	tests := []struct {
		q, want, marked string
	}{
		{"intelligen*", "ai", "intelligence"},
		{"intelligence*", "ai", "intelligence"},
		{"intelligence~", "ai", "intelligence"},
		{"inteligence~", "ai", "intelligence"},
		{"sandboxes~", "ai", "sandboxes"},
		{"sandboxe*", "ai", "sandboxes"},
		{"attivit*", "it", "attività"},
		{"attivita*", "it", "attività"},
		{"trasparenza~", "it", "trasparenza"},
		{"l'Unione*", "it", "dell'Unione"},
		{"partecip*", "it", "partecipazione"}, // not "parte"
	}
	for _, tc := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if len(res.Hits) != 1 || res.Hits[0].ID != tc.want {
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
			t.Errorf("%s: hits %v, want [%s]", tc.q, ids, tc.want)
			continue
		}
		if s := html.UnescapeString(strings.Join(res.Hits[0].Snippets, " ")); !strings.Contains(s, "<mark>"+tc.marked+"</mark>") {
			t.Errorf("%s: snippet %q does not mark %q", tc.q, s, tc.marked)
		}
	}
}

func TestIndexedRefKeys(t *testing.T) {
	tests := []struct {
		ref  string
		want []string
	}{
		{"CDR 3529/2017", []string{"cdr 3529/2017", "cdr3529/2017", "3529/2017"}},
		{"C/2026/2605", []string{"c/2026/2605", "2026/2605"}},
		{"OJ C 123, 1.2.2025", []string{"oj c 123, 1.2.2025", "ojc123,1.2.2025"}},
		{"ECON-VII/038", []string{"econ-vii/038"}},
		{"52025AR2449", []string{"52025ar2449"}},
		{"3529/2017", []string{"3529/2017"}},
		{"  ", nil},
	}
	for _, tc := range tests {
		if got := indexedRefKeys(tc.ref); !slices.Equal(got, tc.want) {
			t.Errorf("indexedRefKeys(%q) = %q, want %q", tc.ref, got, tc.want)
		}
	}
}

// TestRefNumberSearch checks that a reference's number finds its document,
// and that a reference typed in full does not find another series' document
// with the same number.
func TestRefNumberSearch(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"cdr.md":  {Data: []byte("---\ntitle: Opinion on harbours\nreference: CDR 3529/2017\n---\nThe harbour committee met.\n")},
		"eesc.md": {Data: []byte("---\ntitle: Opinion on lighthouses\nreference: EESC 3529/2017\n---\nThe lighthouse register.\n")},
	})
	for q, want := range map[string][]string{
		"CDR 3529/2017":  {"cdr"},
		"EESC 3529/2017": {"eesc"},
		"3529/2017":      {"cdr", "eesc"},
	} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("%s: hits %v, want %v", q, ids, want)
		}
	}
}

// TestFacetValueInAnyCase checks that the spellings of a facet value that
// differ in case or accents are one value: listed once with the count of
// them all, spelt as most documents spell it, and matched by any spelling.
func TestFacetValueInAnyCase(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: A\ntags: [Open Data]\n---\nAlpha.\n")},
		"b.md": {Data: []byte("---\ntitle: B\ntags: [Open Data]\n---\nBravo.\n")},
		"c.md": {Data: []byte("---\ntitle: C\ntags: [OPEN DATA]\n---\nCharlie.\n")},
	})
	for _, tc := range []struct {
		q    Query
		want uint64
	}{
		{Query{Filters: map[string][]string{"tag": {"open data"}}}, 3},
		{Query{Text: `tag:"open data"`}, 3},
		{Query{Text: `-tag:"open data"`}, 0},
		{Query{Filters: map[string][]string{"tag": {"Open Data"}}}, 3},
		{Query{Filters: map[string][]string{"tag": {"OPEN DATA"}}}, 3},
		{Query{Filters: map[string][]string{"tag": {"Ópen Dáta"}}}, 3},
		{Query{Filters: map[string][]string{"tag": {"Open"}}}, 0}, // a word of a value is no value, except a rapporteur's
	} {
		res, err := ix.Search(context.Background(), tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != tc.want {
			t.Errorf("%+v: %d documents, want %d", tc.q, res.Total, tc.want)
		}
	}
	res, err := ix.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Facets["tag"]; len(got) != 1 || got[0] != (FacetValue{Value: "Open Data", Count: 3}) {
		t.Errorf("tag facet = %+v, want Open Data 3 once", got)
	}
}

// TestFacetValuesCanonical: a document's facet values are held under one
// name per value (an alias, a country code or an Italian name is the name
// the index uses), once per document, so that counts and filters agree.
func TestFacetValuesCanonical(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: A\ntags: [Open Data, OPEN DATA, Open  Data]\nrapporteur: {name: Cirio, country: Italia, group: ppe}\n---\nZebraword alpha.\n")},
		"b.md": {Data: []byte("---\ntitle: B\ntags: [open data]\nrapporteur: {name: Alberto Cirio, country: IT, group: EPP}\n---\nZebraword beta.\n")},
		"c.md": {Data: []byte("---\ntitle: C\nrapporteur: {name: Jana Nováková, country: SK, group: EPP}\n---\nZebraword gamma.\n")},
		"d.md": {Data: []byte("---\ntitle: D\nrapporteur: {name: Jozef Viskupič, group: Renew Europe}\n---\nZebraword delta.\n")},
	})
	res, err := ix.Search(context.Background(), Query{Text: "zebraword"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]FacetValue{
		"tag":     {{"Open Data", 2}},
		"country": {{"Italy", 2}, {"Slovak Republic", 1}},
		"group":   {{"EPP", 3}, {"Renew Europe", 1}},
	} {
		if got := res.Facets[name]; !slices.Equal(got, want) {
			t.Errorf("%s facet = %+v, want %+v", name, got, want)
		}
	}
	for _, tc := range []struct {
		name, value string
		want        uint64
	}{
		{"tag", "OPEN DATA", 2}, {"country", "Italia", 2}, {"country", "Italy", 2}, {"country", "SK", 1}, {"country", "Slovakia", 1},
		{"country", "slovacchia", 1}, {"group", "PPE", 3},
		{"group", "Renew E", 1}, {"group", "RE", 1}, {"group", "renew", 1}, // as the Official Journal and the CoR write it
		{"rapporteur", "Cirio", 1}, // a rapporteur named Cirio: not also Alberto Cirio
		{"rapporteur", "Novakova", 1},
	} {
		r, err := ix.Search(context.Background(), Query{Text: "zebraword", Filters: map[string][]string{tc.name: {tc.value}}})
		if err != nil || r.Total != tc.want {
			t.Errorf("%s=%s: %d, %v; want %d", tc.name, tc.value, r.Total, err, tc.want)
		}
	}
}
