package indexer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		max  int
		want []string
	}{
		{"short", "one two", 20, []string{"one two"}},
		{"paragraph break", "aaaa bbbb\n\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"line break", "aaaa bbbb\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"space", "aaaa bbbb cccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"no break", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"between characters", "ààààà", 3, []string{"à", "à", "à", "à", "à"}},
		{"empty", "", 4, []string{""}},
	} {
		if got := splitText(tc.s, tc.max); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: splitText(%q, %d) = %q, want %q", tc.name, tc.s, tc.max, got, tc.want)
		}
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("aaaa bbbb\n\ncccc dddd", uint8(12))
	f.Add("ààààà", uint8(3))
	f.Fuzz(func(t *testing.T, s string, m uint8) {
		max := int(m%64) + 4
		parts := splitText(s, max)
		var words []string
		for _, p := range parts {
			if len(p) > max {
				t.Fatalf("part of %d bytes, max %d", len(p), max)
			}
			if utf8.ValidString(s) && !utf8.ValidString(p) {
				t.Fatalf("part %q is not UTF-8", p)
			}
			words = append(words, strings.Fields(p)...)
		}
		// Nothing is lost: the parts hold the text's characters in order
		// (a word may be cut only where it is longer than a part).
		if got, want := strings.Join(words, ""), strings.Join(strings.Fields(s), ""); got != want {
			t.Fatalf("parts %q lose text of %q", parts, s)
		}
	})
}

