package site

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/gzhttp"
	"golang.org/x/time/rate"
)

// HTTP hygiene limits.
const (
	maxBodyBytes  = 1 << 20  // request bodies; the API is GET-only
	maxQueryBytes = 32 << 10 // URL query strings; a longer one gets 414 (the server refuses headers over 64 KiB)

	// DefaultRateLimit and DefaultRateBurst are the per-client token bucket
	// the archivio command sets by default: requests per second, and how
	// many may come at once.
	DefaultRateLimit = 20
	DefaultRateBurst = 40

	rateIdle     = 5 * time.Minute // a client's bucket is forgotten after this long without requests
	rateMaxKeys  = 100_000         // clients remembered at once
	rateSweepGap = time.Minute
)

// contentSecurityPolicy allows only the site's own styles, scripts, images
// and forms: no inline script, no framing.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// harden wraps the whole router (404s and redirects included, which mux
// middleware does not see) with the request id, security headers, metrics,
// rate limiting, request limits and compression, outermost first.
func (s *Server) harden(next http.Handler) http.Handler {
	gz, err := gzhttp.NewWrapper(gzhttp.EnableZstd(false), gzhttp.SuffixETag("-gzip"))
	if err != nil {
		// Only invalid options fail, and the options are constants.
		panic(err)
	}
	var h http.Handler = gz(next)
	h = dropTracking(h)
	h = limitRequest(h)
	h = s.limitRate(h)
	h = s.measure(h)
	h = secureHeaders(h)
	return withRequestID(h)
}

