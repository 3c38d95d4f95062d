package indexer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what one query may ask for, so that no query can hold a CPU for long.
const (
	MaxQueryLength = 1000 // characters
	MaxQueryTerms  = 32   // terms and phrases
	MaxPageSize    = 100
	MaxExportSize  = 1000  // hits per page of an Export query
	MaxResultDepth = 10000 // page*size
	minPrefixLen   = 3     // letters before a trailing *
	minFuzzyLen    = 3     // letters in a word~N
	maxFuzziness   = 2
	// MaxExpandingTerms bounds the prefix (word*) and fuzzy (word~) terms of
	// one query: each expands to many index terms.
	MaxExpandingTerms = 8
)

// QueryError is returned for a query the index will not run; its message is
// meant for the person who typed the query.
type QueryError struct {
	Msg string
	// Format and Args are Msg before it was formatted: a user interface
	// looks Format up to say Msg in its own language.
	Format string
	Args   []any
}

func (e *QueryError) Error() string { return e.Msg }

func queryErrorf(format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// clause is one part of a parsed query string.
type clause struct {
	text   string // a term, a phrase, or a prefix without its '*'
	phrase bool
	prefix bool
	fuzzy  int    // edit distance for term~N
	field  string // a facet name for field:value filters
	not    bool   // -term: must not match
	// optional: a word some searched language drops as a stop word ("the",
	// "la"): documents need not contain it, and those that do rank higher.
	optional bool
	// guessed: a verb's future typed without its accent that the index
	// does not hold as typed ("presentera"), which is searched as the
	// accented form (see typedTerms) and so marked in snippets.
	guessed bool
}

// parseQueryString reads the query syntax users type:
//
//	word            a word, stemmed in every language
//	"two words"     a phrase
//	-word, -"a b"   leave out documents that match
//	word*           words starting with "word" (at least 3 letters)
//	word~ word~2    words within 1 (or 2) edits
//	kind:opinion    a facet filter (any facet name)
//	country:"North Macedonia"  a facet value of several words
//
// A name before a colon that is a slip of a facet's ("contry:Ukraine") is
// an error saying which was meant; other colons separate words
// ("continent:Europe"). Anything else is taken as words; unbalanced quotes
// close at the end.
func parseQueryString(s string) ([]clause, error) {
	if n := utf8.RuneCountInString(s); n > MaxQueryLength {
		return nil, queryErrorf("query is %d characters long; the limit is %d", n, MaxQueryLength)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = typographicQuotes.Replace(s)
	var out []clause
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		var c clause
		if r == '-' || r == '+' {
			c.not = r == '-'
			i += w
			if i >= len(s) {
				break
			}
		}
		if s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			var text string
			if end < 0 {
				text, i = s[i+1:], len(s)
			} else {
				text, i = s[i+1:i+1+end], i+2+end
			}
			c.text, c.phrase = strings.TrimSpace(text), true
			if c.text != "" {
				out = append(out, c)
			}
			continue
		}
		j := i
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			j += w
		}
		word := s[i:j]
		start := i
		i = j
		if k := strings.IndexByte(word, ':'); k > 0 {
			name := strings.ToLower(word[:k])
			if a, ok := facetAliases[name]; ok {
				name = a
			}
			if !isFacet(name) {
				if meant := facetMeant(name); meant != "" && k+1 < len(word) {
					return nil, queryErrorf("%q is not a filter: did you mean %s:?", word[:k], meant)
				}
				// Not a filter ("continent:Europe", "https://...", "Member
				// State: Italy"): words.
				s = s[:start] + strings.Replace(word, ":", " ", 1) + s[j:]
				i = start
				continue
			}
			value := word[k+1:]
			if isFacet(name) && value == "" && i < len(s) && s[i] == '"' {
				// country:"North Macedonia"
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					value, i = s[i+1:], len(s)
				} else {
					value, i = s[i+1:i+1+end], i+2+end
				}
				value = strings.TrimSpace(value)
			}
			if isFacet(name) && value != "" {
				c.field, c.text = name, value
				out = append(out, c)
				continue
			}
		}
		if k := strings.LastIndexByte(word, '~'); k > 0 {
			n := 1
			if k < len(word)-1 {
				v, err := strconv.Atoi(word[k+1:])
				if err != nil || v < 0 {
					return nil, queryErrorf("%q: after ~ give a number of edits, 1 or 2", word)
				}
				n = v
			}
			if n > maxFuzziness {
				return nil, queryErrorf("%q: at most %d edits are allowed", word, maxFuzziness)
			}
			c.fuzzy, word = n, word[:k]
			if n > 0 && wordChars(word) < minFuzzyLen {
				return nil, queryErrorf("%q: give at least %d letters before ~", word+"~", minFuzzyLen)
			}
		}
		if strings.HasSuffix(word, "*") {
			word = strings.TrimRight(word, "*")
			if wordChars(word) < minPrefixLen {
				return nil, queryErrorf("%q: give at least %d letters before *", word+"*", minPrefixLen)
			}
			c.prefix = true
		}
		if strings.Contains(word, "*") {
			return nil, queryErrorf("%q: * is allowed only at the end of a word", word)
		}
		c.text = strings.Trim(word, "()[]{}^!\\")
		if c.text == "" || wordChars(c.text) == 0 {
			continue
		}
		out = append(out, c)
	}
	if len(out) > MaxQueryTerms {
		return nil, queryErrorf("query has %d terms; the limit is %d", len(out), MaxQueryTerms)
	}
	expanding := 0
	for _, c := range out {
		if c.prefix || c.fuzzy > 0 {
			expanding++
		}
	}
	if expanding > MaxExpandingTerms {
		return nil, queryErrorf("query has %d words with * or ~; the limit is %d", expanding, MaxExpandingTerms)
	}
	return out, nil
}

