package indexer

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// A phrase is searched as bleve searches it (a conjunction of its terms'
// searchers with term vectors; a document matches where the terms stand one
// after the other, in one field and at the same array positions), and
// scored alike, but the positions are compared as the searchers give them.
// bleve's phrase searcher first turns every candidate document's term
// locations into maps of slices: on the benchmark's Europarl index that was
// a quarter of the bytes all searches allocate, for a fifth of the queries.

// phraseTerms turns the analysed tokens of a phrase into its terms by
// position from the first: a position with none (a stop word left out)
// stands for any word. A token with no term is no word of the phrase, as
// in bleve's phrase searcher; several tokens at one position (no analyzer
// of Archivio's gives them) are left to bleve's.
func phraseTerms(tokens analysis.TokenStream) (terms []string, ok bool) {
	first, last := math.MaxInt, math.MinInt
	for _, t := range tokens {
		if len(t.Term) > 0 {
			first, last = min(first, t.Position), max(last, t.Position)
		}
	}
	if first > last {
		return nil, true
	}
	terms = make([]string, last-first+1)
	for _, t := range tokens {
		if len(t.Term) == 0 {
			continue
		}
		if terms[t.Position-first] != "" {
			return nil, false
		}
		terms[t.Position-first] = string(t.Term)
	}
	return terms, true
}

// phraseSearcher finds the documents that have terms as a phrase in field.
type phraseSearcher struct {
	must    search.Searcher
	terms   []string         // by position; "" for any word
	at      map[string][]int // term -> the positions in the phrase it stands at
	byIndex [][]int32        // per phrase position, the matching locations of the current document (scratch)
	curr    *search.DocumentMatch
	started bool
}

func newPhraseSearcher(ctx context.Context, r index.IndexReader, terms []string, field string, boost float64, opts search.SearcherOptions) (search.Searcher, error) {
	opts.IncludeTermVectors = true
	var parts []search.Searcher
	at := map[string][]int{}
	for k, t := range terms {
		if t == "" {
			continue
		}
		at[t] = append(at[t], k)
		ts, err := searcher.NewTermSearcher(ctx, r, t, field, boost, opts)
		if err != nil {
			for _, s := range parts {
				s.Close()
			}
			return nil, fmt.Errorf("phrase searcher: %w", err)
		}
		parts = append(parts, ts)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, parts, opts)
	if err != nil {
		for _, s := range parts {
			s.Close()
		}
		return nil, fmt.Errorf("phrase searcher: %w", err)
	}
	must.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	return &phraseSearcher{must: must, terms: terms, at: at, byIndex: make([][]int32, len(terms))}, nil
}

// holds reports whether the term locations ftls hold the phrase: a location
// for each of its terms at the positions one after another from a first
// one, in the first one's field and array positions.
func (s *phraseSearcher) holds(ftls []search.FieldTermLocation) bool {
	for k := range s.byIndex {
		s.byIndex[k] = s.byIndex[k][:0]
	}
	for i := range ftls {
		for _, k := range s.at[ftls[i].Term] {
			s.byIndex[k] = append(s.byIndex[k], int32(i))
		}
	}
	for _, i := range s.byIndex[0] {
		first := &ftls[i]
		found := true
		for k := 1; k < len(s.terms) && found; k++ {
			if s.terms[k] == "" {
				continue // a word left out: any word
			}
			found = false
			for _, j := range s.byIndex[k] {
				l := &ftls[j]
				if l.Location.Pos == first.Location.Pos+uint64(k) && l.Field == first.Field &&
					slices.Equal(l.Location.ArrayPositions, first.Location.ArrayPositions) {
					found = true
					break
				}
			}
		}
		if found {
			return true
		}
	}
	return false
}

// step puts the current match back and moves to the next one, or to the
// first at or after id when id is not nil.
func (s *phraseSearcher) step(ctx *search.SearchContext, id index.IndexInternalID) (err error) {
	if s.curr != nil {
		ctx.DocumentMatchPool.Put(s.curr)
	}
	if id == nil {
		s.curr, err = s.must.Next(ctx)
	} else {
		s.curr, err = s.must.Advance(ctx, id)
	}
	return err
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		s.started = true
		if err := s.step(ctx, nil); err != nil {
			return nil, err
		}
	}
	for s.curr != nil {
		var hit *search.DocumentMatch
		if s.holds(s.curr.FieldTermLocations) {
			// The score is the conjunction's, as bleve's. The locations
			// are not kept: Archivio's searches do not ask for them.
			hit, s.curr = s.curr, nil
			hit.FieldTermLocations = hit.FieldTermLocations[:0]
		}
		if err := s.step(ctx, nil); err != nil {
			return nil, err
		}
		if hit != nil {
			return hit, nil
		}
	}
	return nil, nil
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started || s.curr != nil && s.curr.IndexInternalID.Compare(id) < 0 {
		s.started = true
		if err := s.step(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.Next(ctx)
}

func (s *phraseSearcher) Weight() float64            { return s.must.Weight() }
func (s *phraseSearcher) SetQueryNorm(qnorm float64) { s.must.SetQueryNorm(qnorm) }
func (s *phraseSearcher) Count() uint64              { return s.must.Count() }
func (s *phraseSearcher) Close() error               { return s.must.Close() }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) Size() int                  { return s.must.Size() }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }
