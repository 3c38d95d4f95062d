package indexer

import "github.com/blevesearch/bleve/v2/analysis"

// itFormsName is the token filter that gives the Italian Snowball stemmer,
// for a few words it stems apart, the form of the word it stems as the
// others: "pareri" and "parere" (an opinion, the CoR's own word) become
// "parer"; "atto" and "atti", "ente" and "enti", "anno" and "anni", "uso"
// and "usi", too short for the stemmer, become one; "italiano" joins
// "italiana", "italiani", "italiane"; "relatrice" and "senatrice" join
// "relatore" and "senatore". It runs after the stop words and before the
// stemmer (and the folding after it).
const itFormsName = "archivio_it_forms"

// itForms maps a word to the form the stemmer is given instead.
var itForms = map[string]string{
	"parere":    "pareri",
	"atti":      "atto",
	"enti":      "ente",
	"anni":      "anno",
	"usi":       "uso",
	"italiano":  "italiana",
	"relatrice": "relatore", "relatrici": "relatori",
	"senatrice": "senatore", "senatrici": "senatori",
}

type itFormsFilter struct{}

func (itFormsFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, tok := range ts {
		if len(tok.Term) <= 9 {
			if f, ok := itForms[string(tok.Term)]; ok {
				tok.Term = []byte(f)
			}
		}
	}
	return ts
}
