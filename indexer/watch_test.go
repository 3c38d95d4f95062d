package indexer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/archivio/archivio/indexer"
	"github.com/archivio/archivio/site"
)

// waitLimit bounds every wait for the watcher; the tests poll the API until
// the expected outcome shows or this passes.
const waitLimit = 10 * time.Second

// live is a watched corpus served over HTTP on loopback.
type live struct {
	t      testing.TB
	corpus string
	url    string
	ix     *indexer.Index

	mu      sync.Mutex
	applied [][]string // paths of each update the watcher made
	onApply func(paths []string)
}

// startLive opens an index of a new corpus folder, watches it and serves it.
// prepare, if set, fills the corpus before the watcher starts.
func startLive(t testing.TB, cfg indexer.WatchConfig, prepare func(corpus string)) *live {
	t.Helper()
	l := &live{t: t, corpus: filepath.Join(t.TempDir(), "corpus")}
	if err := os.Mkdir(l.corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(l.corpus)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ix, err := indexer.Open(ctx, indexer.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	l.ix = ix
	cfg.Dir = l.corpus
	synced := make(chan error, 1)
	cfg.Synced = func(_ indexer.Summary, err error) { synced <- err }
	cfg.Applied = func(paths []string, _ indexer.Summary, _ error) {
		l.mu.Lock()
		l.applied = append(l.applied, paths)
		f := l.onApply
		l.mu.Unlock()
		if f != nil {
			f(paths)
		}
	}
	done := make(chan error, 1)
	go func() { done <- indexer.Watch(ctx, cfg, ix) }()
	srv, err := site.New(site.Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	l.url = ts.URL
	t.Cleanup(func() {
		ts.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch returned %v", err)
		}
		ix.Close()
	})
	select {
	case err := <-synced:
		if err != nil {
			t.Fatalf("first sync: %v", err)
		}
	case err := <-done:
		t.Fatalf("Watch returned before the first sync: %v", err)
	case <-time.After(waitLimit):
		t.Fatal("no first sync")
	}
	return l
}

func (l *live) setOnApply(f func(paths []string)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onApply = f
}

func (l *live) path(rel string) string { return filepath.Join(l.corpus, filepath.FromSlash(rel)) }

// write writes a Markdown document with front matter to the corpus.
func (l *live) write(rel, title, body string) {
	l.t.Helper()
	writeDoc(l.t, l.path(rel), title, body)
}

func writeDoc(t testing.TB, name, title, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(mdDoc(title, body)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mdDoc(title, body string) string {
	return "---\ntitle: " + title + "\nkind: page\n---\n\n" + body + "\n"
}

func (l *live) get(path string, v any) {
	l.t.Helper()
	resp, err := http.Get(l.url + path)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		l.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		l.t.Fatalf("GET %s: %v", path, err)
	}
}

// search returns the ids of the documents /api/search finds for q.
func (l *live) search(q string) []string {
	var res indexer.Results
	l.get("/api/search?size=100&q="+url.QueryEscape(q), &res)
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// files returns the receipts of /api/files by file.
func (l *live) files() map[string]indexer.Receipt {
	var rs []indexer.Receipt
	l.get("/api/files", &rs)
	m := map[string]indexer.Receipt{}
	for _, r := range rs {
		m[r.File] = r
	}
	return m
}

type problem struct {
	File  string `json:"file"`
	Error string `json:"error"`
	Kept  bool   `json:"kept_previous_version"`
}

func (l *live) problems() []problem {
	var ps []problem
	l.get("/api/problems", &ps)
	return ps
}

func (l *live) body(id string) string {
	var d indexer.Document
	l.get("/api/documents/"+url.PathEscape(id), &d)
	return d.Body
}

// waitFor polls until check returns "" (the outcome is there) or fails the
// test with the last thing check said was missing.
func (l *live) waitFor(what string, check func() string) {
	l.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("%s: still %s after %s", what, msg, waitLimit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitSearch waits until /api/search for q finds exactly the documents want.
func (l *live) waitSearch(q string, want ...string) {
	l.t.Helper()
	want = slices.Sorted(slices.Values(want))
	if want == nil {
		want = []string{}
	}
	l.waitFor("search "+q, func() string {
		if got := l.search(q); !slices.Equal(got, want) {
			return fmt.Sprintf("search %q = %v, want %v", q, got, want)
		}
		return ""
	})
}

// waitReceipt waits until the file's receipt has the state ("" = no receipt).
func (l *live) waitReceipt(file, state string) indexer.Receipt {
	l.t.Helper()
	var r indexer.Receipt
	l.waitFor("receipt of "+file, func() string {
		var ok bool
		r, ok = l.files()[file]
		switch {
		case state == "" && ok:
			return fmt.Sprintf("a receipt %s for %s", r.State, file)
		case state != "" && !ok:
			return "no receipt for " + file
		case state != "" && r.State != state:
			return fmt.Sprintf("receipt of %s is %s (%s), want %s", file, r.State, r.Error, state)
		}
		return ""
	})
	return r
}

// docOf returns the one document id in the file's receipt.
func (l *live) docOf(file string) string {
	l.t.Helper()
	r := l.waitReceipt(file, indexer.StateArchived)
	if len(r.Documents) != 1 {
		l.t.Fatalf("receipt of %s has documents %v, want one", file, r.Documents)
	}
	return r.Documents[0]
}

func TestWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("watches real folders")
	}
	t.Run("drop, modify, rename, delete", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{}, nil)
		// Another file stays: an update that would leave no file in the
		// corpus removes nothing (TestCorpusFolderEmptied).
		l.write("stays.md", "Stays", "another text")
		l.write("notes/alpha.md", "Alpha note", "The quokkafern appears here.")
		id := l.docOf("notes/alpha.md")
		l.waitSearch("quokkafern", id)
		if got := l.body(id); !strings.Contains(got, "The quokkafern appears here.") {
			t.Errorf("body of %s = %q", id, got)
		}

		l.write("notes/alpha.md", "Alpha note", "Now the marmotwillow replaces it.")
		l.waitSearch("marmotwillow", id)
		l.waitSearch("quokkafern")

		if err := os.Rename(l.path("notes/alpha.md"), l.path("notes/beta.md")); err != nil {
			t.Fatal(err)
		}
		nid := l.docOf("notes/beta.md")
		l.waitReceipt("notes/alpha.md", "")
		l.waitSearch("marmotwillow", nid)
		if nid == id {
			t.Errorf("renamed file kept id %s", id)
		}

		if err := os.Remove(l.path("notes/beta.md")); err != nil {
			t.Fatal(err)
		}
		l.waitReceipt("notes/beta.md", "")
		l.waitSearch("marmotwillow")
	})

	t.Run("file written slowly", func(t *testing.T) {
		// The writes come 150 ms apart; the delay leaves room for a busy machine.
		l := startLive(t, indexer.WatchConfig{Delay: 500 * time.Millisecond}, nil)
		// Every update that touches the file must find it complete.
		var mu sync.Mutex
		var bodies []string
		l.setOnApply(func(paths []string) {
			if !slices.Contains(paths, "slow.md") {
				return
			}
			for _, r := range mustReceipts(t, l.ix) {
				if r.File != "slow.md" {
					continue
				}
				for _, id := range r.Documents {
					d, err := l.ix.Doc(context.Background(), id)
					if err != nil {
						t.Errorf("Doc(%s): %v", id, err)
					}
					mu.Lock()
					bodies = append(bodies, d.Body)
					mu.Unlock()
				}
				if r.State != indexer.StateArchived {
					mu.Lock()
					bodies = append(bodies, "state "+r.State+": "+r.Error)
					mu.Unlock()
				}
			}
		})
		full := mdDoc("Slow file", "piece one gnuolive. piece two. piece three. piece four. piece five lynxbarley.")
		f, err := os.Create(l.path("slow.md"))
		if err != nil {
			t.Fatal(err)
		}
		n := len(full) / 5
		for i := range 5 {
			end := (i + 1) * n
			if i == 4 {
				end = len(full)
			}
			if _, err := f.WriteString(full[i*n : end]); err != nil {
				t.Fatal(err)
			}
			if i < 4 {
				time.Sleep(150 * time.Millisecond)
			}
		}
		f.Close()
		id := l.docOf("slow.md")
		l.waitSearch("lynxbarley", id)
		l.waitSearch("gnuolive", id)
		// The watcher reports an update after it is searchable.
		l.waitFor("the update of slow.md", func() string {
			mu.Lock()
			defer mu.Unlock()
			if len(bodies) == 0 {
				return "no update touched slow.md"
			}
			return ""
		})
		mu.Lock()
		defer mu.Unlock()
		for _, b := range bodies {
			if !strings.Contains(b, "piece one gnuolive.") || !strings.Contains(b, "piece five lynxbarley.") {
				t.Errorf("slow.md was indexed half-written: %q", b)
			}
		}
	})

	t.Run("folder moved in and out", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{}, nil)
		outside := filepath.Join(t.TempDir(), "batch")
		writeDoc(t, filepath.Join(outside, "one.md"), "One", "ibexclover one")
		writeDoc(t, filepath.Join(outside, "deep", "two.md"), "Two", "ibexclover two")
		writeDoc(t, filepath.Join(outside, "deep", "deeper", "three.md"), "Three", "ibexclover three")
		if err := os.Rename(outside, l.path("batch")); err != nil {
			t.Fatal(err)
		}
		ids := []string{l.docOf("batch/one.md"), l.docOf("batch/deep/two.md"), l.docOf("batch/deep/deeper/three.md")}
		l.waitSearch("ibexclover", ids...)

		// The folders moved in are watched.
		l.write("batch/deep/deeper/four.md", "Four", "ibexclover four")
		ids = append(ids, l.docOf("batch/deep/deeper/four.md"))
		l.waitSearch("ibexclover", ids...)

		// Moved within the corpus: same documents under the new path.
		if err := os.Rename(l.path("batch/deep"), l.path("moved")); err != nil {
			t.Fatal(err)
		}
		l.waitReceipt("batch/deep/two.md", "")
		l.waitReceipt("batch/deep/deeper/four.md", "")
		ids = []string{ids[0], l.docOf("moved/two.md"), l.docOf("moved/deeper/three.md"), l.docOf("moved/deeper/four.md")}
		l.waitSearch("ibexclover", ids...)
		l.write("moved/deeper/five.md", "Five", "ibexclover five")
		ids = append(ids, l.docOf("moved/deeper/five.md"))
		l.waitSearch("ibexclover", ids...)

		// Moved out: everything below it leaves the archive, and nothing
		// whose name only starts like it.
		l.write("moved-keep/k.md", "Keep", "keepwordelk one")
		l.write("moved.md", "Keep", "keepwordelk two")
		keep := []string{l.docOf("moved-keep/k.md"), l.docOf("moved.md")}
		if err := os.Rename(l.path("moved"), filepath.Join(t.TempDir(), "gone")); err != nil {
			t.Fatal(err)
		}
		l.waitSearch("ibexclover", ids[0])
		l.waitSearch("keepwordelk", keep...)
		l.waitFor("receipts below moved/", func() string {
			for f := range l.files() {
				if strings.HasPrefix(f, "moved/") {
					return "a receipt for " + f
				}
			}
			return ""
		})
		if err := os.RemoveAll(l.path("batch")); err != nil {
			t.Fatal(err)
		}
		l.waitSearch("ibexclover")
		l.waitFor("only the kept receipts", func() string {
			var got []string
			for f := range l.files() {
				got = append(got, f)
			}
			slices.Sort(got)
			if want := []string{"moved-keep/k.md", "moved.md"}; !slices.Equal(got, want) {
				return fmt.Sprintf("receipts for %v, want %v", got, want)
			}
			return ""
		})
	})

	t.Run("temporary file renamed when done", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{}, nil)
		if err := os.WriteFile(l.path("report.md.part"), []byte(mdDoc("Report", "okapisorrel text")), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{".hidden.md", "~lock.md~", "draft.md.swp", ".DS_Store", "desktop.ini", "x.tmp"} {
			if err := os.WriteFile(l.path(name), []byte(mdDoc("Temp", "okapisorrel temp")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(50 * time.Millisecond)
		if err := os.Rename(l.path("report.md.part"), l.path("report.md")); err != nil {
			t.Fatal(err)
		}
		id := l.docOf("report.md")
		l.waitSearch("okapisorrel", id)
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, paths := range l.applied {
			for _, p := range paths {
				if p != "report.md" {
					t.Errorf("the watcher queued %q", p)
				}
			}
		}
		for f := range l.files() {
			if f != "report.md" {
				t.Errorf("receipt for %s", f)
			}
		}
	})

	t.Run("bad files are reported", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{}, nil)
		if err := os.WriteFile(l.path("empty.md"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(l.path("badmeta.md"), []byte("---\ntitle: Bad\nkind: nonsense\n---\n\ntapirmoss\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(l.path("notes.xyz"), []byte("tapirmoss"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"empty.md", "badmeta.md", "notes.xyz"} {
			r := l.waitReceipt(f, indexer.StateFailed)
			if r.Error == "" || len(r.Documents) != 0 {
				t.Errorf("receipt of %s: error %q, documents %v; want a reason and no documents", f, r.Error, r.Documents)
			}
		}
		l.waitSearch("tapirmoss")
		ps := l.problems()
		var got []string
		for _, p := range ps {
			got = append(got, p.File)
			if p.Kept || p.Error == "" {
				t.Errorf("problem %+v: want a reason and no kept version", p)
			}
		}
		if want := []string{"badmeta.md", "empty.md", "notes.xyz"}; !slices.Equal(got, want) {
			t.Errorf("/api/problems files = %v, want %v", got, want)
		}
		// Fixing a bad file archives it.
		l.write("empty.md", "Not empty", "tapirmoss at last")
		id := l.docOf("empty.md")
		l.waitSearch("tapirmoss", id)
	})

	t.Run("good file turned bad and fixed", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{}, func(corpus string) {
			writeDoc(t, filepath.Join(corpus, "policy.md"), "Policy", "the original vicunaheath wording")
		})
		id := l.docOf("policy.md")
		l.waitSearch("vicunaheath", id)

		if err := os.WriteFile(l.path("policy.md"), []byte("---\ntitle: [unclosed\n---\n\nbroken gazelleyarrow version\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := l.waitReceipt("policy.md", indexer.StateFailed)
		if !slices.Equal(r.Documents, []string{id}) {
			t.Errorf("failed receipt documents = %v, want the kept %v", r.Documents, []string{id})
		}
		ps := l.problems()
		if len(ps) != 1 || ps[0].File != "policy.md" || !ps[0].Kept {
			t.Errorf("/api/problems = %+v, want policy.md with kept_previous_version", ps)
		}
		// The last good version is still served; the bad one is not.
		if got := l.search("vicunaheath"); !slices.Equal(got, []string{id}) {
			t.Errorf("search for the good version = %v, want %v", got, []string{id})
		}
		if got := l.search("gazelleyarrow"); len(got) != 0 {
			t.Errorf("search for the bad version = %v, want nothing", got)
		}

		l.write("policy.md", "Policy", "the fixed oryxthistle wording")
		l.waitReceipt("policy.md", indexer.StateArchived)
		l.waitSearch("oryxthistle", id)
		l.waitSearch("vicunaheath")
		if ps := l.problems(); len(ps) != 0 {
			t.Errorf("/api/problems after the fix = %+v, want none", ps)
		}
	})

	t.Run("duplicate, then its original removed", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{}, nil)
		l.write("a/original.md", "Original", "the elandrush text")
		id := l.docOf("a/original.md")
		l.write("b/copy.md", "Original", "the elandrush text")
		r := l.waitReceipt("b/copy.md", indexer.StateDuplicate)
		if r.DuplicateOf != "a/original.md" {
			t.Errorf("copy is a duplicate of %q, want a/original.md", r.DuplicateOf)
		}
		l.waitSearch("elandrush", id)
		// With the original gone, the copy is archived in its place.
		if err := os.Remove(l.path("a/original.md")); err != nil {
			t.Fatal(err)
		}
		cid := l.docOf("b/copy.md")
		l.waitSearch("elandrush", cid)
		if r := l.waitReceipt("b/copy.md", indexer.StateArchived); r.Size == 0 || r.ModTime.IsZero() {
			t.Errorf("the copy's receipt says size %d, time %v; want the file's", r.Size, r.ModTime)
		}
	})

	t.Run("edit keeping the size and time", func(t *testing.T) {
		// Two saves of the same length within one second look alike to a
		// file system that keeps times in seconds: the watcher's event is
		// what says the file changed.
		l := startLive(t, indexer.WatchConfig{}, nil)
		l.write("same.md", "Opening hours", "Open from 09:00 to 12:00, yakbison.")
		id := l.docOf("same.md")
		l.waitSearch("yakbison", id)
		info, err := os.Stat(l.path("same.md"))
		if err != nil {
			t.Fatal(err)
		}
		l.write("same.md", "Opening hours", "Open from 09:00 to 13:00, yakbison.")
		if err := os.Chtimes(l.path("same.md"), info.ModTime(), info.ModTime()); err != nil {
			t.Fatal(err)
		}
		l.waitFor("the edit", func() string {
			if b := l.body(id); !strings.Contains(b, "13:00") {
				return fmt.Sprintf("body %q, want the edit", b)
			}
			return ""
		})
	})

	t.Run("log says what changed", func(t *testing.T) {
		var logs syncBuffer
		l := startLive(t, indexer.WatchConfig{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, nil)
		l.write("stays.md", "Stays", "another text")
		l.write("keep.md", "Kept", "the oryxfern text")
		l.docOf("keep.md")
		// An empty folder, and a file that comes and goes, were never archived.
		if err := os.Mkdir(l.path("empty"), 0o755); err != nil {
			t.Fatal(err)
		}
		l.write("brief.md", "Brief", "gone at once")
		if err := os.Remove(l.path("brief.md")); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(l.path("keep.md")); err != nil {
			t.Fatal(err)
		}
		l.waitReceipt("keep.md", "")
		l.waitFor("the log line", func() string {
			if !strings.Contains(logs.String(), `file=keep.md action=removed`) {
				return "no removal logged:\n" + logs.String()
			}
			return ""
		})
		for _, never := range []string{"file=empty ", "file=brief.md "} {
			if strings.Contains(logs.String(), never) {
				t.Errorf("log names %q, which was never archived:\n%s", never, logs.String())
			}
		}
	})

	t.Run("periodic rescan", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{Rescan: 100 * time.Millisecond}, nil)
		l.waitFor("a rescan", func() string {
			l.mu.Lock()
			defer l.mu.Unlock()
			for _, paths := range l.applied {
				if paths == nil {
					return ""
				}
			}
			return "no sync of the whole corpus"
		})
	})

	t.Run("symbolic links are not followed", func(t *testing.T) {
		outside := t.TempDir()
		writeDoc(t, filepath.Join(outside, "secret.md"), "Secret", "dingowattle outside")
		writeDoc(t, filepath.Join(outside, "dir", "inner.md"), "Inner", "dingowattle inner")
		l := startLive(t, indexer.WatchConfig{}, nil)
		if err := os.Symlink(filepath.Join(outside, "secret.md"), l.path("link.md")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, "dir"), l.path("linkdir")); err != nil {
			t.Fatal(err)
		}
		l.write("real.md", "Real", "dingowattle real")
		id := l.docOf("real.md")
		for _, name := range []string{"link.md", "linkdir"} {
			if r := l.waitReceipt(name, indexer.StateFailed); !strings.Contains(r.Error, "symbolic link, not followed") {
				t.Errorf("%s: %q, want the reason", name, r.Error)
			}
		}
		l.waitSearch("dingowattle", id)
	})

	t.Run("polling waits for a file being copied", func(t *testing.T) {
		// A JSON Lines export copied slowly onto a share: a line every 50 ms
		// for half a second, scans every 150 ms. No scan may archive part of it.
		l := startLive(t, indexer.WatchConfig{Poll: 150 * time.Millisecond}, nil)
		var mu sync.Mutex
		var counts []int
		l.setOnApply(func([]string) {
			for _, r := range mustReceipts(t, l.ix) {
				if r.File == "export.jsonl" {
					mu.Lock()
					counts = append(counts, len(r.Documents))
					mu.Unlock()
				}
			}
		})
		f, err := os.Create(l.path("export.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		const lines = 10
		for i := range lines {
			if _, err := fmt.Fprintf(f, `{"title": "Record %d", "text": "Line %d of the ibexmallow export."}`+"\n", i, i); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		f.Close()
		l.waitFor("the whole export", func() string {
			r, ok := l.files()["export.jsonl"]
			if !ok || len(r.Documents) != lines {
				return fmt.Sprintf("receipt %+v, want %d documents", r, lines)
			}
			return ""
		})
		mu.Lock()
		defer mu.Unlock()
		for _, n := range counts {
			if n != lines {
				t.Errorf("a scan archived %d of the %d records while the file was written (scans saw %v)", n, lines, counts)
				break
			}
		}
	})

	t.Run("corpus folder replaced", func(t *testing.T) {
		// A share mounted on the corpus folder (or unmounted from it) puts
		// another folder at its path; the watches stay with the old one.
		// With rescans off, only the watcher's check of its watches can
		// find the files of the new one.
		l := startLive(t, indexer.WatchConfig{}, nil)
		l.write("before.md", "Before", "the kestrelmoss text")
		l.waitSearch("kestrelmoss", l.docOf("before.md"))
		if err := os.Rename(l.corpus, l.corpus+"-unmounted"); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(l.corpus, 0o755); err != nil {
			t.Fatal(err)
		}
		l.write("before.md", "Before", "the kestrelmoss text")
		l.write("mounted.md", "Mounted", "the zebrafinch text")
		l.waitSearch("zebrafinch", l.docOf("mounted.md"))
		l.write("later.md", "Later", "the otterlily text")
		l.waitSearch("otterlily", l.docOf("later.md"))
	})

	t.Run("polling", func(t *testing.T) {
		l := startLive(t, indexer.WatchConfig{Poll: 100 * time.Millisecond}, nil)
		// Another file stays: a scan that finds the corpus folder empty
		// removes nothing (TestCorpusFolderEmptied).
		l.write("stays.md", "Stays", "another text")
		l.write("polled.md", "Polled", "wombatsedge polled")
		id := l.docOf("polled.md")
		l.waitSearch("wombatsedge", id)
		if err := os.Remove(l.path("polled.md")); err != nil {
			t.Fatal(err)
		}
		l.waitSearch("wombatsedge")
		l.waitReceipt("polled.md", "")
	})
}

// TestWatchManyFiles checks that a burst of files is applied in a few
// updates, not one per file.
func TestWatchManyFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("watches real folders")
	}
	l := startLive(t, indexer.WatchConfig{}, nil)
	const n = 500
	t0 := time.Now()
	for i := range n {
		l.write(fmt.Sprintf("many/%03d.md", i), fmt.Sprintf("Many %d", i), fmt.Sprintf("yakbramble number %d", i))
	}
	t.Logf("written in %s", time.Since(t0))
	l.waitFor("all files archived", func() string {
		got := 0
		for _, r := range l.files() {
			if r.State == indexer.StateArchived {
				got++
			}
		}
		if got != n {
			return fmt.Sprintf("%d of %d archived", got, n)
		}
		return ""
	})
	l.waitFor("all files searchable", func() string {
		var res indexer.Results
		l.get("/api/search?q=yakbramble", &res)
		if res.Total != n {
			return fmt.Sprintf("search total %d, want %d", res.Total, n)
		}
		return ""
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	t.Logf("%d files in %d updates", n, len(l.applied))
	// A few updates; the bound leaves room for a slow, busy machine.
	if len(l.applied) > n/10 {
		t.Errorf("%d files took %d updates, want a few", n, len(l.applied))
	}
}

func mustReceipts(t *testing.T, ix *indexer.Index) []indexer.Receipt {
	t.Helper()
	rs, err := ix.Receipts(context.Background())
	if err != nil {
		t.Error(err)
	}
	return rs
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
