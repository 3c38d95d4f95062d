package indexer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// fuzzExts are the extensions FuzzParse gives its file names: every format Parse reads.
var fuzzExts = []string{".txt", ".md", ".html", ".pdf", ".docx", ".csv", ".json", ".jsonl"}

// fuzzSeedFiles returns the real sample files under testdata (the seeds and
// whatever samples the format parsers keep there), up to 1 MiB each.
func fuzzSeedFiles(f *testing.F) map[string][]byte {
	f.Helper()
	out := map[string][]byte{}
	filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.EqualFold(d.Name(), "SOURCE.md") {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > 1<<20 {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil {
			out[filepath.ToSlash(p)] = b
		}
		return nil
	})
	if len(out) == 0 {
		f.Fatal("no seed files under testdata")
	}
	return out
}

// fuzzDocx builds a minimal DOCX holding one paragraph per text.
func fuzzDocx(texts ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	w, _ = zw.Create("word/document.xml")
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, t := range texts {
		doc.WriteString(`<w:p><w:r><w:t>` + t + `</w:t></w:r></w:p>`)
	}
	doc.WriteString(`</w:body></w:document>`)
	w.Write([]byte(doc.String()))
	zw.Close()
	return buf.Bytes()
}

// fuzzPDF is a tiny hand-made PDF with one line of text.
const fuzzPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n" +
	"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 72 720 Td (Digital public services) Tj ET\nendstream endobj\n" +
	"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// FuzzParse feeds Parse every format with arbitrary content and sidecar
// metadata. Parse must not panic, and what it returns must be whole.
func FuzzParse(f *testing.F) {
	for name, b := range fuzzSeedFiles(f) {
		ext := strings.ToLower(path.Ext(name))
		for i, e := range fuzzExts {
			if e == ext || (ext == ".fodt" && e == ".html") {
				f.Add(uint8(i), b, []byte(nil))
			}
		}
	}
	f.Add(uint8(0), []byte("---\ntitle: T\nkind: opinion\ndate: 2024-01-02\n---\n1. First.\n2. Second.\n"), []byte("tags: [a, b]\n"))
	f.Add(uint8(1), []byte("# Title\n\nSome *Markdown* with a [link](http://x) and <b>html</b>.\n"), []byte(nil))
	f.Add(uint8(2), []byte("<html><head><title>T</title></head><body><main><h1>H</h1><p>Text &amp; more</p></main></body></html>"), []byte(nil))
	f.Add(uint8(3), []byte(fuzzPDF), []byte("title: From sidecar\n"))
	f.Add(uint8(4), fuzzDocx("Opinion of the Committee", "1. First paragraph.", "2. Second <b>"), []byte(nil))
	f.Add(uint8(5), []byte("Identifier,Title,Country,Status\nIT0034,Open data,Italy,Complete\nIT0035,\"Quoted, title\",Italy,\n"), []byte(nil))
	f.Add(uint8(6), []byte(`[{"id":"a","title":"One","text":"Body"},{"id":"b","title":"Two"}]`), []byte(nil))
	f.Add(uint8(7), []byte("{\"id\":\"a\",\"title\":\"One\"}\n{\"id\":\"b\",\"title\":\"Two\"}\n"), []byte(nil))
	f.Fuzz(func(t *testing.T, ext uint8, b, meta []byte) {
		name := "dir/file" + fuzzExts[int(ext)%len(fuzzExts)]
		if len(meta) == 0 {
			meta = nil
		}
		docs, err := Parse(name, b, meta)
		if err != nil {
			if docs != nil {
				t.Errorf("Parse returned %d documents with error %v", len(docs), err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error has more than one line: %q", err.Error())
			}
			return
		}
		if len(docs) == 0 {
			t.Fatal("Parse returned no documents and no error")
		}
		ids := map[string]bool{}
		for _, d := range docs {
			if d.ID == "" || ids[d.ID] {
				t.Errorf("document id %q empty or repeated", d.ID)
			}
			ids[d.ID] = true
			if d.Source != name {
				t.Errorf("Source = %q, want %q", d.Source, name)
			}
			switch d.Kind {
			case KindOpinion, KindFactsheet, KindCommitment, KindPage:
			default:
				t.Errorf("Kind = %q", d.Kind)
			}
			if strings.TrimSpace(d.Title) == "" || d.Language == "" {
				t.Errorf("document %q: title %q, language %q; want both set", d.ID, d.Title, d.Language)
			}
			if !utf8.ValidString(d.Title) || !utf8.ValidString(d.Body) {
				t.Errorf("document %q: title or body is not valid UTF-8", d.ID)
			}
			// The index must take what Parse returns.
			_ = indexable(&d, "0:4")
		}
	})
}

// FuzzSplitFrontMatter checks that any text splits without panic, that a
// text without front matter is left whole, and that the body is the end of
// the text.
func FuzzSplitFrontMatter(f *testing.F) {
	for name, b := range fuzzSeedFiles(f) {
		if ext := path.Ext(name); ext == ".md" || ext == ".txt" {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"---\ntitle: T\n---\nbody",
		"\ufeff---\r\ntitle: T\r\n...\r\nbody",
		"---\n---\n",
		"---\nno end",
		"---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n",
		"---\nrapporteur: {name: N, country: IT}\ntags: [a]\nreferences: [R1]\n---\n",
		"---\nkind: nonsense\n---\n",
		"---\ndate: 2024-13-45\n---\n",
		"---\n" + strings.Repeat("[", 5000) + "\n---\n",
		"---\n: : :\n\t- x\n---\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, body, err := splitFrontMatter(text)
		if err != nil {
			if m != nil || body != "" {
				t.Errorf("error %v with meta %v and body %q", err, m, body)
			}
			return
		}
		if m == nil && body != text {
			t.Errorf("no front matter but body %q differs from text", body)
		}
		if !strings.HasSuffix(text, body) {
			t.Errorf("body %q is not the end of the text", body)
		}
		if m != nil {
			var d Document
			m.apply(&d)
		}
	})
}

// FuzzParseQueryString checks the query parser's guarantees on any input:
// no panic, errors are QueryErrors, limits hold, and the bleve query built
// from the clauses can be made.
func FuzzParseQueryString(f *testing.F) {
	for _, s := range []string{
		"digital public", `"open government" -data`, "digi* govern~2", "kind:opinion commission:ECON",
		".*", "/.*/", "*a*b*c*", "a*", "w~2 w~2", "dig?tal", "\x00", "\xff\xfe", `"unbalanced`, "-", "+x",
		"CDR 3529/2017", "ECON-VII/038", "x~99999999999999999999", "a:b:c", "~~~", "*~", "-\"\"", "kind:", ":x",
		strings.Repeat("a ", 40), strings.Repeat("abc* ", 9), "été~1 Ω*", "日本語 テスト*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		clauses, err := parseQueryString(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Fatalf("error %v is not a QueryError with a message", err)
			}
			return
		}
		if n := utf8.RuneCountInString(s); n > MaxQueryLength {
			t.Fatalf("accepted a query of %d characters", n)
		}
		if len(clauses) > MaxQueryTerms {
			t.Fatalf("%d clauses, limit %d", len(clauses), MaxQueryTerms)
		}
		expanding := 0
		for _, c := range clauses {
			if c.text == "" || !utf8.ValidString(c.text) {
				t.Errorf("clause text %q empty or not UTF-8", c.text)
			}
			if c.fuzzy < 0 || c.fuzzy > maxFuzziness {
				t.Errorf("fuzziness %d", c.fuzzy)
			}
			if c.field == "" && !c.phrase && strings.Contains(c.text, "*") {
				t.Errorf("wildcard left in term %q", c.text)
			}
			if c.prefix {
				if wordChars(c.text) < minPrefixLen {
					t.Errorf("prefix %q shorter than %d letters", c.text, minPrefixLen)
				}
			}
			if c.fuzzy > 0 && wordChars(c.text) < minFuzzyLen {
				t.Errorf("fuzzy word %q shorter than %d letters", c.text, minFuzzyLen)
			}
			if c.field != "" && !isFacet(c.field) {
				t.Errorf("field %q is not a facet", c.field)
			}
			if c.prefix || c.fuzzy > 0 {
				expanding++
			}
		}
		if expanding > MaxExpandingTerms {
			t.Errorf("%d expanding terms, limit %d", expanding, MaxExpandingTerms)
		}
		contentQuery(clauses, []string{"en", "it"}, 0)
		contentQuery(clauses, []string{"std"}, 1)
		refQuery(s, clauses)
	})
}

