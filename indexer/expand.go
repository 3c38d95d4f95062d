package indexer

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// The text fields hold analysed terms: lower-cased, without elisions, and
// stemmed ("intelligence" is indexed as "intellig", "l'Unione" as "union").
// A word typed with * or ~ is not a term, and taken as typed it misses them
// ("intelligen*" would find nothing). An expansion is what such a word
// stands for in a field analysed by a given analyzer.
type expansion struct {
	prefixes []string // terms starting with one of these match
	terms    []string // and these terms
	fuzzy    string   // for word~N: terms within N edits of this one
}

// stemCut is how many letters the stemmer of the text fields lang (see
// textLang) takes off a word beyond what a prefix leaves out: "intelligence"
// is stemmed to "intellig", two letters short of "intelligen*"; the Romance
// languages' stemmers take off whole suffixes, "amministrazione" is
// "amministr", five letters short of "amministrazion*".
func stemCut(lang string) int {
	switch lang {
	case "it_snowball", "fr", "es", "pt", "ro":
		return 6
	}
	return 3
}

// minCutLen is the fewest letters a prefix cut short for stemming keeps.
const minCutLen = 4

// expand returns what clause c (a prefix or a fuzzy word) stands for in a
// field analysed by an (nil: lower-cased only), whose stemmer cuts up to cut
// letters more than a prefix leaves out (stemCut).
//   - word*: terms starting with the word lower-cased, or with the word
//     analysed ("l'Unione*": "union"); and the terms that are the word
//     less its last one to cut letters, keeping minCutLen, which is
//     where the stem of a longer word can end. Those can also be the
//     stems of shorter words ("digital*" matches "digit"); a prefix search
//     rather finds too much than nothing.
//   - word~N: terms within N edits of the word analysed
//     ("intelligence~": "intellig"), or lower-cased if the analyzer drops it.
func expand(c clause, an analysis.Analyzer, cut int) expansion {
	low := strings.ToLower(c.text)
	analysed := low
	if an != nil {
		if toks := an.Analyze([]byte(c.text)); len(toks) == 1 {
			analysed = string(toks[0].Term)
		}
	}
	if !c.prefix {
		return expansion{fuzzy: analysed}
	}
	e := expansion{prefixes: []string{low}}
	if folded := string(fold([]byte(low))); folded != low {
		// The fields of the languages Archivio folds hold "citta", not "città".
		e.prefixes = append(e.prefixes, folded)
	}
	if !e.covers(analysed) && utf8.RuneCountInString(analysed) >= minPrefixLen {
		e.prefixes = append(e.prefixes, analysed)
	}
	short := low
	for range cut {
		_, size := utf8.DecodeLastRuneInString(short)
		short = short[:len(short)-size]
		if utf8.RuneCountInString(short) < minCutLen {
			break
		}
		if !e.covers(short) {
			e.terms = append(e.terms, short)
		}
	}
	return e
}

// covers reports whether term starts with one of e's prefixes.
func (e expansion) covers(term string) bool {
	for _, p := range e.prefixes {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	return false
}

// expandQuery is a prefix or fuzzy clause searched in one text field, as
// expand says for the field's analyzer.
type expandQuery struct {
	c     clause
	field string
	boost float64
}

func (q expandQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	name := m.AnalyzerNameForPath(q.field)
	e := expand(q.c, m.AnalyzerNamed(name), stemCut(name))
	var alts []query.Query
	add := func(sq interface {
		query.Query
		SetField(string)
		SetBoost(float64)
	}) {
		sq.SetField(q.field)
		sq.SetBoost(q.boost)
		alts = append(alts, sq)
	}
	if q.c.prefix {
		for _, p := range e.prefixes {
			add(bleve.NewPrefixQuery(p))
		}
		for _, t := range e.terms {
			add(bleve.NewTermQuery(t))
		}
	} else {
		fq := bleve.NewFuzzyQuery(e.fuzzy)
		fq.SetFuzziness(q.c.fuzzy)
		add(fq)
	}
	if len(alts) == 1 {
		return alts[0].Searcher(ctx, r, m, opts)
	}
	return bleve.NewDisjunctionQuery(alts...).Searcher(ctx, r, m, opts)
}
