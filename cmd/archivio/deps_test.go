package main

import (
	"encoding/json"
	"os/exec"
	"testing"
)

// allowedModules are the modules Archivio requires directly, each with the
// reason it earns its place. A new dependency must be added here on purpose.
var allowedModules = map[string]string{
	"github.com/blevesearch/bleve/v2":          "the full-text index (design card)",
	"github.com/blevesearch/bleve_index_api":   "bleve's reader interfaces: searches run their own collector, receipts are read by walking postings",
	"github.com/RoaringBitmap/roaring/v2":      "bitmaps of matching documents for facet counts (already used by bleve itself)",
	"github.com/golang/snappy":                 "compresses the document store's records (already used by bleve's segments)",
	"github.com/yuin/goldmark":                 "Markdown rendering of document bodies (design card)",
	"github.com/gorilla/mux":                   "HTTP routing (design card)",
	"github.com/fsnotify/fsnotify":             "watching corpus/ for dropped files",
	"gopkg.in/yaml.v3":                         "front matter and sidecar metadata",
	"golang.org/x/text":                        "Windows-1252 and UTF-16 decoding",
	"golang.org/x/net":                         "HTML parsing for HTML corpus files, and the character set a page declares",
	"golang.org/x/time":                        "per-client rate limiting",
	"golang.org/x/sys":                         "the index lock on Windows (LockFileEx)",
	"github.com/ledongthuc/pdf":                "pure-Go PDF text extraction",
	"github.com/klauspost/compress":            "gzip responses (gzhttp)",
	"github.com/prometheus/client_golang":      "/metrics",
	"github.com/chromedp/chromedp":             "tests only: driving headless Chromium",
	"github.com/santhosh-tekuri/jsonschema/v6": "tests only: checking responses against the OpenAPI schemas",
	"modernc.org/sqlite":                       "benchmark only: SQLite FTS5 as the peer engine",
}

func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "mod", "edit", "-json").Output()
	if err != nil {
		t.Skipf("go mod edit: %v", err)
	}
	var mod struct {
		Require []struct {
			Path     string
			Indirect bool
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	direct := map[string]bool{}
	for _, r := range mod.Require {
		if r.Indirect {
			continue
		}
		direct[r.Path] = true
		if _, ok := allowedModules[r.Path]; !ok {
			t.Errorf("go.mod requires %s, which is not in allowedModules: add it with the reason it is needed", r.Path)
		}
	}
	for path := range allowedModules {
		if !direct[path] {
			t.Errorf("allowedModules lists %s, which go.mod does not require directly: remove it", path)
		}
	}
}
