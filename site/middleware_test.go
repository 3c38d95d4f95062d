package site

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s, _ := hServer(t, 20, Config{})
	h := s.Handler()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	}
	for _, target := range []string{"/api/search?q=digital", "/api/health", "/api/nosuch", "/nosuch/page", "/api/search?q=%zz", "/metrics", "/api/documents/nosuch", "//api//search"} {
		w := hget(t, h, target)
		for k, v := range want {
			if got := w.Header().Get(k); got != v {
				t.Errorf("GET %s (status %d): %s = %q, want %q", target, w.Code, k, got, v)
			}
		}
		if id := w.Header().Get("X-Request-Id"); len(id) != 24 {
			t.Errorf("GET %s: X-Request-Id = %q, want 24 hex digits", target, id)
		}
	}
}

func TestRequestIDInLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, _ := hServer(t, 5, Config{Logger: logger})
	h := s.Handler()

	req := httptest.NewRequest(http.MethodGet, "/api/search?q=digital", nil)
	req.Header.Set("X-Request-Id", "client-id.42")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if got := w.Header().Get("X-Request-Id"); got != "client-id.42" {
		t.Errorf("X-Request-Id = %q, want the client's client-id.42", got)
	}
	if !strings.Contains(logs.String(), "request_id=client-id.42") {
		t.Errorf("request log has no request_id=client-id.42:\n%s", logs.String())
	}

	// A hostile id (log injection, too long) is replaced.
	for _, bad := range []string{"a b\nlevel=ERROR msg=forged", strings.Repeat("x", 65), "<script>"} {
		req := httptest.NewRequest(http.MethodGet, "/api/health", nil)
		req.Header.Set("X-Request-Id", bad)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if got := w.Header().Get("X-Request-Id"); got == bad || len(got) != 24 {
			t.Errorf("X-Request-Id for %q = %q, want a new 24-digit id", bad, got)
		}
	}
	if strings.Contains(logs.String(), "forged") {
		t.Errorf("a forged id reached the log:\n%s", logs.String())
	}
}

func TestRequestLimits(t *testing.T) {
	s, _ := hServer(t, 5, Config{})
	h := s.Handler()

	w := hget(t, h, "/api/search?q="+strings.Repeat("a", maxQueryBytes))
	if w.Code != http.StatusRequestURITooLong {
		t.Errorf("long query: status %d, want 414", w.Code)
	}
	hJSONError(t, w)

	w = hget(t, h, "/some/page?q="+strings.Repeat("a", maxQueryBytes))
	if w.Code != http.StatusRequestURITooLong || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("long query on a page: status %d, type %q, want 414 text/plain", w.Code, w.Header().Get("Content-Type"))
	}

	big := bytes.Repeat([]byte("x"), maxBodyBytes+1)
	req := httptest.NewRequest(http.MethodPost, "/api/search", bytes.NewReader(big))
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST of %d bytes: status %d, want 413", len(big), w.Code)
	}
	hJSONError(t, w)

	// A body without a declared length is cut at the limit by MaxBytesReader.
	var readErr error
	limited := limitRequest(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	}))
	req = httptest.NewRequest(http.MethodPost, "/x", io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	limited.ServeHTTP(httptest.NewRecorder(), req)
	if readErr == nil {
		t.Errorf("reading a %d-byte chunked body: no error, want MaxBytesError", len(big))
	}
}

func TestGzip(t *testing.T) {
	s, _ := hServer(t, 30, Config{})
	h := s.Handler()
	req := httptest.NewRequest(http.MethodGet, "/api/search?q=digital&size=20", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	if got := w.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary = %q, want Accept-Encoding", w.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal(plain, &res); err != nil || res.Total == 0 {
		t.Errorf("decompressed body: total %d, err %v", res.Total, err)
	}

	// A page varies with the encoding and with the interface language.
	req = httptest.NewRequest(http.MethodGet, "/search?q=digital", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("page: status %d, Content-Encoding %q", w.Code, w.Header().Get("Content-Encoding"))
	}
	vary := strings.Join(w.Header().Values("Vary"), ", ")
	for _, want := range []string{"Accept-Encoding", "Accept-Language", "Cookie"} {
		if !strings.Contains(vary, want) {
			t.Errorf("page Vary = %q, want %s in it", vary, want)
		}
	}

	// Without Accept-Encoding the answer is plain.
	w = hget(t, h, "/api/search?q=digital&size=20")
	if w.Header().Get("Content-Encoding") != "" || !json.Valid(w.Body.Bytes()) {
		t.Errorf("no Accept-Encoding: Content-Encoding %q, valid JSON %v", w.Header().Get("Content-Encoding"), json.Valid(w.Body.Bytes()))
	}
}

