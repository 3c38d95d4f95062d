package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A search runs its query through bleve's searchers and top-N collector
// directly, rather than through bleve.Index.Search, for the sake of facet
// counting. bleve counts facets by reading the facet values of every
// matching document (doc values), allocating a string per value: for a
// common word, tens of thousands of reads per search, a third of its CPU.
// Here the matching documents are gathered into a bitmap as the collector
// pulls them, and each facet value's count is the size of that bitmap's
// intersection with the value's documents, kept per index snapshot.

// executed is the outcome of one search: the page of hits with their stored
// documents, the total, and the count of each facet term ("name=value").
type executed struct {
	total  uint64
	hits   []executedHit
	facets map[string]int
}

type executedHit struct {
	score float64
	doc   []byte // the document's JSON
}

// execute runs req (query, size, from and sort are used) on the live
// generation, counting facets when facets is true.
func (ix *Index) execute(ctx context.Context, req *bleve.SearchRequest, facets bool) (*executed, error) {
	ix.smu.RLock()
	defer ix.smu.RUnlock()
	r, err := ix.liveReader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	bi, docs := ix.gen, ix.docs

	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey,
		search.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
	ctx = search.ContextWithTermSearchersCounter(ctx) // enforces search.MaxTermSearchersKey

	var terms *facetTerms
	var matched *hitSet
	if facets {
		if terms, err = ix.facetTerms.get(ctx, r); err != nil {
			return nil, err
		}
		matched = &hitSet{docs: roaring.New()}
	}
	// Hits of equal score come in the index's internal order, which a
	// background merge changes: a reader turning pages while documents
	// are added could see a hit twice and miss another. So the hits on
	// either side of the page are collected too, and when one of them ties
	// with the page's first or last hit, the page is collected again with
	// the id breaking ties (which costs an id lookup per matching document,
	// hence not always).
	size, from := req.Size, req.From
	byScore := size > 0 && scoreOnly(req.Sort)
	if byScore {
		size, from = size+2, from-1
		if from < 0 {
			size, from = size-1, 0
		}
	}
	found, total, err := collect(ctx, r, bi.Mapping(), req.Query, size, from, req.Sort, matched)
	if err != nil {
		return nil, err
	}
	if byScore {
		if found, err = tieBroken(found, req.From-from, req.Size, func() ([]*search.DocumentMatch, error) {
			page, _, err := collect(ctx, r, bi.Mapping(), req.Query, req.Size, req.From, search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}}, nil)
			return page, err
		}); err != nil {
			return nil, err
		}
		// Ties within the page by id too, so that a page of 7 and one of
		// 100 list the same hits in the same order.
		slices.SortStableFunc(found, func(a, b *search.DocumentMatch) int {
			return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
		})
	}
	out := &executed{total: total}
	for _, h := range found {
		d, err := r.Document(h.ID)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", h.ID, err)
		}
		doc, err := docs.get(string(storedField(d, fieldDoc)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.ID, err)
		}
		out.hits = append(out.hits, executedHit{score: h.Score, doc: doc})
	}
	if matched != nil {
		if matched.err != nil {
			return nil, matched.err
		}
		out.facets = terms.count(matched.docs)
	}
	return out, nil
}

// liveReader returns a reader of the live generation, which the caller
// closes; the caller holds smu for reading while it reads.
func (ix *Index) liveReader() (index.IndexReader, error) {
	if ix.closed {
		return nil, ErrClosed
	}
	if ix.unusable != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, ix.unusable)
	}
	adv, err := ix.gen.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// collect runs q on r and returns the hits from from to from+size in the
// order sort gives, and the total. When matched is not nil, it notes every
// matching document.
func collect(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, q query.Query, size, from int, sort search.SortOrder, matched *hitSet) ([]*search.DocumentMatch, uint64, error) {
	s, err := q.Searcher(ctx, r, m, search.SearcherOptions{})
	if err != nil {
		return nil, 0, err
	}
	defer s.Close()
	if matched != nil {
		matched.Searcher = s
		s = matched
	}
	coll := collector.NewTopNCollector(size, from, sort)
	if err := coll.Collect(ctx, s, r); err != nil {
		return nil, 0, err
	}
	return coll.Results(), coll.Total(), nil
}

// scoreOnly reports whether sort is by score alone, highest first.
func scoreOnly(sort search.SortOrder) bool {
	if len(sort) != 1 {
		return false
	}
	s, ok := sort[0].(*search.SortScore)
	return ok && s.Desc
}

// tieBroken returns the page of size hits that starts at skip in found,
// which holds the hits collected by score from one before the page to one
// after it. When a hit outside the page ties with one on its edge, it
// returns again() instead: the page with ties broken by id.
func tieBroken(found []*search.DocumentMatch, skip, size int, again func() ([]*search.DocumentMatch, error)) ([]*search.DocumentMatch, error) {
	if skip >= len(found) {
		return nil, nil
	}
	end := min(skip+size, len(found))
	page := found[skip:end]
	if (skip > 0 && found[skip-1].Score == page[0].Score) ||
		(end < len(found) && found[end].Score == page[len(page)-1].Score) {
		return again()
	}
	return page, nil
}

