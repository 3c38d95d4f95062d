package indexer

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TestPolishStemmedAsBleve: the "pl" fields are analysed as by bleve's
// Polish analyzer (its stemmer loaded when first used), and a Polish
// document is found by another form of its words.
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
	terms := func(ts analysis.TokenStream) []string {
		var out []string
		for _, tok := range ts {
			out = append(out, string(tok.Term))
		}
		return out
	}
	got, want := terms(m.AnalyzerNamed("pl").Analyze(text)), terms(bleves.Analyze(text))
	if !slices.Equal(got, want) || len(want) < 15 {
		t.Errorf("Polish terms:\n got %q\nwant %q", got, want)
	}

	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"pl.md": {Data: append([]byte("---\ntitle: Opinia\nlanguage: pl\n---\n"), text...)}})
	for _, q := range []string{"regionalnej", "komitetu", "opinii", "lokalnych", "spójność"} {
		if res, err := ix.Search(context.Background(), Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("%s: %d, %v; want the Polish document", q, res.Total, err)
		}
	}
}