func TestRateLimit(t *testing.T) {
	s, _ := hServer(t, 5, Config{RateLimit: 1, RateBurst: 3})
	h := s.Handler()
	send := func(path, remote, xff string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	for i := range 3 {
		if w := send("/api/search?q=digital", "192.0.2.1:1000", ""); w.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: status %d", i+1, w.Code)
		}
	}
	w := send("/api/search?q=digital", "192.0.2.1:1001", "")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("request past the burst: status %d, want 429", w.Code)
	}
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After = %q, want a whole number of seconds ≥ 1", w.Header().Get("Retry-After"))
	}
	if msg := hJSONError(t, w); !strings.Contains(msg, "too many requests") {
		t.Errorf("429 error = %q", msg)
	}
	// Downloads get JSON, as the API does.
	w = send("/search.csv?q=digital", "192.0.2.1:1002", "")
	if msg := hJSONError(t, w); w.Code != http.StatusTooManyRequests || !strings.Contains(msg, "too many requests") {
		t.Errorf("download past the burst: %d %q, want 429 in JSON", w.Code, msg)
	}
	// Pages get text.
	w = send("/some/page", "192.0.2.1:1002", "")
	if w.Code != http.StatusTooManyRequests || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("page past the burst: status %d, type %q, want 429 text/plain", w.Code, w.Header().Get("Content-Type"))
	}
	// Health and metrics are not limited.
	for _, p := range []string{"/api/health", "/api/health/live", "/metrics"} {
		if w := send(p, "192.0.2.1:1003", ""); w.Code != http.StatusOK {
			t.Errorf("GET %s past the burst: status %d, want 200", p, w.Code)
		}
	}
	// Another client has its own bucket.
	if w := send("/api/search?q=digital", "192.0.2.2:1000", ""); w.Code != http.StatusOK {
		t.Errorf("another client: status %d, want 200", w.Code)
	}
	// X-Forwarded-For is not trusted by default: a forged header does not give a new bucket.
	if w := send("/api/search?q=digital", "192.0.2.1:1004", "198.51.100.9"); w.Code != http.StatusTooManyRequests {
		t.Errorf("forged X-Forwarded-For: status %d, want 429", w.Code)
	}
}

func TestRateLimiterTrustProxyAndEviction(t *testing.T) {
	rl := newRateLimiter(1, 1, true)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	req.Header.Add("X-Forwarded-For", "203.0.113.7, 198.51.100.1")
	if got := rl.clientKey(req); got != "198.51.100.1" {
		t.Errorf("clientKey with trusted proxy = %q, want the last X-Forwarded-For entry 198.51.100.1", got)
	}
	req.Header.Del("X-Forwarded-For")
	if got := rl.clientKey(req); got != "127.0.0.1" {
		t.Errorf("clientKey without header = %q, want 127.0.0.1", got)
	}

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if ok, _ := rl.allow("a", now); !ok {
		t.Fatal("first request refused")
	}
	ok, wait := rl.allow("a", now)
	if ok || wait <= 0 || wait > time.Second {
		t.Errorf("second request at once: ok %v, wait %v; want refused with a wait ≤ 1s", ok, wait)
	}
	if ok, _ := rl.allow("a", now.Add(time.Second)); !ok {
		t.Errorf("request a second later refused")
	}
	rl.allow("b", now.Add(time.Second))
	rl.allow("c", now.Add(rateIdle+2*time.Minute))
	rl.mu.Lock()
	_, hasA := rl.clients["a"]
	n := len(rl.clients)
	rl.mu.Unlock()
	if hasA || n != 1 {
		t.Errorf("after %v idle: %d clients remembered (a kept: %v), want only c", rateIdle, n, hasA)
	}
	for _, r := range []float64{0, -1} {
		if newRateLimiter(r, 0, false) != nil {
			t.Errorf("rate %v: want no limiter", r)
		}
	}
}

