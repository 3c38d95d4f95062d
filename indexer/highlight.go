package indexer

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// maxHighlightText bounds how much of a long document is analysed to find
// snippets; matches further in are still found by search, only not shown.
const maxHighlightText = 256 << 10

// matcher finds a query's words in a document's text the way the index
// matched them: the text is analysed with the document language's analyzer
// and each token is compared with the query's analysed terms, prefixes and
// fuzzy terms. Doing this for the few hits of a page, instead of storing term
// vectors for every document, keeps the index small and indexing fast.
type matcher struct {
	analyzer analysis.Analyzer
	exact    map[string]bool
	prefixes []string
	fuzzy    []fuzzyTerm
}

type fuzzyTerm struct {
	term string
	dist int
}

// newMatcher returns a matcher for the positive text clauses, analysed with analyzer.
func newMatcher(clauses []clause, analyzer analysis.Analyzer) *matcher {
	m := &matcher{analyzer: analyzer, exact: map[string]bool{}}
	for _, c := range clauses {
		if c.not || c.field != "" {
			continue
		}
		switch {
		case c.prefix:
			m.prefixes = append(m.prefixes, strings.ToLower(c.text))
		case c.fuzzy > 0:
			m.fuzzy = append(m.fuzzy, fuzzyTerm{strings.ToLower(c.text), c.fuzzy})
		case analyzer != nil:
			for _, tok := range analyzer.Analyze([]byte(c.text)) {
				m.exact[string(tok.Term)] = true
			}
		}
	}
	return m
}

func (m *matcher) empty() bool {
	return m == nil || m.analyzer == nil || (len(m.exact) == 0 && len(m.prefixes) == 0 && len(m.fuzzy) == 0)
}

// find returns the byte ranges of the matching words of text, and the
// distinct query terms they stand for.
func (m *matcher) find(text string) ([]span, map[string]bool) {
	if m.empty() || text == "" {
		return nil, nil
	}
	if len(text) > maxHighlightText {
		text = text[:maxHighlightText]
	}
	var spans []span
	terms := map[string]bool{}
	for _, tok := range m.analyzer.Analyze([]byte(text)) {
		if key, ok := m.match(string(tok.Term)); ok {
			spans = append(spans, span{tok.Start, tok.End})
			terms[key] = true
		}
	}
	return spans, terms
}

func (m *matcher) match(term string) (string, bool) {
	if m.exact[term] {
		return term, true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(term, p) {
			return p + "*", true
		}
	}
	for _, f := range m.fuzzy {
		if within(term, f.term, f.dist) {
			return f.term + "~", true
		}
	}
	return "", false
}

// within reports whether the edit distance between a and b is at most n.
func within(a, b string, n int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > n || -d > n {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > n {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= n
}
