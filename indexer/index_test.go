package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// testCorpus is a small corpus with front matter, so that these tests of the
// index do not depend on what the parsers infer.
func testCorpus() fstest.MapFS {
	return fstest.MapFS{
		"opinions/sandbox.md": {Data: []byte(`---
title: Regulatory sandboxes for artificial intelligence
kind: opinion
reference: ECON-VII/099
language: en
date: 2024-11-21
commission: ECON
rapporteur: {name: Alberto Cirio, country: IT, group: EPP}
---
The Committee promotes regulatory sandboxes at EU level so that suppliers can test AI systems.
It stresses that local and regional authorities are key actors.
`)},
		"factsheets/innovation.md": {Data: []byte(`---
title: Public sector innovation via digital solutions
kind: factsheet
reference: CDR 3529/2017
language: en
date: 2017-11-30
commission: SEDEC
rapporteur: Frank Cecconi
---
Digital solutions could have a key role in building a new model of government, more transparent and inclusive.
`)},
		"pagine/partecipazione.md": {Data: []byte(`---
title: Governo aperto in Emilia-Romagna
language: it
date: 2023-05-02
tags: [Open Government]
---
La Regione promuove la partecipazione dei cittadini ai processi decisionali e la trasparenza.
`)},
		"pages/news.md": {Data: []byte(`---
title: Municipalities go digital
language: en
date: 2020-11-11
---
The minister illustrated the plan for the digital transformation of municipal services.
`)},
	}
}

func openTest(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func syncTest(t *testing.T, ix *Index, fsys fstest.MapFS) Summary {
	t.Helper()
	sum, err := ix.Sync(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return sum
}

func hitIDs(res Results) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestSyncIsIncremental(t *testing.T) {
	ix := openTest(t)
	fsys := testCorpus()
	sum := syncTest(t, ix, fsys)
	if sum.Added != 4 || sum.Documents != 4 || sum.Failed != 0 {
		t.Fatalf("first Sync = %+v, want 4 added, 4 documents, 0 failed", sum)
	}
	sum = syncTest(t, ix, fsys)
	if sum.Unchanged != 4 || sum.Documents != 0 || sum.Added+sum.Updated+sum.Removed != 0 {
		t.Fatalf("second Sync = %+v, want 4 unchanged and no work", sum)
	}
	// Edit one file, remove another.
	fsys["pages/news.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Municipalities go fully digital\nlanguage: en\n---\nNew text about broadband.\n"), ModTime: time.Now()}
	delete(fsys, "pagine/partecipazione.md")
	sum = syncTest(t, ix, fsys)
	if sum.Updated != 1 || sum.Removed != 1 || sum.Unchanged != 2 {
		t.Fatalf("third Sync = %+v, want 1 updated, 1 removed, 2 unchanged", sum)
	}
	n, err := ix.Count(context.Background())
	if err != nil || n != 3 {
		t.Fatalf("Count = %d, %v; want 3", n, err)
	}
	d, err := ix.Doc(context.Background(), "pages.news")
	if err != nil || d.Title != "Municipalities go fully digital" {
		t.Fatalf("Doc(pages.news) = %q, %v; want the new title", d.Title, err)
	}
	if _, err := ix.Doc(context.Background(), "pagine.partecipazione"); err != ErrNotFound {
		t.Fatalf("Doc of removed file: err = %v, want ErrNotFound", err)
	}
}

func TestSearch(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	ctx := context.Background()
	tests := []struct {
		name  string
		q     Query
		first string   // id of the first hit ("" for none)
		ids   []string // exact set of hits, when set
	}{
		{name: "identifier as typed", q: Query{Text: "CDR 3529/2017"}, first: "factsheets.innovation"},
		{name: "identifier with dash and slash", q: Query{Text: "ECON-VII/099"}, first: "opinions.sandbox"},
		{name: "identifier lower case", q: Query{Text: "econ-vii/099"}, first: "opinions.sandbox"},
		{name: "english stemming", q: Query{Text: "sandbox"}, ids: []string{"opinions.sandbox"}},
		{name: "italian stemming", q: Query{Text: "partecipativa"}, ids: []string{"pagine.partecipazione"}},
		{name: "phrase", q: Query{Text: `"regulatory sandboxes"`}, ids: []string{"opinions.sandbox"}},
		{name: "phrase in wrong order", q: Query{Text: `"sandboxes regulatory"`}, ids: nil},
		{name: "all words", q: Query{Text: "digital municipalities"}, ids: []string{"pages.news"}},
		{name: "exclusion", q: Query{Text: "digital -municipal"}, ids: []string{"factsheets.innovation"}},
		{name: "only an exclusion (no receipts among the hits)", q: Query{Text: "-municipal"}, ids: []string{"factsheets.innovation", "opinions.sandbox", "pagine.partecipazione"}},
		{name: "only a facet exclusion", q: Query{Text: "-kind:page"}, ids: []string{"factsheets.innovation", "opinions.sandbox"}},
		{name: "prefix", q: Query{Text: "municip*"}, ids: []string{"pages.news"}},
		{name: "italian prefix", q: Query{Text: "traspar*"}, ids: []string{"pagine.partecipazione"}},
		{name: "fuzzy", q: Query{Text: "sandboxs~1"}, ids: []string{"opinions.sandbox"}},
		{name: "kind filter", q: Query{Filters: map[string][]string{"kind": {"factsheet"}}}, ids: []string{"factsheets.innovation"}},
		{name: "facet clause in text", q: Query{Text: "commission:ECON"}, ids: []string{"opinions.sandbox"}},
		{name: "commission filter ORs values", q: Query{Filters: map[string][]string{"commission": {"ECON", "SEDEC"}}}, ids: []string{"factsheets.innovation", "opinions.sandbox"}},
		{name: "country from rapporteur", q: Query{Filters: map[string][]string{"country": {"Italy"}}}, ids: []string{"opinions.sandbox"}},
		{name: "language filter", q: Query{Filters: map[string][]string{"language": {"it"}}}, ids: []string{"pagine.partecipazione"}},
		{name: "tag filter", q: Query{Filters: map[string][]string{"tag": {"Open Government"}}}, ids: []string{"pagine.partecipazione"}},
		{name: "date range", q: Query{From: "2020-01-01", To: "2023-12-31"}, ids: []string{"pages.news", "pagine.partecipazione"}},
		{name: "year range", q: Query{From: "2017", To: "2017"}, ids: []string{"factsheets.innovation"}},
		{name: "browse newest first", q: Query{Sort: SortDate}, first: "opinions.sandbox"},
		{name: "rapporteur name is searchable", q: Query{Text: "Cecconi"}, ids: []string{"factsheets.innovation"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ix.Search(ctx, tc.q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", tc.q, err)
			}
			got := hitIDs(res)
			if tc.first != "" && (len(got) == 0 || got[0] != tc.first) {
				t.Errorf("Search(%q) first hit = %v, want %s", tc.q.Text, got, tc.first)
			}
			if tc.first == "" {
				slices.Sort(got)
				if !slices.Equal(got, tc.ids) {
					t.Errorf("Search(%+v) = %v, want %v", tc.q, got, tc.ids)
				}
			}
		})
	}
}

func TestSearchRelaxesToAnyWord(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	res, err := ix.Search(context.Background(), Query{Text: "sandboxes broccoli"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Relaxed || len(res.Hits) != 1 || res.Hits[0].ID != "opinions.sandbox" {
		t.Fatalf("Search(sandboxes broccoli) = relaxed %v hits %v; want relaxed, [opinions.sandbox]", res.Relaxed, hitIDs(res))
	}
	// When no document has any of the words either, the search was not
	// relaxed into finding something.
	if res, err := ix.Search(context.Background(), Query{Text: "zzzqqq yyyxxx"}); err != nil || res.Relaxed || res.Total != 0 {
		t.Errorf("Search(zzzqqq yyyxxx) = relaxed %v, %d hits, %v; want not relaxed, none", res.Relaxed, res.Total, err)
	}
}

// TestSearchStopWords checks that a word one language drops ("the", "la")
// is not required of every document, and that punctuation typed with the
// words ("digital?") is no error.
func TestSearchStopWords(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"the digital transformation", []string{"pages.news"}},
		{"digital transformation", []string{"pages.news"}},
		{"la trasparenza", []string{"pagine.partecipazione"}},
		{"trasparenza dei cittadini", []string{"pagine.partecipazione"}},
		{"transformation?", []string{"pages.news"}},
		{"what is a regulatory sandbox?", []string{"opinions.sandbox"}},
	} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil {
			t.Errorf("Search(%q): %v", tc.q, err)
			continue
		}
		if res.Relaxed || !slices.Equal(hitIDs(res), tc.want) {
			t.Errorf("Search(%q) = relaxed %v, hits %v; want every word but stop words, %v", tc.q, res.Relaxed, hitIDs(res), tc.want)
		}
	}
	// Only a stop word: nothing to find, and the reason.
	if _, err := ix.Search(context.Background(), Query{Text: "the"}); err == nil || !strings.Contains(err.Error(), "too common") {
		t.Errorf("Search(the): %v; want the word called too common", err)
	}
}

