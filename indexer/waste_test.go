package indexer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// receiptsByFile returns the published receipts by file.
func receiptsByFile(t *testing.T, ix *Index) map[string]Receipt {
	t.Helper()
	rs, err := ix.Receipts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Receipt{}
	for _, r := range rs {
		out[r.File] = r
	}
	return out
}

func wasteOf(t *testing.T, ix *Index) (waste, size int64) {
	t.Helper()
	waste, size, known := ix.StoreWaste()
	if !known {
		t.Fatal("StoreWaste: not known, but every receipt was written by this version")
	}
	return waste, size
}

// liveStoreSize is the size of the live generation's docs.dat on disk.
func liveStoreSize(t *testing.T, ix *Index) int64 {
	t.Helper()
	info, err := os.Stat(filepath.Join(ix.cfg.Path, ix.genName, docsFile))
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

func TestStoreWaste(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir() + "/index"
	ix, err := Open(ctx, Config{Path: dir, MaxStoreWaste: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	fsys := testCorpus()
	syncTest(t, ix, fsys)

	before := receiptsByFile(t, ix)
	var live int64
	for f, r := range before {
		if r.Stored <= 0 {
			t.Errorf("%s: stored_bytes = %d, want > 0 for an archived file", f, r.Stored)
		}
		live += r.Stored
	}
	if waste, size := wasteOf(t, ix); waste != 0 || size != live || size != liveStoreSize(t, ix) {
		t.Fatalf("after the first sync: waste %d, size %d; want 0 and %d (the receipts' bytes, and docs.dat's size)", waste, size, live)
	}
	if r := ix.NeedsRebuild(); r != "" {
		t.Fatalf("NeedsRebuild with no waste = %q", r)
	}

	// Editing a file leaves its old record behind; removing one leaves all of its records.
	edited, removed := "opinions/sandbox.md", "pages/news.md"
	fsys[edited] = &fstest.MapFile{Data: append(append([]byte{}, fsys[edited].Data...), "It calls for common rules on testing.\n"...)}
	delete(fsys, removed)
	syncTest(t, ix, fsys)
	want := before[edited].Stored + before[removed].Stored
	waste, size := wasteOf(t, ix)
	if waste != want {
		t.Fatalf("waste after an edit and a removal = %d, want %d (the two files' old records)", waste, want)
	}
	if size != liveStoreSize(t, ix) {
		t.Fatalf("store size %d, docs.dat holds %d", size, liveStoreSize(t, ix))
	}
	// Limit 1 byte: a rebuild is asked for once half the store is waste.
	if got, wantAsk := ix.NeedsRebuild() != "", waste*2 >= size; got != wantAsk {
		t.Fatalf("NeedsRebuild asks = %v with waste %d of %d, want %v", got, waste, size, wantAsk)
	}
	for i := 0; waste*2 < size; i++ {
		if i == 20 {
			t.Fatalf("waste stays at %d of %d after 20 edits", waste, size)
		}
		fsys[edited] = &fstest.MapFile{Data: append(append([]byte{}, fsys[edited].Data...), "Another line.\n"...)}
		syncTest(t, ix, fsys)
		waste, size = wasteOf(t, ix)
	}
	reason := ix.NeedsRebuild()
	if !strings.Contains(reason, "document store hold replaced or removed documents") {
		t.Fatalf("NeedsRebuild with waste %d of %d = %q", waste, size, reason)
	}

	// The count survives a restart: it is in the receipts.
	ix.Close()
	if ix, err = Open(ctx, Config{Path: dir, MaxStoreWaste: 1}); err != nil {
		t.Fatal(err)
	}
	if w, s := wasteOf(t, ix); w != waste || s != size {
		t.Fatalf("after reopening: waste %d of %d, want %d of %d", w, s, waste, size)
	}

	// A rebuild writes a store without waste, and loses no document.
	if _, err := ix.Rebuild(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	w, s := wasteOf(t, ix)
	if w != 0 || s >= size || s != liveStoreSize(t, ix) {
		t.Fatalf("after the rebuild: waste %d, size %d (docs.dat %d); want 0 and less than %d", w, s, liveStoreSize(t, ix), size)
	}
	if r := ix.NeedsRebuild(); r != "" {
		t.Fatalf("NeedsRebuild after a rebuild = %q", r)
	}
	res, err := ix.Search(ctx, Query{Text: "testing"})
	if err != nil || res.Total != 1 || res.Hits[0].ID != before[edited].Documents[0] {
		t.Fatalf("search for the edited text after the rebuild: %+v, %v", res.Hits, err)
	}
	if n, err := ix.Count(ctx); err != nil || n != 3 {
		t.Fatalf("documents after the rebuild = %d, %v; want 3", n, err)
	}
}

func TestNeedsRebuildLimit(t *testing.T) {
	for _, tc := range []struct {
		limit int64
		ask   bool
	}{
		{limit: 1, ask: true},
		{limit: 0, ask: false}, // the default, 64 MiB
		{limit: -1, ask: false},
	} {
		ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", MaxStoreWaste: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		fsys := testCorpus()
		syncTest(t, ix, fsys)
		delete(fsys, "opinions/sandbox.md")
		delete(fsys, "pages/news.md")
		delete(fsys, "factsheets/innovation.md")
		syncTest(t, ix, fsys)
		waste, size := wasteOf(t, ix)
		if waste*2 < size {
			t.Fatalf("limit %d: waste %d of %d after removing 3 of 4 files", tc.limit, waste, size)
		}
		if got := ix.NeedsRebuild() != ""; got != tc.ask {
			t.Errorf("limit %d: NeedsRebuild asks = %v, want %v", tc.limit, got, tc.ask)
		}
		ix.Close()
	}
}

func TestStoreUseCountsOldReceipts(t *testing.T) {
	var u storeUse
	counted := &Receipt{Documents: []string{"a"}, Stored: 100}
	old := &Receipt{Documents: []string{"b"}} // written before Stored existed
	failed := &Receipt{}                      // no documents
	for _, r := range []*Receipt{counted, old, failed} {
		u.add(r)
	}
	if u.live != 100 || u.uncounted != 1 {
		t.Fatalf("after adding: %+v, want live 100, uncounted 1", u)
	}
	u.remove(old)
	u.remove(counted)
	if u.live != 0 || u.uncounted != 0 {
		t.Fatalf("after removing: %+v, want zero", u)
	}
}
