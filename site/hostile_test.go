package site

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archivio/archivio/indexer"
)

// xssTitle is a title that would run script if a page or the API ever
// printed it unescaped.
const xssTitle = `<script>alert("t")</script><img src=x onerror=alert(1)> & "quotes"`

// genWords are the words generated documents are made of.
var genWords = strings.Fields(`digital public administration innovation transparency open government data
citizens participation municipalities regions services interoperability procurement budget accountability
cohesion policy local authorities europe committee opinion rapporteur recommendation platform cloud security
privacy identity signature education health mobility energy climate water housing culture tourism agriculture`)

// genCorpus makes a corpus of n Markdown documents with front matter:
// opinions, factsheets and pages in English and Italian, some with hostile
// titles, tags and bodies.
func genCorpus(n int, seed uint64) fstest.MapFS {
	rng := rand.New(rand.NewPCG(seed, 1))
	kinds := []string{"opinion", "factsheet", "page"}
	fsys := fstest.MapFS{}
	for i := range n {
		kind := kinds[i%len(kinds)]
		var title strings.Builder
		for range 4 + rng.IntN(5) {
			title.WriteString(genWords[rng.IntN(len(genWords))] + " ")
		}
		t := strings.TrimSpace(title.String())
		tags := fmt.Sprintf("[%s, %s]", genWords[rng.IntN(len(genWords))], genWords[rng.IntN(len(genWords))])
		extra := ""
		if i%50 == 7 {
			t = xssTitle
			tags = `["<b>bold</b>", "a&b"]`
			extra = "\n<script>alert('body')</script> digital <iframe src=javascript:alert(1)></iframe>\n"
		}
		var body strings.Builder
		for p := range 3 + rng.IntN(4) {
			fmt.Fprintf(&body, "%d. ", p+1)
			for range 20 + rng.IntN(40) {
				body.WriteString(genWords[rng.IntN(len(genWords))] + " ")
			}
			body.WriteString(".\n\n")
		}
		lang := "en"
		if i%4 == 3 {
			lang = "it"
		}
		name := fmt.Sprintf("%ss/doc-%04d.md", kind, i)
		fsys[name] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: %q\nkind: %s\nlanguage: %s\ndate: %d-%02d-%02d\ncommission: %s\ntags: %s\n---\n# %s\n\n%s%s",
			t, kind, lang, 2010+i%15, 1+i%12, 1+i%28, []string{"ECON", "SEDEC", "COTER", "NAT"}[i%4], tags, t, extra, body.String())}
	}
	return fsys
}

