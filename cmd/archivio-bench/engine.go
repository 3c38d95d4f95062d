package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// engine is one search engine under test. The bench drives each one in a
// child process: Index in one, Handler (served on loopback) in another.
type engine interface {
	// Index adds every document of the corpus folder to a new index.
	Index(ctx context.Context, corpusDir string) (indexStats, error)
	// Handler serves GET /api/search?q=&language=&size=.
	Handler() (http.Handler, error)
	Close() error
}

// engineNames are the engines the bench measures by default, in report order.
var engineNames = []string{"archivio", "fts5", "bleve-default"}

// engineOptions tune an engine for experiments; zero values are defaults.
type engineOptions struct {
	BatchSize int // archivio: indexer.Config.BatchSize
	Workers   int // archivio: indexer.Config.Workers
}

// openEngine creates or opens the named engine's index in dir. Besides
// engineNames it knows two experiments: "bleve-unsafe-batch", bleve-default
// with scorch's unsafe_batch, which does not wait for each batch to be
// persisted, and "bleve-2writers", bleve-default with two goroutines
// calling Batch at once; and "floor-<duration>" (see floorEngine).
func openEngine(ctx context.Context, name, dir string, opt engineOptions, logger *slog.Logger) (engine, error) {
	switch name {
	case "archivio":
		return openArchivio(ctx, dir, opt, logger)
	case "fts5":
		return openFTS(ctx, dir)
	case "bleve-default":
		return openBleveDefault(ctx, dir, false)
	case "bleve-unsafe-batch":
		return openBleveDefault(ctx, dir, true)
	case "bleve-2writers":
		e, err := openBleveDefault(ctx, dir, false)
		if err != nil {
			return nil, err
		}
		e.writers = 2
		return e, nil
	}
	if strings.HasPrefix(name, floorPrefix) {
		return openFloor(name)
	}
	return nil, fmt.Errorf("unknown engine %q (want one of %s, or %s<duration>)", name, strings.Join(engineNames, ", "), floorPrefix)
}

// indexStats is what one indexing run measured.
type indexStats struct {
	Docs       int     `json:"docs"`
	Seconds    float64 `json:"seconds"`     // from opening the empty index to closing it (set by the indexing child)
	CPUSeconds float64 `json:"cpu_seconds"` // user+system time of the indexing process
	PeakRSSKB  int64   `json:"peak_rss_kb"`
	IndexBytes int64   `json:"index_bytes"`
	// Runs are the times of every run when the bench indexed more than once.
	Runs []float64 `json:"runs,omitempty"`
	// Load is the machine's 1-minute load average before and after.
	Load [2]float64 `json:"load"`
}

// searchRequest is one query of the mix.
type searchRequest struct {
	Text     string
	Language string // facet filter; empty for none
	Size     int
}

// searchResult is the JSON the baseline engines answer with; it has the
// fields of Archivio's /api/search that the bench reads.
type searchResult struct {
	Total  uint64                  `json:"total"`
	Hits   []searchHit             `json:"hits"`
	Facets map[string][]facetValue `json:"facets"`
}

type searchHit struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Date     string   `json:"date,omitempty"`
	Language string   `json:"language"`
	Score    float64  `json:"score"`
	Snippets []string `json:"snippets"`
}

type facetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// benchQuery is one query of the fixed mix.
type benchQuery struct {
	Text     string
	Language string // language facet filter, or empty
	Kind     string // what the query exercises, for the report
}

