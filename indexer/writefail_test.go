//go:build linux

package indexer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// TestFailedWriteKeepsTheIndex writes a batch that the file system refuses
// (a file size limit, as a full disk does) and requires the update to fail
// with an error, not a crash; the documents written before to stay
// searchable; and the next update, once writing works again, to archive the
// refused file. bleve used to panic while the receipts were read back.
//
// The limit is process-wide, so the test runs itself in a child process.
func TestFailedWriteKeepsTheIndex(t *testing.T) {
	if os.Getenv("ARCHIVIO_WRITEFAIL_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFailedWriteKeepsTheIndex$", "-test.v")
		cmd.Env = append(os.Environ(), "ARCHIVIO_WRITEFAIL_CHILD="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestFailedWriteKeepsTheIndex") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	dir := os.Getenv("ARCHIVIO_WRITEFAIL_CHILD")
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: dir + "/index"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fsys := fstest.MapFS{
		"small.md": {Data: []byte("---\ntitle: Harbour dues\nlanguage: en\n---\n\nThe harbour committee agreed the dues.\n")},
	}
	if _, err := ix.Sync(ctx, fsys); err != nil {
		t.Fatal(err)
	}

	// 500 words, each 40 times: the record in the document store compresses
	// to 24 KB, the index segment takes 220 KB.
	var big strings.Builder
	big.WriteString("---\ntitle: Lighthouse register\nlanguage: en\n---\n\n")
	for r := range 40 {
		for i := range 500 {
			fmt.Fprintf(&big, "lighthouse%d ", (i*7+r)%500)
		}
		big.WriteString("\n\n")
	}
	fsys["big.md"] = &fstest.MapFile{Data: []byte(big.String())}

	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG instead
	small := lim
	small.Cur = 160 << 10 // above the new root.bolt (128 KB), below the segment
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		t.Skipf("cannot limit file sizes: %v", err)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	// refused runs what (an update) with file sizes limited, and requires
	// it to fail.
	refused := func(what string, f func() error) {
		t.Helper()
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
			t.Fatal(err)
		}
		err := f()
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
		if err == nil {
			t.Fatalf("%s with writes refused: no error", what)
		}
		t.Logf("%s with writes refused: %v", what, err)
	}
	refused("Sync", func() error { _, err := ix.Sync(ctx, fsys); return err })

	res, err := ix.Search(ctx, Query{Text: "harbour"})
	if err != nil || res.Total != 1 {
		t.Fatalf("after the failed write, search harbour: %v, %v hits; want the 1 written before", err, res.Total)
	}
	if r := ix.receipt("big.md"); r != nil && r.State == StateArchived {
		t.Fatalf("big.md has receipt %+v although its batch failed", r)
	}

	// A rebuild refused the same way leaves the live generation, alone.
	refused("Rebuild", func() error { _, err := ix.Rebuild(ctx, fsys); return err })
	if res, err := ix.Search(ctx, Query{Text: "harbour"}); err != nil || res.Total != 1 {
		t.Fatalf("after the failed rebuild, search harbour: %v, %v hits; want 1", err, res.Total)
	}
	if gens, _ := filepath.Glob(filepath.Join(dir, "index", genPrefix+"*")); len(gens) != 1 {
		t.Errorf("generations after the failed rebuild: %v, want the live one alone", gens)
	}

	sum, err := ix.Sync(ctx, fsys)
	if err != nil {
		t.Fatalf("Sync once writes work again: %v", err)
	}
	if sum.Added != 1 {
		t.Errorf("Sync once writes work again: %+v, want big.md added", sum)
	}
	res, err = ix.Search(ctx, Query{Text: "lighthouse499"})
	if err != nil || res.Total != 1 {
		t.Errorf("search lighthouse499: %v, %v hits; want big.md", err, res.Total)
	}
}

// TestIndexUnavailableThenReopened: when the index cannot be opened again
// after a failed write (here its folder is away; in life, made read-only),
// searches say so instead of panicking, and the next update opens it again.
func TestIndexUnavailableThenReopened(t *testing.T) {
	ix := openTest(t)
	fsys := fstest.MapFS{"a.md": {Data: []byte("---\ntitle: Harbour\n---\nThe harbour committee met on Tuesday.\n")}}
	syncTest(t, ix, fsys)
	gen := filepath.Join(ix.cfg.Path, ix.genName)
	if err := os.Rename(gen, gen+".away"); err != nil {
		t.Fatal(err)
	}
	if err := ix.reload(context.Background(), true); err == nil {
		t.Fatal("reload with the generation away: no error")
	}
	if _, err := ix.Search(context.Background(), Query{Text: "harbour"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Search while the index is away: %v, want ErrUnavailable", err)
	}
	if _, err := ix.Doc(context.Background(), "a"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Doc while the index is away: %v, want ErrUnavailable", err)
	}
	if err := os.Rename(gen+".away", gen); err != nil {
		t.Fatal(err)
	}
	syncTest(t, ix, fsys)
	if res, err := ix.Search(context.Background(), Query{Text: "harbour"}); err != nil || res.Total != 1 {
		t.Errorf("Search after the next update: %d, %v; want the document", res.Total, err)
	}
	// A rebuild (SIGHUP) mends it too.
	gen = filepath.Join(ix.cfg.Path, ix.genName)
	if err := os.Rename(gen, gen+".away"); err != nil {
		t.Fatal(err)
	}
	if err := ix.reload(context.Background(), true); err == nil {
		t.Fatal("reload with the generation away: no error")
	}
	if _, err := ix.Rebuild(context.Background(), fsys); err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(context.Background(), Query{Text: "harbour"}); err != nil || res.Total != 1 {
		t.Errorf("Search after a rebuild: %d, %v; want the document", res.Total, err)
	}
	// Closing an index that cannot be read closes what is open; it
	// closed the closed generation again, and bleve panicked.
	gen = filepath.Join(ix.cfg.Path, ix.genName)
	if err := os.Rename(gen, gen+".away"); err != nil {
		t.Fatal(err)
	}
	if err := ix.reload(context.Background(), true); err == nil {
		t.Fatal("reload with the generation away: no error")
	}
	if err := ix.Close(); err != nil {
		t.Errorf("Close while the index cannot be read: %v", err)
	}
	again, err := Open(context.Background(), Config{Path: ix.cfg.Path})
	if err != nil {
		t.Fatalf("Open after Close: %v (the lock was not released?)", err)
	}
	again.Close()
}
