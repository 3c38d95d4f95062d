package indexer

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
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
	return ix.StoreWaste()
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

// mostlyWaste returns an index with MaxStoreWaste limit whose corpus lost 3
// of its 4 files after the first sync, and that corpus.
func mostlyWaste(t *testing.T, limit int64) (*Index, fstest.MapFS) {
	t.Helper()
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", MaxStoreWaste: limit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	fsys := testCorpus()
	syncTest(t, ix, fsys)
	delete(fsys, "opinions/sandbox.md")
	delete(fsys, "pages/news.md")
	delete(fsys, "factsheets/innovation.md")
	syncTest(t, ix, fsys)
	return ix, fsys
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
		ix, _ := mostlyWaste(t, tc.limit)
		waste, size := wasteOf(t, ix)
		if waste*2 < size {
			t.Fatalf("limit %d: waste %d of %d after removing 3 of 4 files", tc.limit, waste, size)
		}
		if got := ix.NeedsRebuild() != ""; got != tc.ask {
			t.Errorf("limit %d: NeedsRebuild asks = %v, want %v", tc.limit, got, tc.ask)
		}
	}
}

// TestRebuildKeepsChoices rebuilds an index whose state depends on the order
// files arrived in, and on versions no longer in the corpus: which of two
// identical files is the original, which of two files owns a contested id,
// and the last good version of a file that fails now. The rebuild keeps all
// three (before, it re-decided the first two in path order and dropped the
// third).
func TestRebuildKeepsChoices(t *testing.T) {
	ctx := context.Background()
	ix := openTest(t)
	fsys := choicesCorpus(t, ix)
	check := func(when string) { checkChoices(t, ix, when) }
	check("before the rebuild")
	if _, err := ix.Rebuild(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	check("after the rebuild")
	if waste, _ := wasteOf(t, ix); waste != 0 {
		t.Errorf("waste after the rebuild = %d, want 0", waste)
	}

	// Mended, the file is archived again as it now is.
	fsys["broken.md"] = page("Mended", "Lighthouses along the coast.")
	syncTest(t, ix, fsys)
	if res, err := ix.Search(ctx, Query{Text: "lighthouses"}); err != nil || strings.Join(hitIDs(res), ",") != "broken" {
		t.Errorf("search for the mended text: %v, %v", hitIDs(res), err)
	}
}

// page is a Markdown corpus file with a title.
func page(title, text string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nlanguage: en\n---\n" + text + "\n")}
}

// choicesCorpus syncs into ix a corpus where the index made choices a
// rebuild must keep: which of two identical files is the original, which of
// two files owns an id, and the last good version of a file now broken.
func choicesCorpus(t *testing.T, ix *Index) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{
		"z/original.md": page("Original", "Cohesion funds for mountain regions."),
		"report.txt":    {Data: []byte("Zebra crossings in the city centre are safer with better lighting.\n")},
		"broken.md":     page("Broken later", "Archipelago ferries keep islands connected."),
	}
	syncTest(t, ix, fsys)
	fsys["a/copy.md"] = &fstest.MapFile{Data: fsys["z/original.md"].Data} // sorts first
	fsys["report.md"] = page("Report", "Alpaca farming in the Andes.")    // same id, sorts first
	fsys["broken.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [oops\n---\ntext\n")}
	if sum := syncTest(t, ix, fsys); sum.Duplicate != 1 || sum.Failed != 2 {
		t.Errorf("second sync: %+v, want 1 duplicate and 2 failed", sum)
	}
	return fsys
}

// checkChoices checks that ix holds the choices choicesCorpus made.
func checkChoices(t *testing.T, ix *Index, when string) {
	t.Helper()
	rs := receiptsByFile(t, ix)
	for _, tc := range []struct {
		file, state string
		docs        int
	}{
		{"z/original.md", StateArchived, 1},
		{"a/copy.md", StateDuplicate, 0},
		{"report.txt", StateArchived, 1},
		{"report.md", StateFailed, 0},
		{"broken.md", StateFailed, 1}, // its last good version
	} {
		if r := rs[tc.file]; r.State != tc.state || len(r.Documents) != tc.docs {
			t.Errorf("%s: %s is %s with %d documents (%s); want %s with %d", when, tc.file, r.State, len(r.Documents), r.Error, tc.state, tc.docs)
		}
	}
	if d := rs["a/copy.md"].DuplicateOf; d != "z/original.md" {
		t.Errorf("%s: a/copy.md is a duplicate of %q, want z/original.md", when, d)
	}
	for q, want := range map[string]string{"zebra": "report", "alpaca": "", "archipelago": "broken", "mountain": "z.original"} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(hitIDs(res), ","); got != want {
			t.Errorf("%s: search %q = [%s], want [%s]", when, q, got, want)
		}
	}
}

// TestUpgradeKeepsChoices: an index written by another version of Archivio
// is looked at as it is, serves as it is, and is rebuilt beside itself
// keeping its choices; before, it was emptied at open, and its last good
// versions, originals and id owners were lost.
func TestUpgradeKeepsChoices(t *testing.T) {
	ctx := context.Background()
	ix := openTest(t)
	fsys := choicesCorpus(t, ix)
	path := ix.cfg.Path
	if err := ix.gen.SetInternal([]byte("mapping-version"), []byte("archivio-0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	gen, err := os.ReadFile(filepath.Join(path, currentFile))
	if err != nil {
		t.Fatal(err)
	}

	// Looked at (status, search): the old generation, untouched.
	old, err := Open(ctx, Config{Path: path, Inspect: true})
	if err != nil {
		t.Fatal(err)
	}
	if o := old.Outdated(); !strings.Contains(o, `written by another version of Archivio (mapping version "archivio-0"`) {
		t.Errorf("Outdated() = %q", o)
	}
	checkChoices(t, old, "looked at")
	old.Close()
	if now, _ := os.ReadFile(filepath.Join(path, currentFile)); string(now) != string(gen) {
		t.Errorf("CURRENT changed from %q to %q by a look", gen, now)
	}

	// Opened to be kept up to date: it serves, and asks for a rebuild even
	// when waste never does.
	up, err := Open(ctx, Config{Path: path, MaxStoreWaste: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	if up.NeedsRebuild() == "" {
		t.Fatal("NeedsRebuild does not ask to rebuild an outdated index")
	}
	checkChoices(t, up, "before the rebuild")
	if _, err := up.Rebuild(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	checkChoices(t, up, "after the rebuild")
	if o, r := up.Outdated(), up.NeedsRebuild(); o != "" || r != "" {
		t.Errorf("after the rebuild: Outdated %q, NeedsRebuild %q; want neither", o, r)
	}
	if v, err := up.gen.GetInternal([]byte("mapping-version")); err != nil || string(v) != mappingVersion {
		t.Errorf("rebuilt generation has mapping version %q, %v", v, err)
	}
}

// TestDamagedIndexRefusedToLook: an index that cannot be opened is an error
// to status and search (Inspect), and is left as it is for serve or index
// to replace.
func TestDamagedIndexRefusedToLook(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"a.md": page("A", "Harbour dues.")})
	path, name := ix.cfg.Path, ix.genName
	ix.Close()
	meta := filepath.Join(path, name, "index_meta.json")
	if err := os.WriteFile(meta, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Config{Path: path, Inspect: true})
	if err == nil || !strings.HasPrefix(err.Error(), "index cannot be opened: ") {
		t.Fatalf("look at a damaged index: %v; want an error saying so", err)
	}
	if b, err := os.ReadFile(meta); err != nil || string(b) != "{not json" {
		t.Errorf("the damaged index was changed by a look: %q, %v", b, err)
	}
	// A folder without an index: an error, and no index made in it.
	dir := t.TempDir()
	if _, err := Open(context.Background(), Config{Path: dir, Inspect: true}); err == nil || !strings.Contains(err.Error(), "no index in") {
		t.Errorf("look at a folder without an index: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, currentFile)); err == nil {
		t.Error("a look made an index")
	}
}

// TestOpenError: bleve's error for an index written by a newer version
// (an analyser this one lacks) holds the whole mapping; the reason given is
// one short line that says what it likely is.
func TestOpenError(t *testing.T) {
	newer := errors.New("error parsing mapping JSON: error building analyzer: no token filter with name or type 'archivio_fold_v2' registered\nmapping contents:\n" + strings.Repeat(`{"analysis":{}}`, 900))
	got := openError(newer)
	if !strings.HasPrefix(got, "index cannot be opened (was it written by a newer version of Archivio?): error parsing mapping JSON") || strings.Contains(got, "\n") || len(got) > 300 {
		t.Errorf("openError(newer) = %q", got)
	}
	if got := openError(errors.New("unexpected end of JSON input")); got != "index cannot be opened: unexpected end of JSON input" {
		t.Errorf("openError(damaged) = %q", got)
	}
}

// TestNeedsRebuildWaitsAfterFailure checks that a failed rebuild (a full disk
// fails the next one too) is not asked for again at once.
func TestNeedsRebuildWaitsAfterFailure(t *testing.T) {
	ix, fsys := mostlyWaste(t, 1)
	if ix.NeedsRebuild() == "" {
		t.Fatal("NeedsRebuild does not ask with 3 of 4 files removed")
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Rebuild(cancelled, fsys); err == nil {
		t.Fatal("Rebuild with a cancelled context succeeded")
	}
	if r := ix.NeedsRebuild(); r != "" {
		t.Errorf("NeedsRebuild right after a failed rebuild = %q, want quiet", r)
	}
	ix.rebuildFailed.Store(time.Now().Add(-rebuildRetry - time.Minute).UnixNano())
	if ix.NeedsRebuild() == "" {
		t.Error("NeedsRebuild still quiet an hour after the failure")
	}
}

// TestConflictLoserArchivedWhenWinnerGoes checks that a file refused because
// another file had its document id is archived once that file is gone,
// although the refused file itself did not change.
func TestConflictLoserArchivedWhenWinnerGoes(t *testing.T) {
	// A zero time makes every sync read the files again; a fixed one lets
	// the unchanged loser be skipped by its size and time.
	for _, mod := range []time.Time{{}, time.Unix(1700000000, 0)} {
		ix := openTest(t)
		fsys := fstest.MapFS{"report.txt": {Data: []byte("Zebra crossings in the city centre are safer with better lighting.\n"), ModTime: mod}}
		syncTest(t, ix, fsys)
		fsys["report.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Report\nlanguage: en\n---\nAlpaca farming in the Andes.\n"), ModTime: mod}
		syncTest(t, ix, fsys)
		if r := receiptsByFile(t, ix)["report.md"]; r.State != StateFailed || r.ConflictsWith != "report.txt" {
			t.Fatalf("report.md: %s, conflicts with %q (%s); want failed, conflicting with report.txt", r.State, r.ConflictsWith, r.Error)
		}
		delete(fsys, "report.txt")
		sum := syncTest(t, ix, fsys)
		if r := receiptsByFile(t, ix)["report.md"]; r.State != StateArchived || r.ConflictsWith != "" {
			t.Errorf("time %v: report.md after report.txt went: %s, conflicts with %q (%s); want archived", mod, r.State, r.ConflictsWith, r.Error)
		}
		if res, err := ix.Search(context.Background(), Query{Text: "alpaca"}); err != nil || strings.Join(hitIDs(res), ",") != "report" {
			t.Errorf("time %v: search alpaca: %v, %v; want [report]", mod, hitIDs(res), err)
		}
		if !mod.IsZero() && sum.Unchanged != 1 {
			t.Errorf("time %v: the loser was not skipped as unchanged first: %+v", mod, sum)
		}
	}
}

// TestFrontMatterIDIsKept checks the id staff set in front matter or a
// sidecar: the document has that id wherever the file is (before, it was
// qualified by the file's path, so a move changed it), and a second file
// claiming a taken id is refused with the reason.
func TestFrontMatterIDIsKept(t *testing.T) {
	for _, tc := range []struct {
		name, meta string
		data       string
		want       string
	}{
		{"ids/c.md", "", "---\ntitle: Stable\nid: my-stable-id\n---\nText.\n", "my-stable-id"},
		{"moved/elsewhere/renamed-c.md", "", "---\ntitle: Stable\nid: my-stable-id\n---\nText.\n", "my-stable-id"},
		{"notes.txt", "", "Plain text without an id of its own, long enough to be a page.\n", "notes"},
		{"odd/dots.md", "", "---\ntitle: Dots\nid: ..\n---\nText.\n", "odd.dots"}, // /documents/.. is /
		{"data/one.json", "", `{"id": "R-1", "title": "Record", "text": "A record of an export."}`, "data.one"},
	} {
		docs, err := Parse(tc.name, []byte(tc.data), nil)
		if err != nil || len(docs) != 1 || docs[0].ID != tc.want {
			var ids []string
			for _, d := range docs {
				ids = append(ids, d.ID)
			}
			t.Errorf("Parse(%s): ids %v, %v; want [%s]", tc.name, ids, err, tc.want)
		}
	}

	ix := openTest(t)
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: First\nid: my-stable-id\n---\nText.\n")},
		"b.md": {Data: []byte("---\ntitle: Second\nid: my-stable-id\n---\nOther text.\n")},
	}
	syncTest(t, ix, fsys)
	if d, err := ix.Doc(context.Background(), "my-stable-id"); err != nil || d.Title != "First" {
		t.Errorf("Doc(my-stable-id) = %q, %v; want the first file's", d.Title, err)
	}
	if r := receiptsByFile(t, ix)["b.md"]; r.State != StateFailed || !strings.Contains(r.Error, `document id "my-stable-id" is already archived from a.md`) {
		t.Errorf("b.md = %s %q; want failed, naming a.md", r.State, r.Error)
	}
}

// changingFS serves fsys, and replaces the file name by next once the
// file has been opened: an edit made while the file is being read.
type changingFS struct {
	mu   sync.Mutex
	fsys fstest.MapFS
	name string
	next *fstest.MapFile
}

func (c *changingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, err := c.fsys.Open(name)
	if err == nil && name == c.name && c.next != nil {
		c.fsys[name], c.next = c.next, nil
	}
	return f, err
}

// TestRebuildLogsDocumentsInIndex checks that the rebuild's log line gives
// the documents the new index holds, not the documents written: a file
// edited while the rebuild reads it is written twice.
func TestRebuildLogsDocumentsInIndex(t *testing.T) {
	var logs bytes.Buffer
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: t.TempDir() + "/index", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fsys := fstest.MapFS{
		"a.md":    {Data: []byte("---\ntitle: A\n---\nAlpha.\n")},
		"b.md":    {Data: []byte("---\ntitle: B\n---\nBravo.\n")},
		"c.jsonl": {Data: []byte(`{"title": "C1", "text": "Charlie one."}` + "\n" + `{"title": "C2", "text": "Charlie two."}` + "\n")},
	}
	syncTest(t, ix, fsys)
	edited := &fstest.MapFile{Data: []byte("---\ntitle: A\n---\nAlpha, edited.\n"), ModTime: time.Unix(1_700_000_000, 0)}
	if _, err := ix.Rebuild(ctx, &changingFS{fsys: fsys, name: "a.md", next: edited}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `msg="index rebuilt"`) || !strings.Contains(logs.String(), " written=5 ") || !strings.Contains(logs.String(), " documents=4") {
		t.Errorf("rebuild log:\n%s\nwant written=5 (a.md twice) and documents=4", logs.String())
	}
	if d, err := ix.Doc(ctx, "a"); err != nil || !strings.Contains(d.Body, "edited") {
		t.Errorf("a after the rebuild: %q, %v; want the edit", d.Body, err)
	}
}

// TestFrontMatterValuesChecked checks what front matter gives for a
// language (a code, or a language's name) and what it says of values it
// cannot take: the reason, not only that the YAML is wrong.
func TestFrontMatterValuesChecked(t *testing.T) {
	for _, tc := range []struct {
		meta, lang, err string
	}{
		{"language: it", "it", ""},
		{"language: EN", "en", ""},
		{"language: en-GB", "en", ""},
		{"lang: it_IT", "it", ""},
		{"language: Italian", "it", ""},
		{"lang: italiano", "it", ""},
		{"language: Klingonese", "", `language "Klingonese" is not a language code`},
		{"tags: Artificial intelligence", "", "cannot unmarshal !!str `Artific...` into []string"},
	} {
		docs, err := Parse("x.md", []byte("---\ntitle: X\n"+tc.meta+"\n---\nThe harbour committee met on Tuesday.\n"), nil)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.meta, err, tc.err)
			}
		case err != nil || len(docs) != 1 || docs[0].Language != tc.lang:
			t.Errorf("%s: %v, %+v; want language %s", tc.meta, err, docs, tc.lang)
		}
	}
}

// TestLigaturesSpelledOut checks that text with the ligature characters
// PDFs carry is found by words typed without them.
func TestLigaturesSpelledOut(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"x.txt": {Data: []byte("Il ﬁnanziamento e il ﬂusso dei dati nel settore pubblico.\n")}})
	for _, q := range []string{"finanziamento", "flusso"} {
		if res, err := ix.Search(context.Background(), Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("%s: %v, %v; want the document", q, res.Total, err)
		}
	}
}

// TestFrontMatterNotClosed: front matter without its closing --- is an
// error saying so; a Markdown rule at the top of a file is not.
func TestFrontMatterNotClosed(t *testing.T) {
	if _, err := Parse("x.md", []byte("---\ntitle: Unclosed\nkind: opinion\n\nThe harbour committee met on Tuesday.\n"), nil); err == nil || !strings.Contains(err.Error(), "front matter is not closed") {
		t.Errorf("unclosed front matter: %v, want the reason", err)
	}
	docs, err := Parse("y.md", []byte("---\n\nThe harbour committee met on Tuesday, and agreed the dues.\n"), nil)
	if err != nil || len(docs) != 1 {
		t.Errorf("a rule at the top: %v", err)
	}
}

// TestFrontMatterMisspeltKey: a key one slip away from a front-matter key
// is refused with the key, its line and the likely one; keys of other tools
// are ignored.
func TestFrontMatterMisspeltKey(t *testing.T) {
	const body = "The harbour committee met on Tuesday, and agreed the dues.\n"
	tests := []struct {
		front, err string
	}{
		{"title: Harbour dues\ntitel: Harbour", `unknown key "titel" on line 3: did you mean "title"?`},
		{"langauge: it", `unknown key "langauge" on line 2: did you mean "language"?`},
		{"tag: harbour", `did you mean "tags"?`},
		{"Title: Harbour dues", `did you mean "title"?`},
		{"raporteur: Ada Rossi", `did you mean "rapporteur"?`},
		{"data: 2024-03-01", `did you mean "date"?`},
		// YAML errors name the line of the file too, not of the block.
		{"title: Harbour dues\nsummary: \"unclosed\ndate: 2024", `invalid YAML: yaml: line 3: found unexpected end of stream`},
		{"title: Harbour dues\ndate: 2024\n  tags: x", `invalid YAML: yaml: line 4: mapping values are not allowed`},
		// Keys of site generators and others, not slips: ignored.
		{"title: Harbour dues\nlayout: post\ndraft: false\nlink: https://example.org\nauthor: Ada\nstate: final\ncategories: [a]", ""},
		{"title: Harbour dues\nversion: 2\nsection: news\nuid: 20240101\npid: 7", ""},
	}
	for _, tc := range tests {
		docs, err := Parse("x.md", []byte("---\n"+tc.front+"\n---\n"+body), nil)
		switch {
		case tc.err == "" && (err != nil || len(docs) != 1):
			t.Errorf("%q: %v, want the document", tc.front, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want %q", tc.front, err, tc.err)
		}
	}
	// A sidecar is read the same way.
	if _, err := Parse("x.pdf", readTestdata(t, "testdata/formats/opinion.pdf"), []byte("titel: AI\n")); err == nil || !strings.Contains(err.Error(), `unknown key "titel" on line 1: did you mean "title"?`) {
		t.Errorf("sidecar with titel: %v", err)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"title", "title", 0}, {"titel", "title", 1}, {"tag", "tags", 1}, {"link", "lang", 2}, {"", "abc", 3}, {"città", "citta", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
