package indexer

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// europarlPages reads the Europarl fixture pages: file name and content.
func europarlPages(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "europarl", "*.md"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no Europarl fixtures: %v", err)
	}
	out := make(map[string][]byte, len(files))
	for _, p := range files {
		if filepath.Base(p) == "SOURCE.md" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// TestParseEuroparlPages parses the Europarl pages as the indexer does
// (front matter says kind page and the language) and checks what comes out,
// and the title parsePage finds itself when no front matter names one.
func TestParseEuroparlPages(t *testing.T) {
	pages := europarlPages(t)
	tests := []struct {
		file, title, date, lang string
		bodyLen                 int
		pageTitle               string
	}{
		{"en-ep-00-07-03-007.md", "Agenda — Europarl sitting 2000-07-03, part 7", "2000-07-03", "en", 1137, "Agenda"},
		{"en-ep-00-09-05-084.md", "Financial year 2001 — Europarl sitting 2000-09-05, part 84", "2000-09-05", "en", 2874, "Anyway it will undoubtedly mean better budgetary forecasting and should be extremely useful during future…"},
		{"en-ep-96-04-17-066.md", "Votes — Europarl sitting 1996-04-17, part 66", "1996-04-17", "en", 1856, "Who could possibly object to better coordination in health policy?"},
		{"en-ep-96-04-17-184.md", "Visby Summit — Europarl sitting 1996-04-17, part 184", "1996-04-17", "en", 2334, "It is not perfect, but it works without any supranational suprstructure"},
		{"en-ep-97-10-22-118.md", "Cocoa, chocolate, coffee and chicory — Europarl sitting 1997-10-22, part 118", "1997-10-22", "en", 1993, "This also applies to the proposed amendments prohibiting GMOs"},
		{"en-ep-97-11-05-074.md", "Common fisheries policy after 2002 — Europarl sitting 1997-11-05, part 74", "1997-11-05", "en", 3694, "The report recommends that the waters within the 12 - mile territorial limit should continue to be for the…"},
		{"en-ep-99-01-13-082.md", "Parliament adopted the resolution — Europarl sitting 1999-01-13, part 82", "1999-01-13", "en", 1540, "Porto report (A4 - 0445 / 98)"},
		{"en-ep-99-01-13-104.md", "Parliament adopted the resolution — Europarl sitting 1999-01-13, part 104", "1999-01-13", "en", 1700, "Particularly in an enlarged Europe, short sea shipping is the alternative to road transport which is causing…"},
		{"en-ep-99-01-13-105.md", "Parliament adopted the resolution — Europarl sitting 1999-01-13, part 105", "1999-01-13", "en", 1374, "This should ensure that all structures which distort competition will disappear"},
		{"en-ep-99-01-15-033.md", "Impact of financial crisis on European industry — Europarl sitting 1999-01-15, part 33", "1999-01-15", "en", 2133, "If these attitudes persist, the OECD or even the World Trade Organisation will find their regulatory role and…"},
		{"it-ep-00-07-03-007.md", "Ordine dei lavori — Europarl sitting 2000-07-03, part 7", "2000-07-03", "it", 1269, "Ordine dei lavori"},
		{"it-ep-00-09-05-084.md", "Esercizio 2001 — Europarl sitting 2000-09-05, part 84", "2000-09-05", "it", 2890, "Senza dubbio ciò propizia una migliore previsione di bilancio e dovrebbe rivelarsi assai utile nel corso…"},
		{"it-ep-96-04-17-066.md", "Dopo la votazione sugli emendamenti — Europarl sitting 1996-04-17, part 66", "1996-04-17", "it", 2116, "Un miglior coordinamento della politica nel campo della sanità: chi mai può non essere d'accordo?"},
		{"it-ep-96-04-17-184.md", "Vertice di Visby — Europarl sitting 1996-04-17, part 184", "1996-04-17", "it", 2363, "Non è perfetta ma funziona senza sovrastrutture sovranazionali"},
		{"it-ep-97-10-22-118.md", "Cacao, cioccolato, caffè e cicoria — Europarl sitting 1997-10-22, part 118", "1997-10-22", "it", 2033, "Questo riguarda anche l'emendamento che vieta gli OGM"},
		{"it-ep-99-01-13-082.md", "Il Parlamento approva la proposta di risoluzione — Europarl sitting 1999-01-13, part 82", "1999-01-13", "it", 1761, "Relazione Porto (A4 - 0445 / 98)"},
		{"it-ep-99-01-13-104.md", "Il Parlamento approva la proposta di risoluzione — Europarl sitting 1999-01-13, part 104", "1999-01-13", "it", 2187, "In particolare, in un'Europa ampliata, il traffico marittimo sulle brevi distanze costituirà una valida…"},
		{"it-ep-99-01-13-105.md", "Il Parlamento approva la proposta di risoluzione — Europarl sitting 1999-01-13, part 105", "1999-01-13", "it", 1546, "Deve essere eliminata ogni struttura che provoca distorsione della concorrenza"},
		{"it-ep-99-01-15-033.md", "Impatto della crisi finanziaria sull'industria europea — Europarl sitting 1999-01-15, part 33", "1999-01-15", "it", 2469, "Qualora detti atteggiamenti persistessero, il ruolo dominante e il prestigio stesso dell'OCSE o…"},
		{"it-ep-99-02-09-182.md", "La seduta, sospesa alle 19.15, riprende alle 21.00 — Europarl sitting 1999-02-09, part 182", "1999-02-09", "it", 2365, "Si tratta di paesi che hanno notevolmente ampliato le superfici coltivate a vigneto, aumentando la produzione…"},
	}
	if len(tests) != len(pages) {
		t.Errorf("%d fixture files, %d table rows", len(pages), len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, ok := pages[tc.file]
			if !ok {
				t.Fatalf("no fixture %s", tc.file)
			}
			docs, err := Parse("europarl/"+tc.file, b, nil)
			if err != nil {
				t.Fatalf("Parse(%s): %v", tc.file, err)
			}
			d := docs[0]
			if len(docs) != 1 || d.Kind != KindPage || d.Title != tc.title || d.Date != tc.date || d.Language != tc.lang || len(d.Body) != tc.bodyLen {
				t.Errorf("Parse(%s) = %d docs, kind %q, title %q, date %q, language %q, body %d bytes; want 1 page, %q, %q, %q, %d bytes",
					tc.file, len(docs), d.Kind, d.Title, d.Date, d.Language, len(d.Body), tc.title, tc.date, tc.lang, tc.bodyLen)
			}
			_, body, err := splitFrontMatter(string(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := parsePage(normalizeText(body), false).Title; got != tc.pageTitle {
				t.Errorf("parsePage(%s) title = %q, want %q", tc.file, got, tc.pageTitle)
			}
		})
	}
}

// BenchmarkParsePage runs parsePage on the bodies of the Europarl pages, one
// page per iteration.
func BenchmarkParsePage(b *testing.B) {
	var bodies []string
	var size int64
	for _, page := range europarlPages(b) {
		_, body, err := splitFrontMatter(string(page))
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, normalizeText(body))
		size += int64(len(body))
	}
	b.SetBytes(size / int64(len(bodies)))
	for i := 0; b.Loop(); i++ {
		parsePage(bodies[i%len(bodies)], false)
	}
}

// BenchmarkParseEuroparl runs Parse, as the indexer does, on whole Europarl
// files (front matter included), one file per iteration.
func BenchmarkParseEuroparl(b *testing.B) {
	pages := europarlPages(b)
	var names []string
	var size int64
	for name, page := range pages {
		names = append(names, "europarl/"+name)
		size += int64(len(page))
	}
	b.SetBytes(size / int64(len(names)))
	for i := 0; b.Loop(); i++ {
		name := names[i%len(names)]
		if _, err := Parse(name, pages[filepath.Base(name)], nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadLimited reads the Europarl files through os.DirFS, as the
// indexer reads corpus files, one file per iteration.
func BenchmarkReadLimited(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	var names []string
	for name, page := range europarlPages(b) {
		p := filepath.Join(dir, "europarl", "sittings", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, page, 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, "europarl/sittings/"+name)
	}
	fsys := os.DirFS(dir)
	for i := 0; b.Loop(); i++ {
		if _, err := readLimited(fsys, names[i%len(names)], 10<<20); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReadAtMost checks readAtMost against io.ReadAll(io.LimitReader(r, n)),
// with size hints right, too small, too large and unknown, and readers that
// give one byte at a time or fail part way.
func TestReadAtMost(t *testing.T) {
	text := strings.Repeat("Europarl sitting 1999-01-13. ", 100) // 2900 bytes
	tests := []struct {
		name    string
		r       func() io.Reader
		n, size int64
	}{
		{"exact size", func() io.Reader { return strings.NewReader(text) }, 10 << 20, int64(len(text))},
		{"unknown size", func() io.Reader { return strings.NewReader(text) }, 10 << 20, -1},
		{"file grew", func() io.Reader { return strings.NewReader(text) }, 10 << 20, 100},
		{"file shrank", func() io.Reader { return strings.NewReader(text) }, 10 << 20, 5000},
		{"empty", func() io.Reader { return strings.NewReader("") }, 10 << 20, 0},
		{"over the limit", func() io.Reader { return strings.NewReader(text) }, 1001, 1000},
		{"at the limit", func() io.Reader { return strings.NewReader(text) }, int64(len(text)), int64(len(text))},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) }, 10 << 20, int64(len(text))},
		{"read error", func() io.Reader { return iotest.TimeoutReader(strings.NewReader(text)) }, 10 << 20, int64(len(text))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, gotErr := readAtMost(tc.r(), tc.n, tc.size)
			want, wantErr := io.ReadAll(io.LimitReader(tc.r(), tc.n))
			// On an error, what was read so far is not used: only the error must come.
			if (gotErr == nil) != (wantErr == nil) || gotErr == nil && string(got) != string(want) {
				t.Errorf("readAtMost(n %d, size %d) = %d bytes, error %v; want %d bytes, error %v", tc.n, tc.size, len(got), gotErr, len(want), wantErr)
			}
		})
	}
}
