package indexer

import (
	"os"
	"testing"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"viskupič", "viskupic"},
		{"tüttő", "tutto"},
		{"città", "citta"},
		{"straße", "strasse"},
		{"ascii", "ascii"},
		{"", ""},
	} {
		if got := string(fold([]byte(tc.in))); got != tc.want {
			t.Errorf("fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// BenchmarkAnalyzeFolded measures the analysis of real Italian and English
// text (Europarl) with folding; BENCHMARKS.md ("Fifth round") gives it
// against the analyzers without folding, run at the commit before (1dedbf4).
func BenchmarkAnalyzeFolded(b *testing.B) {
	m, err := newMapping()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ lang, file string }{{"it", "testdata/lang-europarl-it.txt"}, {"en", "testdata/lang-europarl-en.txt"}} {
		text, err := os.ReadFile(tc.file)
		if err != nil {
			b.Fatal(err)
		}
		an := m.AnalyzerNamed(textLang(tc.lang))
		b.Run(tc.lang, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				an.Analyze(text)
			}
		})
	}
}
