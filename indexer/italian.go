package indexer

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

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

// Names of the Italian elision filter and its list of elided words.
const (
	itElisionName  = "archivio_it_elision"
	itArticlesName = "archivio_it_articles"
)

// italianElided are words Italian writes elided before a vowel besides the
// articles and articulated prepositions bleve's list has: "quest'anno",
// "quell'occasione", "nessun'altra", "anch'io", "senz'altro", "tutt'oggi",
// "dev'essere", "sant'Anna", "com'è", "dov'è".
var italianElided = []string{"quest", "quell", "nessun", "alcun", "ciascun", "qualcun", "anch", "senz", "tutt", "dev",
	"sant", "bell", "buon", "grand", "cent", "com", "dov", "ov", "quand", "mezz", "tant", "quant", "null", "cos", "gliel",
	"ch", "n"}

// accentTyped returns word with the accent of its -ità ending, when it was
// typed without it ("sanita", "responsabilita") in a query on a field
// analysed by analyzer (see textLang). The Snowball stemmer takes the
// accented ending off as a noun's suffix and the bare one as a verb's, so
// that "sanità" is indexed as "sanit" while "sanita" looks for "san".
// Searched beside the word as typed, the accented form finds the noun; the
// word as typed still finds what it did.
func accentTyped(analyzer, word string) (string, bool) {
	if analyzer != "it_snowball" || len(word) < 6 || !ascii(word) || !strings.EqualFold(word[len(word)-3:], "ita") {
		return "", false
	}
	return word[:len(word)-1] + "à", true
}

// futureTyped returns word with the accent of a verb's future ("-erà",
// "-irà", "-erò", "-irò") when it was typed without it ("presentera") in a
// query on a field analysed by analyzer. The stemmer takes the accented
// ending off ("presenterà" is indexed as "present") but reads the bare one
// as a noun's ("presenter"). Many nouns end so too ("frontiera", "numero"),
// and their accented forms stem to other words ("front", "num"): the
// accented form is a guess, searched only where the word as typed is not
// in the index (see wordQuery).
func futureTyped(analyzer, word string) (string, bool) {
	if analyzer != "it_snowball" || len(word) < 6 || !ascii(word) {
		return "", false
	}
	switch strings.ToLower(word[len(word)-3:]) {
	case "era", "ira":
		return word[:len(word)-1] + "à", true
	case "ero", "iro":
		return word[:len(word)-1] + "ò", true
	}
	return "", false
}

// typedTerms returns the terms a query word typed as text stands for in a
// field analysed by an (named analyzer): the one term of the analysed text
// and, when the word is typed without an accent the stemmer reads
// (accentTyped), the term of the accented form. It returns nil when text
// analyses to other than one term. guess is the term of a verb's future
// typed without its accent (futureTyped), to be searched only where the
// first term is not in the index, or "".
func typedTerms(an analysis.Analyzer, analyzer, text string) (terms []string, guess string) {
	toks := an.Analyze([]byte(text))
	if len(toks) != 1 {
		return nil, ""
	}
	terms = []string{string(toks[0].Term)}
	if f, ok := accentTyped(analyzer, text); ok {
		if at := an.Analyze([]byte(f)); len(at) == 1 && string(at[0].Term) != terms[0] {
			terms = append(terms, string(at[0].Term))
		}
	}
	if f, ok := futureTyped(analyzer, text); ok {
		if at := an.Analyze([]byte(f)); len(at) == 1 && !slices.Contains(terms, string(at[0].Term)) {
			guess = string(at[0].Term)
		}
	}
	return terms, guess
}

// accentedFinal maps a vowel to the same vowel with the accents Italian
// puts on a word's last letter.
var accentedFinal = map[byte][]string{'a': {"à"}, 'e': {"è", "é"}, 'i': {"ì"}, 'o': {"ò"}, 'u': {"ù"}}

