package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// bleveBatchSize is the number of documents per index.Batch.
const bleveBatchSize = 1000

// bleveDefault is bleve v2 with its default configuration: the default
// index mapping (dynamic fields, "standard" analyzer, everything stored with
// term vectors, all in the _all field) and the default scorch store.
//
// One change: the lang field uses the keyword analyzer. With the standard
// analyzer the code "it" is an English stop word and is not indexed at all,
// so Italian documents could be neither filtered nor counted by language.
type bleveDefault struct {
	idx bleve.Index
	// writers is the number of goroutines calling Batch at once (default 1).
	writers int
}

func openBleveDefault(_ context.Context, dir string, unsafeBatch bool) (*bleveDefault, error) {
	idx, err := bleve.Open(dir)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		if unsafeBatch {
			idx, err = bleve.NewUsing(dir, bleveDefaultMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, map[string]any{"unsafe_batch": true})
		} else {
			idx, err = bleve.New(dir, bleveDefaultMapping())
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index %s: %w", dir, err)
	}
	return &bleveDefault{idx: idx, writers: 1}, nil
}

// bleveDefaultMapping is bleve.NewIndexMapping with lang as a keyword.
func bleveDefaultMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	lang := bleve.NewTextFieldMapping()
	lang.Analyzer = keyword.Name
	m.DefaultMapping.AddFieldMappingsAt("lang", lang)
	return m
}

// Index adds the documents with one Batch per bleveBatchSize documents,
// written by e.writers goroutines.
func (e *bleveDefault) Index(ctx context.Context, corpusDir string) (indexStats, error) {
	var st indexStats
	batches := make(chan *bleve.Batch)
	n := max(e.writers, 1)
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var first error
			for b := range batches {
				if first == nil {
					first = e.idx.Batch(b)
				}
			}
			errc <- first
		}()
	}
	b := e.idx.NewBatch()
	err := walkCorpus(ctx, corpusDir, func(d corpusDoc) error {
		if err := b.Index(d.ID, map[string]any{"title": d.Title, "body": d.Body, "lang": d.Lang, "date": d.Date}); err != nil {
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
		st.Docs++
		if b.Size() >= bleveBatchSize {
			batches <- b
			b = e.idx.NewBatch()
		}
		return nil
	})
	if err == nil && b.Size() > 0 {
		batches <- b
	}
	close(batches)
	wg.Wait()
	close(errc)
	for werr := range errc {
		if err == nil {
			err = werr
		}
	}
	return st, err
}

// bleveQueryString writes the query in bleve's query-string syntax with
// every word and phrase required, as FTS5 and Archivio treat them.
func bleveQueryString(q searchRequest) string {
	var b strings.Builder
	esc := strings.NewReplacer(`\`, `\\`, `+`, `\+`, `-`, `\-`, `:`, `\:`, `^`, `\^`, `~`, `\~`, `(`, `\(`, `)`, `\)`, `{`, `\{`, `}`, `\}`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `?`, `\?`, `/`, `\/`, `>`, `\>`, `<`, `\<`, `=`, `\=`, `!`, `\!`, `&`, `\&`, `|`, `\|`)
	for _, p := range splitQuery(q.Text) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if p.Phrase {
			b.WriteString(`+"` + strings.ReplaceAll(p.Text, `"`, `\"`) + `"`)
		} else {
			b.WriteString("+" + esc.Replace(p.Text))
		}
	}
	if q.Language != "" {
		b.WriteString(" +lang:" + esc.Replace(q.Language))
	}
	return b.String()
}

// bleveYears are the date-range buckets of the year facet.
func bleveYears() [][2]time.Time {
	var ys [][2]time.Time
	for y := 1996; y <= 2001; y++ {
		ys = append(ys, [2]time.Time{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	return ys
}

// Search runs a query-string query with the default HTML highlighter and a
// language terms facet and a year date-range facet.
func (e *bleveDefault) Search(ctx context.Context, q searchRequest) (searchResult, error) {
	res := searchResult{Facets: map[string][]facetValue{}}
	qs := bleveQueryString(q)
	if qs == "" {
		return res, nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewQueryStringQuery(qs), q.Size, 0, false)
	req.Fields = []string{"title", "date", "lang"}
	req.Highlight = bleve.NewHighlight()
	req.AddFacet("language", bleve.NewFacetRequest("lang", 5))
	years := bleve.NewFacetRequest("date", 10)
	for _, y := range bleveYears() {
		years.AddDateTimeRange(y[0].Format("2006"), y[0], y[1])
	}
	req.AddFacet("year", years)
	sr, err := e.idx.SearchInContext(ctx, req)
	if err != nil {
		return res, fmt.Errorf("search %q: %w", qs, err)
	}
	res.Total = sr.Total
	for _, h := range sr.Hits {
		hit := searchHit{ID: h.ID, Score: h.Score}
		hit.Title, _ = h.Fields["title"].(string)
		hit.Date, _ = h.Fields["date"].(string)
		hit.Language, _ = h.Fields["lang"].(string)
		for _, frags := range h.Fragments {
			hit.Snippets = append(hit.Snippets, frags...)
		}
		res.Hits = append(res.Hits, hit)
	}
	for name, f := range sr.Facets {
		for _, t := range f.Terms.Terms() {
			res.Facets[name] = append(res.Facets[name], facetValue{Value: t.Term, Count: t.Count})
		}
		for _, r := range f.DateRanges {
			res.Facets[name] = append(res.Facets[name], facetValue{Value: r.Name, Count: r.Count})
		}
	}
	return res, nil
}

func (e *bleveDefault) Handler() (http.Handler, error) { return apiHandler(e), nil }

func (e *bleveDefault) Close() error { return e.idx.Close() }

// removeIndex deletes an index folder before a fresh indexing run.
func removeIndex(dir string) error { return os.RemoveAll(dir) }
