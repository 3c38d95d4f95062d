package indexer

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSearchSeeds indexes the five seed documents as they are and runs the
// searches researchers run on them.
func TestSearchSeeds(t *testing.T) {
	ix := openTest(t)
	sum, err := ix.Sync(context.Background(), os.DirFS("testdata/seeds"))
	if err != nil || sum.Added != 5 || sum.Failed != 0 {
		t.Fatalf("Sync(seeds) = %+v, %v; want 5 added", sum, err)
	}
	const (
		factsheet = "000-7f59fc298196f26d"
		opinion   = "004-0db3a085d7f705a5"
		italian   = "002-ee589d45f558ca6a"
	)
	search := func(q Query) Results {
		t.Helper()
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return res
	}
	tests := []struct {
		q         Query
		first     string
		paragraph int
		snippet   string
	}{
		{q: Query{Text: "regulatory sandboxes"}, first: opinion, paragraph: 7, snippet: "<mark>regulatory</mark> <mark>sandboxes</mark>"},
		{q: Query{Text: "sandbox"}, first: opinion, paragraph: 7},
		{q: Query{Text: `"Erasmus+ AI"`}, first: opinion, paragraph: 32},
		// A quoted phrase is cited where it stands, not where its words are
		// apart (¶22 has more of them), and nowhere when it stands outside
		// the numbered paragraphs (the procedure table).
		{q: Query{Text: `"recognises the potential of AI to improve efficiency in the"`}, first: opinion, paragraph: 9},
		{q: Query{Text: `"Digital Cohesion"`}, first: opinion},
		{q: Query{Text: "CDR 3529/2017"}, first: factsheet},
		{q: Query{Text: "3529/2017"}, first: factsheet}, // the number as researchers cite it
		{q: Query{Text: "ECON-VII/038"}, first: opinion},
		{q: Query{Text: "partecipativa"}, first: italian, snippet: "<mark>partecipazione</mark>"},
		{q: Query{Text: "partecipazione cittadini"}, first: italian},
		{q: Query{Text: "partecipazion*"}, first: italian, snippet: "<mark>partecipazione</mark>"},
		// An -ità noun typed without its accent, which the stemmer reads as a verb's ending.
		{q: Query{Text: "qualita"}, first: italian, snippet: "<mark>qualità</mark>"},
		// A stop word typed without its accent is a stop word, in a phrase too.
		{q: Query{Text: "sempre piu performanti"}, first: italian},
		{q: Query{Text: `"sempre piu performanti"`}, first: italian},
		// An elided word typed apart from the next, in a phrase.
		{q: Query{Text: `"Scuola Nazionale dell Amministrazione"`}, first: italian, snippet: "<mark>Scuola</mark> <mark>Nazionale</mark> <mark>dell’Amministrazione</mark>"},
		{q: Query{Text: `"Scuola Nazionale dell'Amministrazione"`}, first: italian},
		{q: Query{Text: "Cecconi"}, first: factsheet},
		{q: Query{Text: "blockchain", Filters: map[string][]string{"commission": {"ECON"}}}, first: opinion, paragraph: 5},
		// Words the opinion holds outside its numbered paragraphs (the
		// rapporteur's role, the signature, the procedure table) point to
		// no paragraph, although one paragraph has one of them.
		{q: Query{Text: "Piedmont Region", Filters: map[string][]string{"kind": {KindOpinion}}}, first: opinion, snippet: "<mark>Piedmont</mark> <mark>Region</mark>"},
		{q: Query{Text: "Secretary-General", Filters: map[string][]string{"kind": {KindOpinion}}}, first: opinion},
		{q: Query{Text: "Own-initiative opinion", Filters: map[string][]string{"kind": {KindOpinion}}}, first: opinion},
		// Most of the words in one paragraph: that paragraph.
		{q: Query{Text: "regulatory sandboxes zebra"}, first: opinion, paragraph: 7},
		// Words that name the opinion (its reference, rapporteur,
		// commission) beside a paragraph's: that paragraph.
		{q: Query{Text: "ECON-VII/038 LORDIMAS"}, first: opinion, paragraph: 42},
		{q: Query{Text: "ECON-VII/038 sandboxes"}, first: opinion, paragraph: 7},
		{q: Query{Text: "Cirio LORDIMAS"}, first: opinion, paragraph: 42},
		{q: Query{Text: "LORDIMAS ECON"}, first: opinion, paragraph: 42},
		{q: Query{Text: "ECON-VII/038 Cirio"}, first: opinion},
	}
	for _, tc := range tests {
		res := search(tc.q)
		if len(res.Hits) == 0 || res.Hits[0].ID != tc.first {
			t.Errorf("Search(%q) = %v, want %s first", tc.q.Text, hitIDs(res), tc.first)
			continue
		}
		h := res.Hits[0]
		if h.Paragraph != tc.paragraph {
			t.Errorf("Search(%q) paragraph = %d, want %d", tc.q.Text, h.Paragraph, tc.paragraph)
		}
		if tc.snippet != "" && !strings.Contains(strings.Join(h.Snippets, " "), tc.snippet) {
			t.Errorf("Search(%q) snippets = %q, want %q", tc.q.Text, h.Snippets, tc.snippet)
		}
	}
	if res := search(Query{Text: "sempre piu performanti"}); res.Relaxed {
		t.Errorf("sempre piu performanti: relaxed to any word; want piu taken for più, a stop word")
	}
	// Facets by the names and values the Italian pages show.
	for q, filter := range map[string][2]string{
		"tipo:parere":      {"kind", "opinion"},
		"tipo:Schede":      {"kind", "factsheet"},
		"lingua:italiano":  {"language", "it"},
		"stato:adottato":   {"status", "Adopted"},
		"commissione:econ": {"commission", "ECON"},
		"lang:english":     {"language", "en"},
	} {
		got, want := search(Query{Text: q}), search(Query{Filters: map[string][]string{filter[0]: {filter[1]}}})
		if got.Total == 0 || got.Total != want.Total {
			t.Errorf("%s: %d documents, want the %d of %s=%s", q, got.Total, want.Total, filter[0], filter[1])
		}
	}
	// The navigation menu of seed 003 is not indexed as content.
	if res := search(Query{Text: "\"Interlink Work Packages\""}); res.Total != 0 {
		t.Errorf("menu text is searchable: %v", hitIDs(res))
	}
	// Facets over the seeds.
	res := search(Query{})
	want := map[string]string{"kind": "page:3 factsheet:1 opinion:1", "language": "en:4 it:1", "commission": "ECON:1 SEDEC:1", "group": "ALDE:1 EPP:1"}
	for name, w := range want {
		var parts []string
		for _, v := range res.Facets[name] {
			parts = append(parts, v.Value+":"+strconv.Itoa(v.Count))
		}
		if got := strings.Join(parts, " "); got != w {
			t.Errorf("facet %s = %q, want %q", name, got, w)
		}
	}
	// The year facet and a date range find the opinion adopted in 2024.
	res = search(Query{From: "2024", To: "2024"})
	if len(res.Hits) != 1 || res.Hits[0].ID != opinion {
		t.Errorf("from=2024&to=2024 = %v, want the opinion", hitIDs(res))
	}
}

// TestStopWordsOnly: a query of words too common to be indexed ("più",
// "perche" for "perché") says so, rather than find nothing or another
// word's documents ("perciò").
func TestStopWordsOnly(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Fondi\nlanguage: it\n---\nPerciò la regione chiede più fondi, perché servono.\n")},
		// English too: "della" is a word to the English analyzer.
		"b.md": {Data: []byte("---\ntitle: Funds\nlanguage: en\n---\nThe regions ask for funds.\n")},
	})
	for _, q := range []string{"più", "perche", "più della", `"più"`, `"di piu su"`, `"anche perche la"`, `"della"`} {
		_, err := ix.Search(context.Background(), Query{Text: q})
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(err.Error(), "too common to search for") {
			t.Errorf("%s: %v; want a query error saying the words are too common", q, err)
		}
	}
	for _, q := range []string{"più fondi", `"più fondi"`} {
		if res, err := ix.Search(context.Background(), Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("%s: %d, %v; want the document", q, res.Total, err)
		}
	}
}