func isFacet(name string) bool { return slices.Contains(facetNames, name) }

// facetMeant returns the facet name, or the alias of one, that name is a
// slip of ("contry", "themes", "paesi"), or "" when it is none.
func facetMeant(name string) string {
	if wordChars(name) != len(name) {
		return ""
	}
	names := append([]string(nil), facetNames...)
	for a := range facetAliases {
		names = append(names, a)
	}
	slices.Sort(names)
	return slipOf(name, names)
}

// typographicQuotes turns the quotes keyboards and word processors type
// (“a b”, «a b», „a b“) into the query syntax's.
var typographicQuotes = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "‟", `"`, "«", `"`, "»", `"`)

// facetAliases are other names users type for facets: "lang", as in the URL
// parameters, and the names the Italian pages show ("tipo:parere").
var facetAliases = map[string]string{
	"lang": "language", "tipo": "kind", "lingua": "language", "anno": "year", "commissione": "commission",
	"relatore": "rapporteur", "gruppo": "group", "paese": "country", "stato": "status", "tema": "theme",
	"piano": "plan", "istituzione": "institution", "etichetta": "tag", "area": "region", "stella": "starred",
}

// valueAliases are facet values as the Italian pages and language names
// say them, by facet: "tipo:parere" is kind:opinion, "lingua:italiano" is
// language:it.
var valueAliases = map[string]map[string]string{
	"kind": {"parere": KindOpinion, "pareri": KindOpinion, "scheda": KindFactsheet, "schede": KindFactsheet,
		"impegno": KindCommitment, "impegni": KindCommitment, "pagina": KindPage, "pagine": KindPage},
	"status": {"adottato": "Adopted", "non avviato": "Not started", "limitato": "Limited", "sostanziale": "Substantial",
		"completato": "Complete", "ritirato": "Withdrawn", "non chiaro": "Unclear"},
	"starred": {"si": "Yes", "true": "Yes", "1": "Yes", "false": "No", "0": "No"},
	// Other English names of countries the archive names as the OGP does.
	"country": {"czechia": "Czech Republic", "slovakia": "Slovak Republic", "kyrgyzstan": "Kyrgyz Republic",
		"south korea": "Republic of Korea", "korea": "Republic of Korea", "ivory coast": "Cote d'Ivoire",
		"cote d'ivoire": "Cote d'Ivoire", "macedonia": "North Macedonia", "usa": "United States",
		"united states of america": "United States", "great britain": "United Kingdom", "britain": "United Kingdom",
		"the netherlands": "Netherlands", "holland": "Netherlands"},
}

// wordChars counts the letters and digits in s.
func wordChars(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
