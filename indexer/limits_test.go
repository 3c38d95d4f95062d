package indexer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseQueryStringLimits(t *testing.T) {
	tests := []struct {
		name   string
		q      string
		errHas string // "" when the query is accepted
	}{
		{"plain words", "digital public", ""},
		{"regexp", ".*", "at least 3 letters"},
		{"regexp in slashes", "/.*/", "only at the end"},
		{"inner wildcard", "di*tal", "only at the end"},
		{"leading wildcard", "*tal", "only at the end"},
		{"many stars", "*a*b*c*", "only at the end"},
		{"short prefix", "ab*", "at least 3 letters"},
		{"prefix of dots", "a..*", "at least 3 letters"},
		{"prefix", "abc*", ""},
		{"prefix with stars", "abc***", ""},
		{"fuzzy 1", "digital~", ""},
		{"fuzzy 2", "digital~2", ""},
		{"fuzzy 3", "digital~3", "at most 2 edits"},
		{"fuzzy 0 is a plain word", "digital~0", ""},
		{"fuzzy negative", "digital~-1", "number of edits"},
		{"fuzzy short", "w~2", "at least 3 letters"},
		{"fuzzy word", "abc~2", ""},
		{"too long", strings.Repeat("a", MaxQueryLength+1), fmt.Sprintf("limit is %d", MaxQueryLength)},
		{"longest", strings.Repeat("a", MaxQueryLength), ""},
		{"longest in accented letters", strings.Repeat("è", MaxQueryLength), ""},
		{"too long in accented letters", strings.Repeat("è", MaxQueryLength+1), fmt.Sprintf("%d characters long", MaxQueryLength+1)},
		{"too many terms", strings.Repeat("ab ", MaxQueryTerms+1), fmt.Sprintf("limit is %d", MaxQueryTerms)},
		{"most terms", strings.Repeat("ab ", MaxQueryTerms), ""},
		{"too many prefixes", strings.Repeat("abc* ", MaxExpandingTerms+1), fmt.Sprintf("limit is %d", MaxExpandingTerms)},
		{"too many fuzzy mixed", strings.Repeat("abc* abc~ ", MaxExpandingTerms/2) + "xyz~", fmt.Sprintf("limit is %d", MaxExpandingTerms)},
		{"most prefixes", strings.Repeat("abc* ", MaxExpandingTerms), ""},
		{"NUL", "a\x00b", ""},
		{"invalid UTF-8", "\xff\xfe digital", ""},
		{"misspelt filter", "contry:Ukraine", `"contry" is not a filter: did you mean country:?`},
		{"misspelt filter, plural", "themes:transparency", `did you mean theme:?`},
		{"misspelt Italian filter", "paesi:Italia", `did you mean paese:?`},
		{"misspelt filter, nearest", "stauts:Complete", `did you mean status:?`},
		{"a word before a colon and a space", "Member State: Italy", ""},
		{"a word before a colon at the end", "Kaduna State:", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseQueryString(tc.q)
			if tc.errHas == "" {
				if err != nil {
					t.Fatalf("parseQueryString(%.60q) = %v, want no error", tc.q, err)
				}
				return
			}
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("parseQueryString(%.60q) error = %v, want a *QueryError", tc.q, err)
			}
			if !strings.Contains(qe.Msg, tc.errHas) {
				t.Errorf("parseQueryString(%.60q) error = %q, want it to contain %q", tc.q, qe.Msg, tc.errHas)
			}
		})
	}
}

// manyTermsIndex indexes documents whose bodies hold n distinct words that
// share the prefix "zqq".
func manyTermsIndex(t *testing.T, n int) *Index {
	t.Helper()
	fsys := fstest.MapFS{}
	const perDoc = 500
	for d := 0; d*perDoc < n; d++ {
		var b strings.Builder
		b.WriteString("Common words for every document.\n\n")
		for i := d * perDoc; i < min(n, (d+1)*perDoc); i++ {
			fmt.Fprintf(&b, "zqq%s ", base26(i))
		}
		fsys[fmt.Sprintf("many-%02d.txt", d)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if sum, err := ix.Sync(ctx, fsys); err != nil || sum.Failed > 0 {
		t.Fatalf("Sync: %+v, %v", sum, err)
	}
	return ix
}

// base26 writes i in base 26 with letters, so that no stemmer folds two
// numbers together.
func base26(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			break
		}
	}
	return string(b) + "x"
}