// FuzzSearch runs arbitrary query text and date bounds against a small real
// index: Search must answer or refuse with a QueryError, never fail otherwise.
func FuzzSearch(f *testing.F) {
	fsys := fstest.MapFS{}
	for name, b := range fuzzSeedFiles(f) {
		if ext := path.Ext(name); ext == ".md" || ext == ".txt" {
			fsys[strings.ReplaceAll(strings.TrimPrefix(name, "testdata/"), "/", "-")] = &fstest.MapFile{Data: b}
		}
	}
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(f.TempDir(), "index")})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(ctx, fsys); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"digital", "public sector innovation", "CDR 3529/2017", "innov*", "digitl~1", `"open government"`, "-digital", "kind:opinion", "a*", ".*"} {
		f.Add(s, "", "")
	}
	f.Add("digital", "2017", "2017-12")
	f.Fuzz(func(t *testing.T, text, from, to string) {
		res, err := ix.Search(ctx, Query{Text: text, From: from, To: to, Size: 5})
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("Search(%q, %q, %q): %v (not a QueryError)", text, from, to, err)
			}
			return
		}
		if res.Hits == nil || len(res.Hits) > 5 || uint64(len(res.Hits)) > res.Total {
			t.Errorf("Search(%q): %d hits of %d", text, len(res.Hits), res.Total)
		}
		for _, h := range res.Hits {
			for _, sn := range h.Snippets {
				if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(sn), "<") {
					t.Errorf("snippet %q has unescaped markup", sn)
				}
			}
		}
	})
}