// storedField returns the value of the stored field name of d (nil if d is nil or has none).
func storedField(d index.Document, name string) []byte {
	var v []byte
	if d != nil {
		d.VisitFields(func(f index.Field) {
			if f.Name() == name {
				v = f.Value()
			}
		})
	}
	return v
}

// hitSet is a searcher that notes the number of every document it yields.
type hitSet struct {
	search.Searcher
	docs *roaring.Bitmap
	err  error
}

func (h *hitSet) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := h.Searcher.Next(ctx)
	if d != nil {
		h.add(d.IndexInternalID)
	}
	return d, err
}

func (h *hitSet) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := h.Searcher.Advance(ctx, id)
	if d != nil {
		h.add(d.IndexInternalID)
	}
	return d, err
}

func (h *hitSet) add(id index.IndexInternalID) {
	n := id.Value()
	if n > math.MaxUint32 {
		h.err = errors.New("index too large to count facets")
		return
	}
	h.docs.Add(uint32(n))
}

// facetTerm is one facet value ("name=value") and the documents having it.
type facetTerm struct {
	term string
	docs *roaring.Bitmap
}

// facetTerms are the facet terms of one snapshot, by term and by document.
type facetTerms struct {
	terms []facetTerm
	// The terms of document n are terms[byDoc[start[n]:start[n+1]]].
	start, byDoc []uint32
}

// count returns how many of the documents in hits have each facet term. It
// intersects hits with every term's documents, or, when hits are few next
// to the number of terms, visits the terms of each hit instead.
func (ft *facetTerms) count(hits *roaring.Bitmap) map[string]int {
	out := make(map[string]int)
	n := hits.GetCardinality()
	perDoc := uint64(len(ft.byDoc))/uint64(max(len(ft.start)-1, 1)) + 1
	if n*perDoc >= uint64(len(ft.terms)) {
		for _, t := range ft.terms {
			if c := hits.AndCardinality(t.docs); c > 0 {
				out[t.term] = int(c)
			}
		}
		return out
	}
	counts := make(map[uint32]int, n*perDoc)
	it := hits.Iterator()
	for it.HasNext() {
		d := it.Next()
		if int(d)+1 >= len(ft.start) {
			continue // a document with no facet term
		}
		for _, t := range ft.byDoc[ft.start[d]:ft.start[d+1]] {
			counts[t]++
		}
	}
	for t, c := range counts {
		out[ft.terms[t].term] = c
	}
	return out
}

// facetCache holds the facet terms of one index snapshot. A snapshot is
// immutable; every change to the index makes a new one, and the first
// search on it reads the facet postings again (tens of milliseconds at
// 100,000 documents).
type facetCache struct {
	mu    sync.Mutex
	snap  index.IndexReader
	terms *facetTerms
}

func (c *facetCache) get(ctx context.Context, r index.IndexReader) (*facetTerms, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == r && r != nil {
		return c.terms, nil
	}
	terms, err := readFacetTerms(ctx, r)
	if err != nil {
		return nil, err
	}
	c.snap, c.terms = r, terms
	return terms, nil
}

// readFacetTerms reads the documents of every facet term of snapshot r.
func readFacetTerms(ctx context.Context, r index.IndexReader) (*facetTerms, error) {
	dict, err := r.FieldDict(fieldFacet)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var names []string
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		names = append(names, e.Term)
	}
	var terms []facetTerm
	var tfd index.TermFieldDoc
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tfr, err := r.TermFieldReader(ctx, []byte(name), fieldFacet, false, false, false)
		if err != nil {
			return nil, err
		}
		docs := roaring.New()
		for {
			d, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return nil, err
			}
			if d == nil {
				break
			}
			n := d.ID.Value()
			if n > math.MaxUint32 {
				tfr.Close()
				return nil, errors.New("index too large to count facets")
			}
			docs.Add(uint32(n))
		}
		tfr.Close()
		if !docs.IsEmpty() {
			docs.RunOptimize()
			terms = append(terms, facetTerm{term: name, docs: docs})
		}
	}
	return invertFacetTerms(terms), nil
}

// invertFacetTerms adds the by-document lists to terms.
func invertFacetTerms(terms []facetTerm) *facetTerms {
	ft := &facetTerms{terms: terms}
	var last uint32
	total := 0
	for _, t := range terms {
		if !t.docs.IsEmpty() {
			last = max(last, t.docs.Maximum())
		}
		total += int(t.docs.GetCardinality())
	}
	if total == 0 {
		return ft
	}
	ft.start = make([]uint32, last+2)
	for _, t := range terms {
		it := t.docs.Iterator()
		for it.HasNext() {
			ft.start[it.Next()+1]++
		}
	}
	for i := 1; i < len(ft.start); i++ {
		ft.start[i] += ft.start[i-1]
	}
	ft.byDoc = make([]uint32, total)
	next := make([]uint32, last+1)
	copy(next, ft.start)
	for i, t := range terms {
		it := t.docs.Iterator()
		for it.HasNext() {
			d := it.Next()
			ft.byDoc[next[d]] = uint32(i)
			next[d]++
		}
	}
	return ft
}
