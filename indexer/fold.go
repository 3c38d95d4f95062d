package indexer

import (
	"bytes"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/registry"
)

// foldName is the token filter that folds a term's letters to ASCII
// ("viskupič" to "viskupic", "tüttő" to "tutto"), so that names and words
// typed without their accents find them. It runs after the stop words (the
// lists are spelt with accents). In English and unstemmed text it runs
// before the stemmer, so that the stemmer sees a word the same typed with
// its accents or without; in Italian after it, because the Snowball stemmer
// knows the accented endings ("occuperà" is "occup", "occupera" would be
// "occuper"), and folding its stems still merges "città" and "citta".
const foldName = "archivio_fold"

// roCedillaName is the token filter that spells Romanian's comma-below
// letters (ș, ț) as the cedilla ones (ş, ţ), which bleve's Romanian stop
// words and stemmer are written with: a text in either spelling is then
// found by a query in either.
const roCedillaName = "archivio_ro_cedilla"

func init() {
	registerTokenFilter(foldName, foldFilter{})
	registerTokenFilter(itFormsName, itFormsFilter{})
	registerTokenFilter(roCedillaName, roCedillaFilter{})
}

type roCedillaFilter struct{}

var roCedilla = strings.NewReplacer("ș", "ş", "ț", "ţ")

// Filter spells ș and ț with a cedilla in the terms that have them (it runs
// after lowercase: no capital reaches it).
func (roCedillaFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, tok := range ts {
		// ș and ț are U+0219 and U+021B: in UTF-8, 0xC8 0x99 and 0xC8 0x9B.
		if bytes.IndexByte(tok.Term, 0xC8) >= 0 {
			tok.Term = []byte(roCedilla.Replace(string(tok.Term)))
		}
	}
	return ts
}

// registerTokenFilter registers f under name. bleve finds analysis parts by
// name in a process-wide registry, as its own language packages do: an
// index opened later needs the name.
func registerTokenFilter(name string, f analysis.TokenFilter) {
	if err := registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return f, nil
	}); err != nil {
		panic(err)
	}
}

type foldFilter struct{}

// Filter folds the terms that are not ASCII already.
func (foldFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, tok := range ts {
		tok.Term = fold(tok.Term)
	}
	return ts
}

// fold returns term with its letters folded to ASCII, or term itself when
// it is ASCII already: most terms are, and cost one scan of their bytes.
// Greek letters stay Greek, without their tonos and dialytika, and a final
// sigma is a sigma ("τεχνητής" is "τεχνητησ", as "ΤΕΧΝΗΤΗΣ" lower-cased is):
// Greek is typed without accents and in capitals as often as with them.
func fold(term []byte) []byte {
	for _, c := range term {
		if c >= 0x80 {
			term = asciifolding.New().Filter(term)
			if bytes.ContainsAny(term, greekMarked) {
				term = []byte(greekFold.Replace(string(term)))
			}
			return term
		}
	}
	return term
}

// greekMarked are the Greek letters fold changes, and greekFold changes them.
const greekMarked = "άέήίόύώϊϋΐΰςΆΈΉΊΌΎΏΪΫ"

var greekFold = strings.NewReplacer("ά", "α", "έ", "ε", "ή", "η", "ί", "ι", "ό", "ο", "ύ", "υ", "ώ", "ω",
	"ϊ", "ι", "ϋ", "υ", "ΐ", "ι", "ΰ", "υ", "ς", "σ",
	"Ά", "Α", "Έ", "Ε", "Ή", "Η", "Ί", "Ι", "Ό", "Ο", "Ύ", "Υ", "Ώ", "Ω", "Ϊ", "Ι", "Ϋ", "Υ")