func TestSearchExpansionLimits(t *testing.T) {
	ix := manyTermsIndex(t, 3*maxClauses)
	ctx := context.Background()
	tests := []struct {
		name   string
		q      string
		errHas string
		total  uint64
	}{
		// "zqq*" matches 3072 terms in each text field: more than the clause limit.
		{"prefix over the clause limit", "zqq*", "too many different words", 0},
		{"fuzzy that matches few terms", "zqqabx~1", "", 0},
		{"narrow prefix", "zqqab*", "", 0},
		{"plain word", "common", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ix.Search(ctx, Query{Text: tc.q})
			if tc.errHas == "" {
				if err != nil {
					t.Fatalf("Search(%q) = %v", tc.q, err)
				}
				if res.Total == 0 {
					t.Errorf("Search(%q) found nothing", tc.q)
				}
				return
			}
			var qe *QueryError
			if !errors.As(err, &qe) || !strings.Contains(qe.Msg, tc.errHas) {
				t.Fatalf("Search(%q) error = %v, want a QueryError with %q", tc.q, err, tc.errHas)
			}
		})
	}
}

// TestSearchTermSearcherLimit asks for 8 prefixes that each expand to 1000
// terms: under the clause limit one by one, 8000 term searchers together,
// over maxTermSearchers.
func TestSearchTermSearcherLimit(t *testing.T) {
	fsys := fstest.MapFS{}
	var prefixes []string
	for g := range MaxExpandingTerms {
		p := "zq" + string(rune('a'+g)) + "q"
		prefixes = append(prefixes, p+"*")
		for d := range 2 {
			var b strings.Builder
			for i := d * 500; i < (d+1)*500; i++ {
				fmt.Fprintf(&b, "%s%s ", p, base26(i))
			}
			fsys[fmt.Sprintf("g%d-%d.txt", g, d)] = &fstest.MapFile{Data: []byte(b.String())}
		}
	}
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if sum, err := ix.Sync(ctx, fsys); err != nil || sum.Failed > 0 {
		t.Fatalf("Sync: %+v, %v", sum, err)
	}
	if res, err := ix.Search(ctx, Query{Text: prefixes[0]}); err != nil || res.Total != 2 {
		t.Fatalf("Search(%s) = %d hits, %v; want the 2 files of the group", prefixes[0], res.Total, err)
	}
	_, err = ix.Search(ctx, Query{Text: strings.Join(prefixes, " ")})
	var qe *QueryError
	if !errors.As(err, &qe) || !strings.Contains(qe.Msg, "too many different words") {
		t.Fatalf("Search(%d prefixes of 1000 terms) error = %v, want a QueryError about too many words", len(prefixes), err)
	}
}