// dropTracking removes from a request the parameters that sites and mail
// tools add to a shared link (trackingParam): no handler sees them, so no
// link, feed id or download header carries them on.
func dropTracking(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if v, err := url.ParseQuery(r.URL.RawQuery); err == nil {
				n := len(v)
				for name := range v {
					if trackingParam(name) {
						delete(v, name)
					}
				}
				if len(v) < n {
					r2 := r.Clone(r.Context())
					r2.URL.RawQuery = v.Encode()
					r = r2
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requestIDKey is the context key of the request id.
type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID takes the client's X-Request-Id when it is a short token,
// makes one otherwise, and puts it in the context and the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestIDHandler adds the request id of the context to every log record.
type requestIDHandler struct{ slog.Handler }

// withRequestIDs returns a logger that adds request_id to every record
// logged with a request's context.
func withRequestIDs(l *slog.Logger) *slog.Logger {
	return slog.New(requestIDHandler{l.Handler()})
}

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// secureHeaders sets the headers every response carries.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// limitRequest bounds what a request may send: the body (the API is
// GET-only, forms are small) and the query string.
func limitRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxQueryBytes {
			refuse(w, r, http.StatusRequestURITooLong, "the query string is longer than "+strconv.Itoa(maxQueryBytes)+" bytes")
			return
		}
		if !utf8.ValidString(r.URL.Path) || strings.IndexByte(r.URL.Path, 0) >= 0 {
			// No document id or file name has such a path; file servers
			// answer 500 to what fs.ValidPath refuses.
			refuse(w, r, http.StatusBadRequest, "the path is not valid UTF-8 text")
			return
		}
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			// r.URL.Query() would silently drop the bad part and widen the search.
			refuse(w, r, http.StatusBadRequest, "malformed query string: "+err.Error())
			return
		}
		if r.ContentLength > maxBodyBytes {
			refuse(w, r, http.StatusRequestEntityTooLarge, "the request body is larger than "+strconv.Itoa(maxBodyBytes)+" bytes")
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// refuse answers a request turned away before it reached a handler: JSON
// where answersJSON, a line of text for pages.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if answersJSON(r.URL.Path) {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// rateLimiter keeps one token bucket per client.
type rateLimiter struct {
	limit      rate.Limit
	burst      int
	trustProxy bool

	mu        sync.Mutex
	clients   map[string]*rateClient
	lastSweep time.Time
}

type rateClient struct {
	lim  *rate.Limiter
	seen time.Time
}

// newRateLimiter returns nil (no limit) when perSecond is not positive.
func newRateLimiter(perSecond float64, burst int, trustProxy bool) *rateLimiter {
	if perSecond <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = max(DefaultRateBurst, int(math.Ceil(perSecond)))
	}
	return &rateLimiter{limit: rate.Limit(perSecond), burst: burst, trustProxy: trustProxy, clients: map[string]*rateClient{}}
}

// allow takes a token from the client's bucket. When there is none it
// returns false and how long to wait for one.
func (rl *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if now.Sub(rl.lastSweep) > rateSweepGap || len(rl.clients) >= rateMaxKeys {
		rl.sweep(now)
	}
	c := rl.clients[key]
	if c == nil {
		if len(rl.clients) >= rateMaxKeys {
			// Too many clients at once: they share one bucket until some go idle.
			key = ""
			c = rl.clients[key]
		}
		if c == nil {
			c = &rateClient{lim: rate.NewLimiter(rl.limit, rl.burst)}
			rl.clients[key] = c
		}
	}
	c.seen = now
	res := c.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets clients idle for rateIdle. The caller holds mu.
func (rl *rateLimiter) sweep(now time.Time) {
	for k, c := range rl.clients {
		if now.Sub(c.seen) > rateIdle {
			delete(rl.clients, k)
		}
	}
	rl.lastSweep = now
}

// clientKey identifies the client of r: its address, or with trustProxy the
// address the proxy in front of the server saw (the last X-Forwarded-For entry).
func (rl *rateLimiter) clientKey(r *http.Request) string {
	if rl.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// exemptFromRateLimit lists paths that monitoring polls.
func exemptFromRateLimit(path string) bool {
	return path == "/metrics" || path == "/api/health" || path == "/api/health/live"
}

// limitRate answers 429 with Retry-After to a client that sends requests
// faster than its bucket refills.
func (s *Server) limitRate(next http.Handler) http.Handler {
	rl := s.rates
	if rl == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exemptFromRateLimit(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		ok, wait := rl.allow(rl.clientKey(r), time.Now())
		if !ok {
			secs := max(1, int(math.Ceil(wait.Seconds())))
			if s.metrics != nil {
				s.metrics.rateLimited.Inc()
			}
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			refuse(w, r, http.StatusTooManyRequests, "too many requests; try again in "+strconv.Itoa(secs)+" s")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cacheStatic serves static assets with a content-hash ETag and a day of
// caching, and answers 304 to a matching If-None-Match. The hash of each
// path is computed on first request and kept.
func cacheStatic(h http.Handler) http.Handler {
	var mu sync.Mutex
	etags := map[string]string{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		etag, ok := etags[r.URL.Path]
		mu.Unlock()
		if !ok {
			rec := &bodyRecorder{header: http.Header{}}
			get := r.Clone(r.Context())
			get.Method = http.MethodGet
			get.Header.Del("If-None-Match")
			get.Header.Del("If-Modified-Since")
			get.Header.Del("Range")
			h.ServeHTTP(rec, get)
			if rec.status != 0 && rec.status != http.StatusOK {
				h.ServeHTTP(w, r)
				return
			}
			sum := sha256.Sum256(rec.body)
			etag = `"` + hex.EncodeToString(sum[:8]) + `"`
			mu.Lock()
			if len(etags) < 10_000 {
				etags[r.URL.Path] = etag
			}
			mu.Unlock()
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		if sent, ok := etagMatch(r.Header.Get("If-None-Match"), etag); ok {
			// The tag the answer had, which gzip may have marked "-gzip".
			w.Header().Set("ETag", sent)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// etagMatch reports whether an If-None-Match header names etag, also in
// its weak or compressed ("-gzip") form, and returns the form it names.
func etagMatch(header, etag string) (sent string, ok bool) {
	if header == "" {
		return "", false
	}
	bare := strings.Trim(etag, `"`)
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		switch strings.Trim(strings.TrimPrefix(t, "W/"), `"`) {
		case "*":
			return etag, true
		case bare, bare + "-gzip":
			return t, true
		}
	}
	return "", false
}

// bodyRecorder captures a response in memory.
type bodyRecorder struct {
	header http.Header
	status int
	body   []byte
}

func (b *bodyRecorder) Header() http.Header { return b.header }
func (b *bodyRecorder) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bodyRecorder) Write(p []byte) (int, error) {
	b.body = append(b.body, p...)
	return len(p), nil
}
