package indexer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSymlinksNotFollowed makes a corpus with links to a file and a folder
// outside it. Neither is read: their receipts say why, and the outside text
// cannot be found.
func TestSymlinksNotFollowed(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	corpus := filepath.Join(root, "corpus")
	for _, d := range []string{filepath.Join(outside, "dir"), corpus} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "secret.txt"), "Quagmirefile holds the outside secret.\n")
	write(filepath.Join(outside, "dir", "inner.txt"), "Quagmirefolder holds the inner secret.\n")
	write(filepath.Join(corpus, "real.txt"), "A real corpus document about digital services.\n")
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(corpus, "link.txt")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := os.Symlink("../outside/dir", filepath.Join(corpus, "linkdir")); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(root, "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fsys := os.DirFS(corpus)
	if _, err := ix.Sync(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	// A watcher may name a file below the linked folder, or a path with "..".
	if _, err := ix.Update(ctx, fsys, []string{"linkdir/inner.txt", "../outside/secret.txt", "linkdir/../../outside/secret.txt"}); err != nil {
		t.Fatal(err)
	}
	rs, err := ix.Receipts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Receipt{}
	for _, r := range rs {
		got[r.File] = r
	}
	if r := got["real.txt"]; r.State != StateArchived {
		t.Errorf("real.txt: state %q (%s), want archived", r.State, r.Error)
	}
	for _, name := range []string{"link.txt", "linkdir", "linkdir/inner.txt"} {
		r, ok := got[name]
		if !ok {
			continue // not even looked at is fine
		}
		if r.State != StateFailed || !strings.Contains(r.Error, "symbolic link, not followed (copy the file into the corpus instead)") || len(r.Documents) > 0 {
			t.Errorf("%s: state %q, error %q, %d documents; want failed because of the symbolic link", name, r.State, r.Error, len(r.Documents))
		}
	}
	if _, ok := got["link.txt"]; !ok {
		t.Errorf("link.txt has no receipt; want one that says it was not followed")
	}
	for f := range got {
		if strings.Contains(f, "..") || strings.Contains(f, "outside") {
			t.Errorf("a receipt names a file outside the corpus: %q", f)
		}
	}
	for _, q := range []string{"quagmirefile", "quagmirefolder", "secret"} {
		res, err := ix.Search(ctx, Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 {
			t.Errorf("Search(%q) found %d documents: outside content was indexed", q, res.Total)
		}
	}
	// The corpus FS itself refuses paths out of it.
	if _, err := fs.ReadFile(fsys, "../outside/secret.txt"); err == nil {
		t.Errorf("os.DirFS read a path with ..")
	}
}

// bombDocx returns a DOCX whose document.xml inflates to about n bytes of
// paragraphs; with lie set, its header claims 1 KiB.
func bombDocx(t *testing.T, n int, lie bool) []byte {
	t.Helper()
	const head = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	const para = `<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>`
	const tail = `</w:body></w:document>`
	var data bytes.Buffer
	fw, _ := flate.NewWriter(&data, flate.BestSpeed)
	crc := crc32.NewIEEE()
	size := 0
	put := func(s string) {
		fw.Write([]byte(s))
		crc.Write([]byte(s))
		size += len(s)
	}
	put(head)
	for size < n-len(tail) {
		put(para)
	}
	put(tail)
	fw.Close()
	declared := uint64(size)
	if lie {
		declared = 1024
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	ct, _ := zw.Create("[Content_Types].xml")
	ct.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: uint64(data.Len()), UncompressedSize64: declared, CRC32: crc.Sum32(),
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data.Bytes())
	zw.Close()
	return buf.Bytes()
}

// TestDocxZipBomb parses DOCX files that inflate to hundreds of MiB: Parse
// refuses them or returns bounded text, without using unbounded memory.
func TestDocxZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 100 MiB zip bombs")
	}
	for _, tc := range []struct {
		name string
		size int
		lie  bool
	}{
		{"honest header", 100 << 20, false},
		{"lying header", 100 << 20, true},
		{"under the DOCX cap", 16 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bomb := bombDocx(t, tc.size, tc.lie)
			if len(bomb) > 4<<20 {
				t.Fatalf("bomb is %d bytes; the test wants a small file", len(bomb))
			}
			runtime.GC()
			stop := heapPeak()
			docs, err := Parse("bomb.docx", bomb, nil)
			high := stop()
			total := 0
			for _, d := range docs {
				total += len(d.Body)
			}
			t.Logf("%d-byte file inflating to %d MiB: %d bytes of text, error %v; heap peak %d MiB", len(bomb), tc.size>>20, total, err, high>>20)
			if err == nil && total > 64<<20 {
				t.Errorf("Parse of a %d-byte bomb returned %d MiB of text", len(bomb), total>>20)
			}
			if high > 1<<30 {
				t.Errorf("Parse of a %d-byte file took the heap to %d MiB", len(bomb), high>>20)
			}
		})
	}
}

// heapPeak samples the heap until the returned function is called, which
// returns the largest heap seen.
func heapPeak() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var high uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			high = max(high, ms.HeapAlloc)
			select {
			case <-done:
				result <- high
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}

// TestHostileFrontMatter parses YAML front matter and sidecars built to
// exhaust memory or time: each gives a clear error.
func TestHostileFrontMatter(t *testing.T) {
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n"
		prev = n
	}
	laughs += "title: *i\n"
	tests := []struct {
		name   string
		yaml   string
		errHas string
	}{
		{"billion laughs", laughs, "YAML"},
		{"100k-deep flow nesting", strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000), "allowed"},
		{"30k-deep flow nesting", "tags: " + strings.Repeat("[", 30_000) + strings.Repeat("]", 30_000), "YAML"},
		{"10k-deep block nesting", deepBlock(10_000), "allowed"},
		{"1 MiB of front matter", "summary: " + strings.Repeat("x", 1<<20), "allowed"},
		{"tag as a map", "tags: {a: b}\n", "YAML"},
		{"unknown kind", "kind: <script>\n", "unknown kind"},
		{"bad date", "date: yesterday\n", "not a date"},
		{"merge key loop", "a: &a {b: 1}\nc: {<<: *a, <<: *a}\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, how := range []string{"front matter", "sidecar"} {
				var docs []Document
				var err error
				if how == "front matter" {
					docs, err = Parse("doc.md", []byte("---\n"+tc.yaml+"\n---\nBody text.\n"), nil)
				} else {
					docs, err = Parse("doc.md", []byte("Body text.\n"), []byte(tc.yaml))
				}
				if tc.errHas == "" {
					if err != nil {
						t.Errorf("%s: %v, want no error", how, err)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s: no error (title %.40q), want one with %q", how, docs[0].Title, tc.errHas)
					continue
				}
				if !strings.Contains(err.Error(), tc.errHas) || len(err.Error()) > 300 || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s: error %.300q; want one short line with %q", how, err.Error(), tc.errHas)
				}
			}
		})
	}
}

// deepBlock is YAML mappings nested n deep, one level per line.
func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}