// queryMix is the fixed list of queries, run in this order by every client.
// Rare and common single terms, two and three terms, phrases, in English and
// Italian, some with a language filter. Every query asks for snippets and
// facets (Archivio and the baselines always return both).
func queryMix() []benchQuery {
	return []benchQuery{
		{Text: "fisheries", Kind: "term"},
		{Text: "parliament", Kind: "common term"},
		{Text: "Barents", Kind: "rare term"},
		{Text: "human rights", Kind: "two terms"},
		{Text: `"common agricultural policy"`, Kind: "phrase"},
		{Text: "tobacco advertising", Kind: "two terms"},
		{Text: "euro", Language: "en", Kind: "term + filter"},
		{Text: "enlargement candidate countries", Kind: "three terms"},
		{Text: `"food safety"`, Language: "en", Kind: "phrase + filter"},
		{Text: "Kosovo", Kind: "term (both languages)"},
		{Text: "pesca", Kind: "term"},
		{Text: "parlamento", Kind: "common term"},
		{Text: "Ponnambalam", Kind: "rare term"},
		{Text: "diritti umani", Kind: "two terms"},
		{Text: `"politica agricola comune"`, Kind: "phrase"},
		{Text: "allargamento", Language: "it", Kind: "term + filter"},
		{Text: "pubblicità tabacco", Kind: "two terms"},
		{Text: `"sicurezza alimentare"`, Language: "it", Kind: "phrase + filter"},
		{Text: "occupazione", Kind: "term"},
		{Text: "mucca pazza", Language: "it", Kind: "two terms + filter"},
	}
}

// size is the page size of every query.
const querySize = 10

// path is the query's /api/search URL path and query string.
func (q benchQuery) path() string {
	v := url.Values{}
	v.Set("q", q.Text)
	v.Set("size", strconv.Itoa(querySize))
	if q.Language != "" {
		v.Set("language", q.Language)
	}
	return "/api/search?" + v.Encode()
}

// label names the query in the report.
func (q benchQuery) label() string {
	if q.Language != "" {
		return q.Text + " [" + q.Language + "]"
	}
	return q.Text
}

// queryPart is a word or a quoted phrase of a query.
type queryPart struct {
	Text   string
	Phrase bool
}

// splitQuery splits what a user typed into words and "quoted phrases".
func splitQuery(s string) []queryPart {
	var parts []queryPart
	for i, seg := range strings.Split(s, `"`) {
		if i%2 == 1 {
			if t := strings.Join(strings.Fields(seg), " "); t != "" {
				parts = append(parts, queryPart{Text: t, Phrase: strings.Contains(t, " ")})
			}
			continue
		}
		for _, w := range strings.Fields(seg) {
			parts = append(parts, queryPart{Text: w})
		}
	}
	return parts
}

// apiHandler serves a baseline engine with the shape of Archivio's
// /api/search, so that all engines go through the same HTTP driver.
// searcher is a baseline engine: the bench serves its Search through apiHandler.
type searcher interface {
	// Search runs one query with highlighting and facets.
	Search(ctx context.Context, q searchRequest) (searchResult, error)
}

func apiHandler(e searcher) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/search", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		size, _ := strconv.Atoi(q.Get("size"))
		if size <= 0 || size > 100 {
			size = 10
		}
		res, err := e.Search(r.Context(), searchRequest{Text: q.Get("q"), Language: q.Get("language"), Size: size})
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(res)
	})
	return mux
}

// corpusDoc is one generated document as the baselines read it.
type corpusDoc struct {
	ID, Title, Date, Lang, Body string
}

// walkCorpus reads every Markdown file under dir and sends it to fn, with the
// front matter the generator writes (title, date, language) split off.
func walkCorpus(ctx context.Context, dir string, fn func(corpusDoc) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() || filepath.Ext(p) != ".md" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		doc, err := parseGenerated(filepath.ToSlash(rel), string(b))
		if err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		return fn(doc)
	})
}

// parseGenerated splits a generated document into its fields.
func parseGenerated(rel, text string) (corpusDoc, error) {
	doc := corpusDoc{ID: strings.TrimSuffix(rel, ".md")}
	if !strings.HasPrefix(text, "---\n") {
		return doc, errors.New("no front matter")
	}
	end := strings.Index(text[4:], "\n---\n")
	if end < 0 {
		return doc, errors.New("front matter not closed")
	}
	sc := bufio.NewScanner(strings.NewReader(text[4 : 4+end]))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			continue
		}
		switch k {
		case "title":
			if s, err := strconv.Unquote(v); err == nil {
				v = s
			}
			doc.Title = v
		case "date":
			doc.Date = v
		case "language":
			doc.Lang = v
		}
	}
	doc.Body = text[4+end+5:]
	return doc, nil
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}
