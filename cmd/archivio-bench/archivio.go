package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"

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
	return indexStats{Docs: sum.Documents}, nil
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
