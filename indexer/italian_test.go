package indexer

import (
	"slices"
	"testing"
)

// italianStem returns the term the Italian text fields hold for a word.
func italianStem(t *testing.T) func(string) string {
	t.Helper()
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	an := m.AnalyzerNamed(textLang("it"))
	return func(w string) string {
		toks := an.Analyze([]byte(w))
		if len(toks) != 1 {
			t.Fatalf("%q analyses to %d tokens", w, len(toks))
		}
		return string(toks[0].Term)
	}
}

// TestItalianFormsStemTogether: words the Snowball stemmer alone leaves
// apart stem together, and the stems of other words stay as they were.
func TestItalianFormsStemTogether(t *testing.T) {
	stem := italianStem(t)
	for _, group := range [][]string{
		{"parere", "pareri", "Pareri"},
		{"atto", "atti"},
		{"ente", "enti"},
		{"anno", "anni"},
		{"uso", "usi"},
		{"italiano", "italiani", "italiana", "italiane"},
		{"relatore", "relatori", "relatrice", "relatrici"},
		{"senatore", "senatrice"},
		{"regione", "regioni"}, // as the stemmer had them
	} {
		for _, w := range group[1:] {
			if stem(w) != stem(group[0]) {
				t.Errorf("%s stems to %q, %s to %q: want the same", w, stem(w), group[0], stem(group[0]))
			}
		}
	}
	if stem("pari") == stem("parere") {
		t.Errorf("pari and parere stem alike (%q)", stem("pari"))
	}
}

// TestTypedTerms: an -ità noun typed without its accent stands for the
// term of the accented noun too; words that stem alike either way, other
// endings and other languages stand for their one term.
func TestTypedTerms(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, word string
		want       []string
	}{
		{"it", "sanita", []string{"san", "sanit"}},
		{"it", "Responsabilita", []string{"responsabil", "respons"}},
		{"it", "sanità", []string{"sanit"}},
		{"it", "attivita", []string{"attiv"}}, // "attività" stems alike
		{"it", "vita", []string{"vit"}},       // too short to be an -ità noun
		{"it", "sanitari", []string{"sanitar"}},
		{"it", "diritti umani", nil},
		{"en", "sanita", []string{"sanita"}},
	}
	for _, tc := range tests {
		name := textLang(tc.lang)
		if got := typedTerms(m.AnalyzerNamed(name), name, tc.word); !slices.Equal(got, tc.want) {
			t.Errorf("typedTerms(%s, %q) = %q, want %q", name, tc.word, got, tc.want)
		}
	}
}

// TestAccentedStop: an Italian stop word typed without the accent of its
// last letter is known for one; other words, and other languages, are not.
func TestAccentedStop(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, word, want string
	}{
		{"it", "piu", "più"}, {"it", "PIU", "PIù"}, {"it", "perche", "perché"}, {"it", "sara", "sarà"},
		{"it", "più", ""}, {"it", "casa", ""}, {"it", "citta", ""}, {"it", "e", ""}, {"en", "piu", ""},
		{"pt", "ate", ""}, // "até" is a Portuguese stop word: "ate" is no stop word for that
	} {
		name := textLang(tc.lang)
		if got, ok := accentedStop(m.AnalyzerNamed(name), name, tc.word); got != tc.want || ok != (tc.want != "") {
			t.Errorf("accentedStop(%q) = %q, %v; want %q", tc.word, got, ok, tc.want)
		}
	}
}

// TestItalianElisions: a word after an elided one ("quest'anno",
// "quell’occasione", "nessun'altra") is indexed as the word, as after an
// elided article ("l'Unione", "dell'amministrazione").
func TestItalianElisions(t *testing.T) {
	stem := italianStem(t)
	for elided, word := range map[string]string{
		"quest'anno": "anno", "quell’occasione": "occasione", "nessun'altra": "altra", "senz'altro": "altro",
		"tutt'oggi": "oggi", "l'Unione": "Unione", "dell'amministrazione": "amministrazione", "Quest'ultima": "ultima",
	} {
		if got, want := stem(elided), stem(word); got != want {
			t.Errorf("%s stems to %q, want %q as %s", elided, got, want, word)
		}
	}
}