func TestFacets(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	res, err := ix.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 {
		t.Fatalf("Total = %d, want 4", res.Total)
	}
	want := map[string][]FacetValue{
		"kind":       {{"page", 2}, {"factsheet", 1}, {"opinion", 1}},
		"language":   {{"en", 3}, {"it", 1}},
		"year":       {{"2024", 1}, {"2023", 1}, {"2020", 1}, {"2017", 1}},
		"commission": {{"ECON", 1}, {"SEDEC", 1}},
		"rapporteur": {{"Alberto Cirio", 1}, {"Frank Cecconi", 1}},
		"country":    {{"Italy", 1}},
	}
	for name, w := range want {
		if got := res.Facets[name]; !slices.Equal(got, w) {
			t.Errorf("facet %s = %v, want %v", name, got, w)
		}
	}
	for _, name := range FacetNames() {
		if _, ok := res.Facets[name]; !ok {
			t.Errorf("facet %s missing from results", name)
		}
	}
}

func TestSnippetsAreHTMLSafe(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"x.md": {Data: []byte("---\ntitle: Markup\n---\nThe <script>alert('sandbox')</script> & <b>sandbox</b> text.\n")}})
	res, err := ix.Search(context.Background(), Query{Text: "sandbox"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search = %v, %v", hitIDs(res), err)
	}
	s := strings.Join(res.Hits[0].Snippets, " ")
	if strings.Contains(s, "<script>") || strings.Contains(s, "<b>") {
		t.Errorf("snippet %q contains raw markup", s)
	}
	if !strings.Contains(s, "&lt;script&gt;") || !strings.Contains(s, "<mark>sandbox</mark>") {
		t.Errorf("snippet %q: want escaped markup and <mark>sandbox</mark>", s)
	}
}

func TestBadFiles(t *testing.T) {
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fsys := fstest.MapFS{
		"good.md":         {Data: []byte("---\ntitle: Good file\n---\nSome words about regions.\n")},
		"empty.txt":       {Data: []byte("  \n")},
		"binary.txt":      {Data: []byte("\x00\x01\x02\x03binary\x00")},
		"broken.md":       {Data: []byte("---\ntitle: [unclosed\n---\nBody\n")},
		"big.txt":         {Data: []byte(strings.Repeat("word ", 300))},
		"image.png":       {Data: []byte("\x89PNG")},
		"cp1252.txt":      {Data: []byte("Citt\xe0 e partecipazione: l\x92impegno della Regione per la trasparenza.\n")},
		".hidden.md":      {Data: []byte("secret")},
		"notes.md.part":   {Data: []byte("half")},
		"orphan.yaml":     {Data: []byte("title: x\n")},
		"copy-of-good.md": {Data: []byte("---\ntitle: Good file\n---\nSome words about regions.\n")},
	}
	sum := syncTest(t, ix, fsys)
	rs, _ := ix.Receipts(context.Background())
	got := map[string]Receipt{}
	for _, r := range rs {
		got[r.File] = r
	}
	wantState := map[string]string{
		"good.md": StateDuplicate, "copy-of-good.md": StateArchived, // the first in name order is archived
		"empty.txt": StateFailed, "binary.txt": StateFailed, "broken.md": StateFailed, "big.txt": StateFailed,
		"image.png": StateFailed, "cp1252.txt": StateArchived, ".hidden.md": StateIgnored, "notes.md.part": StateIgnored,
		"orphan.yaml": StateFailed,
	}
	wantReason := map[string]string{
		"empty.txt": "empty file", "binary.txt": "binary", "broken.md": "front matter", "big.txt": "larger than",
		"image.png": "unsupported", "orphan.yaml": "no document beside it", ".hidden.md": "hidden", "notes.md.part": "temporary",
		"good.md": "same content as copy-of-good.md",
	}
	for f, st := range wantState {
		if got[f].State != st {
			t.Errorf("%s: state %q (%s), want %q", f, got[f].State, got[f].Error, st)
		}
		if r := wantReason[f]; r != "" && !strings.Contains(got[f].Error, r) {
			t.Errorf("%s: reason %q, want it to mention %q", f, got[f].Error, r)
		}
	}
	if sum.Failed != 6 {
		t.Errorf("Summary.Failed = %d, want 6", sum.Failed)
	}
	d, err := ix.Doc(context.Background(), "cp1252")
	if err != nil || !strings.Contains(d.Body, "Città e partecipazione: l’impegno") {
		t.Errorf("Windows-1252 file body = %q, %v; want decoded text", d.Body, err)
	}
}

