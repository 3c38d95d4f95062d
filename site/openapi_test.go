package site

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// pointerEscape escapes a JSON pointer token.
func hPointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// TestOpenAPIResponses validates real responses of every API endpoint, for
// every status the description lists but 500, against the description's
// schemas.
func TestOpenAPIResponses(t *testing.T) {
	var spec struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if spec.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", spec.OpenAPI)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPI))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	schemaFor := func(path, status string) *jsonschema.Schema {
		t.Helper()
		ptr := "openapi.json#/paths/" + hPointerEscape(path) + "/get/responses/" + status + "/content/" + hPointerEscape("application/json") + "/schema"
		sch, err := c.Compile(ptr)
		if err != nil {
			t.Fatalf("compile %s: %v", ptr, err)
		}
		return sch
	}

	corpus := hCorpus(40, 3)
	corpus["broken.md"] = &fstest.MapFile{Data: []byte("---\nkind: memo\n---\nbody\n")}
	corpus["copy.md"] = corpus["opinions/doc-0000.md"]
	ix, _ := buildIndex(t, corpus)
	var ready atomic.Bool
	ready.Store(true)
	s, err := New(Config{Archive: ix, Ready: ready.Load})
	if err != nil {
		t.Fatal(err)
	}
	limited, err := New(Config{Archive: ix, RateLimit: 0.001, RateBurst: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		h      http.Handler
		path   string // the path template in the description
		target string
		status int
		before func()
	}{
		{s.Handler(), "/api/search", "/api/search?q=digital+public&size=5", 200, nil},
		{s.Handler(), "/api/search", "/api/search?q=" + url.QueryEscape(hXSSTitle), 200, nil},
		{s.Handler(), "/api/search", "/api/search?q=zzzzzz+yyyyyy", 200, nil},
		{s.Handler(), "/api/search", "/api/search?q=digital&size=0", 200, nil},
		{s.Handler(), "/api/search", "/api/search?kind=opinion&from=2012&to=2020-06&sort=date&page=2&size=3", 200, nil},
		{s.Handler(), "/api/search", "/api/search?q=a*", 400, nil},
		{limited.Handler(), "/api/search", "/api/search?q=x", 200, nil},
		{limited.Handler(), "/api/search", "/api/search?q=x", 429, nil},
		{s.Handler(), "/api/documents", "/api/documents", 200, nil},
		{s.Handler(), "/api/documents", "/api/documents?commission=ECON&lang=it", 200, nil},
		{s.Handler(), "/api/documents", "/api/documents?q=x", 400, nil},
		{limited.Handler(), "/api/documents", "/api/documents", 429, nil},
		{s.Handler(), "/api/documents/{id}", "/api/documents/opinions.doc-0003", 200, nil},
		{s.Handler(), "/api/documents/{id}", "/api/documents/factsheets.doc-0007", 200, nil},
		{s.Handler(), "/api/documents/{id}", "/api/documents/nosuch", 404, nil},
		{limited.Handler(), "/api/documents/{id}", "/api/documents/nosuch", 429, nil},
		{s.Handler(), "/api/health", "/api/health", 200, nil},
		{s.Handler(), "/api/health", "/api/health", 503, func() { ready.Store(false) }},
		{s.Handler(), "/api/health/live", "/api/health/live", 200, func() { ready.Store(true) }},
		{s.Handler(), "/api/problems", "/api/problems", 200, nil},
		{limited.Handler(), "/api/problems", "/api/problems", 429, nil},
		{s.Handler(), "/api/files", "/api/files", 200, nil},
		{s.Handler(), "/api/files", "/api/files?state=duplicate", 200, nil},
		{s.Handler(), "/api/files", "/api/files?state=failed", 200, nil},
		{s.Handler(), "/api/files", "/api/files?state=bogus", 400, nil},
		{limited.Handler(), "/api/files", "/api/files", 429, nil},
		{s.Handler(), "/api/openapi.json", "/api/openapi.json", 200, nil},
		{limited.Handler(), "/api/openapi.json", "/api/openapi.json", 429, nil},
		// A bad percent escape in the query string, on every path.
		{s.Handler(), "/api/documents/{id}", "/api/documents/opinions.doc-0003?%zz", 400, nil},
		{s.Handler(), "/api/health", "/api/health?%zz", 400, nil},
		{s.Handler(), "/api/health/live", "/api/health/live?%zz", 400, nil},
		{s.Handler(), "/api/problems", "/api/problems?%zz", 400, nil},
		{s.Handler(), "/api/openapi.json", "/api/openapi.json?%zz", 400, nil},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		if tc.before != nil {
			tc.before()
		}
		w := hget(t, tc.h, tc.target)
		if w.Code != tc.status {
			t.Errorf("GET %s: status %d, want %d: %.300s", tc.target, w.Code, tc.status, w.Body.String())
			continue
		}
		code := strconv.Itoa(tc.status)
		if _, ok := spec.Paths[tc.path]["get"].Responses[code]; !ok {
			t.Errorf("GET %s answered %d, which the description of %s does not list", tc.target, tc.status, tc.path)
			continue
		}
		covered[tc.path+" "+code] = true
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Errorf("GET %s: body is not JSON: %v", tc.target, err)
			continue
		}
		if err := schemaFor(tc.path, code).Validate(inst); err != nil {
			t.Errorf("GET %s (%d) does not match its schema:\n%v\nbody: %.500s", tc.target, tc.status, err, w.Body.String())
		}
	}
	// Every documented answer but 500 was seen.
	var missing []string
	for p, ops := range spec.Paths {
		for code := range ops["get"].Responses {
			if code != "500" && !covered[p+" "+code] {
				missing = append(missing, p+" "+code)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("documented answers not checked against real responses: %v", missing)
	}
	// The search responses held hits, problems and files, so the schemas were exercised.
	for _, target := range []string{"/api/problems", "/api/files?state=duplicate"} {
		var list []json.RawMessage
		json.Unmarshal(hget(t, s.Handler(), target).Body.Bytes(), &list)
		if len(list) == 0 {
			t.Errorf("GET %s is empty; the schema check proved nothing", target)
		}
	}
}

// TestOpenAPIListsEveryEndpoint checks that each API path the server
// answers is described, and nothing else is.
func TestOpenAPIListsEveryEndpoint(t *testing.T) {
	var spec struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &spec); err != nil {
		t.Fatal(err)
	}
	s, _ := hServer(t, 3, Config{})
	for p := range spec.Paths {
		target := strings.ReplaceAll(p, "{id}", "opinions.doc-0000")
		if w := hget(t, s.Handler(), target); w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed {
			t.Errorf("described path %s: GET %s answered %d", p, target, w.Code)
		}
	}
	served := s.apiRoutes()
	for _, rt := range served {
		if _, ok := spec.Paths[rt.path]; !ok {
			t.Errorf("served path %s is not described", rt.path)
		}
	}
	if len(spec.Paths) != len(served) || len(served) < 8 {
		t.Errorf("description has %d paths, the server %d", len(spec.Paths), len(served))
	}
}
