package indexer

import "time"

// Facets lists the facet names the index counts and filters by, in display order.
// Each is also the name of a URL parameter of /api/search.
var facetNames = []string{"kind", "language", "year", "commission", "rapporteur", "group", "country", "region", "status", "starred", "theme", "plan", "institution", "tag"}

// manyValued reports whether a document can have several values of facet
// name (themes, institutions, tags). Values of such a facet given together
// are ANDed: each narrows the results, as a page's facet counts promise.
// Values of the other facets, of which a document has one, are ORed.
func manyValued(name string) bool {
	return name == "theme" || name == "institution" || name == "tag"
}

// FacetNames returns the names of the facets the index counts and filters by,
// in display order.
func FacetNames() []string { return append([]string(nil), facetNames...) }

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Query is a search request. The zero Query matches every document, newest first.
type Query struct {
	Text    string              // what the user typed; empty matches everything
	Filters map[string][]string // facet name -> values; facets are ANDed, and values of one facet ORed, except of manyValued facets
	From    string              // earliest date, YYYY-MM-DD, inclusive
	To      string              // latest date, YYYY-MM-DD, inclusive
	Sort    string              // SortRelevance (default with text) or SortDate (newest first)
	Page    int                 // 1-based
	Size    int                 // hits per page
	// CountOnly asks for the total and the facets, without hits.
	CountOnly bool
	// More names facets to list whole (up to MaxFacetValues values) instead
	// of their most frequent values only.
	More []string
	// Export asks for hits only, for a download: pages of up to
	// MaxExportSize, no snippets, no facets.
	Export bool
}

// Results is one page of search results.
type Results struct {
	Total  uint64                  `json:"total"`
	Page   int                     `json:"page"`
	Size   int                     `json:"size"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
	// FacetValues is how many values each facet has among the hits, listed
	// or not (a list stops at its 30 most frequent values unless asked for more).
	FacetValues map[string]int `json:"facet_values"`
	Took        time.Duration  `json:"-"`
	// Relaxed is set when no document matched every word and the hits match some of them.
	Relaxed bool `json:"relaxed,omitempty"`
}

// Hit is one matching document.
type Hit struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Title     string   `json:"title"`
	Reference string   `json:"reference,omitempty"`
	Date      string   `json:"date,omitempty"`
	Language  string   `json:"language"`
	Score     float64  `json:"score"`
	Snippets  []string `json:"snippets"` // HTML-safe: text escaped, matches in <mark>
	// Paragraph is the number of the numbered paragraph the best match is in (0: none).
	Paragraph int    `json:"paragraph,omitempty"`
	Section   string `json:"section,omitempty"` // that paragraph's section heading
	Source    string `json:"source"`
	URL       string `json:"url,omitempty"` // set by the site: the document's page, at the paragraph
	// SourceURL is where the document is published (an OGP commitment's
	// page, a EUR-Lex record), as the corpus file gives it.
	SourceURL string `json:"source_url,omitempty"`
	// Rapporteur is an opinion's or a factsheet's rapporteur, for citing it.
	Rapporteur *Rapporteur `json:"rapporteur,omitempty"`
	// Tags are the document's tags, for downloads (not in the API's hits).
	Tags []string `json:"-"`
	// Commitment is a commitment's record, for pages that list commitments
	// with their plan, country and status (not in the API's hits).
	Commitment *Commitment `json:"-"`
}

// FacetValue is one value of a facet with the number of matching documents that have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
