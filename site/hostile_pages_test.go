package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// hRawMarkup finds markup from the hostile corpus documents that a page,
// feed or download must never hold unescaped.
var hRawMarkup = regexp.MustCompile(`(?i)<script>alert|<img src=x|<iframe|<b>bold`)

// TestXSSThroughPagesAndFeeds indexes documents with markup in titles, tags
// and bodies and checks every page, feed and download that shows them.
func TestXSSThroughPagesAndFeeds(t *testing.T) {
	s, _ := hServer(t, 60, Config{})
	h := s.Handler()
	hostile := []string{
		"/search?q=alert",
		"/search?q=" + url.QueryEscape("<script>alert(1)</script>"),
		"/search?q=digital&tag=" + url.QueryEscape("<b>bold</b>"),
		"/search?q=" + url.QueryEscape(`"><svg onload=alert(1)>`),
		"/documents/factsheets.doc-0007",
		"/documents/" + url.PathEscape("<script>alert(1)</script>"),
		"/",
		"/search.atom?q=alert",
		"/search.json?q=alert",
		"/search.csv?q=alert",
		"/sitemap.xml",
		"/nosuch/" + url.PathEscape("<script>alert(1)</script>"),
	}
	for _, target := range hostile {
		w := hget(t, h, target)
		body := w.Body.String()
		t.Logf("GET %s -> %d %s", target, w.Code, w.Header().Get("Content-Type"))
		if w.Code >= 500 {
			t.Errorf("GET %s: status %d", target, w.Code)
		}
		// CSV is a download (text/csv, nosniff): its cells keep the text as it is.
		if m := hRawMarkup.FindString(body); m != "" && !strings.Contains(w.Header().Get("Content-Type"), "csv") {
			i := strings.Index(body, m)
			t.Errorf("GET %s: raw %q in the answer: …%s…", target, m, body[max(0, i-80):min(len(body), i+80)])
		}
		if strings.Contains(body, `"><svg onload`) {
			t.Errorf("GET %s: the query broke out of an attribute", target)
		}
		if got := w.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy = %q", target, got)
		}
		ct := w.Header().Get("Content-Type")
		switch {
		case strings.Contains(ct, "xml"):
			dec := xml.NewDecoder(strings.NewReader(body))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("GET %s: not well-formed XML: %v", target, err)
					break
				}
			}
		case strings.Contains(ct, "json"):
			if !json.Valid(w.Body.Bytes()) {
				t.Errorf("GET %s: not valid JSON", target)
			}
		case strings.Contains(ct, "csv"):
			recs, err := csv.NewReader(bytes.NewReader(w.Body.Bytes())).ReadAll()
			if err != nil {
				t.Errorf("GET %s: not valid CSV: %v", target, err)
			}
			for _, rec := range recs {
				for _, cell := range rec {
					if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) && cell != "-" {
						t.Errorf("GET %s: CSV cell %q would run as a spreadsheet formula", target, cell)
					}
				}
			}
		}
	}
	// The hostile title shows, escaped, on its page and in the feed.
	w := hget(t, h, "/documents/factsheets.doc-0007")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "&lt;script&gt;alert(") {
		t.Errorf("document page: status %d; want 200 with the title escaped (&lt;script&gt;alert(…)", w.Code)
	}
	w = hget(t, h, "/search.atom?q=alert")
	if !strings.Contains(w.Body.String(), "&lt;script&gt;alert(") {
		t.Errorf("Atom feed for alert lacks the escaped hostile title")
	}
	// The formula title is searchable and made inert in CSV.
	w = hget(t, h, "/search.csv?q=hyperlink")
	if !strings.Contains(w.Body.String(), "HYPERLINK") {
		t.Errorf("CSV for hyperlink lacks the formula document: %.300s", w.Body.String())
	}
}

// TestPathTraversalPages tries to climb out through page and static paths.
func TestPathTraversalPages(t *testing.T) {
	s, _ := hServer(t, 10, Config{})
	h := s.Handler()
	for _, target := range []string{
		"/static/../go.mod", "/static/..%2Fgo.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/..%2F..%2F..%2Fetc%2Fpasswd",
		"/static/..%5c..%5cgo.mod", "/static/%c0%ae%c0%ae/go.mod", "/static/templates/layout.html", "/static/../templates/layout.html",
		"/static/", "/static", "/documents/%2e%2e/%2e%2e/etc/passwd", "/documents/..%2F..%2Fgo.mod", "/documents/../../go.mod",
		"/search.atom/../../go.mod", "/sitemap.xml/..%2F..%2Fgo.mod",
	} {
		w := hget(t, h, target)
		t.Logf("GET %s -> %d %s", target, w.Code, w.Header().Get("Location"))
		body := w.Body.String()
		for _, leak := range []string{"root:x:0", "module github.com/archivio", "{{define", "{{template", "package site"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s (status %d) leaked file contents (%q)", target, w.Code, leak)
			}
		}
		if w.Code >= 500 {
			t.Errorf("GET %s: status %d", target, w.Code)
		}
		if w.Code == http.StatusOK && target != "/static/" {
			t.Errorf("GET %s: 200, want 404, 400 or a redirect", target)
		}
	}
}
