package indexer

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"viskupič", "viskupic"},
		{"tüttő", "tutto"},
		{"città", "citta"},
		{"straße", "strasse"},
		{"τεχνητής", "τεχνητησ"}, // Greek without tonos, a final sigma a sigma
		{"νοημοσύνης", "νοημοσυνησ"},
		{"προϋπόθεση", "προυποθεση"},
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

// TestGreekWithoutAccents: Greek text is found typed without its accents
// and in capitals, as Greek is typed, in words and phrases.
func TestGreekWithoutAccents(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"el.md": {Data: []byte("---\ntitle: Γνωμοδότηση\nlanguage: el\n---\nΗ τεχνητή νοημοσύνη στις περιφέρειες της Ένωσης. Ο ρόλος της τεχνητής νοημοσύνης.\n")}})
	for _, q := range []string{"περιφέρειες", "περιφερειες", "ΠΕΡΙΦΕΡΕΙΕΣ", "ενωσης", "ΕΝΩΣΗΣ", `"τεχνητης νοημοσυνης"`, `"ΤΕΧΝΗΤΗΣ ΝΟΗΜΟΣΥΝΗΣ"`} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil || res.Total != 1 {
			t.Errorf("%s: %d, %v; want the Greek document", q, res.Total, err)
			continue
		}
		if !strings.Contains(strings.Join(res.Hits[0].Snippets, " "), "<mark>") {
			t.Errorf("%s: snippets %q, want a mark", q, res.Hits[0].Snippets)
		}
	}
}

// TestRomanianCommaAndCedilla: Romanian written with comma-below letters
// (ș, ț) and with cedilla ones (ş, ţ) finds each other, and "și" ("and")
// is a stop word in either spelling.
func TestRomanianCommaAndCedilla(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"comma.md":   {Data: []byte("---\ntitle: Aviz\nlanguage: ro\n---\nComitetul consideră că autoritățile locale și regionale trebuie să participe la politicile naționale.\n")},
		"cedilla.md": {Data: []byte("---\ntitle: Aviz\nlanguage: ro\n---\nComitetul salută strategiile regionale ale statelor membre şi cooperarea cu autorităţile centrale.\n")},
	})
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"autoritățile", 2}, {"autorităţile", 2}, {"AUTORITĂȚILE", 2},
		{"naţionale", 1}, {"naționale", 1},
		{`"autorităţile locale"`, 1}, {`"cooperarea cu autoritățile"`, 1},
	} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil || res.Total != uint64(tc.want) {
			t.Errorf("%s: %d, %v; want %d", tc.q, res.Total, err, tc.want)
		}
	}
	for _, q := range []string{"și", "şi"} {
		if _, err := ix.Search(context.Background(), Query{Text: q}); err == nil || !strings.Contains(err.Error(), "too common") {
			t.Errorf("%s: %v, want a stop word", q, err)
		}
	}
}