// buildIndex builds an index of corpus in a temporary folder.
func buildIndex(t testing.TB, corpus fstest.MapFS) (*indexer.Index, indexer.Summary) {
	t.Helper()
	ctx := context.Background()
	ix, err := indexer.Open(ctx, indexer.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	sum, err := ix.Sync(ctx, corpus)
	if err != nil {
		t.Fatal(err)
	}
	return ix, sum
}

// testIndex builds an index of corpus, every file of which must be archived.
func testIndex(t testing.TB, corpus fstest.MapFS) *indexer.Index {
	t.Helper()
	ix, sum := buildIndex(t, corpus)
	if sum.Failed > 0 {
		t.Fatalf("Sync: %d files failed: %+v", sum.Failed, sum.Problems)
	}
	return ix
}

// testServer serves an index of a generated corpus of n documents, with
// the rate limit off unless cfg sets one.
func testServer(t testing.TB, n int, cfg Config) (*Server, *indexer.Index) {
	t.Helper()
	ix := testIndex(t, genCorpus(n, 42))
	cfg.Archive = ix
	if cfg.RateLimit == 0 {
		cfg.RateLimit = -1
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, ix
}

func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	// NewRequest rejects some hostile targets; set the raw URL by hand.
	u, err := url.ParseRequestURI(target)
	if err != nil {
		u = &url.URL{Path: target}
	}
	req.URL = u
	req.RequestURI = target
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// jsonError returns the "error" field of a JSON error body, failing the test
// when the body is not one.
func jsonError(t testing.TB, w *httptest.ResponseRecorder) string {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var body struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("body is not JSON: %v\n%.300s", err, w.Body.String())
	}
	if body.Error == "" {
		t.Errorf("JSON body has no error: %.300s", w.Body.String())
	}
	return body.Error
}

// TestQueriesOfDeath sends hostile searches through the HTTP API: each gets
// a 400 with a JSON error that says why, or a 200 with results.
func TestQueriesOfDeath(t *testing.T) {
	s, _ := testServer(t, 300, Config{})
	h := s.Handler()
	q := url.QueryEscape
	many := func(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	tests := []struct {
		name   string
		target string
		status int
		errHas string // part of the error message (400s)
	}{
		{"regexp dot star", "/api/search?q=" + q(".*"), 400, "at least 3 letters"},
		{"regexp slashes", "/api/search?q=" + q("/.*/"), 400, "only at the end"},
		{"regexp class", "/api/search?q=" + q("/[a-z]+/"), 200, ""},
		{"inner wildcards", "/api/search?q=" + q("*a*b*c*"), 400, "only at the end"},
		{"leading wildcard", "/api/search?q=" + q("*digital"), 400, "only at the end"},
		{"question mark wildcard", "/api/search?q=" + q("dig?tal"), 400, "only at the end"},
		{"short prefix", "/api/search?q=" + q("a*"), 400, "at least 3 letters"},
		{"prefix of punctuation", "/api/search?q=" + q("a..*"), 400, "at least 3 letters"},
		{"good prefix", "/api/search?q=" + q("digi*"), 200, ""},
		{"10000 terms", "/api/search?q=" + q(many("x", 10000)), 414, "query string"},
		{"4000 terms under the URL limit", "/api/search?q=" + many("x", 4000), 400, "limit is 1000"},
		{"33 terms", "/api/search?q=" + q(many("digital", 33)), 400, "limit is 32"},
		{"32 terms", "/api/search?q=" + q(many("digital", 32)), 200, ""},
		{"fuzzy on 30 one-letter words", "/api/search?q=" + q(many("w~2", 30)), 400, "at least 3 letters"},
		{"fuzzy on 30 words", "/api/search?q=" + q(many("data~2", 30)), 400, "limit is 8"},
		{"fuzzy on 8 words", "/api/search?q=" + q(many("dta~2", 8)), 200, ""},
		{"8 different fuzzy words", "/api/search?q=" + q("dgital~2 pblic~2 dta~2 opn~2 govrnment~2 cty~2 regons~2 budgt~2"), 200, ""},
		{"prefixes on 9 words", "/api/search?q=" + q(many("dig*", 9)), 400, "limit is 8"},
		{"fuzziness 3", "/api/search?q=" + q("digital~3"), 400, "at most 2 edits"},
		{"fuzziness not a number", "/api/search?q=" + q("digital~x"), 400, "number of edits"},
		{"1 MB q", "/api/search?q=" + strings.Repeat("a", 1<<20), 414, "query string"},
		{"1001 byte q", "/api/search?q=" + strings.Repeat("a", 1001), 400, "limit is 1000"},
		{"size 1000000", "/api/search?q=digital&size=1000000", 400, "limit is 100"},
		{"size 0", "/api/search?q=digital&size=0", 400, "at least 1"},
		{"size negative", "/api/search?q=digital&size=-5", 400, "at least 1"},
		{"page 10000000", "/api/search?q=digital&page=10000000", 400, "too deep"},
		{"page beyond int", "/api/search?q=digital&page=99999999999999999999999", 400, "whole number"},
		{"deepest page allowed", "/api/search?q=digital&page=100&size=100", 200, ""},
		{"one page too deep", "/api/search?q=digital&page=101&size=100", 400, "too deep"},
		{"from not a date", "/api/search?q=digital&from=notadate", 400, "not a date"},
		{"to before from", "/api/search?from=2020&to=2010", 400, "before it starts"},
		{"unknown parameter", "/api/search?q=digital&frobnicate=1", 400, "unknown parameter"},
		{"unknown facet in query", "/api/search?q=" + q("nosuchfacet:x digital"), 200, ""},
		{"sort unknown", "/api/search?q=digital&sort=random", 400, "relevance or date"},
		{"NUL byte", "/api/search?q=digital%00public", 200, ""},
		{"NUL only", "/api/search?q=%00", 200, ""},
		{"invalid UTF-8", "/api/search?q=%ff%fe%fd", 200, ""},
		{"invalid UTF-8 in word", "/api/search?q=dig%ffital", 200, ""},
		{"invalid UTF-8 filter", "/api/search?kind=%ff", 200, ""},
		{"control characters", "/api/search?q=%01%02%1b%5b31m", 200, ""},
		{"bad percent escape", "/api/search?q=%zz", 400, ""},
		{"65 filter values", "/api/search?" + strings.Repeat("tag=x&", 65), 400, "limit is 64"},
		{"unbalanced quote", "/api/search?q=" + q(`"digital public`), 200, ""},
		{"only operators", "/api/search?q=" + q(`- + "" ~ * ( ) [ ] { } ^ !`), 400, "at least 3 letters"},
		{"boolean syntax", "/api/search?q=" + q("digital AND (public OR NOT data)"), 200, ""},
		{"field syntax of bleve", "/api/search?q=" + q("+_all:digital _id:x^100"), 200, ""},
		{"only negations", "/api/search?q=" + q("-digital -public"), 200, ""},
		{"documents with q", "/api/documents?q=digital", 400, "only browses"},
		{"documents too deep", "/api/documents?page=2000", 400, "too deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, h, tc.target)
			if w.Code != tc.status {
				t.Fatalf("GET %.100s: status %d, want %d; body %.300s", tc.target, w.Code, tc.status, w.Body.String())
			}
			if w.Code != http.StatusOK {
				msg := jsonError(t, w)
				if !strings.Contains(msg, tc.errHas) {
					t.Errorf("error %q does not contain %q", msg, tc.errHas)
				}
				return
			}
			var res struct {
				Total *int              `json:"total"`
				Hits  []json.RawMessage `json:"hits"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.Total == nil {
				t.Fatalf("200 body is not a search response (%v): %.300s", err, w.Body.String())
			}
		})
	}
}
