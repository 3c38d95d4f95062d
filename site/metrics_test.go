package site

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// metricLines returns the sample lines of a /metrics answer whose metric
// name is name (with any labels).
func hMetricLines(body, name string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, name+"{") || strings.HasPrefix(l, name+" ") {
			out = append(out, l)
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	corpus := hCorpus(30, 7)
	corpus["broken.md"] = &fstest.MapFile{Data: []byte("---\ndate: not a date\n---\nbody\n")}
	corpus["notes.xyz"] = &fstest.MapFile{Data: []byte("unsupported")}
	ix, sum := buildIndex(t, corpus)
	if sum.Failed != 2 {
		t.Fatalf("Sync: %d failed, want 2 (broken.md, notes.xyz): %+v", sum.Failed, sum.Problems)
	}
	s, err := New(Config{Archive: ix,
		IndexSize:  func() int64 { return 123456 },
		WatcherLag: func() time.Duration { return 1500 * time.Millisecond },
	})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	for _, target := range []string{"/api/search?q=digital", "/api/search?q=public", "/api/search?q=a*", "/api/documents/opinions.doc-0000", "/api/documents/pages.doc-0002", "/api/nosuch", "/nosuch"} {
		hget(t, h, target)
	}
	w := hget(t, h, "/metrics")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	wantLines := []string{
		`archivio_http_request_duration_seconds_count{code="200",method="GET",route="/api/documents/{id}"} 2`,
		`archivio_http_request_duration_seconds_count{code="200",method="GET",route="/api/search"} 2`,
		`archivio_http_request_duration_seconds_count{code="400",method="GET",route="/api/search"} 1`,
		`archivio_http_request_duration_seconds_count{code="404",method="GET",route="unmatched"} 2`,
		`archivio_search_duration_seconds_count{outcome="ok"} 2`,
		`archivio_search_duration_seconds_count{outcome="rejected"} 1`,
		`archivio_documents{kind="factsheet"} 10`,
		`archivio_documents{kind="opinion"} 10`,
		`archivio_documents{kind="page"} 10`,
		`archivio_corpus_files{state="archived"} 30`,
		`archivio_corpus_files{state="failed"} 2`,
		`archivio_ingest_failures 2`,
		`archivio_index_size_bytes 123456`,
		`archivio_watcher_lag_seconds 1.5`,
		`archivio_ready 1`,
	}
	for _, l := range wantLines {
		if !strings.Contains(body, l+"\n") {
			name := l[:strings.IndexAny(l, "{ ")]
			t.Errorf("/metrics lacks %s; it has:\n%s", l, strings.Join(hMetricLines(body, name), "\n"))
		}
	}
	// Raw paths never become labels.
	if strings.Contains(body, "doc-0000") {
		t.Errorf("/metrics has a raw document path as a label")
	}
	if len(hMetricLines(body, "go_goroutines")) != 1 {
		t.Errorf("/metrics lacks the Go runtime metrics")
	}
}

func TestHealthReadiness(t *testing.T) {
	var ready atomic.Bool
	s, _ := hServer(t, 3, Config{Ready: ready.Load})
	h := s.Handler()
	check := func(path string, status int, want string) {
		t.Helper()
		w := hget(t, h, path)
		var body struct {
			Status    string `json:"status"`
			Documents *int   `json:"documents"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if w.Code != status || body.Status != want {
			t.Errorf("GET %s: %d %q, want %d %q", path, w.Code, body.Status, status, want)
		}
	}
	check("/api/health", http.StatusServiceUnavailable, "starting")
	check("/api/health/live", http.StatusOK, "alive")
	ready.Store(true)
	check("/api/health", http.StatusOK, "ok")
	check("/api/health/live", http.StatusOK, "alive")
	w := hget(t, h, "/metrics")
	if !strings.Contains(w.Body.String(), "archivio_ready 1\n") {
		t.Errorf("/metrics: archivio_ready is not 1 once ready")
	}
}
