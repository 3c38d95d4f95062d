package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/archivio/archivio/indexer"
	"github.com/archivio/archivio/site"
)

// archivioEngine is Archivio itself, through its real ingest path
// (indexer.Open, Index.Sync) and its real HTTP API (site.New).
type archivioEngine struct {
	idx    *indexer.Index
	logger *slog.Logger
}

func openArchivio(ctx context.Context, dir string, opt engineOptions, logger *slog.Logger) (*archivioEngine, error) {
	idx, err := indexer.Open(ctx, indexer.Config{Path: dir, Logger: logger, BatchSize: opt.BatchSize, Workers: opt.Workers})
	if err != nil {
		return nil, err
	}
	return &archivioEngine{idx: idx, logger: logger}, nil
}

// Index syncs the corpus folder into the index.
func (e *archivioEngine) Index(ctx context.Context, corpusDir string) (indexStats, error) {
	start := time.Now()
	sum, err := e.idx.Sync(ctx, os.DirFS(corpusDir))
	if err != nil {
		return indexStats{}, err
	}
	if sum.Failed > 0 {
		msg := ""
		if len(sum.Problems) > 0 {
			msg = fmt.Sprintf(" (first: %s: %s)", sum.Problems[0].File, sum.Problems[0].Error)
		}
		return indexStats{}, fmt.Errorf("%d corpus files failed%s", sum.Failed, msg)
	}
	return indexStats{Docs: sum.Documents, Seconds: time.Since(start).Seconds()}, nil
}

// Search calls the index directly; the HTTP measurements go through Handler.
func (e *archivioEngine) Search(ctx context.Context, q searchRequest) (searchResult, error) {
	iq := indexer.Query{Text: q.Text, Size: q.Size}
	if q.Language != "" {
		iq.Filters = map[string][]string{"language": {q.Language}}
	}
	res, err := e.idx.Search(ctx, iq)
	if err != nil {
		return searchResult{}, err
	}
	out := searchResult{Total: res.Total, Facets: map[string][]facetValue{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, searchHit{ID: h.ID, Title: h.Title, Date: h.Date, Language: h.Language, Score: h.Score, Snippets: h.Snippets})
	}
	for name, vs := range res.Facets {
		for _, v := range vs {
			out.Facets[name] = append(out.Facets[name], facetValue{Value: v.Value, Count: v.Count})
		}
	}
	return out, nil
}

// Handler is Archivio's own HTTP front end.
func (e *archivioEngine) Handler() (http.Handler, error) {
	srv, err := site.New(site.Config{Archive: e.idx, Logger: e.logger})
	if err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}

func (e *archivioEngine) Close() error { return e.idx.Close() }
