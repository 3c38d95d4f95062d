package indexer

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPhraseSearcherAgreesWithBleve searches phrases taken from the test
// data's own titles, texts and numbered paragraphs (two to six words, stop
// words and elisions included, in English and Italian among others), each
// in the fields of its language, with phraseQuery and with bleve's match
// phrase query, alone, beside a term, and beside a third of the documents
// (which makes the phrase searcher advance), and a word of a numbered paragraph followed by the next
// word of another, and requires the same hits with the same scores.
func TestPhraseSearcherAgreesWithBleve(t *testing.T) {
	ix := openTest(t)
	ctx := context.Background()
	if _, err := ix.Sync(ctx, os.DirFS("testdata")); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	type phrase struct {
		text, field string
		inDoc       bool
	}
	phrases := []phrase{
		{"politica agricola comune", "body_it", false},
		{"open government partnership", "body_en", false},
		{"the committee of the regions", "body_en", false},
		{"dell'innovazione", "body_it", false},
		{"regions regions", "body_en", false},
		{"of the", "body_en", false},
	}
	window := func(text string) string {
		words := strings.Fields(text)
		if len(words) < 2 {
			return ""
		}
		n := min(2+rng.IntN(5), len(words))
		i := rng.IntN(len(words) - n + 1)
		return strings.Join(words[i:i+n], " ")
	}
	receipts, err := ix.Receipts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range receipts {
		for _, id := range r.Documents {
			d, err := ix.Doc(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			l := textLang(d.Language)
			if len(d.Paragraphs) > 1 {
				// A word of one paragraph and the next word of another:
				// positions follow on, array positions do not.
				a := strings.Fields(d.Paragraphs[0].Text)
				b := strings.Fields(d.Paragraphs[1].Text)
				for i := 0; i+1 < min(len(a), len(b), 4); i++ {
					phrases = append(phrases, phrase{a[i] + " " + b[i+1], "para_" + l, false})
				}
			}
			if rng.IntN(4) != 0 {
				continue
			}
			if w := window(d.Title); w != "" {
				phrases = append(phrases, phrase{w, "title_" + l, true})
			}
			if w := window(d.Body); w != "" {
				phrases = append(phrases, phrase{w, "body_" + l, true})
			}
			if len(d.Paragraphs) > 0 {
				if w := window(d.Paragraphs[rng.IntN(len(d.Paragraphs))].Text); w != "" {
					phrases = append(phrases, phrase{w, "para_" + l, true})
				}
			}
		}
	}
	if len(phrases) < 300 {
		t.Fatalf("only %d phrases from the test data", len(phrases))
	}
	// Every third file's documents: a conjunction with them makes the
	// phrase searcher advance to a document rather than step to the next.
	var some []string
	for i, r := range receipts {
		if i%3 == 0 {
			some = append(some, r.Documents...)
		}
	}
	sparse := bleve.NewDocIDQuery(some)
	im := ix.gen.Mapping()
	checked, found := 0, 0
	for _, p := range phrases {
		name := im.AnalyzerNameForPath(p.field)
		text := phraseText(im.AnalyzerNamed(name), name, p.text)
		theirs := bleve.NewMatchPhraseQuery(text)
		theirs.SetField(p.field)
		theirs.SetBoost(1.5)
		mine := bleve.NewMatchPhraseQuery(p.text)
		mine.SetField(p.field)
		mine.SetBoost(1.5)
		beside := bleve.NewTermQuery(recDoc)
		beside.SetField(fieldRecord)
		// A phrase taken from a document finds it, unless it is all stop
		// words (no terms: bleve finds nothing either).
		terms, _ := phraseTerms(im.AnalyzerNamed(name).Analyze([]byte(text)))
		mustFind := p.inDoc && len(terms) > 0
		for k, pair := range [][2]query.Query{
			{theirs, phraseQuery{mine}},
			{bleve.NewConjunctionQuery(beside, theirs), bleve.NewConjunctionQuery(beside, phraseQuery{mine})},
			{bleve.NewConjunctionQuery(sparse, theirs), bleve.NewConjunctionQuery(sparse, phraseQuery{mine})},
		} {
			want, err := ix.gen.SearchInContext(ctx, phraseRequest(pair[0]))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ix.gen.SearchInContext(ctx, phraseRequest(pair[1]))
			if err != nil {
				t.Fatal(err)
			}
			checked++
			if k == 0 && mustFind { // alone: not limited to some documents
				found++
				if want.Total == 0 {
					t.Errorf("%q in %s, taken from a document: bleve finds nothing", p.text, p.field)
				}
			}
			if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
				t.Errorf("%q in %s: %d hits, bleve finds %d", p.text, p.field, got.Total, want.Total)
				continue
			}
			for i, h := range want.Hits {
				if got.Hits[i].ID != h.ID || got.Hits[i].Score != h.Score {
					t.Errorf("%q in %s, hit %d: %s (%v), bleve gives %s (%v)", p.text, p.field, i, got.Hits[i].ID, got.Hits[i].Score, h.ID, h.Score)
					break
				}
			}
		}
	}
	t.Logf("%d phrases, %d searches, %d of them of a phrase taken from a document", len(phrases), checked, found)
	if found < 100 {
		t.Errorf("%d searches of phrases taken from the documents, want 100 or more", found)
	}
}

func phraseRequest(q query.Query) *bleve.SearchRequest {
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	return req
}

// TestPhraseTerms: tokens by position from the first, a gap where a stop
// word was left out; a token with no term (a word a stemmer took all of)
// is no word, as in bleve's phrase searcher; two at one position go to
// bleve's.
func TestPhraseTerms(t *testing.T) {
	tok := func(term string, pos int) *analysis.Token { return &analysis.Token{Term: []byte(term), Position: pos} }
	for _, tc := range []struct {
		name   string
		tokens analysis.TokenStream
		want   []string
		ok     bool
	}{
		{"plain", analysis.TokenStream{tok("polit", 3), tok("agricol", 4), tok("comun", 5)}, []string{"polit", "agricol", "comun"}, true},
		{"stop word inside", analysis.TokenStream{tok("committe", 2), tok("region", 5)}, []string{"committe", "", "", "region"}, true},
		{"empty first and last", analysis.TokenStream{tok("", 1), tok("styczni", 2), tok("", 3), tok("rok", 4), tok("", 5)}, []string{"styczni", "", "rok"}, true},
		{"only empty", analysis.TokenStream{tok("", 1)}, nil, true},
		{"none", nil, nil, true},
		{"two at one position", analysis.TokenStream{tok("a", 1), tok("b", 1)}, nil, false},
	} {
		got, ok := phraseTerms(tc.tokens)
		if !slices.Equal(got, tc.want) || ok != tc.ok {
			t.Errorf("%s: %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
