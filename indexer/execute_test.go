package indexer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestExecuteAgreesWithBleve runs searches over the test data (OGP commitments,
// institutional records, opinions, drafts) both
// through execute (bitmap facet counts) and through bleve's own
// Index.Search with a terms facet, and requires the same total, the same
// hits in the same order with the same scores, and the same facet counts.
func TestExecuteAgreesWithBleve(t *testing.T) {
	ix := openTest(t)
	ctx := context.Background()
	sum, err := ix.Sync(ctx, os.DirFS("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents < 500 {
		t.Fatalf("testdata gave %d documents; expected hundreds", sum.Documents)
	}
	tests := []Query{
		{Text: "open government"},
		{Text: "digital", Page: 2},
		{Text: "transparency", Filters: map[string][]string{"language": {"en"}}},
		{Text: "trasparenza"},
		{Text: "\"open data\""},
		{Text: "innovat*"},
		{Text: "budget -health"},
		{Text: "commitment", Sort: SortDate},
		{Text: ""},
		{Text: "", Filters: map[string][]string{"kind": {"commitment"}}, Page: 3},
		{Text: "parliament", Filters: map[string][]string{"kind": {"record"}}},
		{Text: "CDR 3529/2017"},
		{Text: "nothingmatchesthis"},
	}
	facetTotal := 0
	for _, q := range tests {
		t.Run(q.Text, func(t *testing.T) {
			if q.Page == 0 {
				q.Page = 1
			}
			if q.Size == 0 {
				q.Size = 10
			}
			clauses, err := parseQueryString(q.Text)
			if err != nil {
				t.Fatal(err)
			}
			filters, positiveFilter, err := ix.filterQueries(q, clauses)
			if err != nil {
				t.Fatal(err)
			}
			content, positive := contentQuery(clauses, ix.queryLanguages(q.Filters["language"]), 0)
			req := searchRequest(q, content, refQuery(q.Text, clauses), filters, positive == 0 && !positiveFilter)

			got, err := ix.execute(ctx, req, true)
			if err != nil {
				t.Fatal(err)
			}
			req.Fields = []string{fieldDoc}
			req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, 100000))
			if scoreOnly(req.Sort) {
				req.SortBy([]string{"-_score", "_id"}) // as execute breaks ties
			}
			want, err := ix.gen.SearchInContext(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if got.total != want.Total {
				t.Errorf("total = %d, bleve says %d", got.total, want.Total)
			}
			if len(got.hits) != len(want.Hits) {
				t.Fatalf("%d hits, bleve gives %d", len(got.hits), len(want.Hits))
			}
			for i, h := range want.Hits {
				loc, _ := h.Fields[fieldDoc].(string)
				doc, err := ix.docs.get(loc)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.hits[i].doc, doc) || got.hits[i].score != h.Score {
					t.Errorf("hit %d: score %v, bleve gives %s with score %v", i, got.hits[i].score, h.ID, h.Score)
				}
			}
			wantFacets := map[string]int{}
			for _, tf := range want.Facets[fieldFacet].Terms.Terms() {
				wantFacets[tf.Term] = tf.Count
			}
			if !maps.Equal(got.facets, wantFacets) {
				t.Errorf("facet counts differ:\n got %v\nwant %v", got.facets, wantFacets)
			}
			facetTotal += len(wantFacets)
		})
	}
	if facetTotal < 100 {
		t.Errorf("only %d facet counts compared; the corpus should give many more", facetTotal)
	}
}

// TestFacetTermsCount compares both ways of counting (intersecting every
// term, and visiting the terms of each hit) with a direct count, for hit
// sets small and large, on documents with zero to many terms.
func TestFacetTermsCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var terms []facetTerm
	for i := range 60 {
		docs := roaring.New()
		for range 1 + rng.IntN(40) {
			docs.Add(uint32(rng.IntN(500)))
		}
		terms = append(terms, facetTerm{term: fmt.Sprintf("t=%d", i), docs: docs})
	}
	ft := invertFacetTerms(terms)
	paths := map[bool]int{}
	for _, size := range []int{0, 1, 2, 5, 10, 50, 200, 600} {
		hits := roaring.New()
		for range size {
			hits.Add(uint32(rng.IntN(700))) // some beyond the last document with a term
		}
		want := map[string]int{}
		for _, term := range terms {
			if n := int(hits.AndCardinality(term.docs)); n > 0 {
				want[term.term] = n
			}
		}
		perDoc := uint64(len(ft.byDoc))/uint64(len(ft.start)-1) + 1
		paths[hits.GetCardinality()*perDoc < uint64(len(terms))]++
		if got := ft.count(hits); !maps.Equal(got, want) {
			t.Errorf("%d hits: counts %v, want %v", size, got, want)
		}
	}
	if paths[true] == 0 || paths[false] == 0 {
		t.Errorf("only one way of counting was tried: %v", paths)
	}
}

