// Package site serves Archivio over HTTP: the JSON API under /api and the
// web pages people read.
package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/archivio/archivio/indexer"
)

// Archive is what the site needs of the index. *indexer.Index implements it.
type Archive interface {
	Search(ctx context.Context, q indexer.Query) (indexer.Results, error)
	Doc(ctx context.Context, id string) (indexer.Document, error)
	Count(ctx context.Context) (uint64, error)
	Receipts(ctx context.Context) ([]indexer.Receipt, error)
}

// Config configures a Server.
type Config struct {
	Archive Archive      // required
	Logger  *slog.Logger // default: discard
	// Ready, if set, reports whether the archive has finished its first
	// update; /api/health says "starting" until then.
	Ready func() bool
}

// Server is Archivio's HTTP front end.
type Server struct {
	archive Archive
	log     *slog.Logger
	ready   func() bool
	handler http.Handler
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Archive == nil {
		return nil, errors.New("site: no archive")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Ready == nil {
		cfg.Ready = func() bool { return true }
	}
	s := &Server{archive: cfg.Archive, log: cfg.Logger, ready: cfg.Ready}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }
