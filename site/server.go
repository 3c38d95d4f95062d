// Package site serves Archivio over HTTP: the JSON API under /api and the
// web pages people read.
package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/archivio/archivio/indexer"
	"github.com/yuin/goldmark"
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

	// Operations (site/middleware.go, site/metrics.go).
	RateLimit  float64 // requests per second per client (0: no limit; the command's default is DefaultRateLimit)
	RateBurst  int     // requests a client may send at once (0: DefaultRateBurst)
	TrustProxy bool    // take the client address from X-Forwarded-For (only behind a proxy that sets it)
	// IndexSize, if set, reports the index's size on disk in bytes for /metrics.
	IndexSize func() int64
	// WatcherLag, if set, reports how long the oldest unapplied corpus change has waited, for /metrics.
	WatcherLag func() time.Duration
	// BaseURL is the site's public address (https://archivio.example.org:
	// the site's pages link to paths from its root), used for absolute links
	// in feeds, sitemaps, downloads and citations. When empty, it is taken
	// from each request: its Host header, and http unless the connection is
	// TLS.
	BaseURL string
	// Dev re-reads templates and static files from the site folder (the
	// working directory must be the repository root) on every request.
	Dev bool
}

// Server is Archivio's HTTP front end.
type Server struct {
	archive Archive
	log     *slog.Logger
	ready   func() bool
	handler http.Handler
	metrics *metrics
	rates   *rateLimiter // nil: no rate limit

	baseURL     string
	sitemapSize int // URLs per sitemap file (maxSitemapURLs)
	dev         bool
	files       fs.FS // holds templates/ and static/
	templates   map[string]*template.Template
	md          goldmark.Markdown
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
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("site: base URL %q: want the scheme and host only, such as https://archivio.example.org", cfg.BaseURL)
		}
	}
	s := &Server{archive: cfg.Archive, log: cfg.Logger, ready: cfg.Ready,
		baseURL: strings.TrimRight(cfg.BaseURL, "/"), sitemapSize: maxSitemapURLs, dev: cfg.Dev, files: embedded, md: newMarkdown()}
	if cfg.Dev {
		s.files = os.DirFS("site")
	}
	var err error
	if s.templates, err = parseTemplates(s.files); err != nil {
		return nil, err
	}
	s.initOps(cfg) // site/metrics.go
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }
