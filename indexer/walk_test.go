package indexer

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// lockedFS refuses to open dir and everything below it, as a folder without
// read permission does (the tests run as root, which chmod does not stop).
type lockedFS struct {
	fs.FS
	dir string
}

func (l lockedFS) Open(name string) (fs.File, error) {
	if name == l.dir || strings.HasPrefix(name, l.dir+"/") || l.dir == "." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return l.FS.Open(name)
}

// TestUnreadableFolder checks that a folder that cannot be read is reported
// as a problem of its own, that the files archived from it stay, and that
// the rest of the corpus is indexed as usual.
func TestUnreadableFolder(t *testing.T) {
	ctx := context.Background()
	ix := openTest(t)
	page := func(text string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + text + "\nlanguage: en\n---\n" + text + " text.\n")}
	}
	fsys := fstest.MapFS{"open/a.md": page("Alpha"), "locked/b.md": page("Bravo"), "locked/sub/c.md": page("Charlie")}
	syncTest(t, ix, fsys)

	fsys["open/new.md"] = page("Delta")
	sum, err := ix.Sync(ctx, lockedFS{fsys, "locked"})
	if err != nil {
		t.Fatalf("Sync with an unreadable folder: %v", err)
	}
	if sum.Added != 1 || sum.Failed != 1 || sum.Removed != 0 {
		t.Errorf("Sync with an unreadable folder = %+v; want 1 added (open/new.md), 1 failed (the folder), none removed", sum)
	}
	rs := receiptsByFile(t, ix)
	if r := rs["locked/"]; r.State != StateFailed || !strings.Contains(r.Error, "cannot read folder: permission denied") || !strings.Contains(r.Error, "stay archived") {
		t.Errorf("receipt of the folder = %s %q; want failed, saying it cannot be read and the files stay", r.State, r.Error)
	}
	for _, q := range []string{"bravo", "charlie", "delta", "alpha"} {
		if res, err := ix.Search(ctx, Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("search %q with the folder unreadable: %d hits, %v; want 1", q, res.Total, err)
		}
	}
	if sum, err := ix.Sync(ctx, lockedFS{fsys, "locked"}); err != nil || sum.Failed != 0 || sum.Unchanged != 3 {
		t.Errorf("second Sync with the folder unreadable = %+v, %v; want 3 unchanged (the 2 readable files and the folder)", sum, err)
	}

	// A rebuild cannot read the folder either: the live index's files from
	// it are carried over, and the folder's problem stays.
	if _, err := ix.Rebuild(ctx, lockedFS{fsys, "locked"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"bravo", "charlie", "delta", "alpha"} {
		if res, err := ix.Search(ctx, Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("search %q after a rebuild with the folder unreadable: %d hits, %v; want 1", q, res.Total, err)
		}
	}
	rs = receiptsByFile(t, ix)
	if rs["locked/b.md"].State != StateArchived || rs["locked/sub/c.md"].State != StateArchived || rs["locked/"].State != StateFailed {
		t.Errorf("receipts after the rebuild: b %s, c %s, folder %s; want archived, archived, failed", rs["locked/b.md"].State, rs["locked/sub/c.md"].State, rs["locked/"].State)
	}

	// Readable again: the folder's problem goes, a file added meanwhile comes in.
	fsys["locked/d.md"] = page("Echo")
	syncTest(t, ix, fsys)
	rs = receiptsByFile(t, ix)
	if _, ok := rs["locked/"]; ok {
		t.Errorf("the folder's problem stays after it became readable: %+v", rs["locked/"])
	}
	if r := rs["locked/d.md"]; r.State != StateArchived {
		t.Errorf("locked/d.md = %s %q, want archived", r.State, r.Error)
	}

	// An unreadable corpus root is an error, and nothing is removed.
	if _, err := ix.Sync(ctx, lockedFS{fsys, "."}); err == nil {
		t.Error("Sync of an unreadable corpus root: no error")
	}
	if n, err := ix.Count(ctx); err != nil || n != 5 {
		t.Errorf("documents after a failed sync = %d, %v; want 5", n, err)
	}

	problems, files, err := Check(ctx, lockedFS{fsys, "locked"}, 0)
	if err != nil || files != 2 || len(problems) != 1 || problems[0].File != "locked/" || !strings.Contains(problems[0].Error, "cannot read folder") {
		t.Errorf("Check with an unreadable folder = %+v, %d files, %v; want the folder as the one problem and 2 files", problems, files, err)
	}
}

// TestWalkSymlinkLoop checks that a symbolic link that loops, given as the
// path to update, is one entry (a link, which the update fails with its
// reason), not an error that fails the whole batch.
func TestWalkSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("self", filepath.Join(dir, "self")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var got []string
	err := walkFiles(os.DirFS(dir), "self", func(name string, d fs.DirEntry) {
		got = append(got, name)
		if d.Type()&fs.ModeSymlink == 0 {
			t.Errorf("%s visited as %v, want a symbolic link", name, d.Type())
		}
	}, func(dir string, err error) { t.Errorf("unreadable(%s, %v)", dir, err) })
	if err != nil || len(got) != 1 || got[0] != "self" {
		t.Errorf("walk of a looping link = %v, %v; want [self] and no error", got, err)
	}
}

// TestNonUTF8FileName checks a file whose name is not UTF-8 (as old Windows
// or Latin-1 archives have): it fails with the reason, once, and a later
// sync, after a restart too, finds it unchanged instead of removing and
// failing it again.
func TestNonUTF8FileName(t *testing.T) {
	dir := t.TempDir()
	bad := "bad\xe0name.txt"
	if err := os.WriteFile(filepath.Join(dir, bad), []byte("A text about regional budgets, long enough.\n"), 0o644); err != nil {
		t.Skip("this file system refuses a name that is not UTF-8:", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "good.txt"), []byte("A text about cohesion funds, long enough.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(context.Background(), Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ix.Sync(context.Background(), os.DirFS(dir))
	if err != nil || sum.Added != 1 || sum.Failed != 1 {
		t.Fatalf("first Sync = %+v, %v; want 1 added, 1 failed", sum, err)
	}
	r := receiptsByFile(t, ix)["bad\uFFFDname.txt"]
	if r.State != StateFailed || !strings.Contains(r.Error, "not UTF-8") {
		t.Errorf("receipt of the badly named file = %s %q; want failed, saying the name is not UTF-8", r.State, r.Error)
	}
	ix.Close()
	if ix, err = Open(context.Background(), Config{Path: path}); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if sum, err := ix.Sync(context.Background(), os.DirFS(dir)); err != nil || sum.Unchanged != 2 || sum.Removed != 0 || sum.Failed != 0 {
		t.Errorf("Sync after a restart = %+v, %v; want 2 unchanged", sum, err)
	}
	// A watcher names such a file as it is on disk: the update finds it
	// through its folder (fs.FS cannot open the name).
	bad2 := "sub/other\xe8.txt"
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(bad2)), []byte("Another text, long enough to be read.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err = ix.Update(context.Background(), os.DirFS(dir), []string{bad2})
	if err != nil || sum.Failed != 1 || sum.Removed != 0 {
		t.Errorf("Update(%q) = %+v, %v; want it failed for its name", bad2, sum, err)
	}
	if r := receiptsByFile(t, ix)["sub/other\uFFFD.txt"]; r.State != StateFailed || !strings.Contains(r.Error, "not UTF-8") {
		t.Errorf("receipt of %q = %+v; want failed, saying the name is not UTF-8", bad2, r)
	}
}

// TestFolderReplacedByFile replaces a folder of archived files by a file of
// the same name, as a watcher reports it (the folder and its files changed):
// the files are gone and the new file is archived, with no problem left.
func TestFolderReplacedByFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, f := range []string{"verbale/a.md", "verbale/b.md"} {
		writeFile(t, filepath.Join(dir, f), "---\ntitle: "+f+"\n---\nMinutes of the okapimoth meeting.\n")
	}
	ix := openTest(t)
	if _, err := ix.Sync(ctx, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "verbale")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "verbale"), "The minutes as one file, about the gnuberry.\n")
	sum, err := ix.Update(ctx, os.DirFS(dir), []string{"verbale", "verbale/a.md", "verbale/b.md"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != 2 {
		t.Errorf("update: %+v; want the two files removed", sum)
	}
	rs, _ := ix.Receipts(ctx)
	var files []string
	for _, r := range rs {
		files = append(files, r.File+" "+r.State)
	}
	if !slices.Equal(files, []string{"verbale failed"}) {
		t.Errorf("receipts %v, want only the new file (failed: no extension), no folder problem", files)
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIgnored(t *testing.T) {
	tests := []struct {
		name, reason string
	}{
		{"notes/.hidden.md", "hidden file"},
		{"Thumbs.db", "system file"},
		{"scans/Icon\r", "system file"}, // macOS folder icon
		{"~$report.docx", "temporary file"},
		{"nota.md.kate-swp", "temporary file"},
		{"nota.md.crswap", "temporary file"},
		{"report.pdf.crdownload", "temporary file"},
		{"in/report.md.download/report.md", "temporary file"}, // Safari's download folder
		{"film.mkv.!ut", "temporary file"},
		{"notes/report.md", ""},
		{"downloads/report.md", ""},
		{"Icon.md", ""},
	}
	for _, tc := range tests {
		if reason, _ := Ignored(tc.name); reason != tc.reason {
			t.Errorf("Ignored(%q) = %q, want %q", tc.name, reason, tc.reason)
		}
	}
}

// TestCorpusFolderGone: when the corpus folder itself goes (a network share
// unmounted, the folder moved away), a sync fails and removes nothing; it
// removed every file.
func TestCorpusFolderGone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "share", "corpus")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("A text about regional budgets, long enough.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix := openTest(t)
	if sum, err := ix.Sync(context.Background(), os.DirFS(dir)); err != nil || sum.Added != 1 {
		t.Fatalf("Sync = %+v, %v", sum, err)
	}
	if err := os.Rename(filepath.Dir(dir), filepath.Dir(dir)+"-offline"); err != nil {
		t.Fatal(err)
	}
	sum, err := ix.Sync(context.Background(), os.DirFS(dir))
	if err == nil || sum.Removed != 0 {
		t.Errorf("Sync of a corpus folder that is gone = %+v, %v; want an error and nothing removed", sum, err)
	}
	if n, _ := ix.Count(context.Background()); n != 1 {
		t.Errorf("%d documents left, want 1", n)
	}
}

// TestCorpusFolderEmptied: a corpus folder found with no files at all but
// ignored ones (the mount point of a share that is not mounted, where a
// file browser left a Thumbs.db) is an error that removes
// nothing, as a folder that is gone is, and a rebuild from it fails,
// keeping the live archive; it removed every file. A folder
// with files again is read as usual, and removing all but one file works.
func TestCorpusFolderEmptied(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "A text about regional budgets, long enough.\n")
	write("b.txt", "A text about cohesion policy, long enough too.\n")
	ix := openTest(t)
	ctx := context.Background()
	if sum, err := ix.Sync(ctx, os.DirFS(dir)); err != nil || sum.Added != 2 {
		t.Fatalf("Sync = %+v, %v", sum, err)
	}
	for _, f := range []string{"a.txt", "b.txt"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	// What a file browser leaves in a mount point is no document.
	write("Thumbs.db", "\x00\x01")
	write(".DS_Store", "\x00\x01")
	want := "the corpus folder has no files to archive, and 2 archived files would be removed: nothing is removed (is a share not mounted?); to empty the archive on purpose, stop Archivio and delete its index folder " + ix.cfg.Path
	sum, err := ix.Sync(ctx, os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), want) || sum.Removed != 0 {
		t.Errorf("Sync of an emptied corpus folder = %+v, %v; want an error saying %q", sum, err, want)
	}
	// The watcher's update of the paths that went (the files moved away
	// at once) says the same.
	sum, err = ix.Update(ctx, os.DirFS(dir), []string{"a.txt", "b.txt"})
	if err == nil || !strings.Contains(err.Error(), want) || sum.Removed != 0 {
		t.Errorf("Update of every file gone = %+v, %v; want an error saying %q", sum, err, want)
	}
	if n, _ := ix.Count(ctx); n != 2 {
		t.Errorf("%d documents left, want 2", n)
	}
	// Nor does a rebuild from it replace the archive with nothing.
	if _, err := ix.Rebuild(ctx, os.DirFS(dir)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Rebuild from an emptied corpus folder: %v, want an error", err)
	}
	if n, _ := ix.Count(ctx); n != 2 {
		t.Errorf("%d documents left after the rebuild, want 2", n)
	}
	write("b.txt", "A text about cohesion policy, long enough too.\n")
	if sum, err := ix.Sync(ctx, os.DirFS(dir)); err != nil || sum.Removed != 1 {
		t.Errorf("Sync with one file back = %+v, %v; want a.txt removed", sum, err)
	}
	if n, _ := ix.Count(ctx); n != 1 {
		t.Errorf("%d documents left, want 1", n)
	}
	// One file of two moved away is removed as usual.
	write("c.txt", "A text about rural development, long enough as well.\n")
	if _, err := ix.Update(ctx, os.DirFS(dir), []string{"c.txt"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "c.txt")); err != nil {
		t.Fatal(err)
	}
	if sum, err := ix.Update(ctx, os.DirFS(dir), []string{"c.txt"}); err != nil || sum.Removed != 1 {
		t.Errorf("Update of one file of two gone = %+v, %v; want it removed", sum, err)
	}
}