func TestCacheStatic(t *testing.T) {
	files := fstest.MapFS{"style.css": {Data: []byte("body { color: black }\n")}}
	h := cacheStatic(http.StripPrefix("/static/", http.FileServer(http.FS(files))))

	req := httptest.NewRequest(http.MethodGet, "/static/style.css", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	etag := w.Header().Get("ETag")
	if w.Code != http.StatusOK || w.Body.String() != "body { color: black }\n" {
		t.Fatalf("first GET: status %d body %q", w.Code, w.Body.String())
	}
	if len(etag) != 18 || etag[0] != '"' {
		t.Errorf("ETag = %q, want a quoted 16-digit hash", etag)
	}
	if got := w.Header().Get("Cache-Control"); got != "public, max-age=86400" {
		t.Errorf("Cache-Control = %q", got)
	}
	for _, inm := range []string{etag, "W/" + etag, strings.TrimSuffix(etag, `"`) + `-gzip"`, `"other", ` + etag} {
		req = httptest.NewRequest(http.MethodGet, "/static/style.css", nil)
		req.Header.Set("If-None-Match", inm)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: status %d, body %d bytes; want 304 and no body", inm, w.Code, w.Body.Len())
		}
	}
	req = httptest.NewRequest(http.MethodGet, "/static/style.css", nil)
	req.Header.Set("If-None-Match", `"stale"`)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Errorf("stale If-None-Match: status %d, want 200", w.Code)
	}
	// A changed file (new binary, new embed FS) gets another ETag.
	files2 := fstest.MapFS{"style.css": {Data: []byte("body { color: red }\n")}}
	w = httptest.NewRecorder()
	cacheStatic(http.StripPrefix("/static/", http.FileServer(http.FS(files2)))).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/static/style.css", nil))
	if w.Header().Get("ETag") == etag {
		t.Errorf("different content has the same ETag %s", etag)
	}
	// Missing files are not cached.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/static/nosuch.css", nil))
	if w.Code != http.StatusNotFound || w.Header().Get("ETag") != "" {
		t.Errorf("missing file: status %d ETag %q, want 404 without ETag", w.Code, w.Header().Get("ETag"))
	}
}

// TestStaticAssetsCached checks the real static files: content-hash ETag,
// a day of caching, 304 for the plain and the compressed ETag.
func TestStaticAssetsCached(t *testing.T) {
	s, _ := hServer(t, 3, Config{})
	h := s.Handler()
	w := hget(t, h, "/static/site.css")
	etag := w.Header().Get("ETag")
	if w.Code != http.StatusOK || len(etag) != 18 || w.Header().Get("Cache-Control") != "public, max-age=86400" {
		t.Fatalf("GET /static/site.css: %d, ETag %q, Cache-Control %q", w.Code, etag, w.Header().Get("Cache-Control"))
	}
	send := func(inm, enc string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/static/site.css", nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := send(etag, ""); w.Code != http.StatusNotModified || w.Header().Get("ETag") != etag {
		t.Errorf("If-None-Match %s: %d, ETag %q; want 304 with that tag", etag, w.Code, w.Header().Get("ETag"))
	}
	gz := send("", "gzip")
	gzTag := gz.Header().Get("ETag")
	if gz.Header().Get("Content-Encoding") != "gzip" || gzTag != strings.TrimSuffix(etag, `"`)+`-gzip"` {
		t.Errorf("gzip answer: Content-Encoding %q, ETag %q; want gzip and %s with -gzip", gz.Header().Get("Content-Encoding"), gzTag, etag)
	}
	// A 304 carries the tag the 200 had (RFC 9110, 15.4.5).
	if w := send(gzTag, "gzip"); w.Code != http.StatusNotModified || w.Header().Get("ETag") != gzTag {
		t.Errorf("If-None-Match %s: %d, ETag %q; want 304 with that tag", gzTag, w.Code, w.Header().Get("ETag"))
	}
}

// TestRequestLog checks the one log line per request: Debug, and Warn for a
// 5xx, also for answers no route matched, but for readiness's 503.
func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(Config{Archive: &failingArchive{}, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, want string }{
		{"/search?q=x", "level=WARN msg=request method=GET path=/search status=500"},
		{"/no/such/page", "level=DEBUG msg=request method=GET path=/no/such/page status=404"},
		{"/api/health/live", "level=DEBUG msg=request method=GET path=/api/health/live status=200"},
	} {
		logs.Reset()
		fetch(t, s.Handler(), tc.target)
		if n := strings.Count(logs.String(), "msg=request "); n != 1 {
			t.Errorf("GET %s: %d request lines, want 1:\n%s", tc.target, n, logs.String())
		}
		if !strings.Contains(logs.String(), tc.want) {
			t.Errorf("GET %s: log lacks %q:\n%s", tc.target, tc.want, logs.String())
		}
	}

	// Readiness answers 503 until the first update is done: a probe
	// polling meanwhile is no warning.
	ix, _ := buildIndex(t, fstest.MapFS{})
	s, err = New(Config{Archive: ix, Logger: logger, Ready: func() bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	if w := fetch(t, s.Handler(), "/api/health"); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("GET /api/health while starting: %d, want 503", w.Code)
	}
	if want := "level=DEBUG msg=request method=GET path=/api/health status=503"; !strings.Contains(logs.String(), want) {
		t.Errorf("GET /api/health while starting: log lacks %q:\n%s", want, logs.String())
	}
}
