package indexer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	// exact maps a term to the query word it stands for (a prefix's cut
	// terms stand for the prefix), prefixes and fuzzy terms carry theirs.
	exact    map[string]string
	prefixes []prefixTerm
	fuzzy    []fuzzyTerm
	// required are the query words a text must match, less the words some
	// language drops as too common (which only rank higher).
	required map[string]bool
	// phrases are the quoted phrases of the query, as their terms with
	// their positions relative to the first (a stop word leaves a gap).
	phrases [][]phraseTerm
	// probes are short lower-case strings that every matching word contains
	// (the first letters of a stem or prefix); text holding none of them is
	// not analysed at all. Nil when a fuzzy term makes that unknowable.
	probes []string
}

type prefixTerm struct{ prefix, word string }

type phraseTerm struct {
	term string
	pos  int
}

// probeLen is how many letters of a stem a probe keeps: stemmers may
// rewrite a word's ending ("policy" -> "polici"), not its start.
const probeLen = 4

// probeWindow is how many bytes around a probe's place in a long text are analysed.
const (
	probeWindow = 600
	maxWindows  = 8
	longText    = 8 << 10
)

type fuzzyTerm struct {
	term string
	dist int
}

// newMatcher returns a matcher for the positive text clauses, analysed with
// analyzer, the text fields' analyzer named name (see textLang).
func newMatcher(clauses []clause, analyzer analysis.Analyzer, name string) *matcher {
	m := &matcher{analyzer: analyzer, exact: map[string]string{}}
	words := map[string]bool{}
	// Words as typed probe too: the index may hold another form's term
	// ("anni" is indexed as "anno"), which the text need not contain.
	var typed []string
	for _, c := range clauses {
		if c.not || c.field != "" {
			continue
		}
		var mine []string
		switch {
		case c.prefix || c.fuzzy > 0:
			// As the search expands it (see expand).
			e := expand(c, analyzer, name)
			word := c.text + "*"
			if c.fuzzy > 0 {
				word = e.fuzzy + "~"
				m.fuzzy = append(m.fuzzy, fuzzyTerm{e.fuzzy, c.fuzzy})
			}
			for _, p := range e.prefixes {
				m.prefixes = append(m.prefixes, prefixTerm{p, word})
			}
			for _, t := range e.terms {
				m.exact[t] = word
			}
			mine = []string{word}
		case analyzer != nil && c.phrase:
			var ph []phraseTerm
			for _, tok := range analyzer.Analyze([]byte(phraseText(analyzer, name, c.text))) {
				m.exact[string(tok.Term)] = string(tok.Term)
				mine = append(mine, string(tok.Term))
				ph = append(ph, phraseTerm{string(tok.Term), tok.Position})
			}
			if len(ph) > 1 {
				for i := len(ph) - 1; i >= 0; i-- {
					ph[i].pos -= ph[0].pos
				}
				m.phrases = append(m.phrases, ph)
			}
		case analyzer != nil:
			if !c.optional {
				typed = append(typed, strings.ToLower(c.text))
			}
			if terms, guess := typedTerms(analyzer, name, c.text); len(terms) > 0 {
				// One word, which may stand for two terms (as wordQuery
				// searches it), or three where the guess was searched.
				if guess != "" && c.guessed {
					terms = append(terms, guess)
				}
				for _, t := range terms {
					m.exact[t] = terms[0]
				}
				mine = terms[:1]
				break
			}
			for _, tok := range analyzer.Analyze([]byte(c.text)) {
				m.exact[string(tok.Term)] = string(tok.Term)
				mine = append(mine, string(tok.Term))
			}
		}
		if !c.optional {
			for _, w := range mine {
				words[w] = true
			}
		}
	}
	m.required = words
	if len(m.fuzzy) == 0 {
		for t := range m.exact {
			m.probes = append(m.probes, probe(t))
		}
		for _, p := range m.prefixes {
			m.probes = append(m.probes, probe(p.prefix))
		}
		for _, w := range typed {
			m.probes = append(m.probes, probe(w))
		}
		// In order: the same query gives the same snippets. A term
		// analysed to nothing is no probe: found at every offset,
		// probeWords would never move on.
		slices.Sort(m.probes)
		m.probes = slices.DeleteFunc(slices.Compact(m.probes), func(p string) bool { return p == "" })
	}
	return m
}

func probe(s string) string {
	if r := []rune(s); len(r) > probeLen {
		return string(r[:probeLen])
	}
	return s
}

func (m *matcher) empty() bool {
	return m == nil || m.analyzer == nil || (len(m.exact) == 0 && len(m.prefixes) == 0 && len(m.fuzzy) == 0)
}

// mayHoldPhrase reports whether the query words found in a text (find's)
// hold every term of one of the query's phrases.
func (m *matcher) mayHoldPhrase(found map[string]bool) bool {
	return slices.ContainsFunc(m.phrases, func(ph []phraseTerm) bool {
		return !slices.ContainsFunc(ph, func(p phraseTerm) bool { return !found[p.term] })
	})
}