func TestNothingLost(t *testing.T) {
	ix := openTest(t)
	fsys := fstest.MapFS{"a.md": {Data: []byte("---\ntitle: First version\n---\nAbout cohesion policy.\n"), ModTime: time.Unix(1, 0)}}
	syncTest(t, ix, fsys)
	fsys["a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [broken\n---\nAbout cohesion policy, edited.\n"), ModTime: time.Unix(2, 0)}
	sum := syncTest(t, ix, fsys)
	if sum.Failed != 1 {
		t.Fatalf("Sync after breaking = %+v, want 1 failed", sum)
	}
	d, err := ix.Doc(context.Background(), "a")
	if err != nil || d.Title != "First version" {
		t.Fatalf("after a bad edit Doc(a) = %q, %v; want the last good version", d.Title, err)
	}
	rs, _ := ix.Receipts(context.Background())
	if len(rs) != 1 || rs[0].State != StateFailed || len(rs[0].Documents) != 1 {
		t.Fatalf("receipt = %+v, want failed with the old document kept", rs)
	}
	fsys["a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Fixed version\n---\nAbout cohesion policy.\n"), ModTime: time.Unix(3, 0)}
	syncTest(t, ix, fsys)
	d, err = ix.Doc(context.Background(), "a")
	if err != nil || d.Title != "Fixed version" {
		t.Fatalf("after the fix Doc(a) = %q, %v; want the fixed version", d.Title, err)
	}
}

