package site

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
)

// newTestServer serves a real index built from a small in-memory corpus.
func newTestServer(t testing.TB, corpus fs.FS) *Server {
	t.Helper()
	ix, _ := buildIndex(t, corpus)
	s, err := New(Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var apiCorpus = fstest.MapFS{
	"opinion.md": {Data: []byte(`---
title: Regulatory sandboxes for artificial intelligence
kind: opinion
reference: ECON-VII/099
language: en
date: 2024-11-21
commission: ECON
rapporteur: {name: Alberto Cirio, country: IT, group: EPP, role: President of the Piedmont Region}
---
The Committee promotes regulatory sandboxes at EU level.
`)},
	"page.md": {Data: []byte("---\ntitle: Governo aperto\nlanguage: it\ndate: 2023-05-02\n---\nLa partecipazione dei cittadini.\n")},
	"bad.txt": {Data: []byte("")},
}

func get(t *testing.T, s *Server, target string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := fetch(t, s.Handler(), target)
	var body map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && strings.HasPrefix(strings.TrimSpace(rec.Body.String()), "{") {
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("GET %s: body is not JSON: %v", target, err)
		}
	}
	return rec, body
}

func TestAPISearch(t *testing.T) {
	s := newTestServer(t, apiCorpus)
	rec, body := get(t, s, "/api/search?q=sandboxes&commission=ECON")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if body["total"].(float64) != 1 {
		t.Fatalf("total = %v, want 1", body["total"])
	}
	hit := body["hits"].([]any)[0].(map[string]any)
	for k, want := range map[string]any{"id": "opinion", "kind": "opinion", "reference": "ECON-VII/099", "date": "2024-11-21",
		"language": "en", "url": "/documents/opinion"} {
		if hit[k] != want {
			t.Errorf("hit[%s] = %v, want %v", k, hit[k], want)
		}
	}
	if sn := hit["snippets"].([]any); len(sn) == 0 || !strings.Contains(sn[0].(string), "<mark>sandboxes</mark>") {
		t.Errorf("snippets = %v, want a <mark>ed match", sn)
	}
	facets := body["facets"].(map[string]any)
	for _, name := range []string{"kind", "language", "year", "commission", "rapporteur", "country", "theme"} {
		if _, ok := facets[name]; !ok {
			t.Errorf("facet %s missing", name)
		}
	}
	country := facets["country"].([]any)
	if len(country) != 1 || country[0].(map[string]any)["value"] != "Italy" {
		t.Errorf("country facet = %v, want [Italy 1]", country)
	}
}

func TestAPIDocument(t *testing.T) {
	s := newTestServer(t, apiCorpus)
	rec, body := get(t, s, "/api/documents/opinion")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	r := body["rapporteur"].(map[string]any)
	if r["name"] != "Alberto Cirio" || r["country"] != "IT" || r["group"] != "EPP" || r["role"] != "President of the Piedmont Region" {
		t.Errorf("rapporteur = %v", r)
	}
	if body["source"] != "opinion.md" || body["title"] != "Regulatory sandboxes for artificial intelligence" {
		t.Errorf("source/title = %v / %v", body["source"], body["title"])
	}
}

func TestAPIBrowseHealthProblems(t *testing.T) {
	s := newTestServer(t, apiCorpus)
	rec, body := get(t, s, "/api/documents")
	if rec.Code != http.StatusOK || body["total"].(float64) != 2 {
		t.Fatalf("browse: %d %v", rec.Code, body["total"])
	}
	if first := body["hits"].([]any)[0].(map[string]any)["id"]; first != "opinion" {
		t.Errorf("browse first = %v, want the newest (opinion)", first)
	}
	rec, body = get(t, s, "/api/health")
	if rec.Code != http.StatusOK || body["status"] != "ok" || body["documents"].(float64) != 2 {
		t.Errorf("health = %d %v", rec.Code, body)
	}
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/problems", nil))
	var problems []problem
	if err := json.Unmarshal(rec.Body.Bytes(), &problems); err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].File != "bad.txt" || problems[0].Error != "empty file" {
		t.Errorf("problems = %+v, want bad.txt: empty file", problems)
	}
}

