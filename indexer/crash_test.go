package indexer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/archivio/archivio/indexer"
	"github.com/archivio/archivio/site"
)

// letters spells n with the letters a-j, so that a number can be part of a
// word the analyzers keep whole.
func letters(n int) string {
	s := fmt.Sprint(n)
	b := []byte(s)
	for i := range b {
		b[i] = 'a' + (b[i] - '0')
	}
	return string(b)
}

// corpusState is what a test corpus holds: file -> its distinctive word.
type corpusState map[string]string

func (c corpusState) write(t testing.TB, dir, file, word string) {
	t.Helper()
	writeDoc(t, filepath.Join(dir, filepath.FromSlash(file)), "Doc "+word, "crashcorpus text with "+word+" in it")
	c[file] = word
}

// docID is the id the parser gives a Markdown file without an id of its own.
func docID(file string) string {
	return strings.ReplaceAll(strings.TrimSuffix(file, ".md"), "/", ".")
}

// checkIndex asserts that the index at path holds exactly the corpus: one
// archived receipt per file, one document per file, nothing else.
func checkIndex(t *testing.T, path string, want corpusState) {
	t.Helper()
	ctx := context.Background()
	ix, err := indexer.Open(ctx, indexer.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rs, err := ix.Receipts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	got := map[string]bool{}
	for _, r := range rs {
		got[r.File] = true
		if _, ok := want[r.File]; !ok {
			t.Errorf("receipt for %s, which is not in the corpus", r.File)
			continue
		}
		if r.State != indexer.StateArchived || !slices.Equal(r.Documents, []string{docID(r.File)}) {
			t.Errorf("receipt of %s: %s %q documents %v, want archived [%s]", r.File, r.State, r.Error, r.Documents, docID(r.File))
		}
		ids = append(ids, r.Documents...)
	}
	for f := range want {
		if !got[f] {
			t.Errorf("no receipt for %s", f)
		}
	}
	n, err := ix.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != uint64(len(want)) {
		t.Errorf("index holds %d documents, want %d", n, len(want))
	}
	res, err := ix.Search(ctx, indexer.Query{Text: "crashcorpus", Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != uint64(len(want)) {
		t.Errorf("search crashcorpus: %d hits, want %d", res.Total, len(want))
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != len(want) {
		t.Errorf("receipts name %d distinct documents, want %d", len(ids), len(want))
	}
	// Every file's current version is the one indexed.
	for f, word := range want {
		d, err := ix.Doc(ctx, docID(f))
		if err != nil {
			t.Errorf("Doc(%s): %v", docID(f), err)
			continue
		}
		if !strings.Contains(d.Body, word) {
			t.Errorf("document of %s has body %q, want the version with %s", f, d.Body, word)
		}
	}
	gens, _ := filepath.Glob(filepath.Join(path, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("index folder holds generations %v, want one", gens)
	}
}

// checkConsistent asserts that the index at path is consistent, as it must
// be after any stop: every document a receipt names is in the index, and
// every document in the index is named by a receipt.
func checkConsistent(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	ix, err := indexer.Open(ctx, indexer.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rs, err := ix.Receipts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, r := range rs {
		for _, id := range r.Documents {
			named++
			if _, err := ix.Doc(ctx, id); err != nil {
				t.Errorf("receipt of %s names document %s: %v", r.File, id, err)
			}
		}
	}
	if n, err := ix.Count(ctx); err != nil || n != uint64(named) {
		t.Errorf("index holds %d documents (%v), receipts name %d", n, err, named)
	}
}

// TestCrashRecovery kills `archivio index` with SIGKILL at many points while
// it indexes a few thousand files, changing the corpus between runs, and
// checks that the index ends up holding exactly the corpus.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds archivio and indexes thousands of files")
	}
	tmp := t.TempDir()
	bin := buildArchivio(t)
	corpus, index := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "index")
	state := corpusState{}
	const files = 3000
	for i := range files {
		state.write(t, corpus, fmt.Sprintf("f%02d/doc%04d.md", i/100, i), "word"+letters(i)+"x")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(kill time.Duration, args ...string) (killed bool) {
		cmd := exec.Command(bin, append([]string{"index", "--corpus", corpus, "--index", index, "--log-level", "error"}, args...)...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var timer *time.Timer
		if kill > 0 {
			timer = time.AfterFunc(kill, func() { cmd.Process.Signal(syscall.SIGKILL) })
		}
		err := cmd.Wait()
		if timer != nil {
			timer.Stop()
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
			return true
		}
		if err != nil {
			t.Fatalf("archivio index %v: %v\n%s", args, err, out.String())
		}
		return false
	}
	version := 0
	killed := 0
	// Runs until a dozen were killed midway; runs that finish first count too,
	// as they must find exactly what the killed ones left undone.
	const wantKilled = 12
	took := [2]time.Duration{2 * time.Second, 2 * time.Second} // of a run, a rebuild
	round := 0
	for ; killed < wantKilled && round < 40; round++ {
		var args []string
		if round%3 == 2 {
			args = []string{"--rebuild"}
		}
		// Kill points spread over how long such a run took last time.
		kill := 30*time.Millisecond + time.Duration(rng.Int64N(int64(max(took[len(args)], 400*time.Millisecond))))
		start := time.Now()
		if run(kill, args...) {
			killed++
			t.Logf("run %d %v killed after %s", round, args, kill)
			checkConsistent(t, index)
		} else {
			took[len(args)] = time.Since(start)
			t.Logf("run %d %v finished in %s", round, args, took[len(args)].Round(time.Millisecond))
		}
		// Change the corpus between runs: modify, remove and add files.
		version++
		var names []string
		for f := range state {
			names = append(names, f)
		}
		slices.Sort(names)
		for range 300 {
			// The word names the version and the file: two files with the
			// same content would rightly be a duplicate of each other (a
			// random number here made that happen in about one run in
			// ten, failing the test).
			i := rng.IntN(len(names))
			state.write(t, corpus, names[i], "word"+letters(version)+"v"+letters(i)+"x")
		}
		for range 2 {
			f := names[rng.IntN(len(names))]
			if err := os.Remove(filepath.Join(corpus, filepath.FromSlash(f))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Fatal(err)
			}
			delete(state, f)
		}
		for i := range 3 {
			state.write(t, corpus, fmt.Sprintf("new/r%02d-%d.md", round, i), "word"+letters(version)+"n"+letters(i)+"x")
		}
	}
	if killed < wantKilled {
		t.Errorf("only %d of %d runs were killed before they finished; want %d", killed, round, wantKilled)
	}
	t.Logf("%d runs, %d killed midway", round, killed)
	if run(0) {
		t.Fatal("last run was killed")
	}
	checkIndex(t, index, state)
}

// smallCorpus writes n documents to a new folder.
func smallCorpus(t *testing.T, n int) (string, corpusState) {
	dir := t.TempDir()
	state := corpusState{}
	for i := range n {
		state.write(t, dir, fmt.Sprintf("d/doc%02d.md", i), "small"+letters(i)+"x")
	}
	return dir, state
}

func syncDir(t *testing.T, path, corpus string, log *slog.Logger) indexer.Summary {
	t.Helper()
	ctx := context.Background()
	ix, err := indexer.Open(ctx, indexer.Config{Path: path, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sum, err := ix.Sync(ctx, os.DirFS(corpus))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func liveGeneration(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(path, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(path, strings.TrimSpace(string(b)))
}

// TestReopenDamaged checks that an index that cannot be used is rebuilt from
// the corpus.
func TestReopenDamaged(t *testing.T) {
	tests := []struct {
		name   string
		logs   string // what the log says
		damage func(t *testing.T, path string)
	}{
		{"index_meta.json garbled", `level=WARN msg="index cannot be opened`, func(t *testing.T, path string) {
			if err := os.WriteFile(filepath.Join(liveGeneration(t, path), "index_meta.json"), []byte("{not json"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"root.bolt garbled", `level=WARN msg="index cannot be opened`, func(t *testing.T, path string) {
			name := filepath.Join(liveGeneration(t, path), "store", "root.bolt")
			if err := os.WriteFile(name, []byte(strings.Repeat("garbage!", 2048)), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"generation folder removed", "named by CURRENT is missing; rebuilding the index from the corpus", func(t *testing.T, path string) {
			if err := os.RemoveAll(liveGeneration(t, path)); err != nil {
				t.Fatal(err)
			}
		}},
		{"CURRENT garbled", `level=WARN msg="CURRENT names no index generation (\"../../etc\"); rebuilding`, func(t *testing.T, path string) {
			if err := os.WriteFile(filepath.Join(path, "CURRENT"), []byte("../../etc\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"index written before generations", `level=WARN msg="index has an old layout; rebuilding it from the corpus"`, func(t *testing.T, path string) {
			gen := liveGeneration(t, path)
			for _, n := range []string{"index_meta.json", "store"} {
				if err := os.Rename(filepath.Join(gen, n), filepath.Join(path, n)); err != nil {
					t.Fatal(err)
				}
			}
			os.RemoveAll(gen)
			os.Remove(filepath.Join(path, "CURRENT"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			corpus, state := smallCorpus(t, 20)
			path := filepath.Join(t.TempDir(), "index")
			if sum := syncDir(t, path, corpus, nil); sum.Added != 20 {
				t.Fatalf("first sync added %d, want 20", sum.Added)
			}
			tc.damage(t, path)
			// Reopened, the index is empty again, with a log line saying
			// why, and a sync fills it.
			var logs bytes.Buffer
			if sum := syncDir(t, path, corpus, slog.New(slog.NewTextHandler(&logs, nil))); sum.Added != 20 || sum.Unchanged != 0 {
				t.Errorf("sync after damage: added %d, unchanged %d; want 20 added (a rebuild)", sum.Added, sum.Unchanged)
			}
			if tc.logs != "" && !strings.Contains(logs.String(), tc.logs) {
				t.Errorf("log does not say %q:\n%s", tc.logs, logs.String())
			}
			checkIndex(t, path, state)
			if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err == nil {
				t.Error("the old single-generation index is still there")
			}
		})
	}
}

func TestIndexInUse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	ix, err := indexer.Open(ctx, indexer.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	_, err = indexer.Open(ctx, indexer.Config{Path: path})
	var inUse *indexer.InUseError
	if !errors.Is(err, indexer.ErrIndexInUse) || !errors.As(err, &inUse) || inUse.PID != os.Getpid() {
		t.Fatalf("second Open: %v, want ErrIndexInUse with pid %d", err, os.Getpid())
	}
	if want := fmt.Sprintf("index is in use by another archivio process (pid %d)", os.Getpid()); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	ix.Close()
	ix, err = indexer.Open(ctx, indexer.Config{Path: path})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	ix.Close()
}

// snapshot records every corpus file's content and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		m[p] = fmt.Sprintf("%s|%d|%s", info.ModTime(), info.Mode(), b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRebuildWhileServing rebuilds the index while searches run over HTTP:
// every search is answered, with the whole corpus, before, during and after the swap.
func TestRebuildWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes hundreds of files twice")
	}
	ctx := context.Background()
	corpus, state := smallCorpus(t, 60)
	for i := range 400 {
		state.write(t, corpus, fmt.Sprintf("more/m%03d.md", i), "more"+letters(i)+"x")
	}
	before := snapshot(t, corpus)
	path := filepath.Join(t.TempDir(), "index")
	ix, err := indexer.Open(ctx, indexer.Config{Path: path, BatchSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fsys := os.DirFS(corpus)
	if _, err := ix.Sync(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	oldGen := liveGeneration(t, path)
	srv, err := site.New(site.Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var searches atomic.Int64
	var mu sync.Mutex
	var bad []string
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				n, err := searchTotal(ts.URL, "crashcorpus")
				if err != nil || n != uint64(len(state)) {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("%d %v", n, err))
					mu.Unlock()
				}
				searches.Add(1)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := ix.Rebuild(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d of %d searches during the rebuild did not find the whole corpus: totals %v", len(bad), searches.Load(), bad[:min(len(bad), 10)])
	}
	if gen := liveGeneration(t, path); gen == oldGen {
		t.Errorf("CURRENT still names %s after the rebuild", gen)
	}
	if _, err := os.Stat(oldGen); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old generation %s still there: %v", oldGen, err)
	}
	// The rebuilt index knows every file: a sync finds nothing to do.
	sum, err := ix.Sync(ctx, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != len(state) || sum.Added+sum.Updated+sum.Removed != 0 {
		t.Errorf("sync after rebuild = %+v, want %d unchanged", sum, len(state))
	}
	if _, err := ix.Rebuild(ctx, fsys); err != nil {
		t.Errorf("second rebuild: %v", err)
	}
	ix.Close()
	checkIndex(t, path, state)
	if after := snapshot(t, corpus); !maps.Equal(before, after) {
		t.Error("the corpus changed while it was indexed and rebuilt")
	}
}

// searchTotal returns the total of an /api/search.
func searchTotal(base, q string) (uint64, error) {
	resp, err := http.Get(base + "/api/search?size=1&q=" + url.QueryEscape(q))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /api/search: %s", resp.Status)
	}
	var res indexer.Results
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return 0, err
	}
	return res.Total, nil
}

// buildArchivio builds the archivio command into a temporary folder.
func buildArchivio(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "archivio")
	build := exec.Command("go", "build", "-o", bin, "github.com/archivio/archivio/cmd/archivio")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServe starts `archivio serve` with args on a free loopback port and
// waits for its first sync; base is its URL. Its log lines go to lines;
// waitLine reads them until one holds part, and fails the test if none does
// in time.
func startServe(t *testing.T, bin string, args ...string) (cmd *exec.Cmd, lines <-chan string, waitLine func(part string) string, base string) {
	t.Helper()
	cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	// Log lines go to a channel; the test reads what it waits for.
	ch := make(chan string, 1000)
	go func() {
		defer close(ch)
		buf := make([]byte, 0, 4096)
		tmp := make([]byte, 4096)
		for {
			n, err := stderr.Read(tmp)
			buf = append(buf, tmp[:n]...)
			for {
				i := slices.Index(buf, '\n')
				if i < 0 {
					break
				}
				select {
				case ch <- string(buf[:i]):
				default: // nobody waits for it
				}
				buf = buf[i+1:]
			}
			if err != nil {
				return
			}
		}
	}()
	waitLine = func(part string) string {
		t.Helper()
		deadline := time.After(waitLimit)
		for {
			select {
			case l, ok := <-ch:
				if !ok {
					t.Fatalf("archivio serve exited before logging %q", part)
				}
				if strings.Contains(l, part) {
					return l
				}
			case <-deadline:
				t.Fatalf("archivio serve did not log %q", part)
			}
		}
	}
	l := waitLine("msg=serving")
	base = strings.Fields(l[strings.Index(l, "url=")+len("url="):])[0]
	waitLine(`msg="index up to date"`)
	return cmd, ch, waitLine, base
}

// TestServeBinary runs `archivio serve` and checks, over HTTP, that it
// follows the corpus, refuses a second writer with a clear message, and
// rebuilds its index on SIGHUP while it keeps answering.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs archivio")
	}
	bin := buildArchivio(t)
	corpus, state := smallCorpus(t, 50)
	index := filepath.Join(t.TempDir(), "index")
	cmd, lines, _, base := startServe(t, bin, "--corpus", corpus, "--index", index, "--rate-limit", "0") // the test searches in a tight loop
	total := func() uint64 {
		t.Helper()
		n, err := searchTotal(base, "crashcorpus")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := total(); n != 50 {
		t.Fatalf("search total = %d, want 50", n)
	}

	// A second process cannot write the index.
	out, err := exec.Command(bin, "index", "--corpus", corpus, "--index", index).CombinedOutput()
	want := fmt.Sprintf("index is in use by another archivio process (pid %d)", cmd.Process.Pid)
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("archivio index while serve runs: %v, output %q; want it to fail saying %q", err, out, want)
	}

	// A dropped file becomes searchable.
	state.write(t, corpus, "dropped/new.md", "droppedword")
	deadline := time.Now().Add(waitLimit)
	for total() != 51 {
		if time.Now().After(deadline) {
			t.Fatal("dropped file not searchable")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// SIGHUP: a new generation, while every search keeps finding everything.
	oldGen := liveGeneration(t, index)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	rebuilt := make(chan bool, 1)
	go func() {
		for l := range lines {
			if strings.Contains(l, `msg="index rebuilt"`) {
				rebuilt <- true
				return
			}
		}
		rebuilt <- false
	}()
	searches := 0
	deadline = time.Now().Add(waitLimit)
	for rebuilding := true; rebuilding; {
		select {
		case ok := <-rebuilt:
			if !ok {
				t.Fatal("archivio serve exited during the rebuild")
			}
			rebuilding = false
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no rebuild")
		}
		if n := total(); n != 51 {
			t.Errorf("search during rebuild: total %d, want 51", n)
		}
		searches++
	}
	if gen := liveGeneration(t, index); gen == oldGen {
		t.Errorf("generation %s not replaced by the rebuild", gen)
	}
	if n := total(); n != 51 {
		t.Errorf("search after rebuild: total %d, want 51", n)
	}
	t.Logf("%d searches answered during the rebuild", searches)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("archivio serve after SIGTERM: %v", err)
	}
	checkIndex(t, index, state)
}

// TestServeRebuildsWastefulStore edits a file under a running `archivio
// serve` until most of the document store holds replaced versions: serve
// then rebuilds the index by itself, and searches find the latest text.
func TestServeRebuildsWastefulStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs archivio")
	}
	bin := buildArchivio(t)
	corpus, state := smallCorpus(t, 3)
	index := filepath.Join(t.TempDir(), "index")
	cmd, _, waitLine, base := startServe(t, bin, "--corpus", corpus, "--index", index, "--rate-limit", "0", "--max-store-waste", "1")
	oldGen := liveGeneration(t, index)
	firstSize := fileSize(t, filepath.Join(oldGen, "docs.dat"))

	// Each edit leaves the file's previous record behind. With three files of
	// one record each, the fourth edit makes the store more than half waste.
	for i := range 4 {
		word := "edit" + letters(i) + "x"
		state.write(t, corpus, "d/doc00.md", word)
		deadline := time.Now().Add(waitLimit)
		for {
			n, err := searchTotal(base, word)
			if err != nil {
				t.Fatal(err)
			}
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("edit %d not searchable", i)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	reason := waitLine(`msg="rebuilding the index"`)
	if !strings.Contains(reason, "hold replaced or removed documents") {
		t.Errorf("rebuild log line gives no reason: %s", reason)
	}
	waitLine(`msg="index rebuilt"`)
	gen := liveGeneration(t, index)
	if gen == oldGen {
		t.Fatalf("generation %s not replaced", gen)
	}
	// The new store holds one record per file again, the latest version.
	if size := fileSize(t, filepath.Join(gen, "docs.dat")); size > firstSize+firstSize/2 {
		t.Errorf("docs.dat after the rebuild: %d bytes, the first store had %d for the same three files", size, firstSize)
	}
	for _, q := range []string{"editdx", state["d/doc01.md"], state["d/doc02.md"]} {
		if n, err := searchTotal(base, q); err != nil || n != 1 {
			t.Errorf("search %q after the rebuild: %d hits, %v; want 1", q, n, err)
		}
	}
	if n, err := searchTotal(base, "smallax"); err != nil || n != 0 {
		t.Errorf("the replaced text is still found: %d hits, %v", n, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("archivio serve after SIGTERM: %v", err)
	}
	checkIndex(t, index, state)
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// TestCancelledSync stops a sync midway and checks that the same Index
// then finishes the job: no file is taken as done whose batch was not written.
func TestCancelledSync(t *testing.T) {
	corpus, state := smallCorpus(t, 95)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ix, err := indexer.Open(ctx, indexer.Config{Path: filepath.Join(t.TempDir(), "index"), BatchSize: 10,
		Progress: func(indexer.Progress) { cancel() }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fsys := os.DirFS(corpus)
	if _, err := ix.Sync(ctx, fsys); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Sync: %v, want context.Canceled", err)
	}
	bg := context.Background()
	if _, err := ix.Sync(bg, fsys); err != nil {
		t.Fatal(err)
	}
	n, err := ix.Count(bg)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ix.Receipts(bg)
	if err != nil {
		t.Fatal(err)
	}
	if n != uint64(len(state)) || len(rs) != len(state) {
		t.Errorf("after a cancelled and a full sync: %d documents, %d receipts; want %d of each", n, len(rs), len(state))
	}
	for _, r := range rs {
		for _, id := range r.Documents {
			if _, err := ix.Doc(bg, id); err != nil {
				t.Errorf("receipt of %s names %s: %v", r.File, id, err)
			}
		}
	}
}