// TestWordQueryAgreesWithMatchQuery: a word analysed to one token is
// searched with a bare term searcher; words analysed to none (a stop word)
// or to several must behave exactly as bleve's match query does.
func TestWordQueryAgreesWithMatchQuery(t *testing.T) {
	ix := openTest(t)
	ctx := context.Background()
	if _, err := ix.Sync(ctx, os.DirFS("testdata/seeds")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ word, field string }{
		{"sandboxes", "body_en"},                      // one token
		{"Regions", "title_en"},                       // one token, title
		{"the", "body_en"},                            // a stop word: no token
		{"e-government", "body_en"},                   // two tokens
		{"dell'assunzione", "body_" + textLang("it")}, // elision: one token
		{"partecipazione", "body_" + textLang("it")},
	} {
		mq := bleve.NewMatchQuery(tc.word)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		mq.SetField(tc.field)
		want, err := ix.gen.SearchInContext(ctx, bleve.NewSearchRequestOptions(mq, 20, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		wq := wordQuery{bleve.NewMatchQuery(tc.word)}
		wq.SetOperator(query.MatchQueryOperatorAnd)
		wq.SetField(tc.field)
		got, err := ix.gen.SearchInContext(ctx, bleve.NewSearchRequestOptions(wq, 20, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		if tc.word != "the" && want.Total == 0 {
			t.Errorf("%q in %s: no hits; the test wants a word the seeds have", tc.word, tc.field)
		}
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%q in %s: %d hits, match query %d", tc.word, tc.field, got.Total, want.Total)
		}
		for i := range want.Hits {
			// The conjunction of one rounds the score differently in the last bits.
			if got.Hits[i].ID != want.Hits[i].ID || math.Abs(got.Hits[i].Score-want.Hits[i].Score) > 1e-12*want.Hits[i].Score {
				t.Errorf("%q hit %d: %s %v, match query %s %v", tc.word, i, got.Hits[i].ID, got.Hits[i].Score, want.Hits[i].ID, want.Hits[i].Score)
			}
		}
	}
}

// TestRelevanceTiesPageByID pages through hits of equal score, written in
// batches whose order is the reverse of their ids' order, and requires the
// pages to follow the ids, before and after a merge of all segments: a
// reader turning pages while the index merges sees every hit once.
func TestRelevanceTiesPageByID(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: t.TempDir() + "/index", BatchSize: 3, CompactAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	const n = 14
	fsys := fstest.MapFS{}
	var want []string
	for i := range n {
		// File a00.md has id tie-13, a13.md has id tie-00: path order,
		// in which the files are written, is the reverse of id order.
		id := fmt.Sprintf("tie-%02d", n-1-i)
		fsys[fmt.Sprintf("a%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\nid: %s\ntitle: Note %c\nlanguage: en\n---\n\nThe harbour committee met on Tuesday.\n", id, 'A'+i)}
		want = append(want, id)
	}
	slices.Sort(want)
	fsys["other.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Other\nlanguage: en\n---\n\nThe harbour harbour committee met twice about the harbour.\n")}
	sum, err := ix.Sync(ctx, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != n+1 {
		t.Fatalf("synced %d documents, want %d", sum.Documents, n+1)
	}
	pages := func() []string {
		var ids []string
		for page := 1; page <= 4; page++ {
			res, err := ix.Search(ctx, Query{Text: "harbour", Page: page, Size: 4})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
		}
		return ids
	}
	first := pages()
	if len(first) != n+1 || first[0] == want[0] {
		t.Fatalf("hits %v: want %d, the three-times harbour first", first, n+1)
	}
	if got := first[1:]; !slices.Equal(got, want) {
		t.Errorf("tied hits paged as %v, want id order %v", got, want)
	}
	if err := ix.compact(ctx); err != nil {
		t.Fatal(err)
	}
	if got := pages(); !slices.Equal(got, first) {
		t.Errorf("after a merge, pages give %v, before %v", got, first)
	}
	// One page of them all lists them in the same order: ties within a
	// page follow the ids too.
	res, err := ix.Search(ctx, Query{Text: "harbour", Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, first) {
		t.Errorf("one page of 20 gives %v, pages of 4 %v", got, first)
	}
}

// TestSearchesTakeTurns: with Config.Searches at 1, a search waits while
// another holds the turn, runs when it ends, gives up when its request
// does, and after the search deadline says the index is busy; a query that
// is not valid does not wait.
func TestSearchesTakeTurns(t *testing.T) {
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", Searches: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	syncTest(t, ix, testCorpus())
	release, err := ix.searchTurn(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	done := make(chan Results)
	go func() {
		res, err := ix.Search(context.Background(), Query{Text: "digital"})
		if err != nil {
			t.Errorf("waiting search: %v", err)
		}
		done <- res
	}()
	select {
	case <-done:
		t.Fatal("a search ran while another held the only turn")
	case <-time.After(100 * time.Millisecond):
	}
	// A query that is not valid is answered at once, however busy.
	var qe *QueryError
	if _, err := ix.Search(context.Background(), Query{Text: "ab*"}); !errors.As(err, &qe) {
		t.Errorf("search for a prefix too short while busy: %v, want a QueryError at once", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := ix.Search(ctx, Query{Text: "digital"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("search whose request ended while waiting: %v, want context.DeadlineExceeded", err)
	}
	release()
	if res := <-done; res.Total == 0 {
		t.Error("the waiting search found nothing once it had its turn")
	}

	release, err = ix.searchTurn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	start := time.Now()
	if _, err := ix.Search(context.Background(), Query{Text: "digital"}); !errors.Is(err, ErrBusy) {
		t.Errorf("search that waited the whole deadline: %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < searchDeadline {
		t.Errorf("gave up after %s, before the search deadline %s", waited, searchDeadline)
	}
}