// wordsAsTyped are Italian words that are stop words with an accent on
// their last letter ("farò", "sarà") and words of their own without it: a
// lighthouse, a name, a town. The index cannot tell them apart (it has
// stems: "faro" is "far", as "fare" is), so they are listed.
var wordsAsTyped = []string{"faro", "fara", "sara", "saro"}

// accentedStop reports whether word, typed without the accent of its last
// letter ("piu", "perche", "avra"), is an Italian stop word with it ("più",
// "perché", "avrà"), in a field analysed by an (named analyzer), and
// returns that form. Stop words are not indexed; typed so, they would be
// looked for as words that no document has.
func accentedStop(an analysis.Analyzer, analyzer, word string) (string, bool) {
	if slices.Contains(wordsAsTyped, strings.ToLower(word)) {
		return "", false
	}
	return accentedStopForm(an, analyzer, word)
}

// listedStops returns text with the words of wordsAsTyped in it written as
// the stop words they are with an accent ("porto sara pronto": "porto sarà
// pronto"), and whether it had any: a phrase no document has with the words
// as typed is searched so.
func listedStops(an analysis.Analyzer, analyzer, text string) (string, bool) {
	return accentWords(text, func(w string) (string, bool) {
		if !slices.Contains(wordsAsTyped, strings.ToLower(w)) {
			return "", false
		}
		return accentedStopForm(an, analyzer, w)
	})
}

// accentWords returns text with each word that accented gives a form for
// written so, and whether there was any.
func accentWords(text string, accented func(word string) (string, bool)) (string, bool) {
	words := strings.Fields(text)
	changed := false
	for i, w := range words {
		if f, ok := accented(w); ok {
			words[i], changed = f, true
		}
	}
	if !changed {
		return text, false
	}
	return strings.Join(words, " "), true
}

// accentedStopForm is accentedStop for any word.
func accentedStopForm(an analysis.Analyzer, analyzer, word string) (string, bool) {
	if analyzer != "it_snowball" || len(word) < 2 || !ascii(word) {
		return "", false
	}
	for _, acc := range accentedFinal[word[len(word)-1]|0x20] {
		if f := word[:len(word)-1] + acc; len(an.Analyze([]byte(f))) == 0 {
			return f, true
		}
	}
	return "", false
}

// accentStops returns text with the words accentedStop knows for stop words
// written with their accent ("citta piu piccole": "citta più piccole"), as
// a phrase is searched and its place in a paragraph found.
func accentStops(an analysis.Analyzer, analyzer, text string) string {
	if analyzer != "it_snowball" {
		return text
	}
	text, _ = accentWords(text, func(w string) (string, bool) { return accentedStop(an, analyzer, w) })
	return text
}

// onlyElided are the words Italian writes only elided, before a vowel:
// "dell'innovazione", never "dell innovazione" (not "un", "nessun" or
// "buon", which stand alone too).
var onlyElided = []string{"l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl", "negl",
	"sugl", "quest", "quell", "senz", "tutt", "anch", "sant", "bell", "grand", "mezz", "quant", "tant", "dov", "com"}

// phraseText returns a phrase as an Italian field (analyzer "it_snowball")
// is searched for it: stop words typed without their accent take it
// (accentStops), and a word written only elided, typed apart from the next
// one ("catalizzatori dell innovazione"), is joined to it by an apostrophe.
// In the index "dell'innovazione" is one word, "innovazione", with no gap
// where "dell" would stand; typed apart, the stop word would leave one, and
// the phrase would match nothing.
func phraseText(an analysis.Analyzer, analyzer, text string) string {
	if analyzer != "it_snowball" {
		return text
	}
	text = accentStops(an, analyzer, text)
	words := strings.Fields(text)
	var b strings.Builder
	for i, w := range words {
		b.WriteString(w)
		if i == len(words)-1 {
			break
		}
		if slices.Contains(onlyElided, strings.ToLower(w)) {
			b.WriteByte('\'')
		} else {
			b.WriteByte(' ')
		}
	}
	if b.Len() == 0 {
		return text
	}
	return b.String()
}