func TestSearchHonoursContext(t *testing.T) {
	ix := manyTermsIndex(t, 500)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Search(ctx, Query{Text: "common"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Search with a cancelled context: error = %v, want context.Canceled", err)
	}
}

func TestSearchPageLimits(t *testing.T) {
	ix := manyTermsIndex(t, 10)
	ctx := context.Background()
	tests := []struct {
		q      Query
		errHas string
	}{
		{Query{Size: MaxPageSize + 1}, "too large"},
		{Query{Size: MaxPageSize, Page: MaxResultDepth/MaxPageSize + 1}, "too deep"},
		{Query{Size: 1, Page: MaxResultDepth + 1}, "too deep"},
		{Query{Size: MaxPageSize, Page: MaxResultDepth / MaxPageSize}, ""},
		{Query{Filters: map[string][]string{"tag": make([]string, MaxFilterValues+1)}}, ""}, // empty values are dropped... counted below
		{Query{Filters: map[string][]string{"nosuch": {"x"}}}, "unknown filter"},
		{Query{From: "2020-13-45"}, "not a date"},
		{Query{To: "0000"}, ""}, // bleve cannot hold year 0: the bound is clamped
		{Query{From: "9999-12-31"}, ""},
		{Query{From: "0001", To: "9999"}, ""},
	}
	for i := range MaxFilterValues + 1 {
		tests[4].q.Filters["tag"][i] = fmt.Sprint("t", i)
	}
	tests[4].errHas = fmt.Sprintf("limit is %d", MaxFilterValues)
	for _, tc := range tests {
		_, err := ix.Search(ctx, tc.q)
		if tc.errHas == "" {
			if err != nil {
				t.Errorf("Search(%+v) = %v, want no error", tc.q, err)
			}
			continue
		}
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Msg, tc.errHas) {
			t.Errorf("Search(page %d size %d filters %d) error = %v, want a QueryError with %q", tc.q.Page, tc.q.Size, len(tc.q.Filters), err, tc.errHas)
		}
	}
}

// TestSearchHighlightBudget asks for a page of long documents: the first
// hits are highlighted, and once maxHighlightBytes of text have been
// analysed the rest show their opening lines, so one request stays cheap.
func TestSearchHighlightBudget(t *testing.T) {
	fsys := fstest.MapFS{}
	const docs, size = 20, 400 << 10
	for d := range docs {
		var b strings.Builder
		b.WriteString("The opening line names the zebrafinch.\n\n")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "Line %d of record %d, with plain words and more plain words.\n\n", i, d)
		}
		fsys[fmt.Sprintf("d%03d.txt", d)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if sum, err := ix.Sync(ctx, fsys); err != nil || sum.Failed > 0 {
		t.Fatalf("Sync: %+v, %v", sum, err)
	}
	res, err := ix.Search(ctx, Query{Text: "zebrafinch", Size: docs})
	if err != nil || len(res.Hits) != docs {
		t.Fatalf("Search = %d hits, %v; want %d", len(res.Hits), err, docs)
	}
	marked := 0
	for _, h := range res.Hits {
		if len(h.Snippets) == 0 {
			t.Errorf("hit %s has no snippet", h.ID)
		} else if strings.Contains(h.Snippets[0], "<mark>") {
			marked++
		}
	}
	t.Logf("%d of %d hits highlighted", marked, docs)
	// Each document costs about min(size, maxHighlightText) of the budget.
	want := (maxHighlightBytes + maxHighlightText - 1) / min(size, maxHighlightText)
	if marked == 0 || marked > want+1 || marked == docs {
		t.Errorf("%d of %d hits highlighted; want about %d (the budget), then opening lines", marked, docs, want)
	}
}