// TestLargeTextInParts indexes a text larger than several parts and batches:
// every part is searchable, the receipt lists them all, a second sync finds
// the file unchanged, and a shorter version removes the parts it no longer has.
func TestLargeTextInParts(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 5*maxPartBytes+maxPartBytes/2; i++ {
		fmt.Fprintf(&b, "Paragraph %d of the proceedings on cohesion policy and regional budgets.\n\n", i)
	}
	b.WriteString("The last paragraph mentions zanzibarite once.\n")
	ix := openTest(t)
	fsys := fstest.MapFS{"big/proceedings.txt": {Data: []byte(b.String())}}
	syncTest(t, ix, fsys)

	r := receiptsByFile(t, ix)["big/proceedings.txt"]
	if r.State != StateArchived || len(r.Documents) != 6 || r.Checksum == "" || r.Size != int64(b.Len()) {
		t.Fatalf("receipt = %s, %d documents, checksum %q, size %d; want archived, 6 parts, the file's checksum and size", r.State, len(r.Documents), r.Checksum, r.Size)
	}
	if r.Documents[0] != "big.proceedings" || r.Documents[5] != "big.proceedings~part-6" {
		t.Errorf("part ids = %v", r.Documents)
	}
	res, err := ix.Search(context.Background(), Query{Text: "zanzibarite"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "big.proceedings~part-6" || !strings.HasSuffix(res.Hits[0].Title, "(6/6)") {
		t.Fatalf("search for the last paragraph = %+v, %v; want part 6 of 6", res.Hits, err)
	}
	d, err := ix.Doc(context.Background(), "big.proceedings~part-3")
	if err != nil || len(d.Body) > maxPartBytes || !strings.HasPrefix(d.Body, "Paragraph ") {
		t.Errorf("part 3: %d bytes, starts %.20q, %v; want at most %d bytes, starting at a paragraph", len(d.Body), d.Body, err, maxPartBytes)
	}
	if n, _ := ix.Count(context.Background()); n != 6 {
		t.Errorf("documents = %d, want 6", n)
	}
	if sum := syncTest(t, ix, fsys); sum.Unchanged != 1 || sum.Documents != 0 {
		t.Errorf("second sync = %+v, want the file unchanged", sum)
	}

	fsys["big/proceedings.txt"] = &fstest.MapFile{Data: []byte("Now a short text about zanzibarite and nothing else.\n")}
	syncTest(t, ix, fsys)
	if n, _ := ix.Count(context.Background()); n != 1 {
		t.Errorf("documents after the text got short = %d, want 1", n)
	}
	if res, _ := ix.Search(context.Background(), Query{Text: "zanzibarite"}); len(res.Hits) != 1 || res.Hits[0].ID != "big.proceedings" {
		t.Errorf("search after the text got short = %v", hitIDs(res))
	}
}

// TestLargeTextInterimReceipt looks at the index between the batches of one
// large file: the receipt then lists every part written, with no checksum
// and no size, so that a crash at that point makes the next start read the
// file again (and a file removed meanwhile takes its parts with it).
func TestLargeTextInterimReceipt(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 6*maxPartBytes; i++ {
		fmt.Fprintf(&b, "Paragraph %d on cohesion policy and regional budgets in the proceedings.\n\n", i)
	}
	var ix *Index
	var interim []Receipt
	var missing []string // ids an interim receipt lists that the index did not have then
	var shown []Receipt  // interim receipts Receipts gave (staff and the API see none)
	record := false
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", Progress: func(Progress) {
		rs, err := ix.Receipts(context.Background())
		for _, r := range rs {
			if r.Size == interimSize {
				shown = append(shown, r)
			}
		}
		r := ix.receipt("big.txt") // as the index holds it
		if !record || err != nil || r == nil {
			return
		}
		interim = append(interim, *r)
		if r.Size == interimSize {
			for _, id := range r.Documents {
				if _, err := ix.Doc(context.Background(), id); err != nil {
					missing = append(missing, id)
				}
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// A longer version first: its last parts are still in the index while
	// the shorter one is written, and the interim receipt must list them.
	var more strings.Builder
	for i := 0; more.Len() < 2*maxPartBytes; i++ {
		fmt.Fprintf(&more, "Paragraph %d of the older, longer version.\n\n", i)
	}
	longer := b.String() + more.String()
	syncTest(t, ix, fstest.MapFS{"big.txt": {Data: []byte(longer)}})
	old := receiptsByFile(t, ix)["big.txt"].Documents
	record = true
	syncTest(t, ix, fstest.MapFS{"big.txt": {Data: []byte(b.String())}})
	if len(interim) < 2 {
		t.Fatalf("%d batches with a receipt, want an interim one and the last", len(interim))
	}
	first := interim[0]
	parts := len(splitText(b.String(), maxPartBytes))
	if first.Checksum != "" || first.Size != interimSize {
		t.Errorf("interim receipt: checksum %q, size %d; want none, %d", first.Checksum, first.Size, interimSize)
	}
	if len(missing) > 0 {
		t.Errorf("interim receipts list %v, which the index did not have then", missing)
	}
	if len(shown) > 0 {
		t.Errorf("Receipts gave %d interim receipts (size %d, no checksum), want the file's last receipt until it is written", len(shown), interimSize)
	}
	for _, id := range old {
		if !slices.Contains(first.Documents, id) {
			t.Errorf("interim receipt does not list %s, a part of the older version still in the index", id)
		}
	}
	if len(old) <= parts {
		t.Fatalf("the older version has %d parts, want more than the %d of the newer", len(old), parts)
	}
	if n, _ := ix.Count(context.Background()); n != uint64(parts) {
		t.Errorf("documents after the shorter version = %d, want %d", n, parts)
	}
	if last := interim[len(interim)-1]; last.Checksum == "" || len(last.Documents) != parts {
		t.Errorf("last receipt: checksum %q, %d documents; want the file's, %d parts", last.Checksum, len(last.Documents), parts)
	}
}

// TestInterimReceiptThenFailure checks a file whose last update stopped
// between its batches (an interim receipt) and which then fails: the parts
// left behind are no version of the file and are removed, not kept as its
// last good version.
func TestInterimReceiptThenFailure(t *testing.T) {
	ix := openTest(t)
	var b strings.Builder
	for i := 0; b.Len() < 2*maxPartBytes; i++ {
		fmt.Fprintf(&b, "Paragraph %d on cohesion policy for mountain regions.\n\n", i)
	}
	fsys := fstest.MapFS{"big.txt": {Data: []byte(b.String())}}
	syncTest(t, ix, fsys)
	r := receiptsByFile(t, ix)["big.txt"]
	if len(r.Documents) < 2 {
		t.Fatalf("%d parts, want at least 2", len(r.Documents))
	}
	// What a crash between two batches leaves: an interim receipt, listing
	// the parts written and the older ones still there.
	w := ix.newWriter(context.Background(), &Summary{}, 1, time.Now())
	if err := w.putReceipt(&Receipt{File: "big.txt", State: StateArchived, Size: interimSize, Documents: r.Documents}); err != nil {
		t.Fatal(err)
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	fsys["big.txt"] = &fstest.MapFile{Data: []byte("---\ntitle: [oops\n---\nbroken\n")}
	syncTest(t, ix, fsys)
	if r := receiptsByFile(t, ix)["big.txt"]; r.State != StateFailed || len(r.Documents) != 0 {
		t.Errorf("after the failure: %s with %d documents, want failed with none", r.State, len(r.Documents))
	}
	if n, err := ix.Count(context.Background()); err != nil || n != 0 {
		t.Errorf("documents left: %d, %v; want none", n, err)
	}
}

// TestOneLineHeading: a Markdown file of one line, a heading that runs on
// for megabytes, is archived in parts whose title is cut short (it was the
// whole text, copied into every part: a 30 MB file took the server past
// 6 GB).
func TestOneLineHeading(t *testing.T) {
	text := "# Nonewline " + strings.Repeat("transparency cities digital budget ", 90_000) // 3 MB, no newline
	docs, err := Parse("nonl.md", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 3 {
		t.Fatalf("%d documents, want the text in parts", len(docs))
	}
	body := 0
	for _, d := range docs {
		if n := utf8.RuneCountInString(d.Title); n > maxTitle+20 || !strings.HasPrefix(d.Title, "Nonewline transparency") {
			t.Errorf("%s: title of %d characters starting %q, want at most %d", d.ID, n, d.Title[:min(len(d.Title), 30)], maxTitle)
		}
		body += len(d.Body)
	}
	if body < len(text)-1000 {
		t.Errorf("parts hold %d bytes of text, want the %d of the file", body, len(text))
	}
}