func TestReopenKeepsReceipts(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(context.Background(), Config{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	fsys := testCorpus()
	syncTest(t, ix, fsys)
	ix.Close()
	ix, err = Open(context.Background(), Config{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sum := syncTest(t, ix, fsys)
	if sum.Unchanged != 4 || sum.Documents != 0 {
		t.Fatalf("Sync after reopen = %+v, want 4 unchanged", sum)
	}
	res, err := ix.Search(context.Background(), Query{Text: "partecipativa"})
	if err != nil || res.Total != 1 {
		t.Fatalf("Italian search after reopen: %d hits, %v", res.Total, err)
	}
}

func TestBadQueries(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	for _, q := range []Query{
		{Text: strings.Repeat("a ", MaxQueryLength)},
		{Text: "ab*"},
		{Text: "*a*b*c*"},
		{Text: "word~5"},
		{Size: MaxPageSize + 1},
		{Page: 10000000},
		{From: "yesterday"},
		{From: "2024-01-01", To: "2020-01-01"},
		{Filters: map[string][]string{"nonsense": {"x"}}},
	} {
		_, err := ix.Search(context.Background(), q)
		var qe *QueryError
		if err == nil || !errors.As(err, &qe) {
			t.Errorf("Search(%+v) err = %v, want a QueryError", q, err)
		}
	}
}

func TestSidecarFollowsItsDocument(t *testing.T) {
	pdf, err := os.ReadFile("testdata/formats/opinion.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ix := openTest(t)
	fsys := fstest.MapFS{
		"a/opinion.pdf":  {Data: pdf, ModTime: time.Unix(1, 0)},
		"a/opinion.yaml": {Data: []byte("title: From the sidecar\n"), ModTime: time.Unix(1, 0)},
		"a/notes.md":     {Data: []byte("---\ntitle: Notes\n---\nText.\n"), ModTime: time.Unix(1, 0)},
		"a/notes.yaml":   {Data: []byte("title: Not for Markdown\n"), ModTime: time.Unix(1, 0)},
	}
	title := func() string {
		t.Helper()
		d, err := ix.Doc(context.Background(), "a.opinion")
		if err != nil {
			t.Fatal(err)
		}
		return d.Title
	}
	syncTest(t, ix, fsys)
	if got := title(); got != "From the sidecar" {
		t.Errorf("title with sidecar = %q", got)
	}
	if d, _ := ix.Doc(context.Background(), "a.notes"); d.Title != "Notes" {
		t.Errorf("Markdown title = %q: a YAML file beside Markdown must not override its front matter", d.Title)
	}
	rs, _ := ix.Receipts(context.Background())
	i := slices.IndexFunc(rs, func(r Receipt) bool { return r.File == "a/notes.yaml" })
	if i < 0 || rs[i].State != StateFailed {
		t.Errorf("notes.yaml beside Markdown: receipt %+v, want failed (no PDF or DOCX beside it)", rs[max(i, 0)])
	}
	// The sidecar is renamed report.pdf.yaml and changed: the document follows.
	delete(fsys, "a/opinion.yaml")
	fsys["a/opinion.pdf.yaml"] = &fstest.MapFile{Data: []byte("title: Second sidecar\n"), ModTime: time.Unix(2, 0)}
	syncTest(t, ix, fsys)
	if got := title(); got != "Second sidecar" {
		t.Errorf("title after the sidecar changed = %q", got)
	}
	// Without a sidecar the title comes from the PDF again.
	delete(fsys, "a/opinion.pdf.yaml")
	syncTest(t, ix, fsys)
	if got := title(); got == "Second sidecar" || got == "" {
		t.Errorf("title after the sidecar was removed = %q, want the PDF's own", got)
	}
}

func TestDocumentAndSidecarRemovedTogether(t *testing.T) {
	pdf, err := os.ReadFile("testdata/formats/opinion.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ix := openTest(t)
	fsys := fstest.MapFS{
		"opinion.pdf":  {Data: pdf},
		"opinion.yaml": {Data: []byte("title: From the sidecar\n")},
		"other.md":     {Data: []byte("# Another document\n\nIt stays in the corpus.\n")},
	}
	syncTest(t, ix, fsys)
	delete(fsys, "opinion.pdf")
	delete(fsys, "opinion.yaml")
	if sum := syncTest(t, ix, fsys); sum.Removed != 1 || sum.Failed != 0 {
		t.Errorf("Sync after removing both = %+v, want 1 removed, 0 failed", sum)
	}
	if rs, _ := ix.Receipts(context.Background()); len(rs) != 1 || rs[0].File != "other.md" {
		t.Errorf("receipts left: %+v, want other.md's only", rs)
	}
}

// segments returns how many segments the live generation has.
func segments(t *testing.T, ix *Index) uint64 {
	t.Helper()
	adv, err := ix.gen.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	m := adv.StatsMap()
	file, _ := m["num_root_filesegments"].(uint64)
	mem, _ := m["num_root_memorysegments"].(uint64)
	return file + mem
}

func TestBulkUpdateCompacts(t *testing.T) {
	for _, tc := range []struct {
		name         string
		compactAfter int
		compacted    bool
	}{
		{"enough documents", 30, true},
		{"too few documents", 41, false},
		{"never", -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", BatchSize: 4, CompactAfter: tc.compactAfter})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			fsys := fstest.MapFS{}
			for i := range 40 {
				fsys[fmt.Sprintf("notes/n%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "# Note %d\n\nThe council discussed regional budget line %d at length.\n", i, i)}
			}
			sum := syncTest(t, ix, fsys)
			if sum.Documents != 40 {
				t.Fatalf("documents = %d, want 40", sum.Documents)
			}
			// bleve's own background merges may also leave one segment, so
			// what tells a compaction is bleve's count of forced merges.
			adv, err := ix.gen.Advanced()
			if err != nil {
				t.Fatal(err)
			}
			m := adv.StatsMap()
			forced, _ := m["TotFileMergeForceOpsCompleted"].(uint64)
			if want := map[bool]uint64{true: 1, false: 0}[tc.compacted]; forced != want {
				t.Errorf("forced merges = %d, want %d", forced, want)
			}
			if tc.compacted {
				// (compact waits a little for bleve to delete the merged
				// segments' files, but bleve decides when: not asserted.)
				if n := segments(t, ix); n > 2 {
					t.Errorf("segments after a compacting update = %d, want 1 (2 if the last batch was not yet on disk)", n)
				}
			}
			res, err := ix.Search(context.Background(), Query{Text: "budget"})
			if err != nil || res.Total != 40 {
				t.Errorf("search after the update: %d hits (%v), want 40", res.Total, err)
			}
		})
	}
}

// TestSearchNothingSearchable checks that a query of symbols only finds
// nothing, where it used to browse the whole archive.
func TestSearchNothingSearchable(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	for _, q := range []string{"€", "§", "(((", "—", "-", "😀 !!"} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil || res.Total != 0 || len(res.Hits) != 0 || res.Facets["kind"] == nil {
			t.Errorf("Search(%q) = %d hits, facets %v, %v; want none, with empty facet lists", q, res.Total, res.Facets, err)
		}
	}
	if res, err := ix.Search(context.Background(), Query{Text: "  "}); err != nil || res.Total != 4 {
		t.Errorf("Search of blanks = %d hits, %v; want all 4 documents (no query)", res.Total, err)
	}
}

// TestFacetValuesIgnoreCase checks that a facet value typed in another case
// than the index holds it still filters, in the query and as a parameter.
func TestFacetValuesIgnoreCase(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, testCorpus())
	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{Text: "kind:OPINION"}, []string{"opinions.sandbox"}},
		{Query{Text: "commission:econ"}, []string{"opinions.sandbox"}},
		{Query{Text: "language:IT"}, []string{"pagine.partecipazione"}},
		{Query{Text: "lang:it"}, []string{"pagine.partecipazione"}},
		{Query{Text: "regions -language:EN"}, nil},
		{Query{Filters: map[string][]string{"commission": {"econ"}}}, []string{"opinions.sandbox"}},
		// A language filter by name searches that language's fields, as its code does.
		{Query{Text: "partecipazione", Filters: map[string][]string{"language": {"italiano"}}}, []string{"pagine.partecipazione"}},
		{Query{Text: "partecipazione", Filters: map[string][]string{"language": {" IT "}}}, []string{"pagine.partecipazione"}},
		{Query{Filters: map[string][]string{"language": {"italiano"}}}, []string{"pagine.partecipazione"}},
		{Query{Text: "lang:Italian"}, []string{"pagine.partecipazione"}},
		{Query{Text: "commission:NOSUCH"}, nil},
		// A word of a rapporteur's name, the Italian group abbreviation, an EU country code.
		{Query{Text: "rapporteur:Cirio"}, []string{"opinions.sandbox"}},
		{Query{Text: "rapporteur:Cir"}, nil},
		{Query{Filters: map[string][]string{"rapporteur": {"alberto círio"}}}, []string{"opinions.sandbox"}},
		{Query{Text: "gruppo:PPE"}, []string{"opinions.sandbox"}},
		{Query{Filters: map[string][]string{"country": {"IT"}}}, []string{"opinions.sandbox"}},
	} {
		res, err := ix.Search(context.Background(), tc.q)
		if err != nil || !slices.Equal(hitIDs(res), tc.want) {
			t.Errorf("Search(%+v) = %v, %v; want %v", tc.q, hitIDs(res), err, tc.want)
		}
	}
}

// TestSidecarStateFollowsItsDocument checks the receipt of a sidecar when its
// document comes after it, and when the document goes: the sidecar is read
// again although it did not change.
func TestSidecarStateFollowsItsDocument(t *testing.T) {
	pdf, err := os.ReadFile("testdata/formats/opinion.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ix := openTest(t)
	state := func() Receipt {
		t.Helper()
		return receiptsByFile(t, ix)["p/report.yaml"]
	}
	fsys := fstest.MapFS{"p/report.yaml": {Data: []byte("title: From the sidecar\n"), ModTime: time.Unix(1, 0)}}
	syncTest(t, ix, fsys)
	if r := state(); r.State != StateFailed {
		t.Fatalf("sidecar alone: %s %q, want failed", r.State, r.Error)
	}
	fsys["p/report.pdf"] = &fstest.MapFile{Data: pdf, ModTime: time.Unix(2, 0)}
	syncTest(t, ix, fsys)
	if r := state(); r.State != StateIgnored || r.Error != "metadata for p/report.pdf" {
		t.Errorf("sidecar once its PDF came: %s %q, want ignored as the PDF's metadata", r.State, r.Error)
	}
	if d, err := ix.Doc(context.Background(), "p.report"); err != nil || d.Title != "From the sidecar" {
		t.Errorf("PDF title = %q, %v; want the sidecar's", d.Title, err)
	}
	delete(fsys, "p/report.pdf")
	syncTest(t, ix, fsys)
	if r := state(); r.State != StateFailed || !strings.Contains(r.Error, "no document beside it") {
		t.Errorf("sidecar once its PDF went: %s %q, want failed, with no document beside it", r.State, r.Error)
	}
}

// TestFacetMore checks that a facet lists its 30 most frequent values, says
// how many it has, and lists them all when asked (Query.More).
func TestFacetMore(t *testing.T) {
	ix := openTest(t)
	fsys := fstest.MapFS{}
	for i := range 40 {
		fsys[fmt.Sprintf("p/%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Page %d\nlanguage: en\ntags: [topic%02d]\n---\nA page on cohesion.\n", i, i))}
	}
	syncTest(t, ix, fsys)
	for _, tc := range []struct {
		more       []string
		tags, kind int
	}{
		{nil, 30, 1},
		{[]string{"tag"}, 40, 1},
		{[]string{"kind", "tag"}, 40, 1},
	} {
		res, err := ix.Search(context.Background(), Query{Text: "cohesion", More: tc.more})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Facets["tag"]) != tc.tags || res.FacetValues["tag"] != 40 || len(res.Facets["kind"]) != tc.kind || res.FacetValues["kind"] != 1 {
			t.Errorf("more %v: %d tags listed of %d, %d kinds of %d; want %d of 40, %d of 1", tc.more, len(res.Facets["tag"]), res.FacetValues["tag"], len(res.Facets["kind"]), res.FacetValues["kind"], tc.tags, tc.kind)
		}
	}
}

// TestSidecarInUpperCase pairs documents and sidecars whose endings differ
// in case (SCAN.PDF + SCAN.yaml, e.pdf + e.YAML), as scanners and Windows
// tools name them: the metadata applies and the sidecar is not a problem.
func TestSidecarInUpperCase(t *testing.T) {
	pdf, err := os.ReadFile("testdata/formats/opinion.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ix := openTest(t)
	sum := syncTest(t, ix, fstest.MapFS{
		"SCAN.PDF":  {Data: pdf},
		"SCAN.yaml": {Data: []byte("title: Upper-case PDF\n")},
		"e.pdf":     {Data: pdf},
		"e.YAML":    {Data: []byte("title: Upper-case YAML\n")},
	})
	if sum.Failed != 0 {
		t.Errorf("failed files: %+v", sum.Problems)
	}
	for id, want := range map[string]string{"scan": "Upper-case PDF", "e": "Upper-case YAML"} {
		if d, err := ix.Doc(context.Background(), id); err != nil || d.Title != want {
			t.Errorf("document %s: title %q, %v; want %q", id, d.Title, err, want)
		}
	}
	rs, _ := ix.Receipts(context.Background())
	for _, r := range rs {
		if strings.HasSuffix(strings.ToLower(r.File), ".yaml") && r.State != StateIgnored {
			t.Errorf("sidecar %s: %s (%s), want ignored", r.File, r.State, r.Error)
		}
	}
}

// TestUnreadableFilesAreReadAgain checks that a file that could not be read
// is read again at the next sync although it did not change: its
// permissions fixed, or the size limit raised. Before, its size and time
// matched its receipt and it stayed failed for good.
func TestUnreadableFilesAreReadAgain(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/index"
	when := time.Unix(1_700_000_000, 0)
	files := fstest.MapFS{
		"locked.md": {Data: []byte("---\ntitle: Locked\n---\nThe harbour committee met.\n"), ModTime: when},
		"big.md":    {Data: []byte("---\ntitle: Big\n---\n" + strings.Repeat("The lighthouse register. ", 40) + "\n"), ModTime: when},
	}
	fsys := lockedFS{files, "locked.md"} // as a file without read permission (see walk_test.go)

	ix, err := Open(ctx, Config{Path: path, MaxFileSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ix.Sync(ctx, fsys)
	if err != nil || sum.Failed != 2 {
		t.Fatalf("first sync: %+v, %v; want both files failed", sum, err)
	}
	// Nothing changed: both are read again, fail as before, and nothing is written.
	before, _ := ix.Receipts(ctx)
	sum, err = ix.Sync(ctx, fsys)
	if err != nil || sum.Failed != 0 || sum.Unchanged != 2 {
		t.Errorf("second sync: %+v, %v; want 2 unchanged", sum, err)
	}
	after, _ := ix.Receipts(ctx)
	if !slices.EqualFunc(before, after, func(a, b Receipt) bool { return a.File == b.File && a.Updated.Equal(b.Updated) && a.Error == b.Error }) {
		t.Errorf("receipts rewritten although nothing changed:\n%+v\n%+v", before, after)
	}

	// The permission is fixed: the file is archived without being touched.
	fsys.dir = ""
	if sum, err = ix.Sync(ctx, fsys); err != nil || sum.Added != 1 {
		t.Errorf("sync after the permission fix: %+v, %v; want locked.md added", sum, err)
	}
	ix.Close()

	// The limit is raised: the big file is archived too.
	ix, err = Open(ctx, Config{Path: path, MaxFileSize: 5000})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if sum, err = ix.Sync(ctx, fsys); err != nil || sum.Added != 1 || sum.Failed != 0 {
		t.Errorf("sync with a larger limit: %+v, %v; want big.md added", sum, err)
	}
	for _, q := range []string{"harbour", "lighthouse"} {
		if res, err := ix.Search(ctx, Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("search %s: %v hits, %v; want 1", q, res.Total, err)
		}
	}
}

// TestPollingHoldsOnlyMovingFiles runs the scans of polling on a corpus
// with a file that cannot be read: the file is read again at each scan
// (see TestUnreadableFilesAreReadAgain), but never counted as pending,
// which is for files still being written; a new file waits one scan.
func TestPollingHoldsOnlyMovingFiles(t *testing.T) {
	ctx := context.Background()
	ix := openTest(t)
	when := time.Unix(1_700_000_000, 0)
	files := fstest.MapFS{"locked.md": {Data: []byte("---\ntitle: Locked\n---\nThe harbour committee met.\n"), ModTime: when}}
	fsys := lockedFS{files, "locked.md"}
	if _, err := ix.Sync(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	var s settler
	scan := func() Summary {
		t.Helper()
		sum, err := ix.update(ctx, fsys, nil, s.hold)
		if err != nil {
			t.Fatal(err)
		}
		s.next()
		return sum
	}
	for i := range 3 {
		if sum := scan(); sum.Pending != 0 || sum.Unchanged != 1 {
			t.Errorf("scan %d: %+v; want the unreadable file unchanged, nothing pending", i+1, sum)
		}
	}
	files["new.md"] = &fstest.MapFile{Data: []byte("---\ntitle: New\n---\nThe lighthouse register.\n"), ModTime: when}
	if sum := scan(); sum.Pending != 1 || sum.Added != 0 {
		t.Errorf("scan after a new file: %+v; want it pending", sum)
	}
	if sum := scan(); sum.Pending != 0 || sum.Added != 1 {
		t.Errorf("next scan: %+v; want the new file added", sum)
	}
}

// vanishingFS lists the file gone but cannot open it, as when a file is
// deleted or renamed between the scan of its folder and its reading.
type vanishingFS struct {
	fstest.MapFS
	gone string
}

func (v vanishingFS) Open(name string) (fs.File, error) {
	if name == v.gone {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return v.MapFS.Open(name)
}

// TestFileGoneWhileRead: a file deleted while an update runs is removed, or
// never archived, not reported as a file that cannot be opened.
func TestFileGoneWhileRead(t *testing.T) {
	ix := openTest(t)
	fsys := fstest.MapFS{
		"stays.md": {Data: []byte("Harbour dues were agreed by the committee.\n")},
		"goes.md":  {Data: []byte("Lighthouse keepers met on Tuesday.\n")},
	}
	syncTest(t, ix, fsys)
	fsys["goes.md"] = &fstest.MapFile{Data: []byte("Lighthouse keepers met again on Friday.\n")}
	fsys["new.md"] = &fstest.MapFile{Data: []byte("A new file, deleted at once.\n")}
	for _, gone := range []string{"goes.md", "new.md"} {
		sum, err := ix.Sync(context.Background(), vanishingFS{fsys, gone})
		if err != nil || sum.Failed != 0 || len(sum.Problems) != 0 {
			t.Errorf("%s gone while read: %+v, %v; want no failure", gone, sum, err)
		}
		if r := receiptsByFile(t, ix)[gone]; r.File != "" {
			t.Errorf("%s gone while read: receipt %+v, want none", gone, r)
		}
		if res, err := ix.Search(context.Background(), Query{Text: "lighthouse", Filters: map[string][]string{"language": {"en"}}}); gone == "goes.md" && (err != nil || res.Total != 0) {
			t.Errorf("the gone file's document: %v, %v; want removed", hitIDs(res), err)
		}
	}
}

// TestRetriedFileCountsOnce: a file that fails because another file holds
// its document id is read again when that file is archived in the same
// update (see orphans); the summary counts it, and lists it, once.
func TestRetriedFileCountsOnce(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/index"
	fsys := fstest.MapFS{
		"a/x.md":  {Data: []byte("---\ntitle: Lynx one\n---\nThe lynx page one.\n")},
		"a/x.txt": {Data: []byte("The lynx page two.\n")},
		"p.md":    {Data: []byte("---\nid: same\ntitle: Pelican\n---\nThe pelican page.\n")},
		"q.md":    {Data: []byte("---\nid: same\ntitle: Quail\n---\nThe quail page.\n")},
	}
	ix, err := Open(ctx, Config{Path: path, MaxFileSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := ix.Sync(ctx, fsys); err != nil || sum.Failed != 4 {
		t.Fatalf("sync with a 10-byte limit: %+v, %v; want 4 failed", sum, err)
	}
	ix.Close()
	ix, err = Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sum, err := ix.Sync(ctx, fsys)
	var problems []string
	for _, r := range sum.Problems {
		problems = append(problems, r.File)
	}
	slices.Sort(problems)
	if err != nil || sum.Added != 2 || sum.Failed != 2 || !slices.Equal(problems, []string{"a/x.txt", "q.md"}) {
		t.Errorf("sync with the limit raised: %+v, %v; want 2 added, 2 failed (a/x.txt, q.md)", sum, err)
	}
}

// TestOrphansReadInTurn: a file read again because the file holding its
// document id went archives its new version; a file that was a duplicate
// of its old version is read again in turn, in the same update, and
// archived (it stayed a duplicate of content no file archived, out of
// every search, until a rebuild).
func TestOrphansReadInTurn(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Holder A\nid: shared\n---\n\nHolder A text about ferries.\n")},
		"b.md": {Data: []byte("---\ntitle: Bee page\n---\n\nBee page text about tramways.\n")},
	}
	var overrun []Progress // progress past its total
	ix, err := Open(ctx, Config{Path: t.TempDir() + "/index", Progress: func(p Progress) {
		if p.Files > p.Total {
			overrun = append(overrun, p)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sync := func(step string) map[string]Receipt {
		t.Helper()
		if _, err := ix.Sync(ctx, fsys); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return receiptsByFile(t, ix)
	}
	sync("first")
	oldB := fsys["b.md"].Data
	fsys["b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Bee page v2\nid: shared\n---\n\nBee page second version about funiculars.\n")}
	if r := sync("b.md takes a.md's id")["b.md"]; r.State != StateFailed || r.ConflictsWith != "a.md" {
		t.Fatalf("b.md: %s, conflicts with %q; want failed, conflicting with a.md", r.State, r.ConflictsWith)
	}
	fsys["c.md"] = &fstest.MapFile{Data: oldB}
	if r := sync("c.md has b.md's old version")["c.md"]; r.State != StateDuplicate || r.DuplicateOf != "b.md" {
		t.Fatalf("c.md: %s, duplicate of %q; want a duplicate of b.md, which keeps that version", r.State, r.DuplicateOf)
	}
	delete(fsys, "a.md")
	rs := sync("a.md removed")
	if r := rs["b.md"]; r.State != StateArchived {
		t.Errorf("b.md after a.md went: %s (%s); want archived", r.State, r.Error)
	}
	if r := rs["c.md"]; r.State != StateArchived || r.DuplicateOf != "" {
		t.Errorf("c.md after b.md archived its new version: %s, duplicate of %q; want archived", r.State, r.DuplicateOf)
	}
	if d, err := ix.Doc(ctx, "c"); err != nil || !strings.Contains(d.Body, "tramways") {
		t.Errorf("document c: %v; want the tramways page", err)
	}
	if len(overrun) > 0 {
		t.Errorf("progress counted more files than its total (files read again not in it): %+v", overrun)
	}
}

// TestCheckFindsIDConflicts: check reports the files an update would refuse
// because another file holds their document id, and takes a file with the
// content of another for its duplicate, as an update does.
func TestCheckFindsIDConflicts(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"a/x.md":   {Data: []byte("---\ntitle: Lynx one\n---\nThe lynx page one.\n")},
		"a/x.txt":  {Data: []byte("The lynx page two.\n")},
		"copy.md":  {Data: []byte("---\nid: same\ntitle: Pelican\n---\nThe pelican page.\n")},
		"p.md":     {Data: []byte("---\nid: same\ntitle: Pelican\n---\nThe pelican page.\n")},
		"q.md":     {Data: []byte("---\nid: same\ntitle: Quail\n---\nThe quail page.\n")},
		"other.md": {Data: []byte("---\ntitle: Other\n---\nThe heron page.\n")},
	}
	problems, files, err := Check(ctx, fsys, 0)
	if err != nil || files != 6 {
		t.Fatalf("Check = %d files, %v; want 6", files, err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.File+": "+p.Error)
	}
	want := []string{`a/x.txt: ` + idConflict("a/x.txt", "a.x", "a/x.md"), `q.md: ` + idConflict("q.md", "same", "copy.md")}
	if !slices.Equal(got, want) {
		t.Errorf("Check problems =\n%q\nwant\n%q", got, want)
	}
	// What an update of an empty index does with the same files.
	sum := syncTest(t, openTest(t), fsys)
	got = nil
	for _, p := range sum.Problems {
		got = append(got, p.File+": "+p.Error)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) || sum.Duplicate != 1 {
		t.Errorf("Sync problems =\n%q (%d duplicates)\nwant\n%q and p.md the duplicate of copy.md", got, sum.Duplicate, want)
	}
}

// TestSavedWebPageFiles: a page saved by a browser "complete" comes with a
// folder of its images, styles and scripts (and frames, as pages); the page
// is archived, the folder's files are ignored with the reason, not problems
// or documents. A folder of that name without its page is read as any.
func TestSavedWebPageFiles(t *testing.T) {
	ix := openTest(t)
	page := "<html><head><title>Texts adopted</title></head><body><main><h1>Texts adopted</h1><p>The Parliament grants discharge.</p></main></body></html>"
	sum := syncTest(t, ix, fstest.MapFS{
		"saved/Texts adopted.html":                      {Data: []byte(page)},
		"saved/Texts adopted_files/app.js":              {Data: []byte("var x = 1;")},
		"saved/Texts adopted_files/style.css":           {Data: []byte("body { color: red }")},
		"saved/Texts adopted_files/saved_resource.html": {Data: []byte("<html><body><p>Tracking frame text here.</p></body></html>")},
		"notes_files/minutes.md":                        {Data: []byte("# Minutes\n\nThe board met on Monday.\n")},
	})
	if sum.Added != 2 || sum.Failed != 0 {
		t.Errorf("sync = %+v; want the page and the minutes added, nothing failed", sum)
	}
	rs, err := ix.Receipts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		inFolder := strings.HasPrefix(r.File, "saved/Texts adopted_files/")
		if inFolder != (r.State == StateIgnored) || inFolder && r.Error != "part of the saved web page saved/Texts adopted.html" {
			t.Errorf("%s: %s %q", r.File, r.State, r.Error)
		}
	}
}

// TestPDFAndDOCXShareASidecar: report.pdf and report.docx beside
// report.yaml both read it, so an id in it is claimed twice; the error says
// to give the second a sidecar of its own, and that mends it.
func TestPDFAndDOCXShareASidecar(t *testing.T) {
	pdf, docx := []byte(readFixture(t, "formats/opinion.pdf")), []byte(readFixture(t, "formats/opinion.docx"))
	ix := openTest(t)
	fsys := fstest.MapFS{
		"side/report.pdf":  {Data: pdf},
		"side/report.docx": {Data: docx},
		"side/report.yaml": {Data: []byte("id: ai-opinion\ntitle: AI in the public sector\n")},
	}
	sum := syncTest(t, ix, fsys)
	if sum.Added != 1 || sum.Failed != 1 {
		t.Fatalf("sync = %+v; want one added, one failed", sum)
	}
	p := sum.Problems[0]
	if want := idConflict(p.File, "ai-opinion", p.ConflictsWith); p.Error != want || !strings.HasSuffix(want, "in a sidecar YAML file of its own, report.pdf.yaml)") && !strings.HasSuffix(want, "report.docx.yaml)") {
		t.Errorf("problem %q, want %q naming its own sidecar", p.Error, want)
	}
	if r := receiptsByFile(t, ix)["side/report.yaml"]; r.Error != "metadata for side/report.pdf and side/report.docx" {
		t.Errorf("sidecar's receipt = %+v; want it to name both files", r)
	}
	fsys[p.File+".yaml"] = &fstest.MapFile{Data: []byte("id: ai-opinion-2\n")}
	if sum := syncTest(t, ix, fsys); sum.Added != 1 || sum.Failed != 0 {
		t.Errorf("with its own sidecar: %+v; want it added", sum)
	}
}

// TestSidecarProblems: a metadata file that cannot be read fails its
// document, naming the metadata file, and the last good version stays; so
// do two metadata files for one document. Windows-1252 is read as in front
// matter.
func TestSidecarProblems(t *testing.T) {
	docx := []byte(readFixture(t, "formats/opinion.docx"))
	ix := openTest(t)
	fsys := fstest.MapFS{
		"r/scheda.docx": {Data: docx},
		"r/scheda.yaml": {Data: []byte("title: Relazione sulla citt\xe0\r\ndate: 2020-05-07\r\n")},
	}
	if sum := syncTest(t, ix, fsys); sum.Added != 1 || sum.Failed != 0 {
		t.Fatalf("sync = %+v; want it added", sum)
	}
	title := func() string {
		t.Helper()
		d, err := ix.Doc(context.Background(), receiptsByFile(t, ix)["r/scheda.docx"].Documents[0])
		if err != nil {
			t.Fatal(err)
		}
		return d.Title
	}
	if got := title(); got != "Relazione sulla città" {
		t.Errorf("title from a Windows-1252 sidecar = %q", got)
	}
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"r/scheda.yaml": "title: Big\nsummary: " + strings.Repeat("lorem ", 12000) + "\n"},
			"metadata file r/scheda.yaml: "},
		{map[string]string{"r/scheda.yaml": "titel: Typo\n"}, `metadata file r/scheda.yaml: unknown key "titel"`},
		{map[string]string{"r/scheda.yaml": "title: Plain\n", "r/scheda.docx.yaml": "title: Whole name\n"},
			"r/scheda.docx.yaml and r/scheda.yaml both are its metadata file: keep one"},
		{map[string]string{"r/scheda.yml": "title: Short\n"}, "r/scheda.yaml and r/scheda.yml both are its metadata file: keep one"},
	} {
		for name, data := range tc.files {
			fsys[name] = &fstest.MapFile{Data: []byte(data)}
		}
		sum := syncTest(t, ix, fsys)
		r := receiptsByFile(t, ix)["r/scheda.docx"]
		if sum.Failed != 1 || r.State != StateFailed || !strings.Contains(r.Error, tc.want) || len(r.Documents) != 1 {
			t.Errorf("%v: %+v, receipt %+v; want failed with %q, the last version kept", tc.files, sum, r, tc.want)
		}
		if got := title(); got != "Relazione sulla città" {
			t.Errorf("%v: title %q, want the last good version's", tc.files, got)
		}
	}
	delete(fsys, "r/scheda.yml")
	delete(fsys, "r/scheda.yaml")
	if sum := syncTest(t, ix, fsys); sum.Failed != 0 || title() != "Whole name" {
		t.Errorf("one metadata file left: %+v, title %q", sum, title())
	}
	// Shared by a PDF and a DOCX, the stem's metadata file is the DOCX's
	// alone once the PDF has its own; and read by none once both have.
	fsys["r/scheda.pdf"] = &fstest.MapFile{Data: []byte(readFixture(t, "formats/opinion.pdf"))}
	fsys["r/scheda.pdf.yaml"] = &fstest.MapFile{Data: []byte("title: The PDF\n")}
	fsys["r/scheda.yaml"] = &fstest.MapFile{Data: []byte("title: Shared\n")}
	delete(fsys, "r/scheda.docx.yaml")
	syncTest(t, ix, fsys)
	if r := receiptsByFile(t, ix)["r/scheda.yaml"]; r.State != StateIgnored || r.Error != "metadata for r/scheda.docx" {
		t.Errorf("shared metadata file's receipt = %+v, want it the DOCX's", r)
	}
	fsys["r/scheda.docx.yaml"] = &fstest.MapFile{Data: []byte("title: The DOCX\n")}
	syncTest(t, ix, fsys)
	if r := receiptsByFile(t, ix)["r/scheda.yaml"]; r.State != StateFailed || !strings.Contains(r.Error, "not read: r/scheda.pdf and r/scheda.docx each have") {
		t.Errorf("unread metadata file's receipt = %+v, want a problem saying why", r)
	}
}

// goneOnOpen is a corpus in which opening one file removes another, as
// staff deleting a file while an update reads the corpus would.
type goneOnOpen struct {
	fstest.MapFS
	trigger, victim string
}

func (g goneOnOpen) Open(name string) (fs.File, error) {
	if name == g.trigger {
		delete(g.MapFS, g.victim)
	}
	return g.MapFS.Open(name)
}

// TestSidecarGoneBeforeItsReceipt: a metadata file removed after its
// document was read with it, but before it was read itself (a rebuild reads
// metadata files last), has no receipt to say it went: its document is read
// again at the next update, not left as it was.
func TestSidecarGoneBeforeItsReceipt(t *testing.T) {
	ix, err := Open(context.Background(), Config{Path: t.TempDir() + "/index", Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Files with times, so that the next update skips those that look unchanged.
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fsys := goneOnOpen{MapFS: fstest.MapFS{
		"r/scheda.docx":      {Data: []byte(readFixture(t, "formats/opinion.docx")), ModTime: mod},
		"r/scheda.docx.yaml": {Data: []byte("title: Whole name\n"), ModTime: mod},
		"r/scheda.yaml":      {Data: []byte("title: Stem\n"), ModTime: mod},
	}, trigger: "r/scheda.docx.yaml", victim: "r/scheda.yaml"}
	sum, err := ix.Sync(context.Background(), fsys)
	if err != nil || sum.Failed != 1 {
		t.Fatalf("first sync = %+v, %v; want the DOCX failed for its two metadata files", sum, err)
	}
	// An update that fails (here cancelled) leaves the DOCX to the next.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Sync(cancelled, fsys); err == nil {
		t.Fatal("cancelled sync: no error")
	}
	sum, err = ix.Sync(context.Background(), fsys)
	r := receiptsByFile(t, ix)["r/scheda.docx"]
	if err != nil || r.State != StateArchived || len(r.Documents) != 1 {
		t.Fatalf("next sync = %+v, %v; receipt %+v; want the DOCX archived with its one metadata file", sum, err, r)
	}
	if d, err := ix.Doc(context.Background(), r.Documents[0]); err != nil || d.Title != "Whole name" {
		t.Errorf("title %q, %v; want Whole name", d.Title, err)
	}
}

// TestDecomposedAccents: an accent written as a combining mark after its
// letter (as text pasted from a PDF or a Mac may have it) is the accented
// letter, in documents, queries and filter values.
func TestDecomposedAccents(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Le città\nlanguage: it\ntags: [Città]\n---\nLe città più piccole chiedono fondi.\n")},
		"b.md": {Data: []byte("---\ntitle: Altre citta\u0300\nlanguage: it\n---\nLa citta\u0300 di Trnava e Viskupic\u030c.\n")},
	})
	for _, q := range []Query{
		{Text: "città"}, {Text: "citta\u0300"}, {Text: "citta"},
		{Text: "citta\u0300 kind:page"}, {Filters: map[string][]string{"tag": {"Citta\u0300"}}},
	} {
		want := uint64(2)
		if len(q.Filters) > 0 {
			want = 1
		}
		if res, err := ix.Search(context.Background(), q); err != nil || res.Total != want {
			t.Errorf("%q %v: %d hits, %v; want %d", q.Text, q.Filters, res.Total, err, want)
		}
	}
	if res, err := ix.Search(context.Background(), Query{Text: "Viskupič"}); err != nil || res.Total != 1 {
		t.Errorf("Viskupič: %d hits, %v; want the document that writes it decomposed", res.Total, err)
	}
}

// TestRelaxedSearchKeepsMostWords: when no document has every word (one is
// misspelt), the documents with all the others come, not one with a single
// word in its title ranked above them.
func TestRelaxedSearchKeepsMostWords(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Regulatory affairs\nlanguage: en\n---\nThe office for regulatory affairs moved.\n")},
		"b.md": {Data: []byte("---\ntitle: Artificial intelligence in cities\nlanguage: en\n---\nCities test AI in regulatory sandboxes.\n")},
		"c.md": {Data: []byte("---\ntitle: Children's play\nlanguage: en\n---\nSandboxes in the parks were cleaned.\n")},
	})
	res, err := ix.Search(context.Background(), Query{Text: "regulatory sandboxes zebra"})
	if err != nil || !res.Relaxed || !slices.Equal(hitIDs(res), []string{"b"}) {
		t.Errorf("regulatory sandboxes zebra: %v (relaxed %v), %v; want b alone, relaxed", hitIDs(res), res.Relaxed, err)
	}
	// With no two words in one document: any of them.
	res, err = ix.Search(context.Background(), Query{Text: "affairs parks zebra"})
	if err != nil || !res.Relaxed || res.Total != 2 {
		t.Errorf("affairs parks zebra: %v (relaxed %v), %v; want a and c, relaxed", hitIDs(res), res.Relaxed, err)
	}
}

// TestDuplicateOfAKeptVersion: the original of a duplicate that now fails
// keeps its last good version, and stays the original: a rebuild keeps the
// copy a duplicate (it archived it as a second copy), and a third copy is
// a duplicate too.
func TestDuplicateOfAKeptVersion(t *testing.T) {
	ctx := context.Background()
	ix := openTest(t)
	good := []byte("---\ntitle: Dup original\n---\nDuplicate content dupword.\n")
	fsys := fstest.MapFS{"z/d.md": {Data: good}}
	syncTest(t, ix, fsys)
	fsys["a/d.md"] = &fstest.MapFile{Data: good}
	syncTest(t, ix, fsys)
	fsys["z/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [broken\n---\nx\n")}
	syncTest(t, ix, fsys)
	fsys["b.md"] = &fstest.MapFile{Data: good}
	if sum := syncTest(t, ix, fsys); sum.Duplicate != 1 {
		t.Errorf("a third copy: %+v; want a duplicate", sum)
	}
	if _, err := ix.Rebuild(ctx, fsys); err != nil {
		t.Fatal(err)
	}
	rs := receiptsByFile(t, ix)
	for _, f := range []string{"a/d.md", "b.md"} {
		if r := rs[f]; r.State != StateDuplicate || r.DuplicateOf != "z/d.md" {
			t.Errorf("after the rebuild %s is %s %q; want a duplicate of z/d.md", f, r.State, r.DuplicateOf)
		}
	}
	if res, err := ix.Search(ctx, Query{Text: "dupword"}); err != nil || res.Total != 1 {
		t.Errorf("dupword: %d hits, %v; want the one kept version", res.Total, err)
	}
}

func TestIDConflictAdvice(t *testing.T) {
	tests := []struct{ file, want string }{
		{"notes/report.md", "set a different id in its front matter"},
		{"scan.PDF", "set a different id in a sidecar YAML file of its own, scan.PDF.yaml"},
		{"ogp/export.csv", "the same records in two files? keep one, or rename one of them"},
		{"report.HTML", "a page's id comes from its file name: rename one of them"},
		{"page.htm", "a page's id comes from its file name: rename one of them"},
	}
	for _, tt := range tests {
		got := idConflict(tt.file, "report", "Report.html")
		if want := `document id "report" is already archived from Report.html (` + tt.want + ")"; got != want {
			t.Errorf("idConflict(%s) = %q, want %q", tt.file, got, want)
		}
	}
}