func TestAPIErrors(t *testing.T) {
	s := newTestServer(t, apiCorpus)
	tests := []struct {
		target string
		status int
		msg    string
	}{
		{"/api/documents/nope", http.StatusNotFound, "document not found"},
		{"/api/search?page=abc", http.StatusBadRequest, "page must be"},
		{"/api/search?size=-1", http.StatusBadRequest, "size must be"},
		{"/api/search?size=1000000", http.StatusBadRequest, "too large"},
		{"/api/search?page=10000000", http.StatusBadRequest, "too deep"},
		{"/api/search?sort=random", http.StatusBadRequest, "sort must be"},
		{"/api/search?from=yesterday", http.StatusBadRequest, "not a date"},
		{"/api/search?colour=red", http.StatusBadRequest, "unknown parameter"},
		{"/api/search?q=ab*", http.StatusBadRequest, "at least 3 letters"},
		{"/api/search?q=" + strings.Repeat("x", 2000), http.StatusBadRequest, "limit"},
		{"/api/documents?q=x", http.StatusBadRequest, "/api/search"},
		{"/api/nothing", http.StatusNotFound, "no such API endpoint"},
	}
	for _, tc := range tests {
		rec, body := get(t, s, tc.target)
		if rec.Code != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.target, rec.Code, tc.status)
		}
		if msg, _ := body["error"].(string); !strings.Contains(msg, tc.msg) {
			t.Errorf("GET %s: error %q, want it to contain %q", tc.target, msg, tc.msg)
		}
	}
}

// TestAPIParameterMistakes checks that a parameter the API cannot honour
// exactly is refused with the reason, not silently ignored or narrowed.
func TestAPIParameterMistakes(t *testing.T) {
	s := newTestServer(t, apiCorpus)
	for _, tc := range []struct{ target, want string }{
		{"/api/files?state=bogus", "state must be archived, failed, ignored or duplicate"},
		{"/api/files?state=Archived", "state must be"},
		{"/api/files?foo=1", `unknown parameter "foo"`},
		{"/api/files?state=failed&state=archived", `"state" is given more than once`},
		{"/api/search?q=x&size=5&size=6", `"size" is given more than once`},
		{"/api/search?q=x&page=2&page=3", `"page" is given more than once`},
		{"/api/search?q=a&q=b", `"q" is given more than once`},
	} {
		rec, body := get(t, s, tc.target)
		if rec.Code != http.StatusBadRequest || !strings.Contains(fmt.Sprint(body["error"]), tc.want) {
			t.Errorf("GET %s = %d %v; want 400 saying %q", tc.target, rec.Code, body, tc.want)
		}
	}
	// Facets may repeat: values of one facet are ORed.
	if rec, body := get(t, s, "/api/search?kind=opinion&kind=page"); rec.Code != http.StatusOK || body["total"].(float64) != 2 {
		t.Errorf("repeated facet: %d %v; want 200 with both documents", rec.Code, body["total"])
	}
}

// TestFacetCountsNarrow: on the OGP export, every facet value listed beside
// a filtered search's results, added as a filter, gives as many results as
// its count says, for facets of which a document has one value (country)
// and several (theme, institution, tag).
func TestFacetCountsNarrow(t *testing.T) {
	s := fixtureServer(t, "ogp.csv", "ogp-commitments/open_parliament_0703.csv")
	facets := func(target string) (float64, map[string]any) {
		t.Helper()
		rec, body := get(t, s, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		return body["total"].(float64), body["facets"].(map[string]any)
	}
	_, all := facets("/api/search?size=0")
	checked := 0
	for _, name := range []string{"theme", "institution", "country"} {
		first := all[name].([]any)[0].(map[string]any)["value"].(string)
		base := "/api/search?size=0&" + url.Values{name: {first}}.Encode()
		_, listed := facets(base)
		for _, fname := range []string{"theme", "institution", "country", "status", "tag"} {
			for _, fv := range listed[fname].([]any) {
				v, want := fv.(map[string]any)["value"].(string), fv.(map[string]any)["count"].(float64)
				target := base + "&" + url.Values{fname: {v}}.Encode()
				if got, _ := facets(target); got != want {
					t.Errorf("%s: total %v, but %s=%q was listed with %v", target, got, fname, v, want)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d facet values, want over 100", checked)
	}
}
