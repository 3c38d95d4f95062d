package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDocStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), docsFile)
	s, err := openDocStore(path)
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{`{"id":"a","title":"First"}`, `{"id":"b","body":"` + strings.Repeat("regional budget ", 500) + `"}`, `{}`}
	var locs []string
	for _, d := range docs {
		loc, _, err := s.put([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	if err := s.sync(); err != nil {
		t.Fatal(err)
	}
	s.close()

	// Reopened, every record reads back as written.
	s, err = openDocStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	for i, loc := range locs {
		got, err := s.get(loc)
		if err != nil || string(got) != docs[i] {
			t.Errorf("get(%s) = %.40q, %v; want %.40q", loc, got, err, docs[i])
		}
	}

	for _, tc := range []struct{ loc, want string }{
		{"", "bad location"},
		{"12", "bad location"},
		{"-1:10", "bad location"},
		{"0:2", "bad location"},
		{"x:10", "bad location"},
		{"0:999999999999", "bad location"},
		{"1000000:10", "past the end"},
	} {
		if _, err := s.get(tc.loc); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("get(%q) error = %v, want %q", tc.loc, err, tc.want)
		}
	}

	// A damaged record is refused, not returned.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{'!'}, 6); err != nil { // inside the first record's payload
		t.Fatal(err)
	}
	f.Close()
	if _, err := s.get(locs[0]); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("damaged record: error = %v, want a checksum mismatch", err)
	}
	if got, err := s.get(locs[1]); err != nil || string(got) != docs[1] {
		t.Errorf("the record after a damaged one: %v", err)
	}
}

// TestMissingDocStoreRebuilds: an index generation whose document store is
// gone cannot serve its documents; it is replaced by a new one and the next
// Sync fills it from the corpus.
func TestMissingDocStoreRebuilds(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	corpus := fstest.MapFS{"a.md": {Data: []byte("# Budget\n\nThe regional budget for 2024.\n")}}
	ix, err := Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	syncTest(t, ix, corpus)
	gen := ix.genName
	ix.Close()
	if err := os.Remove(filepath.Join(path, gen, docsFile)); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.genName == gen {
		t.Fatalf("generation %s without its document store was kept", gen)
	}
	if sum := syncTest(t, ix, corpus); sum.Documents != 1 {
		t.Errorf("sync after the rebuild wrote %d documents, want 1", sum.Documents)
	}
	res, err := ix.Search(ctx, Query{Text: "budget"})
	if err != nil || res.Total != 1 || res.Hits[0].Title != "Budget" {
		t.Errorf("search after the rebuild: %+v, %v", res.Hits, err)
	}
}

func TestSearchAfterClose(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	syncTest(t, ix, fstest.MapFS{"a.md": {Data: []byte("# Budget\n\nThe regional budget.\n")}})
	res, err := ix.Search(ctx, Query{Text: "budget"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search before Close: %+v, %v", res.Hits, err)
	}
	id := res.Hits[0].ID
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(ctx, Query{Text: "budget"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
	if _, err := ix.Count(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Count after Close: %v, want ErrClosed", err)
	}
	if _, err := ix.Doc(ctx, id); !errors.Is(err, ErrClosed) {
		t.Errorf("Doc(%q) after Close: %v, want ErrClosed", id, err)
	}
}
