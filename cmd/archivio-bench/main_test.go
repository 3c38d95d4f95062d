package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/archivio/archivio/indexer"
)

// fixtureSessions are the sittings of the test archives: 3 sessions of 30
// aligned lines, with agenda lines at 0 and 15.
var fixtureSessions = []string{"ep-96-04-15", "ep-00-01-17", "ep-01-05-02"}

// fixtureLine is line i of a sitting in one language, Moses-tokenised.
func fixtureLine(lang, sess string, i int) string {
	switch {
	case i == 0 && lang == "en":
		return "Resumption of the session "
	case i == 0:
		return "Ripresa della sessione "
	case i == 15 && lang == "en":
		return "Common fisheries policy "
	case i == 15:
		return "Politica comune della pesca "
	case lang == "en":
		return fmt.Sprintf("Sentence %d of %s : Parliament 's view on fisheries ( and quotas ) is \" clear \" . ", i, sess)
	default:
		return fmt.Sprintf("Frase %d di %s : l ' Unione e la pesca ( e le quote ) sono \" chiare \" . ", i, sess)
	}
}

// writeFixture writes europarl-en.tar.gz and europarl-it.tar.gz into dir.
func writeFixture(t *testing.T, dir string) {
	t.Helper()
	for _, lang := range []string{"en", "it"} {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		for _, s := range fixtureSessions {
			var b strings.Builder
			for i := range 30 {
				b.WriteString(fixtureLine(lang, s, i) + "\n")
			}
			if err := tw.WriteHeader(&tar.Header{Name: lang + "/" + s + ".al", Mode: 0o644, Size: int64(b.Len()), Typeflag: tar.TypeReg}); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(b.String())); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "europarl-"+lang+".tar.gz"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGenerateCorpus(t *testing.T) {
	ctx := context.Background()
	data, work := t.TempDir(), t.TempDir()
	writeFixture(t, data)
	ss, err := readEuroparl(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 3 {
		t.Fatalf("readEuroparl: %d sittings, want 3", len(ss))
	}
	if got, want := ss[0].Date, "1996-04-15"; got != want {
		t.Errorf("first sitting date = %q, want %q", got, want)
	}
	// 3 chunks per sitting and language give 18 documents; 14 lines is the
	// largest size that still makes 3 chunks of 30 lines.
	n, err := chooseChunkLines(ss, 18)
	if err != nil || n != 14 {
		t.Fatalf("chooseChunkLines(18) = %d, %v; want 14", n, err)
	}
	if _, err := chooseChunkLines(ss, 181); err == nil {
		t.Errorf("chooseChunkLines(181) with 180 lines: no error")
	}

	loads := 0
	load := func() ([]session, error) { loads++; return ss, nil }
	logger := slog.New(slog.DiscardHandler)
	info, err := ensureCorpus(ctx, logger, load, work, 18, 0, 18)
	if err != nil {
		t.Fatal(err)
	}
	if info.Docs != 18 || info.PerLang.EN != 9 || info.PerLang.IT != 9 || info.ChunkLines != 14 || info.Sessions != 3 {
		t.Errorf("corpus info = %+v, want 18 docs, 9 EN, 9 IT, 14 lines, 3 sittings", info)
	}
	dir := corpusDir(work, 18)
	if got, err := countFiles(dir); err != nil || got != 18 {
		t.Errorf("files in %s = %d, %v; want 18", dir, got, err)
	}

	// The second chunk of the English 2000-01-17 sitting: lines 10..19,
	// whose first agenda line is line 15.
	b, err := os.ReadFile(filepath.Join(dir, "en", "ep-00-01-17", "002.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	wantFM := "---\ntitle: \"Common fisheries policy — Europarl sitting 2000-01-17, part 2\"\ndate: 2000-01-17\nlanguage: en\nkind: page\ntags: [europarl]\n---\n"
	if !strings.HasPrefix(text, wantFM) {
		t.Errorf("front matter:\n%s\nwant prefix:\n%s", text[:min(len(text), 300)], wantFM)
	}
	for _, want := range []string{
		"\nSentence 10 of ep-00-01-17: Parliament's view on fisheries (and quotas) is \"clear\".\n",
		"\n## Common fisheries policy\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("002.md does not contain %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Sentence 9 ") || strings.Contains(text, "Sentence 20 ") {
		t.Errorf("002.md holds lines outside 10..19:\n%s", text)
	}
	// A chunk with no agenda line of its own takes the one in force.
	b, err = os.ReadFile(filepath.Join(dir, "it", "ep-00-01-17", "003.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "title: \"Politica comune della pesca — Europarl sitting 2000-01-17, part 3\"\n"; !strings.Contains(string(b), want) {
		t.Errorf("it 003.md does not contain %q:\n%s", want, b)
	}
	if want := "\nFrase 25 di ep-00-01-17: l'Unione e la pesca (e le quote) sono \"chiare\".\n"; !strings.Contains(string(b), want) {
		t.Errorf("it 003.md does not contain %q:\n%s", want, b)
	}

	// Archivio reads the generated file with the front matter's fields.
	docs, err := indexer.Parse("it/ep-00-01-17/003.md", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[0]; d.Language != "it" || d.Date != "2000-01-17" || d.Kind != indexer.KindPage || !strings.HasPrefix(d.Title, "Politica comune della pesca") {
		t.Errorf("indexer.Parse: language %q date %q kind %q title %q", d.Language, d.Date, d.Kind, d.Title)
	}

	// The corpus is reused without reading the data again.
	if _, err := ensureCorpus(ctx, logger, func() ([]session, error) { return nil, errors.New("must not load") }, work, 18, 0, 18); err != nil {
		t.Errorf("reuse: %v", err)
	}
	// A smaller corpus has documents of the same size, from fewer sittings.
	small, err := ensureCorpus(ctx, logger, load, work, 7, 0, 18)
	if err != nil {
		t.Fatal(err)
	}
	if small.Docs != 7 || small.ChunkLines != 14 || small.Sessions != 2 || small.PerLang.EN != 4 || small.PerLang.IT != 3 {
		t.Errorf("small corpus = %+v, want 7 docs (4 EN, 3 IT) of 14 lines from 2 sittings", small)
	}
	if got, err := countFiles(corpusDir(work, 7)); err != nil || got != 7 {
		t.Errorf("files in corpus-7 = %d, %v; want 7", got, err)
	}
	// Asked for alone, 7 documents get a chunk size of their own: the
	// corpus written for the 18-document chunk size is not reused.
	loads = 0
	alone, err := ensureCorpus(ctx, logger, load, work, 7, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	if loads != 1 || alone.Target != 7 || alone.ChunkLines == small.ChunkLines {
		t.Errorf("corpus of 7 for 7: loads %d, %+v; want it written again with its own chunk size (not %d)", loads, alone, small.ChunkLines)
	}
}

func TestDetokenize(t *testing.T) {
	tests := []struct {
		lang, in, want string
	}{
		{"en", "Parliament 's view .", "Parliament's view."},
		{"en", "I don 't know , Mr Evans ?", "I don't know, Mr Evans?"},
		{"en", "the dreaded ' millennium bug ' failed", "the dreaded 'millennium bug' failed"},
		{"en", "the farmers ' incomes", "the farmers' incomes"},
		{"en", "( The House rose )", "(The House rose)"},
		{"en", "a \" clear \" answer : yes ; 10 %", "a \"clear\" answer: yes; 10%"},
		{"it", "una mozione d ' ordine .", "una mozione d'ordine."},
		{"it", "dell ' Unione e trent ' anni", "dell'Unione e trent'anni"},
		{"it", "E ' ovvio", "E' ovvio"},
		{"it", "un po ' di tempo", "un po' di tempo"},
		{"en", "part - session", "part - session"},
	}
	for _, tc := range tests {
		if got := detokenize(tc.lang, tc.in); got != tc.want {
			t.Errorf("detokenize(%q, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

func TestSessionDate(t *testing.T) {
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"ep-00-01-17", "2000-01-17", true},
		{"ep-96-04-15", "1996-04-15", true},
		{"ep-01-13-01", "", false},
		{"notes", "", false},
	}
	for _, tc := range tests {
		got, ok := sessionDate(tc.name)
		if got != tc.want || ok != tc.ok {
			t.Errorf("sessionDate(%q) = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // 100ms down to 1ms, unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{50, 50 * time.Millisecond},
		{95, 95 * time.Millisecond},
		{99, 99 * time.Millisecond},
		{100, 100 * time.Millisecond},
		{0.1, 1 * time.Millisecond},
	}
	for _, tc := range tests {
		if got := percentile(ds, tc.p); got != tc.want {
			t.Errorf("percentile(1..100ms, %v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Errorf("percentile sorted its input")
	}
	// Nearest rank on few values: p95 of 3 values is the largest.
	three := []time.Duration{3, 1, 2}
	if got := percentile(three, 95); got != 3 {
		t.Errorf("percentile({3,1,2}, 95) = %v, want 3", got)
	}
	if got := percentile(three, 50); got != 2 {
		t.Errorf("percentile({3,1,2}, 50) = %v, want 2", got)
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil) = %v, want 0", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median(4,1,3,2) = %v, want 2.5", got)
	}
	ms := medianStats([]passStats{{P50: 3, Throughput: 10, Requests: 5}, {P50: 1, Throughput: 30, Requests: 5}, {P50: 2, Throughput: 20, Requests: 5, Errors: 1}})
	if ms.P50 != 2 || ms.Throughput != 20 || ms.Requests != 15 || ms.Errors != 1 {
		t.Errorf("medianStats = %+v, want P50 2, 20 req/s, 15 requests, 1 error", ms)
	}
}

func TestParseProcStatus(t *testing.T) {
	in := "Name:\tarchivio-bench\nVmPeak:\t  900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t   65432 kB\nRssAnon:\t   40000 kB\nRssFile:\t   25000 kB\nThreads:\t4\n"
	m, err := parseProcStatus(bufio.NewScanner(strings.NewReader(in)))
	if err != nil || m.HWMKB != 123456 || m.RSSKB != 65432 || m.AnonKB != 40000 || m.FileKB != 25000 {
		t.Errorf("parseProcStatus = %+v, %v; want HWM 123456, RSS 65432, anon 40000, file 25000", m, err)
	}
	if _, err := parseProcStatus(bufio.NewScanner(strings.NewReader("Name:\tx\n"))); err == nil {
		t.Errorf("parseProcStatus without VmRSS: no error")
	}
	if self, err := readProcMemory("self"); err != nil || self.RSSKB <= 0 || self.HWMKB < self.RSSKB {
		t.Errorf("readProcMemory(self) = %+v, %v", self, err)
	}
}

func TestQuerySyntax(t *testing.T) {
	tests := []struct {
		text, lang, fts, bleve string
	}{
		{"fisheries", "", `"fisheries"`, `+fisheries`},
		{"human rights", "en", `"human" AND "rights"`, `+human +rights +lang:en`},
		{`"common agricultural policy" reform`, "", `"common agricultural policy" AND "reform"`, `+"common agricultural policy" +reform`},
		{`pubblicità OR x-y`, "it", `"pubblicità" AND "OR" AND "x-y"`, `+pubblicità +OR +x\-y +lang:it`},
	}
	for _, tc := range tests {
		if got := ftsMatch(tc.text); got != tc.fts {
			t.Errorf("ftsMatch(%q) = %q, want %q", tc.text, got, tc.fts)
		}
		if got := bleveQueryString(searchRequest{Text: tc.text, Language: tc.lang}); got != tc.bleve {
			t.Errorf("bleveQueryString(%q, %q) = %q, want %q", tc.text, tc.lang, got, tc.bleve)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"} {
		if err := checkLoopback(u); err != nil {
			t.Errorf("checkLoopback(%q) = %v, want nil", u, err)
		}
	}
	for _, u := range []string{"http://10.0.0.1:80", "http://example.org"} {
		if err := checkLoopback(u); err == nil {
			t.Errorf("checkLoopback(%q) = nil, want an error", u)
		}
	}
}

// TestEngines indexes the fixture corpus with every engine and runs the
// same queries through each one's HTTP handler.
func TestEngines(t *testing.T) {
	ctx := context.Background()
	data, work := t.TempDir(), t.TempDir()
	writeFixture(t, data)
	ss, err := readEuroparl(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	if _, err := ensureCorpus(ctx, logger, func() ([]session, error) { return ss, nil }, work, 18, 0, 18); err != nil {
		t.Fatal(err)
	}
	queries := []struct {
		q, lang  string
		total    uint64
		snippets bool
	}{
		{q: "fisheries", total: 9, snippets: true},         // every English chunk
		{q: "pesca", lang: "it", total: 9, snippets: true}, // every Italian chunk
		// Per sitting, chunk 2 holds the agenda line and chunk 3 has it as title.
		{q: `"common fisheries policy"`, total: 6},
		{q: "quotas", lang: "it", total: 0},
	}
	for _, name := range engineNames {
		t.Run(name, func(t *testing.T) {
			e, err := openEngine(ctx, name, filepath.Join(t.TempDir(), "index"), engineOptions{}, logger)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			st, err := e.Index(ctx, corpusDir(work, 18))
			if err != nil {
				t.Fatal(err)
			}
			if st.Docs != 18 {
				t.Errorf("%s indexed %d documents, want 18", name, st.Docs)
			}
			h, err := e.Handler()
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			client := &http.Client{Timeout: 10 * time.Second}
			for _, q := range queries {
				bq := benchQuery{Text: q.q, Language: q.lang}
				res, err := fetchResult(ctx, client, srv.URL+bq.path())
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != q.total {
					t.Errorf("%s %s: total %d, want %d", name, bq.label(), res.Total, q.total)
				}
				if q.snippets && (len(res.Hits) == 0 || len(res.Hits[0].Snippets) == 0 || !strings.Contains(res.Hits[0].Snippets[0], "<mark>")) {
					t.Errorf("%s %s: no highlighted snippet in %+v", name, bq.label(), res.Hits)
				}
				if q.q == "fisheries" {
					if got := facetCount(res, "language", "en"); got != 9 {
						t.Errorf("%s %s: language facet en = %d, want 9 (facets %v)", name, bq.label(), got, res.Facets)
					}
					if got := facetCount(res, "year", "2000"); got != 3 {
						t.Errorf("%s %s: year facet 2000 = %d, want 3 (facets %v)", name, bq.label(), got, res.Facets)
					}
				}
				for _, h := range res.Hits {
					if q.lang != "" && h.Language != q.lang {
						t.Errorf("%s %s: hit %s in language %q", name, bq.label(), h.ID, h.Language)
					}
				}
			}
		})
	}
}

func facetCount(res searchResult, facet, value string) int {
	for _, v := range res.Facets[facet] {
		if v.Value == value {
			return v.Count
		}
	}
	return -1
}

func TestParseProcStat(t *testing.T) {
	// Fields 14 and 15 (utime 250, stime 50 ticks) after a name with spaces.
	in := "1234 (archivio bench) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 4 0 100 0 0"
	got, err := parseProcStat(in)
	if err != nil || got != 3*time.Second {
		t.Errorf("parseProcStat = %v, %v; want 3s", got, err)
	}
	if _, err := parseProcStat("garbage"); err == nil {
		t.Errorf("parseProcStat(garbage): no error")
	}
	if _, err := readProcCPU("self"); err != nil {
		t.Errorf("readProcCPU(self): %v", err)
	}
}

func TestEmptyChunksSkipped(t *testing.T) {
	// 6 aligned lines; lines 2 and 3 are blank in Italian only, so with
	// chunks of 2 lines the middle chunk has no Italian text.
	s := session{Name: "ep-00-01-17", Date: "2000-01-17", Lines: map[string][]string{
		"en": {"Agenda", "One .", "Two .", "Three .", "Four .", "Five ."},
		"it": {"Ordine del giorno", "Uno .", "", " ", "Quattro .", "Cinque ."},
	}}
	if got := totalDocs([]session{s}, 2); got != 4 {
		t.Errorf("totalDocs = %d, want 4 (the blank chunk left out in both languages)", got)
	}
	dir := t.TempDir()
	info, err := writeCorpus(context.Background(), []session{s}, dir, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	if info.Docs != 4 {
		t.Errorf("writeCorpus wrote %d documents, want 4", info.Docs)
	}
	// The parts are numbered without a gap: 001 and 002 (lines 4-5).
	b, err := os.ReadFile(filepath.Join(dir, "it", "ep-00-01-17", "002.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Quattro.") || !strings.Contains(string(b), "part 2\"") {
		t.Errorf("it 002.md:\n%s", b)
	}
}

func TestFloorEngine(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"floor-2ms", true},
		{"floor-500us", true},
		{"floor-0ms", false},
		{"floor-2s", false},
		{"floor-fast", false},
		{"floor-", false},
	} {
		e, err := openEngine(context.Background(), tc.name, t.TempDir(), engineOptions{}, nil)
		if (err == nil) != tc.ok {
			t.Errorf("openEngine(%q) error = %v, want ok %v", tc.name, err, tc.ok)
			continue
		}
		if err != nil {
			continue
		}
		fe := e.(*floorEngine)
		res, err := fe.Search(context.Background(), searchRequest{Text: "x", Size: 10})
		if err != nil || res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("%s: Search = %+v, %v; want an empty result", tc.name, res, err)
		}
		if fe.iters <= 0 {
			t.Errorf("%s: calibrated to %d iterations", tc.name, fe.iters)
		}
	}
}