// phrasesIn returns how many of the query's phrases text holds, as the
// index matches them: their terms at their relative positions.
func (m *matcher) phrasesIn(text string) int {
	if len(m.phrases) == 0 || text == "" {
		return 0
	}
	if len(text) > maxHighlightText {
		text = text[:maxHighlightText]
	}
	at := map[int]string{}
	for _, tok := range m.analyzer.Analyze([]byte(text)) {
		at[tok.Position] = string(tok.Term)
	}
	n := 0
	for _, ph := range m.phrases {
		for pos, term := range at {
			if term == ph[0].term && !slices.ContainsFunc(ph[1:], func(p phraseTerm) bool { return at[pos+p.pos] != p.term }) {
				n++
				break
			}
		}
	}
	return n
}

// find returns the byte ranges of the matching words of text, and the
// distinct query words they stand for.
func (m *matcher) find(text string) ([]span, map[string]bool) {
	if m.empty() || text == "" {
		return nil, nil
	}
	if len(text) > maxHighlightText {
		text = text[:maxHighlightText]
	}
	var spans []span
	terms := map[string]bool{}
	analyse := func(lo, hi int) {
		for _, tok := range m.analyzer.Analyze([]byte(text[lo:hi])) {
			if key, ok := m.match(string(tok.Term)); ok {
				spans = append(spans, span{lo + tok.Start, lo + tok.End})
				terms[key] = true
			}
		}
	}
	if m.probes == nil {
		analyse(0, len(text))
		return spans, terms
	}
	low := strings.ToLower(text)
	places := m.places(text, low)
	folded := false
	if !ascii(low) && slices.ContainsFunc(m.probes, func(p string) bool { return !strings.Contains(low, p) }) {
		// The index folds accents ("Tüttő" is "tutto"): a probe missing
		// from the text may stand in it once it is folded too.
		f, at := foldedLow(text)
		places = places[:0]
		for _, p := range m.places(f, f) {
			places = append(places, at[p])
		}
		folded = true
	}
	switch {
	case len(places) == 0:
		// No word of the query can be in text.
	case len(text) <= longText && (folded || len(low) != len(text)):
		analyse(0, len(text))
	case len(text) <= longText:
		// Analyse only the words holding a probe.
		for _, l := range m.probeWords(low) {
			analyse(l.start, l.end)
		}
	default:
		// In a long text, analyse only the stretches around the first
		// places a query word may stand: snippets need no more.
		hi := 0
		for _, at := range places {
			lo := max(snapStart(text, max(at-probeWindow/2, 0)), hi)
			end := snapEnd(text, min(at+probeWindow/2, len(text)))
			if lo < end {
				analyse(lo, end)
				hi = end
			}
		}
	}
	return spans, terms
}

// ascii reports whether s has no byte outside ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldedLow returns text lower-cased and folded to ASCII as the index folds
// it, and for each of its bytes the offset in text of the letter it comes from.
func foldedLow(text string) (string, []int) {
	var b strings.Builder
	at := make([]int, 0, len(text))
	for i, r := range text {
		var f []byte
		if r < utf8.RuneSelf {
			f = []byte{byte(unicode.ToLower(r))}
		} else {
			f = fold([]byte(string(unicode.ToLower(r))))
		}
		b.Write(f)
		for range f {
			at = append(at, i)
		}
	}
	return b.String(), at
}

// places returns where in text the probes first occur, in order, at most
// maxWindows of them: the first place of every probe, the rarest probes'
// first (a probe such as "c" of "C/2026/2605" stands in nearly every word,
// the number once, at the end of a long text), then the probes' next
// places. The offsets are approximate when lower-casing changed the text's
// length; they only centre the windows to analyse.
func (m *matcher) places(text, low string) []int {
	var per [][]int
	for _, p := range m.probes {
		var at []int
		off := 0
		for n := 0; n < maxWindows; n++ {
			i := strings.Index(low[off:], p)
			if i < 0 {
				break
			}
			at = append(at, min(off+i, len(text)))
			off += i + len(p)
			if len(text) <= longText {
				break // one is enough to know the text must be analysed
			}
		}
		if len(at) > 0 {
			per = append(per, at)
		}
	}
	slices.SortStableFunc(per, func(a, b []int) int { return len(a) - len(b) })
	var out []int
	for round := 0; len(out) < maxWindows; round++ {
		added := false
		for _, at := range per {
			if round < len(at) && len(out) < maxWindows {
				out, added = append(out, at[round]), true
			}
		}
		if !added {
			break
		}
	}
	slices.Sort(out)
	return out
}

// probeWords returns the whitespace-delimited stretches of low (a
// lower-cased text) that hold a probe, in order, as byte ranges. A word never
// spans whitespace, so analysing these stretches alone finds every match.
func (m *matcher) probeWords(low string) []span {
	var words []span
	for _, p := range m.probes {
		for off := 0; off < len(low); {
			i := strings.Index(low[off:], p)
			if i < 0 {
				break
			}
			at := off + i
			start := strings.LastIndexAny(low[:at], " \t\n\r") + 1
			end := len(low)
			if j := strings.IndexAny(low[at:], " \t\n\r"); j >= 0 {
				end = at + j
			}
			words = append(words, span{start, end})
			off = end
		}
	}
	slices.SortFunc(words, func(a, b span) int { return a.start - b.start })
	return slices.Compact(words)
}

// match returns the query word term stands for, if any.
func (m *matcher) match(term string) (string, bool) {
	if w, ok := m.exact[term]; ok {
		return w, true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(term, p.prefix) {
			return p.word, true
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
