package indexer

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/elision"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"

	// Language analyzers register themselves with bleve when imported;
	// an index that names one cannot be reopened without it.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ckb"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	"github.com/blevesearch/bleve/v2/analysis/lang/pl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// mappingVersion names the index layout and what the parsers extract. An
// index written with another version is rebuilt from the corpus when opened,
// so that an upgrade reads every file again (a file the old version refused
// may now be read, a facet value may now be derived).
const mappingVersion = "archivio-20"

// analyzers maps a language code to the bleve analyzer that stems it. Text in
// any other language is analysed by the "std" analyzer (Unicode words,
// lowercased, no stemming). "zh", "ja" and "ko" share the CJK bigram analyzer.
var analyzers = map[string]string{
	"ar": "ar", "da": "da", "de": "de", "en": "en", "es": "es", "fa": "fa", "fi": "fi", "fr": "fr",
	"hi": "hi", "hr": "hr", "hu": "hu", "it": "it_snowball", "nl": "nl", "no": "no", "nb": "no", "pl": "pl",
	"pt": "pt", "ro": "ro", "ru": "ru", "sv": "sv", "tr": "tr", "ckb": "ckb",
	"zh": "cjk", "ja": "cjk", "ko": "cjk",
}

// textLang returns the suffix of the per-language text fields for language lang.
func textLang(lang string) string {
	if a, ok := analyzers[lang]; ok {
		return a
	}
	return "std"
}

// Field names in the bleve index. Text is indexed in per-language fields
// (title_en, body_it, para_en ...) so that each language is stemmed with its
// own analyzer; "para_*" holds an opinion's numbered paragraphs as an array,
// so a match's array position tells which paragraph it is in.
const (
	fieldRecord = "rec"  // "doc" for documents, "file" for corpus-file receipts
	fieldDoc    = "doc"  // where the Document is in the generation's docStore, "offset:length" (stored, not indexed)
	fieldRefs   = "refs" // identifiers, normalised (see refKey)
	fieldDate   = "date"
	// fieldFacet holds every facet value of a document as "name=value", in
	// one field with doc values: counting facets then visits one field per
	// matching document instead of one per facet.
	fieldFacet = "facet"
	// fieldReceipt holds a receipt as JSON (stored, not indexed). The
	// documents themselves are in the document store, so the stored fields
	// receipts are read from at open are small.
	fieldReceipt = "receipt"
)

const (
	recDoc  = "doc"
	recFile = "file"
)

// The stemmers of the English and Italian analyzers, each a stemCacheType.
const (
	enStemName = "archivio_en_stem"
	itStemName = "archivio_it_stem"
)

// newMapping builds the index mapping: BM25 scoring, per-language text
// fields, keyword fields for facets, a date field, and the stored JSON record.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = "std"
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	// The stemmers, with their stems cached.
	for name, stemmer := range map[string]string{enStemName: porter.Name, itStemName: it.SnowballStemmerName} {
		if err := m.AddCustomTokenFilter(name, map[string]any{"type": stemCacheType, "stemmer": stemmer}); err != nil {
			return nil, err
		}
	}
	// Italian elisions: bleve's articles (l', dell', un' ...) and the other
	// words Italian elides before a vowel, so that "quest'anno" is "anno".
	articles := []any{}
	for _, a := range strings.Fields(string(it.ItalianArticles)) {
		articles = append(articles, a)
	}
	for _, a := range italianElided {
		articles = append(articles, a)
	}
	if err := m.AddCustomTokenMap(itArticlesName, map[string]any{"type": tokenmap.Name, "tokens": articles}); err != nil {
		return nil, err
	}
	if err := m.AddCustomTokenFilter(itElisionName, map[string]any{"type": elision.Name, "articles_token_map": itArticlesName}); err != nil {
		return nil, err
	}
	// Archivio's analyzers split words with wordsName, which gives the
	// tokens of bleve's unicode tokenizer, faster.
	for _, a := range []struct {
		name    string
		filters []string
	}{
		// bleve's standard analyzer (which drops English stop words) with
		// the ASCII folding of foldName.
		{"std", []string{lowercase.Name, en.StopName, foldName}},
		// bleve's "en" analyzer, with the folding.
		{"en", []string{en.PossessiveName, lowercase.Name, en.StopName, foldName, enStemName}},
		// bleve's "it" analyzer uses a light stemmer that leaves
		// "partecipativa" and "partecipazione" apart; the Snowball stemmer
		// brings them together.
		{"it_snowball", []string{lowercase.Name, itElisionName, it.StopName, itFormsName, itStemName, foldName}},
		// bleve's "ro" analyzer, with Romanian's comma-below letters (ș, ț:
		// the standard spelling, and the EU's) read as the cedilla ones
		// (ş, ţ) its stop words and stemmer are written with; and with the
		// folding.
		{"ro", []string{lowercase.Name, roCedillaName, ro.StopName, ro.SnowballStemmerName, foldName}},
		// bleve's "pl" analyzer, with its stemmer loaded when first used.
		{"pl", []string{lowercase.Name, pl.StopName, plStemName}},
	} {
		if err := m.AddCustomAnalyzer(a.name, map[string]any{"type": custom.Name, "tokenizer": wordsName, "token_filters": a.filters}); err != nil {
			return nil, err
		}
	}
	if err := m.AddCustomAnalyzer("refkey", map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}

	dm := bleve.NewDocumentStaticMapping()
	keywordField := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false // filters need the terms only; facets are counted on fieldFacet
		return f
	}
	for _, name := range append([]string{fieldRecord}, facetNames...) {
		dm.AddFieldMappingsAt(name, keywordField())
	}
	facet := keywordField()
	facet.DocValues = true
	dm.AddFieldMappingsAt(fieldFacet, facet)

	refs := bleve.NewTextFieldMapping()
	refs.Analyzer = "refkey"
	refs.Store = false
	refs.IncludeInAll = false
	refs.IncludeTermVectors = false
	refs.DocValues = false
	dm.AddFieldMappingsAt(fieldRefs, refs)

	date := bleve.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false
	dm.AddFieldMappingsAt(fieldDate, date)

	for _, name := range []string{fieldDoc, fieldReceipt} {
		stored := bleve.NewTextFieldMapping()
		stored.Index = false
		stored.Store = true
		stored.IncludeInAll = false
		stored.IncludeTermVectors = false
		stored.DocValues = false
		dm.AddFieldMappingsAt(name, stored)
	}

	seen := map[string]bool{}
	for _, a := range analyzers {
		seen[a] = true
	}
	seen["std"] = true
	for a := range seen {
		for _, prefix := range []string{"title_", "body_", "para_"} {
			f := bleve.NewTextFieldMapping()
			f.Analyzer = a
			f.Store = false
			f.IncludeInAll = false
			f.IncludeTermVectors = true // phrase queries need positions
			f.DocValues = false
			dm.AddFieldMappingsAt(prefix+a, f)
		}
	}
	m.DefaultMapping = dm
	return m, nil
}
