package indexer

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// SameValue reports whether a value of facet name as typed (a filter's, or
// a query's "name:value") names the value held, as the index matches
// filters: the same but for case and accents ("theme:open data" names
// "Open Data", "rapporteur=Jozef Viskupic" names "Jozef Viskupič"); a name
// the Italian pages use ("tipo:parere", "paese:Italia", "gruppo:PPE"); an EU
// country code ("country:IT"); or, for a rapporteur, one of the words of the
// name ("rapporteur:Cirio"), when no rapporteur is named just that.
func SameValue(name, typed, held string) bool { return valueNamed(name, typed)(held) != noMatch }

// How a typed facet value names a held one.
const (
	noMatch = iota
	byName  // the same value, or an alias of it
	byWord  // a word of the held value (a rapporteur's name)
)

// valueNamed returns the test SameValue makes of held values against typed,
// with what it needs worked out once: how typed names held, if it does.
func valueNamed(name, typed string) func(held string) int {
	key := facetKey(typed)
	keys := []string{key}
	if a := canonicalValue(name, typed); facetKey(a) != key {
		keys = append(keys, facetKey(a))
	}
	word := name == "rapporteur" && key != "" && !strings.ContainsFunc(key, unicode.IsSpace)
	return func(held string) int {
		h := facetKey(held)
		switch {
		case slices.Contains(keys, h):
			return byName
		case word && slices.Contains(strings.FieldsFunc(h, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }), key):
			return byWord
		}
		return noMatch
	}
}

// Action plans' names: as Archivio gives them ("Italy action plan
// 2016-2018"), and as the Italian pages do ("Italia, piano d'azione
// 2016-2018"; see ValueLabel).
var (
	englishPlan = regexp.MustCompile(`^(.+) action plan (\d{4}(?:-\d{4})?)( \(.+\))?$`)
	italianPlan = regexp.MustCompile(`^(.+), piano d['’]azione (\d{4}(?:-\d{4})?)( \(.+\))?$`)
)

// planNotes are the notes after an action plan's name ("Italy action plan
// 2016-2018 (consultation draft)", as the bundled drafts have it) in Italian.
var planNotes = map[string]string{" (consultation draft)": " (bozza in consultazione)"}

// planNote returns the note after an action plan's name in the language of
// the pages (lang "it") or in English (lang "").
func planNote(lang, note string) string {
	for en, it := range planNotes {
		switch {
		case lang == "it" && strings.EqualFold(note, en):
			return it
		case lang == "" && strings.EqualFold(note, it):
			return en
		}
	}
	return note
}

// ValueLabel is value v of facet name (as held, or as typed in a filter:
// "SK" is the Slovak Republic) as the pages in language lang show it: in
// Italian, countries and action plans by their Italian names ("Italia, piano
// d'azione 2016-2018"), regions of the world (Europa), and political groups
// by their Italian acronyms (PPE). canonicalValue reads each label back.
// Other values are returned as they are.
func ValueLabel(lang, name, v string) string {
	v = canonicalValue(name, v)
	if lang != "it" {
		return v
	}
	switch name {
	case "country":
		return CountryLabel(lang, v)
	case "plan":
		if m := englishPlan.FindStringSubmatch(v); m != nil {
			return CountryLabel(lang, m[1]) + ", piano d'azione " + m[2] + planNote(lang, m[3])
		}
	case "group":
		if it, ok := italianGroups[v]; ok {
			return it
		}
	case "region":
		if it, ok := italianRegions[v]; ok {
			return it
		}
	}
	return v
}

// ShortPlanLabel names an action plan by its country (or locality) and
// years, and the note after them, in language lang: "Italia 2016-2018
// (bozza in consultazione)", as a chart's labels must fit a phone's width.
// A plan named otherwise is its ValueLabel.
func ShortPlanLabel(lang, v string) string {
	v = canonicalValue("plan", v)
	if m := englishPlan.FindStringSubmatch(v); m != nil {
		return CountryLabel(lang, m[1]) + " " + m[2] + planNote(lang, m[3])
	}
	return ValueLabel(lang, "plan", v)
}

// italianRegions are the OGP's regions of the world by their Italian names.
var italianRegions = map[string]string{"Europe": "Europa", "Americas": "Americhe", "Asia and the Pacific": "Asia e Pacifico",
	"Africa and the Middle East": "Africa e Medio Oriente"}

// italianGroups are the CoR's political groups by their Italian acronyms.
var italianGroups = map[string]string{"EPP": "PPE", "PES": "PSE", "EA": "AE", "Greens": "Verdi"}

// facetKey is a facet value as values are compared: lower case, accents
// folded, spaces single. It runs on every facet value a search counts, so a
// value already so (most are) costs no allocation.
func facetKey(v string) string {
	plainASCII := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c == ' ' && (i == 0 || i == len(v)-1 || v[i-1] == ' ') || c != ' ' && c < ' ' {
			plainASCII = false
			break
		}
	}
	if plainASCII {
		return v
	}
	return strings.Join(strings.Fields(string(fold([]byte(strings.ToLower(norm.NFC.String(v)))))), " ")
}

// canonicalValue is the value of facet name the index holds for v, a value
// a document gives: the value an alias names ("PPE" is EPP, "Italia" and
// "IT" are Italy), so that a filter by either name and the facet's count
// agree; v otherwise.
func canonicalValue(name, v string) string {
	if a, ok := valueAliases[name][facetKey(v)]; ok {
		return a
	}
	switch name {
	case "language":
		// A language's name, as the pages show it ("spagnolo"), is its
		// code, typed with its accents or without.
		if code, ok := languageNames[facetKey(v)]; ok {
			return code
		}
	case "plan":
		// An action plan as the Italian pages name it.
		if m := italianPlan.FindStringSubmatch(v); m != nil {
			country := m[1]
			if cs := countriesNamed(m[1]); len(cs) == 1 {
				country = cs[0]
			}
			return country + " action plan " + m[2] + planNote("", m[3])
		}
	case "group":
		// Any spelling the CoR uses ("Renew E", "RE"), in English or Italian ("PPE").
		if g := groups[facetKey(v)]; g != "" {
			return g
		}
	case "region":
		for en, it := range italianRegions {
			if facetKey(it) == facetKey(v) {
				return en
			}
		}
	case "country":
		if n := countryName(v); n != v {
			return n
		}
		if cs := countriesNamed(v); len(cs) == 1 {
			return cs[0]
		}
	}
	return v
}
