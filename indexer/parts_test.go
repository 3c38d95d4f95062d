package indexer

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
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
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", Progress: func(Progress) {
		rs, err := ix.Receipts(context.Background())
		if err == nil && len(rs) == 1 {
			interim = append(interim, rs[0])
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	syncTest(t, ix, fstest.MapFS{"big.txt": {Data: []byte(b.String())}})
	if len(interim) < 2 {
		t.Fatalf("%d batches with a receipt, want an interim one and the last", len(interim))
	}
	first := interim[0]
	parts := len(splitText(b.String(), maxPartBytes))
	if first.Checksum != "" || first.Size != -1 || len(first.Documents) == 0 || len(first.Documents) >= parts {
		t.Errorf("interim receipt: checksum %q, size %d, %d documents; want none, -1, the parts written so far", first.Checksum, first.Size, len(first.Documents))
	}
	for _, id := range first.Documents {
		if _, err := ix.Doc(context.Background(), id); err != nil {
			t.Errorf("interim receipt lists %s, which is not in the index: %v", id, err)
		}
	}
	if last := interim[len(interim)-1]; last.Checksum == "" || len(last.Documents) != parts {
		t.Errorf("last receipt: checksum %q, %d documents; want the file's, %d parts", last.Checksum, len(last.Documents), parts)
	}
}
