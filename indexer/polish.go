package indexer

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/pl"
)

// plStemName is bleve's Polish stemmer, loaded when it first stems a word
// rather than when an index is opened, and keeping the words it would stem
// to nothing. Its tables are 234,000 small objects (5 MB) that every garbage
// collection of a server with no Polish document would walk through: a
// third of the heap's objects at 100,000 Europarl documents.
const plStemName = "archivio_pl_stem"

func init() {
	registerTokenFilter(plStemName, &lazyPolishStemmer{})
}

type lazyPolishStemmer struct {
	once sync.Once
	stem analysis.TokenFilter
}

// Filter stems the tokens; a word the stemmer stems to nothing ("1",
// "eu", "main") stays as it is, rather than become a term every such word
// shares.
func (s *lazyPolishStemmer) Filter(ts analysis.TokenStream) analysis.TokenStream {
	s.once.Do(func() {
		f, err := pl.NewPolishStemmerFilter()
		if err != nil {
			// The tables are compiled into bleve: they do not fail to load.
			panic("load the Polish stemmer: " + err.Error())
		}
		s.stem = f
	})
	words := make([][]byte, len(ts))
	for i, tok := range ts {
		words[i] = tok.Term
	}
	s.stem.Filter(ts)
	for i, tok := range ts {
		if len(tok.Term) == 0 {
			tok.Term = words[i]
		}
	}
	return ts
}
