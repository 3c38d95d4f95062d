package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"
)

// Search limits applied to every query.
const (
	DefaultPageSize   = 10
	searchDeadline    = 5 * time.Second
	maxTermSearchers  = 4096 // leaf term searchers one query may open (prefix and fuzzy expansions)
	snippetWidth      = 240  // bytes of text around the matches
	facetSize         = 30
	refBoost          = 100
	titleBoost        = 2
	maxSnippetsPerHit = 2
	// maxHighlightBytes bounds the document text one search analyses again
	// to place its snippets, so that a page of 100 long documents does not
	// cost seconds of CPU.
	maxHighlightBytes = 4 << 20
	// MaxFilterValues bounds the facet values one query may filter by
	// (URL parameters and field:value words together).
	MaxFilterValues = 64
	// maxClauses bounds the terms one prefix or fuzzy word may expand to in
	// one field (bleve's DisjunctionMaxClauseCount).
	maxClauses = 1024
)

// limitClausesOnce guards the one write of bleve's process-wide clause limit.
var limitClausesOnce sync.Once

// limitClauses sets bleve's clause limit (a package variable of bleve,
// unlimited by default) so that a prefix or fuzzy word that matches too many
// index terms fails with TooManyClauses instead of opening a searcher per
// term. It is a process-wide setting: Open calls it once for every index the
// process opens.
func limitClauses() {
	limitClausesOnce.Do(func() { searcher.DisjunctionMaxClauseCount = maxClauses })
}

// indexable turns a document into the fields bleve indexes; loc says where
// the document itself is in the document store.
func indexable(d *Document, loc string) map[string]any {
	l := textLang(d.Language)
	f := map[string]any{
		fieldRecord:  recDoc,
		fieldDoc:     loc,
		"title_" + l: d.Title,
		"body_" + l:  searchBody(d),
	}
	if len(d.Paragraphs) > 0 {
		paras := make([]string, len(d.Paragraphs))
		for i, p := range d.Paragraphs {
			paras[i] = p.Text
		}
		f["para_"+l] = paras
	}
	var refs []string
	for _, r := range slices.Concat(d.References, d.ReferenceDocs) {
		refs = append(refs, indexedRefKeys(r)...)
	}
	if len(refs) > 0 {
		f[fieldRefs] = refs
	}
	if t, ok := dated(d); ok {
		f[fieldDate] = t
	}
	values := FacetValues(d)
	for name, vals := range values {
		f[name] = vals
	}
	var facets []string
	for _, name := range facetNames {
		for _, v := range values[name] {
			facets = append(facets, name+"="+v)
		}
	}
	if len(facets) > 0 {
		f[fieldFacet] = facets
	}
	return f
}

// FacetValues returns the values of every facet document d has, by facet
// name: what the index counts and filters by.
func FacetValues(d *Document) map[string][]string {
	m := map[string][]string{}
	put := func(name string, vals ...string) {
		var keep, keys []string
		for _, v := range vals {
			// One value per spelling: "Open Data" and "OPEN DATA" are
			// one value (see SameValue), counted once.
			v = canonicalValue(name, strings.TrimSpace(v))
			if k := facetKey(v); v != "" && !slices.Contains(keys, k) {
				keep, keys = append(keep, v), append(keys, k)
			}
		}
		if len(keep) > 0 {
			m[name] = keep
		}
	}
	put("kind", d.Kind)
	put("language", d.Language)
	if t, ok := dated(d); ok {
		put("year", t.Format("2006"))
	}
	put("commission", d.Commission)
	put("status", d.Status)
	put("tag", d.Tags...)
	if r := d.Rapporteur; r != nil {
		put("rapporteur", r.Name)
		put("group", r.Group)
		put("country", r.Country) // a code: its name (see canonicalValue)
	}
	if c := d.Commitment; c != nil {
		put("country", c.Country)
		put("region", c.Region) // of the world, as the OGP has them: Europe, Americas ...
		put("starred", c.Assessment.Starred)
		put("theme", c.Themes...)
		put("institution", c.LeadInstitutions...)
		put("plan", cmp.Or(c.ActionPlan, c.ActionPlanID))
		if d.Status == "" {
			put("status", c.Status)
		}
	}
	return m
}

