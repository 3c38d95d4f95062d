package indexer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readFixture returns a testdata file's text; for a JSON record, its "text" field.
func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Ext(name) == ".json" {
		var rec struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		return rec.Text
	}
	return string(b)
}

// parseFixture runs parseText on a testdata file and fails the test on error.
func parseFixture(t *testing.T, name string) Document {
	t.Helper()
	doc, err := parseText(name, readFixture(t, name))
	if err != nil {
		t.Fatalf("parseText(%s): %v", name, err)
	}
	return doc
}

func seedName(t testing.TB, prefix string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join("testdata", "seeds", prefix+"_*.txt"))
	if len(m) != 1 {
		t.Fatalf("seed %s: found %d files", prefix, len(m))
	}
	return filepath.Join("seeds", filepath.Base(m[0]))
}

func TestParseTextKinds(t *testing.T) {
	tests := []struct {
		file, kind, lang string
	}{
		{seedName(t, "000"), KindFactsheet, "en"},
		{seedName(t, "001"), KindPage, "en"},
		{seedName(t, "002"), KindPage, "it"},
		{seedName(t, "003"), KindPage, "en"},
		{seedName(t, "004"), KindOpinion, "en"},
		{"cor-opinions/52025AR2449.json", KindOpinion, "en"},
		{"cor-opinions/oj-sections-synthetic.txt", KindOpinion, "en"},
		{"cor-it/factsheet-it.txt", KindFactsheet, "it"},
		{"cor-it/opinion-it.md", KindOpinion, "it"},
		{"it-ogp-nap3/1.md", KindCommitment, "it"},
		{"it-ogp-nap3/2.md", KindCommitment, "it"},
	}
	for _, tc := range tests {
		doc := parseFixture(t, tc.file)
		if doc.Kind != tc.kind {
			t.Errorf("parseText(%s) kind = %q, want %q", tc.file, doc.Kind, tc.kind)
		}
		if doc.Language != tc.lang {
			t.Errorf("parseText(%s) language = %q, want %q", tc.file, doc.Language, tc.lang)
		}
		if doc.ID != "" || doc.Source != "" {
			t.Errorf("parseText(%s) set ID/Source (%q, %q); finish() does", tc.file, doc.ID, doc.Source)
		}
	}
}

func TestParseTextUnusable(t *testing.T) {
	for _, text := range []string{"", "   \n\n", "1. 2. 3.", "--- *** ###", "\u00a0\r\n\f"} {
		if _, err := parseText("x.txt", text); err == nil {
			t.Errorf("parseText(%q) error = nil, want an error", text)
		}
	}
}

// TestParseEntry checks the whole path through Parse, so finish() keeps what parseText found.
func TestParseEntry(t *testing.T) {
	name := seedName(t, "004")
	docs, err := Parse(name, []byte(readFixture(t, name)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Kind != KindOpinion || docs[0].Reference != "ECON-VII/038" || docs[0].Language != "en" {
		t.Errorf("Parse(%s) = kind %q ref %q lang %q, want opinion ECON-VII/038 en", name, docs[0].Kind, docs[0].Reference, docs[0].Language)
	}
}

func FuzzParseText(f *testing.F) {
	for _, pat := range []string{"seeds/*.txt", "cor-opinions/*", "cor-it/*", "it-ogp-nap3/1*.md"} {
		files, _ := filepath.Glob(filepath.Join("testdata", pat))
		for _, file := range files {
			rel, _ := filepath.Rel("testdata", file)
			f.Add(readFixture(f, rel))
		}
	}
	f.Add("Opinion factsheet\n\nT\n\n: CDR 1/2020\n: 31/12/2020\n\nX\n\n01 Jan\n\nY\n\n31 Dec\n")
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := parseText("fuzz.txt", text)
		if err != nil {
			return
		}
		if doc.Kind == "" || doc.Language == "" {
			t.Errorf("parseText gave kind %q language %q", doc.Kind, doc.Language)
		}
		if strings.ContainsAny(doc.Title, "\n") {
			t.Errorf("title %q has a newline", doc.Title)
		}
	})
}

// TestPlain: a line loses its Markdown and HTML markup, emphasis markers
// beside one another and inside quotes too; underscores inside words stay.
func TestPlain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Promuovere l'utilizzo degli *Open* *Data* per la \"*smart city*\".", "Promuovere l'utilizzo degli Open Data per la \"smart city\"."},
		{"## **Descrizione breve**", "Descrizione breve"},
		{"«_città_» e [il portale](https://dati.gov.it)", "«città» e il portale"},
		{"the file_name_here stays", "the file_name_here stays"},
		{"<b>Rapporteur</b>\tAlberto CIRIO", "Rapporteur Alberto CIRIO"},
	} {
		if got := plain(tc.in); got != tc.want {
			t.Errorf("plain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
