package indexer

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// sameTokens fails t at the first token (term, offsets, position or type)
// where the words tokenizer and bleve's unicode tokenizer differ on input.
func sameTokens(t testing.TB, input []byte) {
	t.Helper()
	got := wordsTokenizer{}.Tokenize(input)
	want := unicode.NewUnicodeTokenizer().Tokenize(input)
	for i := range max(len(got), len(want)) {
		var g, w analysis.Token
		if i < len(got) {
			g = *got[i]
		}
		if i < len(want) {
			w = *want[i]
		}
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			t.Fatalf("token %d of %q: %q [%d,%d] pos %d type %v, bleve's unicode tokenizer gives %q [%d,%d] pos %d type %v",
				i, input, g.Term, g.Start, g.End, g.Position, g.Type, w.Term, w.Start, w.End, w.Position, w.Type)
		}
	}
}

// TestWordsTokenizerAsUnicode compares the words tokenizer with bleve's
// unicode tokenizer on every file of the test data (English, Italian,
// Greek, Arabic, CSV, HTML, PDF and DOCX bytes) and on the cases UAX #29
// joins or splits across punctuation and marks.
func TestWordsTokenizerAsUnicode(t *testing.T) {
	cases := []string{
		"", " ", "abc", "123", "a1 1a", "1,000 3.5 e.g. l'occupazione dell’Unione", "a_b _a a_", "A-4 x:y 1:2",
		"(word), \"quoted\" 'single' [x] {y} <z> #tag @user $5 100% a&b", "...", "--", "_", "a\u0301b", " \u0301ab", "\n\u0301ab",
		"\t\u200dab", "naïve café ΠΕΡΙΦΕΡΕΙΕΣ περιφέρεια", "日本語 カタカナ 한국어", "🇮🇹🇪🇺 👩‍💻 x", "\x00a\x01b\x7f", "\xff\xfe a",
		"word\u00a0word", "end.\nStart", "a'", "'a", "a.", ".a", "3.", ".5", "U.S.A. A.I.", "co-operation", "x\r\ny",
	}
	for _, c := range cases {
		sameTokens(t, []byte(c))
	}
	files := 0
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sameTokens(t, b)
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Errorf("only %d test data files compared", files)
	}
}

func FuzzWordsTokenizer(f *testing.F) {
	for _, s := range []string{"l'occupazione, 3.5 e.g.", " \u0301ab a_b", "ΠΕΡΙΦΕΡΕΙΕΣ 日本語 👩‍💻", "x\r\n\u200dy"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sameTokens(t, b)
	})
}

// BenchmarkTokenizers tokenizes the Europarl test pages (English and
// Italian) with the words tokenizer and with bleve's unicode tokenizer.
func BenchmarkTokenizers(b *testing.B) {
	files, err := filepath.Glob("testdata/europarl/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no Europarl test pages (%v)", err)
	}
	var texts [][]byte
	n := 0
	for _, f := range files {
		t, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, t)
		n += len(t)
	}
	for _, tc := range []struct {
		name string
		tok  analysis.Tokenizer
	}{{"words", wordsTokenizer{}}, {"unicode", unicode.NewUnicodeTokenizer()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				for _, t := range texts {
					tc.tok.Tokenize(t)
				}
			}
		})
	}
}
