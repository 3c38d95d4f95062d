package indexer

import (
	"strings"
	"testing"
)

func TestMatcherFind(t *testing.T) {
	ix := openTest(t)
	en := ix.bi.Mapping().AnalyzerNamed(textLang("en"))
	it := ix.bi.Mapping().AnalyzerNamed(textLang("it"))
	filler := strings.Repeat("The committee notes the report of the council. ", 400) // 18 KB
	tests := []struct {
		name  string
		query string
		an    string
		text  string
		want  []string // the matched words, in order
	}{
		{"stemmed English", "regulatory sandbox", "en", "Regulatory sandboxes at EU level.", []string{"Regulatory", "sandboxes"}},
		{"stem rewrites the ending", "policies", "en", "A policy for every region.", []string{"policy"}},
		{"Italian stems meet", "partecipativa", "it", "La partecipazione dei cittadini, partecipare.", []string{"partecipazione", "partecipare"}},
		{"prefix", "digit*", "en", "Digital solutions and digitisation.", []string{"Digital", "digitisation"}},
		{"fuzzy", "sandboxs~1", "en", "One sandbox here.", []string{"sandbox"}},
		{"no query word in text", "sandbox", "en", "Nothing to see.", nil},
		{"far into a long text", "sandboxes", "en", filler + "Regulatory sandboxes at the end. " + filler, []string{"sandboxes"}},
		{"several places in a long text", "sandbox", "en", "A sandbox. " + filler + "Another sandbox. " + filler, []string{"sandbox", "sandbox"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clauses, err := parseQueryString(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			an := en
			if tc.an == "it" {
				an = it
			}
			spans, _ := newMatcher(clauses, an).find(tc.text)
			var got []string
			for _, s := range spans {
				got = append(got, tc.text[s.start:s.end])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("find(%q) = %q, want %q", tc.query, got, tc.want)
			}
		})
	}
}

func TestSnippetDropsMarkdownMarkers(t *testing.T) {
	text := "# Milano Trasparente\n\n## Descrizione breve\n\nPubblicare **ogni** atto #42."
	got := fragment(text, []span{{2, 8}})
	want := "<mark>Milano</mark> Trasparente  Descrizione breve  Pubblicare ogni atto #42."
	if got != want {
		t.Errorf("fragment = %q, want %q", got, want)
	}
}