// dated returns the day document d is dated on for date filters, sorting
// and the year facet: its date or, for a commitment whose start is known to
// the month, the quarter or the year only ("July 2014" is kept as 2014-07,
// "Quarter 1 2014" as written), the first day of that month, quarter or year.
func dated(d *Document) (time.Time, bool) {
	if t, err := time.Parse("2006-01-02", d.Date); err == nil {
		return t, true
	}
	if c := d.Commitment; c != nil && c.Start != "" {
		// A month, a quarter or a year stands for its first day, as in a date range.
		if from, _, err := dateRange(c.Start, ""); err == nil && !from.IsZero() {
			return from, true
		}
		if t, ok := quarterStart(c.Start); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// searchBody is the text indexed as a document's body: the body itself and,
// after it, metadata people search for by name (identifiers the body does
// not spell out, rapporteur, institutions, themes, tags), so that a query
// with other words or filters besides an identifier ("IT0034 transparent",
// "IT0034 kind:commitment") finds its document. Snippets are cut from this
// same text.
func searchBody(d *Document) string {
	var extra []string
	for _, r := range slices.Concat([]string{d.Reference}, d.References, d.ReferenceDocs) {
		if !strings.Contains(d.Body, r) && !slices.Contains(extra, r) {
			extra = append(extra, r)
		}
	}
	if r := d.Rapporteur; r != nil {
		extra = append(extra, r.Name, r.Role)
	}
	if c := d.Commitment; c != nil {
		extra = append(extra, c.ActionPlan, c.Country)
		extra = append(extra, c.LeadInstitutions...)
		extra = append(extra, c.SupportingInstitution...)
		extra = append(extra, c.Themes...)
	}
	extra = append(extra, d.Tags...)
	extra = append(extra, d.KeyPoints...)
	for i, e := range extra {
		extra[i] = strings.TrimSpace(e)
	}
	extra = slices.DeleteFunc(extra, func(e string) bool { return e == "" })
	if len(extra) == 0 {
		return d.Body // nothing to add: no copy of a long text
	}
	return strings.Join(slices.Insert(extra, 0, d.Body), "\n")
}

// refKeys returns the forms of an identifier a query looks up in the refs
// field: lowercased with single spaces, and without spaces.
func refKeys(ref string) []string {
	k := refKey(ref)
	if k == "" {
		return nil
	}
	keys := []string{k}
	if nospace := strings.ReplaceAll(k, " ", ""); nospace != k {
		keys = append(keys, nospace)
	}
	return keys
}

// indexedRefKeys returns the forms of a document's identifier stored in the
// refs field: refKeys, and the number of a reference with letters before
// it, as researchers cite it ("3529/2017" for CDR 3529/2017, "2026/2605"
// for C/2026/2605). A query typed in full does not look up its number:
// CDR 3529/2017 is not EESC 3529/2017.
//
// An ELI (data.europa.eu/eli/C/2026/2605/oj) is found with or without its
// scheme and host: "eli/C/2026/2605/oj".
func indexedRefKeys(ref string) []string {
	keys := refKeys(ref)
	if len(keys) > 0 {
		if m := refNumber.FindStringSubmatch(keys[0]); m != nil && m[1] != keys[0] {
			keys = append(keys, m[1])
		}
		if _, path, ok := strings.Cut(keys[0], "/eli/"); ok {
			keys = append(keys, "eli/"+path)
		}
	}
	return keys
}

// refNumber finds the number at the end of a reference key: digit groups
// joined by "/", "." or "-", after a letter and a separator.
var refNumber = regexp.MustCompile(`\pL[ /.-]+(\d+(?:[/.-]\d+)+)$`)

// refKey is s lowercased with single spaces, and without the scheme of a
// web address ("http://data.europa.eu/eli/..." as "data.europa.eu/eli/...").
func refKey(s string) string {
	k := strings.ToLower(strings.Join(strings.Fields(strings.Trim(s, "\"' ")), " "))
	for _, scheme := range []string{"https://", "http://"} {
		if rest, ok := strings.CutPrefix(k, scheme); ok {
			return strings.TrimSuffix(rest, "/")
		}
	}
	return k
}

// Search runs q and returns one page of hits with facet counts. A query the
// index will not run (too long, too many terms, a bad date, a page too deep)
// returns a *QueryError.
func (ix *Index) Search(ctx context.Context, q Query) (Results, error) {
	start := time.Now()
	if q.Page <= 0 {
		q.Page = 1
	}
	if q.Size <= 0 {
		q.Size = DefaultPageSize
	}
	limit := MaxPageSize
	if q.Export {
		limit = MaxExportSize
	}
	if q.Size > limit {
		return Results{}, queryErrorf("size %d is too large; the limit is %d", q.Size, limit)
	}
	if q.Page > MaxResultDepth/q.Size {
		return Results{}, queryErrorf("page %d is too deep; results stop at %d hits", q.Page, MaxResultDepth)
	}
	q.Text, q.Filters = nfcQuery(q.Text, q.Filters)
	clauses, err := parseQueryString(q.Text)
	if err != nil {
		return Results{}, err
	}
	if len(clauses) == 0 && strings.TrimSpace(q.Text) != "" {
		// Only punctuation or symbols ("€", "§", "((("): nothing to search
		// for, which must not read as "everything".
		facets, values := splitFacets(nil, facetSizes(q.More))
		return Results{Page: q.Page, Size: q.Size, Hits: []Hit{}, Facets: facets, FacetValues: values, Took: time.Since(start)}, nil
	}
	filters, positiveFilter, err := ix.filterQueries(q, clauses)
	if err != nil {
		return Results{}, err
	}
	langs := ix.queryLanguages(q.Filters["language"])

	// A query that is not valid was answered above, at once, however
	// busy the index.
	release, err := ix.searchTurn(ctx)
	if err != nil {
		return Results{}, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, searchDeadline)
	defer cancel()
	ctx = context.WithValue(ctx, search.MaxTermSearchersKey, maxTermSearchers)

	im := ix.liveGen().Mapping()
	markStopWords(clauses, langs, im)
	ix.markGuesses(ctx, clauses, langs, im)
	content, positive := contentQuery(clauses, langs, 0)
	// Receipts have none of the fields documents are searched and filtered
	// by, so only a query with no word and no positive filter must leave
	// them out explicitly (a conjunction that costs a walk over every document).
	receiptsPossible := positive == 0 && !positiveFilter
	res, err := ix.run(ctx, q, content, refQuery(q.Text, clauses), filters, receiptsPossible)
	relaxed := false
	if err == nil && res.total == 0 && positive > 1 {
		// No document has every word: show those with all but one, else
		// all but two, else any of them (a document with one word in its
		// title must not rank above those with all but the misspelt one).
		for _, least := range relaxSteps(positive) {
			content, _ = contentQuery(clauses, langs, least)
			res, err = ix.run(ctx, q, content, refRunsQuery(clauses), filters, receiptsPossible)
			if err != nil || res.total > 0 {
				break
			}
		}
		relaxed = err == nil && res.total > 0
	}
	if err == nil && res.total == 0 && positive > 0 && !slices.ContainsFunc(clauses, func(c clause) bool {
		return c.field == "" && !c.not && !c.optional && !stopPhrase(c, langs, im)
	}) {
		// Nothing but words too common to be indexed: say so, rather
		// than let the reader look for a misspelling.
		var words []string
		for _, c := range clauses {
			if c.field == "" && !c.not {
				words = append(words, c.text)
			}
		}
		return Results{}, queryErrorf("%s: too common to search for (such words are not indexed); add a word", strings.Join(words, " "))
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return Results{}, queryErrorf("query took longer than %s; make it more specific", searchDeadline)
		}
		if strings.Contains(err.Error(), "TooManyTermSearchers") || strings.Contains(err.Error(), "TooManyClauses") {
			return Results{}, queryErrorf("query matches too many different words; use longer prefixes or fewer ~")
		}
		return Results{}, err
	}
	out := Results{Total: res.total, Page: q.Page, Size: q.Size, Relaxed: relaxed}
	matchers := map[string]*matcher{}
	highlightBudget := maxHighlightBytes
	if q.CountOnly {
		out.Size = 0
	}
	for _, h := range res.hits {
		d, err := decodeDoc(h.doc)
		if err != nil {
			return Results{}, err
		}
		l := textLang(d.Language)
		m, ok := matchers[l]
		if !ok {
			m = newMatcher(clauses, im.AnalyzerNamed(l), l)
			matchers[l] = m
		}
		// Highlighting analyses the hit's text again: past the budget (or
		// the deadline) the remaining hits get their opening lines instead,
		// and no paragraph.
		if highlightBudget <= 0 || ctx.Err() != nil {
			m = nil
		}
		highlightBudget -= highlightCost(&d)
		if q.Export {
			// A download lists the hits without snippets, with the
			// paragraph to cite.
			hit := newHit(&d, h.score)
			if i, _ := citedParagraph(&d, m); i >= 0 {
				hit.Paragraph, hit.Section = d.Paragraphs[i].Number, d.Paragraphs[i].Section
			}
			out.Hits = append(out.Hits, hit)
			continue
		}
		out.Hits = append(out.Hits, makeHit(&d, h.score, m))
	}
	if out.Hits == nil {
		out.Hits = []Hit{}
	}
	out.Facets, out.FacetValues = splitFacets(res.facets, facetSizes(q.More))
	out.Took = time.Since(start)
	return out, nil
}

// searchTurn waits until fewer than cfg.Searches searches are running, for
// the search deadline at most, and returns the function that ends the turn.
func (ix *Index) searchTurn(ctx context.Context) (release func(), err error) {
	select {
	case ix.searches <- struct{}{}:
		return func() { <-ix.searches }, nil
	default:
	}
	t := time.NewTimer(searchDeadline)
	defer t.Stop()
	select {
	case ix.searches <- struct{}{}:
		return func() { <-ix.searches }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, fmt.Errorf("%w: waited %s for a turn", ErrBusy, searchDeadline)
	}
}

func (ix *Index) run(ctx context.Context, q Query, content, ref query.Query, filters []query.Query, receiptsPossible bool) (*executed, error) {
	// An index without any facet value has nothing to count; a download
	// does not show them.
	return ix.execute(ctx, searchRequest(q, content, ref, filters, receiptsPossible), ix.hasFacets() && !q.Export)
}

// searchRequest combines the parts of a query into one bleve request.
func searchRequest(q Query, content, ref query.Query, filters []query.Query, receiptsPossible bool) *bleve.SearchRequest {
	var main query.Query = content
	if ref != nil && content != nil {
		main = orRefQuery{content: content, ref: ref}
	}
	if main == nil {
		main = bleve.NewMatchAllQuery()
	}
	all := append([]query.Query{main}, filters...)
	size := q.Size
	if q.CountOnly {
		size = 0
	}
	var top query.Query = bleve.NewConjunctionQuery(all...)
	if len(all) == 1 {
		top = main
	}
	if receiptsPossible {
		top = docsOnly(top)
	}
	req := bleve.NewSearchRequestOptions(top, size, (q.Page-1)*q.Size, false)
	if q.Sort == SortDate || content == nil {
		req.SortBy([]string{"-" + fieldDate, "-_score", "_id"})
	}
	return req
}

// maxFacetTerms bounds the values of one facet that presentValues looks
// at (a search shows facetSize of them).
const maxFacetTerms = 20000

// MaxFacetValues is the most values a facet asked for whole (Query.More) lists.
const MaxFacetValues = 1000

// facetSizes returns how many values to list per facet: facetSize, or
// MaxFacetValues for the facets in more.
func facetSizes(more []string) func(string) int {
	return func(name string) int {
		if slices.Contains(more, name) {
			return MaxFacetValues
		}
		return facetSize
	}
}

// splitFacets turns the counts of "name=value" terms into a list per facet,
// most frequent first (years newest first), at most size(name) values each,
// and says how many values each facet has. Every facet name is present, with
// an empty list when no hit has a value for it.
func splitFacets(counts map[string]int, size func(name string) int) (map[string][]FacetValue, map[string]int) {
	values := make(map[string]int, len(facetNames))
	out := make(map[string][]FacetValue, len(facetNames))
	for _, name := range facetNames {
		out[name] = []FacetValue{}
	}
	// Values that differ only in case or accents ("Open Data", "OPEN DATA")
	// are one value, which a filter by either matches (see SameValue): it
	// is listed once, spelt as most of its documents spell it.
	type variant struct {
		value string
		n     int
	}
	merged := map[[2]string][]variant{}
	for term, n := range counts {
		name, value, ok := strings.Cut(term, "=")
		if _, known := out[name]; !ok || !known {
			continue
		}
		k := [2]string{name, facetKey(value)}
		merged[k] = append(merged[k], variant{value, n})
	}
	for k, vs := range merged {
		best, total := vs[0], 0
		for _, v := range vs {
			total += v.n
			if v.n > best.n || v.n == best.n && v.value < best.value {
				best = v
			}
		}
		out[k[0]] = append(out[k[0]], FacetValue{Value: best.value, Count: total})
	}
	for name, vals := range out {
		sort.SliceStable(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		values[name] = len(vals)
		vals = vals[:min(len(vals), size(name))]
		if name == "year" {
			sort.Slice(vals, func(i, j int) bool { return vals[i].Value > vals[j].Value })
		}
		out[name] = vals
	}
	return out, values
}

// queryLanguages returns the text-field languages to search: those asked
// for, or all the index holds.
func (ix *Index) queryLanguages(asked []string) []string {
	set := map[string]bool{}
	for _, l := range asked {
		// lang=italiano filters as lang=it: search the same fields.
		l = strings.ToLower(canonicalValue("language", strings.TrimSpace(l)))
		set[textLang(l)] = true
	}
	if len(set) == 0 {
		ix.rmu.RLock()
		for l, n := range ix.langs {
			if n > 0 {
				set[l] = true
			}
		}
		ix.rmu.RUnlock()
	}
	if len(set) == 0 {
		set["en"] = true
	}
	out := make([]string, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// markStopWords makes optional every plain word that the analyzer of one of
// langs drops: "the public sector" must not require "the" of English
// documents, where it is never indexed, nor of Italian ones.
func markStopWords(clauses []clause, langs []string, m mapping.IndexMapping) {
	forPlainWords(clauses, langs, m, func(i int, l string, an analysis.Analyzer) bool {
		if _, accented := accentedStop(an, l, clauses[i].text); accented || len(an.Analyze([]byte(clauses[i].text))) == 0 {
			clauses[i].optional = true
			return false
		}
		return true
	})
}

// markGuesses marks the words that wordQuery searches as a verb's future
// with its accent ("presentera" where no document has it as typed), so that
// snippets mark what was found, and only then ("frontiera" is a noun the
// index has: "fronte" is not marked for it).
func (ix *Index) markGuesses(ctx context.Context, clauses []clause, langs []string, m mapping.IndexMapping) {
	forPlainWords(clauses, langs, m, func(i int, l string, an analysis.Analyzer) bool {
		if terms, guess := typedTerms(an, l, clauses[i].text); guess != "" && !ix.termKnown(ctx, "body_"+l, terms[0]) {
			clauses[i].guessed = true
			return false
		}
		return true
	})
}

// forPlainWords calls f with the index of each plain word of clauses (no
// field, phrase, prefix, fuzziness or minus) and each language of langs
// with an analyzer, until f returns false for that word.
func forPlainWords(clauses []clause, langs []string, m mapping.IndexMapping, f func(i int, lang string, an analysis.Analyzer) bool) {
	for i, c := range clauses {
		if c.field != "" || c.not || c.phrase || c.prefix || c.fuzzy > 0 {
			continue
		}
		for _, l := range langs {
			if an := m.AnalyzerNamed(l); an != nil && !f(i, l, an) {
				break
			}
		}
	}
}

// termKnown reports whether some document of the live generation has term
// in field.
func (ix *Index) termKnown(ctx context.Context, field, term string) bool {
	ix.smu.RLock()
	defer ix.smu.RUnlock()
	r, err := ix.liveReader()
	if err != nil {
		return false
	}
	defer r.Close()
	known, err := inField(ctx, r, field, term)
	return err == nil && known
}

// stopPhrase reports whether c is a phrase of nothing but words that the
// analyzer of one of langs drops as too common (`"di più"`), as
// markStopWords finds such words: where it finds nothing, the reason.
func stopPhrase(c clause, langs []string, m mapping.IndexMapping) bool {
	if !c.phrase || !strings.ContainsFunc(c.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
		return false
	}
	for _, l := range langs {
		if an := m.AnalyzerNamed(l); an != nil && len(an.Analyze([]byte(phraseText(an, l, c.text)))) == 0 {
			return true
		}
	}
	return false
}

// contentQuery builds the text part of a query: each clause must match (or,
// with least above 0, at least that many clauses) in the title, body or
// paragraphs of any language; optional clauses (stop words) only add to the
// score, unless they are all there is or least is set. It returns nil when
// the query has no text clauses, and the number of clauses a document may
// match.
func contentQuery(clauses []clause, langs []string, least int) (query.Query, int) {
	all := least == 0
	var must, optional, not []query.Query
	for _, c := range clauses {
		if c.field != "" {
			continue
		}
		var alts []query.Query
		for _, l := range langs {
			for _, prefix := range []string{"title_", "body_", "para_"} {
				alts = append(alts, leafQuery(c, prefix+l))
			}
		}
		q := bleve.NewDisjunctionQuery(alts...)
		switch {
		case c.not:
			not = append(not, q)
		case c.optional && all:
			optional = append(optional, q)
		default:
			must = append(must, q)
		}
	}
	positive := len(must) + len(optional)
	if positive == 0 {
		if len(not) == 0 {
			return nil, 0
		}
		must = append(must, bleve.NewMatchAllQuery())
	}
	if len(must) == 1 && len(optional) == 0 && len(not) == 0 {
		// One word: its searcher as it is. A boolean query of one must
		// clause is a conjunction of one, a layer every matching
		// document goes through, with the same score.
		return must[0], positive
	}
	b := bleve.NewBooleanQuery()
	switch {
	case len(must) == 0:
		b.AddShould(optional...) // only stop words: any of them
	case all || len(must) == 1:
		b.AddMust(must...)
		b.AddShould(optional...)
	default:
		b.AddShould(must...)
		b.SetMinShould(float64(least))
	}
	b.AddMustNot(not...)
	return b, positive
}

func leafQuery(c clause, field string) query.Query {
	boost := 1.0
	if strings.HasPrefix(field, "title_") {
		boost = titleBoost
	}
	var q interface {
		query.Query
		SetField(string)
		SetBoost(float64)
	}
	switch {
	case c.phrase:
		q = phraseQuery{bleve.NewMatchPhraseQuery(c.text)}
	case c.prefix || c.fuzzy > 0:
		return expandQuery{c: c, field: field, boost: boost}
	default:
		mq := bleve.NewMatchQuery(c.text)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		q = wordQuery{mq}
	}
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// wordQuery is a match query (every token of the analysed text must be
// present) that searches a text analysed to a single token, as nearly every
// word is, with a bare term searcher: bleve's match query wraps it in a
// conjunction of one, a layer every matching document passes through
// (measured: 0.9x the CPU per search over the benchmark's query mix). A word
// that stands for two terms (typedTerms: "sanita" and "sanità") searches
// both; a verb's future typed without its accent ("presentera") is searched
// as the accented one where no document has the word as typed.
type wordQuery struct{ *query.MatchQuery }

func (q wordQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	name := m.AnalyzerNameForPath(q.FieldVal)
	if an := m.AnalyzerNamed(name); an != nil {
		if _, stop := accentedStop(an, name, q.Match); stop {
			// A stop word typed without its accent ("perche"): not its
			// stem as typed, which is another word's ("perciò").
			return query.NewMatchNoneQuery().Searcher(ctx, r, m, opts)
		}
		if terms, guess := typedTerms(an, name, q.Match); len(terms) > 0 {
			if guess != "" {
				if known, err := inField(ctx, r, q.FieldVal, terms[0]); err != nil {
					return nil, err
				} else if !known {
					terms = append(terms, guess)
				}
			}
			var alts []query.Query
			for _, t := range terms {
				tq := query.NewTermQuery(t)
				tq.SetField(q.FieldVal)
				tq.SetBoost(q.BoostVal.Value())
				alts = append(alts, tq)
			}
			if len(alts) == 1 {
				return alts[0].Searcher(ctx, r, m, opts)
			}
			return query.NewDisjunctionQuery(alts).Searcher(ctx, r, m, opts)
		}
	}
	return q.MatchQuery.Searcher(ctx, r, m, opts)
}

// inField reports whether some document has term in field.
func inField(ctx context.Context, r index.IndexReader, field, term string) (bool, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return false, err
	}
	defer tfr.Close()
	return tfr.Count() > 0, nil
}

// phraseQuery is a match phrase query as phraseText reads it: stop words
// typed without their accent ("citta piu piccole") are taken with it
// (accentedStop), leaving a gap in the phrase as in the index, not a word no
// document has; and an elided word typed apart ("dell innovazione") is
// joined to the next, leaving none.
type phraseQuery struct{ *query.MatchPhraseQuery }

func (q phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	name := m.AnalyzerNameForPath(q.FieldVal)
	an := m.AnalyzerNamed(name)
	if an == nil || q.FieldVal == "" || q.Analyzer != "" || q.Fuzziness != 0 {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, opts)
	}
	text := phraseText(an, name, q.MatchPhrase)
	if alt, ok := listedStops(an, name, q.MatchPhrase); ok {
		// "porto sara pronto": the name Sara where a document has the
		// phrase so, else "sarà" typed without its accent.
		s, err := q.textSearcher(ctx, r, m, an, text, opts)
		if err != nil {
			return nil, err
		}
		found, err := anyMatch(s)
		s.Close()
		if err != nil {
			return nil, err
		}
		if !found {
			text = phraseText(an, name, alt)
		}
	}
	return q.textSearcher(ctx, r, m, an, text, opts)
}

// anyMatch reports whether s matches a document.
func anyMatch(s search.Searcher) (bool, error) {
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	d, err := s.Next(sctx)
	return d != nil, err
}

// textSearcher searches q's field for the phrase text, as analysed by an.
func (q phraseQuery) textSearcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, an analysis.Analyzer, text string, opts search.SearcherOptions) (search.Searcher, error) {
	terms, ok := phraseTerms(an.Analyze([]byte(text)))
	switch {
	case !ok:
		pq := *q.MatchPhraseQuery
		pq.MatchPhrase = text
		return pq.Searcher(ctx, r, m, opts)
	case len(terms) == 0:
		return query.NewMatchNoneQuery().Searcher(ctx, r, m, opts)
	}
	return newPhraseSearcher(ctx, r, terms, q.FieldVal, q.BoostVal.Value(), opts)
}

// refQuery matches documents whose identifier is the whole query as typed
// ("CDR 3529/2017", "ECON-VII/038"), so they rank first.
func refQuery(text string, clauses []clause) query.Query {
	for _, c := range clauses {
		if c.field != "" || c.not || c.prefix || c.fuzzy > 0 {
			return nil
		}
	}
	return refKeysQuery(refKeys(text))
}

// refKeysQuery matches documents with one of the identifier keys (nil
// for none).
func refKeysQuery(keys []string) query.Query {
	if len(keys) == 0 {
		return nil
	}
	var alts []query.Query
	for _, k := range keys {
		tq := bleve.NewTermQuery(k)
		tq.SetField(fieldRefs)
		tq.SetBoost(refBoost)
		alts = append(alts, tq)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// orRefQuery is the text part of a query or its identifier (refQuery). When
// no document has the identifier, as for most queries, it is the text part
// alone: a disjunction with a searcher that matches nothing is a layer every
// matching document goes through, and halves every score alike.
type orRefQuery struct{ content, ref query.Query }

func (q orRefQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	ref, err := q.ref.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	if ref.Count() == 0 {
		ref.Close()
		return q.content.Searcher(ctx, r, m, opts)
	}
	content, err := q.content.Searcher(ctx, r, m, opts)
	if err != nil {
		ref.Close()
		return nil, err
	}
	return searcher.NewDisjunctionSearcher(ctx, r, []search.Searcher{content, ref}, 0, opts)
}

// nfcQuery returns a query's text and filter values with each accent one
// character with its letter ("à", not "a" and a combining grave, as text
// pasted from a PDF or a Mac may have it), as documents are (see Parse),
// and the text without soft hyphens (a word copied off a page has them).
// The filters are a copy when any value changes.
func nfcQuery(text string, filters map[string][]string) (string, map[string][]string) {
	text = normalText(text)
	for _, vals := range filters {
		if slices.ContainsFunc(vals, func(v string) bool { return !norm.NFC.IsNormalString(v) }) {
			out := make(map[string][]string, len(filters))
			for name, vals := range filters {
				for _, v := range vals {
					out[name] = append(out[name], norm.NFC.String(v))
				}
			}
			return text, out
		}
	}
	return text, filters
}

// relaxSteps returns how many of a query's n words a relaxed search asks
// for, step by step: all but one, all but two, then one.
func relaxSteps(n int) []int {
	var steps []int
	for _, least := range []int{n - 1, n - 2, 1} {
		if least >= 1 && !slices.Contains(steps, least) {
			steps = append(steps, least)
		}
	}
	return steps
}

// maxRefRun is the most words of a query an identifier is looked for in.
const maxRefRun = 4

// refRunsQuery matches documents whose identifier is a run of up to
// maxRefRun words of the query ("budget ECON-VII/038", "budget COM(2025)
// 270"), so that a search relaxed to any of its words still ranks them first.
func refRunsQuery(clauses []clause) query.Query {
	var keys []string
	for i := range clauses {
		for j := i + 1; j <= len(clauses) && j <= i+maxRefRun; j++ {
			if c := clauses[j-1]; c.field != "" || c.not || c.prefix || c.fuzzy > 0 {
				break
			}
			var words []string
			for _, c := range clauses[i:j] {
				words = append(words, c.text)
			}
			for _, k := range refKeys(strings.Join(words, " ")) {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
	}
	return refKeysQuery(keys)
}

// facetValues returns the values of facet name, as gen holds them, that v
// names (see SameValue), or v itself when gen holds none: a filter by a
// value no document has matches nothing, and is shown so that it can be
// removed.
func facetValues(gen bleve.Index, name, v string) []string {
	d, err := gen.FieldDict(name)
	if err != nil {
		return []string{v}
	}
	defer d.Close()
	named := valueNamed(name, v)
	var same, words []string
	for {
		e, err := d.Next()
		if err != nil || e == nil {
			break
		}
		switch named(e.Term) {
		case byName:
			same = append(same, e.Term)
		case byWord:
			words = append(words, e.Term)
		}
	}
	switch {
	case len(same) > 0:
		// A value held as named: not also the names it is a word of
		// ("rapporteur:Cirio" when a rapporteur is named just Cirio).
		return same
	case len(words) > 0:
		return words
	}
	return []string{v}
}

// facetQueries returns term queries for the values of facet name that v names (see facetValues).
func facetQueries(gen bleve.Index, name, v string) []query.Query {
	var out []query.Query
	for _, fv := range facetValues(gen, name, v) {
		tq := bleve.NewTermQuery(fv)
		tq.SetField(name)
		out = append(out, tq)
	}
	return out
}

// filterQueries turns facet filters (from parameters and field:value
// clauses) and the date range into queries every hit must match. positive
// says whether one of them requires a field that only documents have.
func (ix *Index) filterQueries(q Query, clauses []clause) (filters []query.Query, positive bool, err error) {
	gen := ix.liveGen()
	byFacet := map[string][]string{}
	n := 0
	for _, c := range clauses {
		if c.field != "" {
			n++
		}
	}
	for _, vals := range q.Filters {
		n += len(vals)
	}
	if n > MaxFilterValues {
		return nil, false, queryErrorf("query has %d filter values; the limit is %d", n, MaxFilterValues)
	}
	for name, vals := range q.Filters {
		if !isFacet(name) {
			return nil, false, queryErrorf("unknown filter %q", name)
		}
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				byFacet[name] = append(byFacet[name], v)
			}
		}
	}
	var out, not []query.Query
	for _, c := range clauses {
		if c.field == "" {
			continue
		}
		if c.not {
			not = append(not, facetQueries(gen, c.field, c.text)...)
			continue
		}
		byFacet[c.field] = append(byFacet[c.field], c.text)
	}
	names := make([]string, 0, len(byFacet))
	for n := range byFacet {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if manyValued(name) {
			// Each value narrows, as the count beside it on a page says.
			for _, v := range byFacet[name] {
				out = append(out, bleve.NewDisjunctionQuery(facetQueries(gen, name, v)...))
			}
			continue
		}
		var alts []query.Query
		for _, v := range byFacet[name] {
			alts = append(alts, facetQueries(gen, name, v)...)
		}
		out = append(out, bleve.NewDisjunctionQuery(alts...))
	}
	if len(not) > 0 {
		b := bleve.NewBooleanQuery()
		b.AddMust(bleve.NewMatchAllQuery())
		b.AddMustNot(not...)
		out = append(out, b)
	}
	positive = len(names) > 0
	from, to, err := dateRange(q.From, q.To)
	if err != nil {
		return nil, false, err
	}
	if !from.IsZero() || !to.IsZero() {
		yes := true
		dq := bleve.NewDateRangeInclusiveQuery(from, to, &yes, &yes)
		dq.SetField(fieldDate)
		out = append(out, dq)
		positive = true
	}
	return out, positive, nil
}

// dateRange reads from and to, each YYYY-MM-DD, YYYY-MM or YYYY (a year or
// month stands for its first day in from and its last day in to).
func dateRange(fromS, toS string) (from, to time.Time, err error) {
	read := func(s string, end bool) (time.Time, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}, nil
		}
		for _, l := range []struct {
			layout string
			years  int
			months int
		}{{"2006-01-02", 0, 0}, {"2006-01", 0, 1}, {"2006", 1, 0}} {
			if t, err := time.Parse(l.layout, s); err == nil {
				if end {
					t = t.AddDate(l.years, l.months, 0)
					if l.years == 0 && l.months == 0 {
						t = t.AddDate(0, 0, 1)
					}
					t = t.Add(-time.Nanosecond)
				}
				// bleve refuses dates its index cannot hold (before 1678,
				// after 2262); none of the archive's documents is there.
				if t.Before(query.MinRFC3339CompatibleTime) {
					t = query.MinRFC3339CompatibleTime
				}
				if t.After(query.MaxRFC3339CompatibleTime) {
					t = query.MaxRFC3339CompatibleTime
				}
				return t, nil
			}
		}
		return time.Time{}, queryErrorf("date %q is not a date; use YYYY-MM-DD, YYYY-MM or YYYY", s)
	}
	if from, err = read(fromS, false); err != nil {
		return
	}
	if to, err = read(toS, true); err != nil {
		return
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		err = queryErrorf("the date range ends (%s) before it starts (%s)", toS, fromS)
	}
	return
}

// highlightCost is about how many bytes makeHit analyses for d.
func highlightCost(d *Document) int {
	n := min(len(d.Body), maxHighlightText)
	for _, p := range d.Paragraphs {
		n += min(len(p.Text), maxHighlightText)
	}
	return n
}

// citedParagraph returns the index of the numbered paragraph of d that holds
// the most of the query's words, and where they are in it; -1 when none
// holds more than half of them: then the document matched mostly elsewhere
// (its header, text outside the numbered paragraphs), and a paragraph with
// one word of "Piedmont Region" is not where it did. A query with a quoted
// phrase cites only a paragraph that holds a phrase (the most of them),
// not one that has its words apart.
func citedParagraph(d *Document, m *matcher) (int, []span) {
	if m.empty() {
		return -1, nil // no matcher: past the highlight budget
	}
	// The words that name the document rather than say what a paragraph
	// says ("ECON-VII/038 sandboxes", "Cirio LORDIMAS") are not asked of
	// the paragraph, unless a paragraph has them.
	var naming, inParagraphs map[string]bool
	if len(m.required) > 0 {
		if _, naming = m.find(identifying(d)); len(naming) > 0 {
			inParagraphs = map[string]bool{}
		}
	}
	best, bestSpans, bestWords, bestPhrases := -1, []span(nil), 0, 0
	for i, p := range d.Paragraphs {
		spans, words := m.find(p.Text)
		if inParagraphs != nil {
			for w := range words {
				inParagraphs[w] = true
			}
		}
		n := 0
		for w := range words {
			// Words a language drops as too common ("la" for Italian)
			// count only when there is nothing else.
			if m.required[w] || len(m.required) == 0 {
				n++
			}
		}
		phrases := 0
		if len(m.phrases) > 0 && n > 0 {
			// Only where the words of a phrase all are, between the first
			// match and the last (re-analysing is a hit's main cost).
			if m.mayHoldPhrase(words) {
				phrases = m.phrasesIn(p.Text[spans[0].start:spans[len(spans)-1].end])
			}
			if phrases == 0 {
				continue
			}
		}
		if phrases > bestPhrases || phrases == bestPhrases && (n > bestWords || (n == bestWords && n > 0 && len(spans) > len(bestSpans))) {
			best, bestSpans, bestWords, bestPhrases = i, spans, n, phrases
		}
	}
	if best < 0 {
		return -1, nil
	}
	required := len(m.required)
	if inParagraphs != nil {
		for w := range m.required {
			if naming[w] && !inParagraphs[w] {
				required--
			}
		}
		if required == 0 {
			return -1, nil
		}
	}
	if 2*bestWords <= required {
		return -1, nil
	}
	return best, bestSpans
}

// identifying returns the text of what identifies document d, one item a
// line: its references, the documents it answers, its rapporteur's name,
// group and country, its commission.
func identifying(d *Document) string {
	parts := slices.Concat([]string{d.Reference, d.Commission}, d.References, d.ReferenceDocs)
	if r := d.Rapporteur; r != nil {
		parts = append(parts, r.Name, r.Group, r.Country)
	}
	return strings.Join(parts, "\n")
}

// newHit returns the hit of document d, without snippets.
func newHit(d *Document, score float64) Hit {
	return Hit{
		ID: d.ID, Kind: d.Kind, Title: d.Title, Reference: d.Reference, Date: d.Date,
		Language: d.Language, Score: score, Source: d.Source, SourceURL: d.URL, Tags: d.Tags, Snippets: []string{}, Commitment: d.Commitment,
		Rapporteur: d.Rapporteur,
	}
}

// makeHit builds a hit from the stored document: the numbered paragraph to
// cite (citedParagraph), and HTML-safe snippets.
func makeHit(d *Document, score float64, m *matcher) Hit {
	hit := newHit(d, score)
	if i, spans := citedParagraph(d, m); i >= 0 {
		p := d.Paragraphs[i]
		hit.Paragraph, hit.Section = p.Number, p.Section
		hit.Snippets = append(hit.Snippets, fragment(p.Text, spans))
		return hit
	}
	body := searchBody(d)
	if spans, _ := m.find(body); len(spans) > 0 {
		hit.Snippets = append(hit.Snippets, fragments(body, spans, maxSnippetsPerHit)...)
		return hit
	}
	lead := d.Summary
	if lead == "" {
		lead = d.Body
	}
	if lead = strings.TrimSpace(lead); lead != "" {
		hit.Snippets = append(hit.Snippets, fragment(lead, nil))
	}
	return hit
}

// span is a match's byte range in a text.
type span struct{ start, end int }

// fragments returns up to n non-overlapping snippets of text around the spans, best first.
func fragments(text string, spans []span, n int) []string {
	spans = cleanSpans(text, spans)
	var out []string
	for len(spans) > 0 && len(out) < n {
		lo, hi := window(text, spans)
		out = append(out, render(text, lo, hi, spans))
		var rest []span
		for _, s := range spans {
			if s.end <= lo || s.start >= hi {
				rest = append(rest, s)
			}
		}
		spans = rest
	}
	return out
}

// fragment returns one snippet of text around the spans (the text's start when there are none).
func fragment(text string, spans []span) string {
	spans = cleanSpans(text, spans)
	if len(spans) == 0 {
		hi := snapEnd(text, min(len(text), snippetWidth))
		return render(text, 0, hi, nil)
	}
	lo, hi := window(text, spans)
	return render(text, lo, hi, spans)
}

func cleanSpans(text string, spans []span) []span {
	var out []span
	for _, s := range spans {
		if s.start >= 0 && s.end <= len(text) && s.start < s.end {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	// Drop overlaps (a phrase and its words).
	var merged []span
	for _, s := range out {
		if len(merged) > 0 && s.start < merged[len(merged)-1].end {
			if s.end > merged[len(merged)-1].end {
				merged[len(merged)-1].end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// window picks the snippetWidth-byte stretch of text holding the most spans,
// widened to word boundaries.
func window(text string, spans []span) (lo, hi int) {
	bestI, bestN := 0, 0
	for i := range spans {
		n := 0
		for j := i; j < len(spans) && spans[j].end-spans[i].start <= snippetWidth; j++ {
			n++
		}
		if n > bestN {
			bestI, bestN = i, n
		}
	}
	first := spans[bestI]
	last := spans[bestI+bestN-1]
	slack := max(0, snippetWidth-(last.end-first.start))
	lo = max(0, first.start-slack/3)
	hi = min(len(text), last.end+slack-slack/3)
	return snapStart(text, lo), snapEnd(text, hi)
}

// snapStart moves i back to the start of a word (and a rune).
func snapStart(text string, i int) int {
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	for k := 0; i > 0 && k < 30; k++ {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= utf8.RuneLen(r)
	}
	return i
}

// snapEnd moves i forward to the end of a word (and a rune).
func snapEnd(text string, i int) int {
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	for k := 0; i < len(text) && k < 30; k++ {
		r, w := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += w
	}
	return i
}

// render escapes text[lo:hi] and wraps the spans inside it in <mark>.
func render(text string, lo, hi int, spans []span) string {
	var b strings.Builder
	b.Grow(hi - lo + 16*len(spans) + 8)
	if lo > 0 {
		b.WriteString("…")
	}
	at := lo
	for _, s := range spans {
		if s.start < lo || s.end > hi {
			continue
		}
		b.WriteString(flat(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(flat(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(flat(text[at:hi]))
	if hi < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// snippetHeading is a Markdown heading marker, which a snippet leaves out.
var snippetHeading = regexp.MustCompile(`(^|\s)#{1,6}(\s|$)`)

// flat escapes s for HTML and folds its white space, Markdown emphasis and
// heading markers.
func flat(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return ' '
		case '*':
			return -1
		}
		return r
	}, s)
	if strings.IndexByte(s, '#') >= 0 {
		s = snippetHeading.ReplaceAllString(s, "$1")
	}
	return html.EscapeString(s)
}
