package site

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/archivio/archivio/indexer"
)

var hLoadFlag = flag.Bool("load", false, "run the 60-second load test with corpus churn (also ARCHIVIO_LOAD_TEST=1)")

// TestLoadWithChurn runs 32 clients searching and reading documents (API
// and web pages) over loopback while another goroutine adds, edits and
// deletes corpus files on disk, which the real watcher (fsnotify) takes in.
// No answer may be a 5xx, and at the end the index must hold exactly the corpus. It runs 5 s by default and
// 60 s with -load or ARCHIVIO_LOAD_TEST=1.
func TestLoadWithChurn(t *testing.T) {
	duration := 5 * time.Second
	if *hLoadFlag || os.Getenv("ARCHIVIO_LOAD_TEST") == "1" {
		duration = 60 * time.Second
	} else if testing.Short() {
		t.Skip("load test")
	}
	const clients = 32
	ctx := context.Background()
	dir := t.TempDir()
	corpusDir := filepath.Join(dir, "corpus")
	files := map[string][]byte{}
	for name, f := range hCorpus(300, 11) {
		files[name] = f.Data
	}
	for name, b := range files {
		hWriteFile(t, filepath.Join(corpusDir, name), b)
	}
	fsys := os.DirFS(corpusDir)
	ix, err := indexer.Open(ctx, indexer.Config{Path: filepath.Join(dir, "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The watcher syncs the corpus, then applies every change made on disk.
	wctx, stopWatching := context.WithCancel(ctx)
	synced := make(chan error, 1)
	var applied atomic.Int64
	watched := make(chan error, 1)
	go func() {
		watched <- indexer.Watch(wctx, indexer.WatchConfig{Dir: corpusDir,
			Synced:  func(_ indexer.Summary, err error) { synced <- err },
			Applied: func(paths []string, _ indexer.Summary, _ error) { applied.Add(int64(len(paths))) },
		}, ix)
	}()
	defer func() {
		stopWatching()
		<-watched
	}()
	if err := <-synced; err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler()) // loopback only
	defer srv.Close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}

	stop := make(chan struct{})
	var (
		mu        sync.Mutex
		latencies []time.Duration
		byStatus  = map[int]int{}
		failures  []string
	)
	record := func(d time.Duration, status int, what string) {
		mu.Lock()
		defer mu.Unlock()
		latencies = append(latencies, d)
		byStatus[status]++
		if status >= 500 && len(failures) < 20 {
			failures = append(failures, fmt.Sprintf("%d %s", status, what))
		}
	}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 99))
			var ids []string
			for {
				select {
				case <-stop:
					return
				default:
				}
				var target string
				switch n := rng.IntN(10); {
				case n < 6:
					q := hWords[rng.IntN(len(hWords))]
					if rng.IntN(3) == 0 {
						q += " " + hWords[rng.IntN(len(hWords))]
					}
					if rng.IntN(5) == 0 {
						q = q[:3] + "*"
					}
					target = "/api/search?q=" + url.QueryEscape(q)
					if rng.IntN(3) == 0 {
						target = "/search?q=" + url.QueryEscape(q) // the web page
					}
				case n < 8 && len(ids) > 0:
					target = "/api/documents/" + url.PathEscape(ids[rng.IntN(len(ids))])
					if rng.IntN(3) == 0 {
						target = "/documents/" + url.PathEscape(ids[rng.IntN(len(ids))])
					}
				case n < 9:
					target = fmt.Sprintf("/api/documents?kind=%s&page=%d", []string{"opinion", "factsheet", "page"}[rng.IntN(3)], 1+rng.IntN(5))
				default:
					target = "/api/files?state=failed"
				}
				start := time.Now()
				resp, err := client.Get(srv.URL + target)
				if err != nil {
					record(time.Since(start), 599, target+": "+err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if err != nil {
					record(d, 598, target+": "+err.Error())
					continue
				}
				record(d, resp.StatusCode, target+": "+string(body))
				if strings.HasPrefix(target, "/api/search") && resp.StatusCode == http.StatusOK {
					var res struct {
						Hits []struct {
							ID string `json:"id"`
						} `json:"hits"`
					}
					if json.Unmarshal(body, &res) == nil {
						ids = ids[:0]
						for _, h := range res.Hits {
							ids = append(ids, h.ID)
						}
					}
				}
			}
		}()
	}

	// Churn: add, edit and delete files on disk; the watcher takes them in.
	var churnOps atomic.Int64
	churnDone := make(chan struct{})
	go func() {
		defer close(churnDone)
		rng := rand.New(rand.NewPCG(7, 7))
		next := 0
		for {
			select {
			case <-stop:
				return
			default:
			}
			names := make([]string, 0, len(files))
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)
			var name string
			switch op := rng.IntN(3); {
			case op == 0 || len(names) < 50: // add
				name = fmt.Sprintf("new/batch-%d/doc-%05d.md", next%7, next)
				next++
				files[name] = hChurnDoc(name, 0)
				if err := hWriteFileErr(filepath.Join(corpusDir, name), files[name]); err != nil {
					t.Error(err)
				}
			case op == 1: // edit
				name = names[rng.IntN(len(names))]
				files[name] = hChurnDoc(name, rng.IntN(1000)+1)
				if err := hWriteFileErr(filepath.Join(corpusDir, name), files[name]); err != nil {
					t.Error(err)
				}
			default: // delete
				name = names[rng.IntN(len(names))]
				delete(files, name)
				if err := os.Remove(filepath.Join(corpusDir, name)); err != nil {
					t.Error(err)
				}
			}
			churnOps.Add(1)
			time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
		}
	}()

	start := time.Now()
	time.Sleep(duration)
	close(stop)
	wg.Wait()
	<-churnDone
	elapsed := time.Since(start)

	mu.Lock()
	n := len(latencies)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(n-1, int(float64(n)*p))] }
	t.Logf("%d clients for %s: %d requests (%.0f/s), p50 %s, p95 %s, p99 %s, max %s; statuses %v; %d corpus changes applied (%.1f/s)",
		clients, elapsed.Round(time.Millisecond), n, float64(n)/elapsed.Seconds(), pct(0.50), pct(0.95), pct(0.99), latencies[n-1],
		byStatus, churnOps.Load(), float64(churnOps.Load())/elapsed.Seconds())
	for status, count := range byStatus {
		if status >= 500 {
			t.Errorf("%d answers with status %d; first failures:\n%s", count, status, strings.Join(failures, "\n"))
		}
	}
	mu.Unlock()
	if n < clients {
		t.Errorf("only %d requests in %s", n, elapsed)
	}

	// Once the watcher has caught up, the index holds exactly the corpus.
	deadline := time.Now().Add(30 * time.Second)
	for !hIndexMatches(ctx, ix, files) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the watcher applied %d changed paths", applied.Load())
	rs, err := ix.Receipts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(files) {
		t.Errorf("%d receipts for %d corpus files", len(rs), len(files))
	}
	for _, r := range rs {
		b, ok := files[r.File]
		if !ok {
			t.Errorf("receipt for %s, which is not in the corpus", r.File)
			continue
		}
		if r.State != indexer.StateArchived || len(r.Documents) != 1 {
			t.Errorf("%s: state %s (%s), %d documents; want archived with 1", r.File, r.State, r.Error, len(r.Documents))
			continue
		}
		d, err := ix.Doc(ctx, r.Documents[0])
		if err != nil {
			t.Errorf("%s: document %s: %v", r.File, r.Documents[0], err)
			continue
		}
		if want := hTitleOf(b); d.Title != want {
			t.Errorf("%s: indexed title %q, file says %q", r.File, d.Title, want)
		}
	}
	if count, err := ix.Count(ctx); err != nil || count != uint64(len(files)) {
		t.Errorf("index counts %d documents (err %v), corpus has %d files", count, err, len(files))
	}
	sum, err := ix.Sync(ctx, fsys)
	if err != nil || sum.Added+sum.Updated+sum.Removed+sum.Failed != 0 {
		t.Errorf("a full Sync after the churn still had work: %+v, %v", sum, err)
	}
}