// BenchmarkWorstQueries times the most expensive queries the limits allow
// on 2000 documents with a vocabulary of 20000 words: these must all end
// well within searchDeadline.
//
//	go test ./indexer -run '^$' -bench WorstQueries -benchtime 20x
func BenchmarkWorstQueries(b *testing.B) {
	fsys := fstest.MapFS{}
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = "w" + base26(i*7919%20000) + "en"
	}
	for d := range 2000 {
		var sb strings.Builder
		fmt.Fprintf(&sb, "---\ntitle: Document %d\nkind: page\nlanguage: en\ndate: 20%02d-01-01\n---\n", d, d%25)
		for i := range 300 {
			sb.WriteString(vocab[(d*131+i*17)%len(vocab)] + " ")
		}
		fsys[fmt.Sprintf("d/%04d.md", d)] = &fstest.MapFile{Data: []byte(sb.String())}
	}
	ctx := context.Background()
	ix, err := Open(ctx, Config{Path: filepath.Join(b.TempDir(), "index")})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, fsys); err != nil {
		b.Fatal(err)
	}
	fuzzy := make([]string, MaxExpandingTerms)
	fuzzy1 := make([]string, MaxExpandingTerms)
	prefix := make([]string, MaxExpandingTerms)
	words := make([]string, MaxQueryTerms)
	for i := range fuzzy {
		fuzzy[i] = vocab[i*101] + "~2"
		fuzzy1[i] = vocab[i*101] + "~1"
		prefix[i] = vocab[i*101][:3] + "*"
	}
	for i := range words {
		words[i] = vocab[i*13]
	}
	for _, tc := range []struct {
		name string
		q    Query
	}{
		{"one word", Query{Text: vocab[0]}},
		{"8 fuzzy~1", Query{Text: strings.Join(fuzzy1, " ")}},
		{"8 fuzzy~2", Query{Text: strings.Join(fuzzy, " ")}},
		{"8 prefixes", Query{Text: strings.Join(prefix, " ")}},
		{"32 words relaxed", Query{Text: strings.Join(words, " ")}},
		{"deepest page of 100", Query{Text: vocab[0][:3] + "*", Size: MaxPageSize, Page: MaxResultDepth / MaxPageSize}},
		{"browse 100 by date", Query{Size: MaxPageSize, Sort: SortDate}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			res, err := ix.Search(ctx, tc.q)
			b.Logf("%s: %d hits of %d, error %v", tc.name, len(res.Hits), res.Total, err)
			for b.Loop() {
				if _, err := ix.Search(ctx, tc.q); err != nil {
					var qe *QueryError
					if !errors.As(err, &qe) {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestParseQueryStringClauses checks what the parser makes of the syntax
// users type, typographic quotes and quoted facet values included.
func TestParseQueryStringClauses(t *testing.T) {
	tests := []struct {
		q    string
		want []clause
	}{
		{`"open data" budget`, []clause{{text: "open data", phrase: true}, {text: "budget"}}},
		{`“dati aperti”`, []clause{{text: "dati aperti", phrase: true}}},
		{`«open data» „offene Daten“`, []clause{{text: "open data", phrase: true}, {text: "offene Daten", phrase: true}}},
		{`-"open data"`, []clause{{text: "open data", phrase: true, not: true}}},
		{`country:"North Macedonia" parliament`, []clause{{field: "country", text: "North Macedonia"}, {text: "parliament"}}},
		{`theme:“Open Parliaments”`, []clause{{field: "theme", text: "Open Parliaments"}}},
		{`-country:"North Macedonia"`, []clause{{field: "country", text: "North Macedonia", not: true}}},
		{`country:"North Macedonia`, []clause{{field: "country", text: "North Macedonia"}}},
		{`lang:it`, []clause{{field: "language", text: "it"}}},
		{`country: "North Macedonia"`, []clause{{text: "country:"}, {text: "North Macedonia", phrase: true}}},
		{`note:"a b"`, []clause{{text: "note"}, {text: "a b", phrase: true}}},
		// A name before a colon that is no filter: words.
		{`continent:Europe note:yes`, []clause{{text: "continent"}, {text: "Europe"}, {text: "note"}, {text: "yes"}}},
		{`region:Europe starred:yes`, []clause{{field: "region", text: "Europe"}, {field: "starred", text: "yes"}}},
		{`area:Europa stella:sì`, []clause{{field: "region", text: "Europa"}, {field: "starred", text: "sì"}}},
		{`https://example.org`, []clause{{text: "https"}, {text: "//example.org"}}},
		{`paese:Italia`, []clause{{field: "country", text: "Italia"}}},
		{`country:""`, []clause{{text: "country:"}}},
		{`innov* digitl~2`, []clause{{text: "innov", prefix: true}, {text: "digitl", fuzzy: 2}}},
	}
	for _, tc := range tests {
		got, err := parseQueryString(tc.q)
		if err != nil {
			t.Errorf("parseQueryString(%q): %v", tc.q, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("parseQueryString(%q) = %+v, want %+v", tc.q, got, tc.want)
		}
	}
}
