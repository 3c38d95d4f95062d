package indexer

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2/registry"
)

// TestPolishStemmedAsBleve: the "pl" fields are analysed as by bleve's
// Polish analyzer (its stemmer loaded when first used), but for the words
// it stems to nothing, which stay; and a Polish document is found by
// another form of its words.
func TestPolishStemmedAsBleve(t *testing.T) {
	text := []byte("Europejski Komitet Regionów przyjął opinię w sprawie polityki spójności i rozwoju regionalnego. " +
		"Władze lokalne i regionalne odgrywają kluczową rolę we wdrażaniu polityk Unii Europejskiej.")
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	bleves, err := registry.NewCache().AnalyzerNamed("pl")
	if err != nil {
		t.Fatal(err)
	}
	text = append(text, " Wchodzi w życie 1 stycznia, w całej UE (EU)."...)
	bt := bleves.Analyze(text)
	got, want := terms(m.AnalyzerNamed("pl").Analyze(text)), terms(bt)
	emptied := 0
	for i, w := range want {
		if w == "" {
			// bleve's stemmer stems "1" and "eu" to nothing: the word stays.
			want[i] = strings.ToLower(string(text[bt[i].Start:bt[i].End]))
			emptied++
		}
	}
	if !slices.Equal(got, want) || len(want) < 15 || emptied != 2 {
		t.Errorf("Polish terms (%d stemmed to nothing):\n got %q\nwant %q", emptied, got, want)
	}

	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"pl.md": {Data: append([]byte("---\ntitle: Opinia\nlanguage: pl\n---\n"), text...)}})
	for _, q := range []string{"regionalnej", "komitetu", "opinii", "lokalnych", "spójność"} {
		if res, err := ix.Search(context.Background(), Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("%s: %d, %v; want the Polish document", q, res.Total, err)
		}
	}
}

// TestPolishEmptyStems: bleve's Polish stemmer stems some words ("1",
// "eu", "main") to nothing; they are kept as they are. A search for one of
// them, alone or in a phrase, finds what the text holds, and ends: the
// snippet matcher looked for the empty word forever, until the server ran
// out of memory; "eu" found every "1".
func TestPolishEmptyStems(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"pl.md": {Data: []byte("---\nlanguage: pl\n---\n\nRozporządzenie wchodzi w życie 1 stycznia 2024 roku w całej Unii.\n")}})
	for _, tc := range []struct {
		q    string
		want uint64
	}{{"1", 1}, {"stycznia 1", 1}, {`"1 stycznia"`, 1}, {`"wchodzi w życie 1 stycznia"`, 1}, {"eu", 0}, {"2", 0}} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil || res.Total != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.q, res.Total, err, tc.want)
		}
	}
}