// churnDoc is the content of a churned corpus file; version 0 is new.
func hChurnDoc(name string, version int) []byte {
	base := strings.TrimSuffix(path.Base(name), ".md")
	return fmt.Appendf(nil, "---\ntitle: \"Churned %s version %d\"\nkind: page\nlanguage: en\ndate: 2025-01-%02d\n---\n"+
		"Digital public services changed, %s version %d, with open data and transparency.\n", base, version, 1+version%28, base, version)
}

// titleOf reads the title from a file's front matter.
func hTitleOf(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "title: "); ok {
			var s string
			if json.Unmarshal([]byte(v), &s) == nil {
				return s
			}
			return v
		}
	}
	return ""
}

func hWriteFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := hWriteFileErr(p, b); err != nil {
		t.Fatal(err)
	}
}

func hWriteFileErr(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// hIndexMatches reports whether the index holds one archived document per
// corpus file, with the file's current title.
func hIndexMatches(ctx context.Context, ix *indexer.Index, files map[string][]byte) bool {
	rs, err := ix.Receipts(ctx)
	if err != nil || len(rs) != len(files) {
		return false
	}
	for _, r := range rs {
		b, ok := files[r.File]
		if !ok || r.State != indexer.StateArchived || len(r.Documents) != 1 {
			return false
		}
		d, err := ix.Doc(ctx, r.Documents[0])
		if err != nil || d.Title != hTitleOf(b) {
			return false
		}
	}
	return true
}
