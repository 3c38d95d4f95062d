package site

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/archivio/archivio/indexer"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus metrics of one Server, in a registry the
// Server owns (never the global default registry).
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.HistogramVec
	search      *prometheus.HistogramVec
	rateLimited prometheus.Counter
}

func newMetrics(s *Server, cfg Config) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "archivio_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template, method and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "code"}),
		search: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "archivio_search_duration_seconds",
			Help:    "Time the index took to run searches, by outcome (ok, rejected, error).",
			Buckets: prometheus.DefBuckets,
		}, []string{"outcome"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "archivio_rate_limited_requests_total",
			Help: "Requests answered 429 because their client sent too many.",
		}),
	}
	m.reg.MustRegister(m.requests, m.search, m.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&archiveCollector{a: s.archive})
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "archivio_ready",
		Help: "1 once the index has finished its first update, 0 before.",
	}, func() float64 {
		if s.ready() {
			return 1
		}
		return 0
	}))
	if f := cfg.IndexSize; f != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "archivio_index_size_bytes",
			Help: "Size of the index folder on disk.",
		}, func() float64 { return float64(f()) }))
	}
	if f := cfg.WatcherLag; f != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "archivio_watcher_lag_seconds",
			Help: "How long the oldest corpus change not yet in the index has waited (0 when none).",
		}, func() float64 { return f().Seconds() }))
	}
	return m
}

// initOps sets up metrics, rate limiting and request-id logging. New calls
// it before building the routes.
func (s *Server) initOps(cfg Config) {
	s.log = withRequestIDs(s.log)
	s.metrics = newMetrics(s, cfg)
	s.archive = timedArchive{Archive: s.archive, hist: s.metrics.search}
	s.rates = newRateLimiter(cfg.RateLimit, cfg.RateBurst, cfg.TrustProxy)
}

// timedArchive measures the searches of an Archive.
type timedArchive struct {
	Archive
	hist *prometheus.HistogramVec
}

func (a timedArchive) Search(ctx context.Context, q indexer.Query) (indexer.Results, error) {
	start := time.Now()
	res, err := a.Archive.Search(ctx, q)
	outcome := "ok"
	if err != nil {
		outcome = "error"
		if status, _ := errorStatus(err); status < 500 {
			outcome = "rejected"
		}
	}
	a.hist.WithLabelValues(outcome).Observe(time.Since(start).Seconds())
	return res, err
}

// archiveCollector reads document and file counts from the archive at
// scrape time, so they are never stale.
type archiveCollector struct{ a Archive }

var (
	docsDesc = prometheus.NewDesc("archivio_documents",
		"Documents in the index, by kind.", []string{"kind"}, nil)
	filesDesc = prometheus.NewDesc("archivio_corpus_files",
		"Corpus files by the state of their receipt (archived, failed, ignored, duplicate).", []string{"state"}, nil)
	failuresDesc = prometheus.NewDesc("archivio_ingest_failures",
		"Corpus files that could not be archived (receipts in state failed).", nil, nil)
)

func (c *archiveCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- docsDesc
	ch <- filesDesc
	ch <- failuresDesc
}

func (c *archiveCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if res, err := c.a.Search(ctx, indexer.Query{CountOnly: true}); err == nil {
		for _, v := range res.Facets["kind"] {
			ch <- prometheus.MustNewConstMetric(docsDesc, prometheus.GaugeValue, float64(v.Count), v.Value)
		}
	} else {
		ch <- prometheus.NewInvalidMetric(docsDesc, err)
	}
	rs, err := c.a.Receipts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(filesDesc, err)
		return
	}
	states := map[string]int{indexer.StateArchived: 0, indexer.StateFailed: 0, indexer.StateIgnored: 0, indexer.StateDuplicate: 0}
	for _, r := range rs {
		states[r.State]++
	}
	for st, n := range states {
		ch <- prometheus.MustNewConstMetric(filesDesc, prometheus.GaugeValue, float64(n), st)
	}
	ch <- prometheus.MustNewConstMetric(failuresDesc, prometheus.GaugeValue, float64(states[indexer.StateFailed]))
}

// metricsHandler serves the Server's metrics in the Prometheus text format.
func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// routeKey is the context key of the route label a request is measured under.
type routeKey struct{}

// measure times every request under the template of the route it matched
// ("unmatched" for 404s and bad methods), so that the label has few values,
// and logs it: at Debug, and 5xx answers at Warn (but readiness's 503).
func (s *Server) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := new(string)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, route)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		label := *route
		if label == "" {
			label = "unmatched"
		}
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodPatch:
		default:
			method = "other"
		}
		took := time.Since(start)
		s.metrics.requests.WithLabelValues(label, method, strconv.Itoa(sw.status)).Observe(took.Seconds())
		level := slog.LevelDebug
		// A readiness probe polling while the index is built is told
		// 503 every time, as it should be: no warning for each.
		if sw.status >= 500 && !(label == "/api/health" && sw.status == http.StatusServiceUnavailable) {
			level = slog.LevelWarn
		}
		s.log.Log(r.Context(), level, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Duration("took", took))
	})
}

// labelRoute records the matched route's template for measure. It runs as
// router middleware, where the route is known.
func (s *Server) labelRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = routeTemplate(r)
		}
		next.ServeHTTP(w, r)
	})
}

// apiLive answers 200 while the process runs (liveness).
func (s *Server) apiLive(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "alive"})
	return nil
}
