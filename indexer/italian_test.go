package indexer

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
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
		guess      string
	}{
		{"it", "sanita", []string{"san", "sanit"}, ""},
		{"it", "Responsabilita", []string{"responsabil", "respons"}, ""},
		{"it", "sanità", []string{"sanit"}, ""},
		{"it", "attivita", []string{"attiv"}, ""}, // "attività" stems alike
		{"it", "vita", []string{"vit"}, ""},       // too short to be an -ità noun
		{"it", "sanitari", []string{"sanitar"}, ""},
		{"it", "diritti umani", nil, ""},
		{"en", "sanita", []string{"sanita"}, ""},
		// A verb's future typed without its accent: a guess.
		{"it", "presentera", []string{"presenter"}, "present"},
		{"it", "garantira", []string{"garantir"}, "garant"},
		{"it", "lavorero", []string{"lavorer"}, "lavor"},
		{"it", "frontiera", []string{"frontier"}, "front"}, // a noun: searched only if no document has "frontiera"
		{"it", "potra", []string{"potr"}, ""},              // "potrà" stems alike
		{"en", "presentera", []string{"presentera"}, ""},
	}
	for _, tc := range tests {
		name := textLang(tc.lang)
		got, guess := typedTerms(m.AnalyzerNamed(name), name, tc.word)
		if !slices.Equal(got, tc.want) || guess != tc.guess {
			t.Errorf("typedTerms(%s, %q) = %q, %q; want %q, %q", name, tc.word, got, guess, tc.want, tc.guess)
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
		{"it", "piu", "più"}, {"it", "PIU", "PIù"}, {"it", "perche", "perché"}, {"it", "sara", ""}, {"it", "avra", "avrà"},
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

// TestFutureTypedWithoutAccent: a verb's future typed without its accent
// ("presentera") finds the documents with the accented form, marked; a noun
// with the same ending ("numero") is not taken for a future where documents
// have it (its accented form would stem to "num", as "nume" does).
func TestFutureTypedWithoutAccent(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"fut.md":  {Data: []byte("---\ntitle: Proposta\nlanguage: it\n---\n\nLa Commissione presenterà una proposta entro l'anno.\n")},
		"num.md":  {Data: []byte("---\ntitle: Comuni\nlanguage: it\n---\n\nIl numero dei comuni è cresciuto.\n")},
		"nume.md": {Data: []byte("---\ntitle: Città\nlanguage: it\n---\n\nUn nume tutelare della città.\n")},
		// A noun the index has: its accented form's stem ("front") is not
		// marked for it.
		"front.md": {Data: []byte("---\ntitle: Confini\nlanguage: it\n---\n\nLa frontiera orientale, sul fronte del bilancio.\n")},
	})
	res, err := ix.Search(context.Background(), Query{Text: "frontiera"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("frontiera: %v, %v", hitIDs(res), err)
	}
	if sn := strings.Join(res.Hits[0].Snippets, " "); !strings.Contains(sn, "<mark>frontiera</mark>") || strings.Contains(sn, "<mark>fronte</mark>") {
		t.Errorf("frontiera: snippets %q, want frontiera marked and not fronte", sn)
	}
	for q, want := range map[string]string{"presentera": "fut", "Presentera": "fut", "numero": "num"} {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := hitIDs(res); !slices.Equal(got, []string{want}) {
			t.Errorf("%s: hits %v, want [%s]", q, got, want)
			continue
		}
		if q != "numero" && !strings.Contains(strings.Join(res.Hits[0].Snippets, " "), "<mark>presenterà</mark>") {
			t.Errorf("%s: snippets %q, want presenterà marked", q, res.Hits[0].Snippets)
		}
	}
	// The drafts of Italy's third plan: "permettera" finds what "permetterà" finds.
	drafts := openTest(t)
	if _, err := drafts.Sync(context.Background(), os.DirFS("testdata/it-ogp-nap3")); err != nil {
		t.Fatal(err)
	}
	typed, err := drafts.Search(context.Background(), Query{Text: "permettera"})
	if err != nil {
		t.Fatal(err)
	}
	accented, err := drafts.Search(context.Background(), Query{Text: "permetterà"})
	if err != nil {
		t.Fatal(err)
	}
	if accented.Total == 0 || !slices.Equal(hitIDs(typed), hitIDs(accented)) {
		t.Errorf("permettera: %v, want the %d hits of permetterà %v", hitIDs(typed), accented.Total, hitIDs(accented))
	}
}

// TestPhraseText: in an Italian phrase, a word written only elided joins
// the next; words that also stand alone ("un", "nessun") and other
// languages are left as typed.
func TestPhraseText(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, in, want string }{
		{"it", "catalizzatori dell innovazione", "catalizzatori dell'innovazione"},
		{"it", "adozione della legge sull IA", "adozione della legge sull'IA"},
		{"it", "L Unione e quest anno", "L'Unione e quest'anno"},
		{"it", "citta piu piccole", "citta più piccole"},
		{"it", "un nume nessun dubbio", "un nume nessun dubbio"},
		{"it", "nel mezzo dell", "nel mezzo dell"},
		{"en", "dell innovazione", "dell innovazione"},
	} {
		name := textLang(tc.lang)
		if got := phraseText(m.AnalyzerNamed(name), name, tc.in); got != tc.want {
			t.Errorf("phraseText(%s, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// TestPlanLabels: an action plan is named in Italian on the Italian pages,
// with the note after its name ("(consultation draft)"), and the Italian
// name reads back as the plan.
func TestPlanLabels(t *testing.T) {
	for _, tc := range []struct{ en, it string }{
		{"Italy action plan 2016-2018", "Italia, piano d'azione 2016-2018"},
		{"Italy action plan 2016-2018 (consultation draft)", "Italia, piano d'azione 2016-2018 (bozza in consultazione)"},
		{"Czech Republic action plan 2016-2018 (revised)", "Repubblica Ceca, piano d'azione 2016-2018 (revised)"},
	} {
		if got := ValueLabel("it", "plan", tc.en); got != tc.it {
			t.Errorf("ValueLabel(it, %q) = %q, want %q", tc.en, got, tc.it)
		}
		if got := ValueLabel("en", "plan", tc.en); got != tc.en {
			t.Errorf("ValueLabel(en, %q) = %q, want it as it is", tc.en, got)
		}
		if got := canonicalValue("plan", tc.it); got != tc.en {
			t.Errorf("canonicalValue(%q) = %q, want %q", tc.it, got, tc.en)
		}
	}
	for _, tc := range []struct{ lang, v, want string }{
		{"it", "Italy action plan 2016-2018 (consultation draft)", "Italia 2016-2018 (bozza in consultazione)"},
		{"en", "North Macedonia action plan 2021-2023", "North Macedonia 2021-2023"},
		{"it", "Czech Republic action plan 2016-2018", "Repubblica Ceca 2016-2018"},
		{"en", "AP_KGZ01", "AP_KGZ01"},
	} {
		if got := ShortPlanLabel(tc.lang, tc.v); got != tc.want {
			t.Errorf("ShortPlanLabel(%s, %q) = %q, want %q", tc.lang, tc.v, got, tc.want)
		}
	}
}

// TestLanguageNames: front matter takes a language by its code (two or
// three letters) or its name in English, Italian or itself; the pages name
// every EU language.
func TestLanguageNames(t *testing.T) {
	for in, want := range map[string]string{
		"Greek": "el", "greco": "el", "Ελληνικά": "el", "Português": "pt", "portugues": "pt", "Polski": "pl",
		"svenska": "sv", "ungherese": "hu", "Čeština": "cs", "deu": "de", "ita": "it", "it-IT": "it", "EN": "en",
	} {
		if got, err := languageCode(in); err != nil || got != want {
			t.Errorf("languageCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := languageCode("Klingonese"); err == nil {
		t.Error("languageCode(Klingonese): no error")
	}
	for _, tc := range []struct{ ui, code, want string }{
		{"en", "el", "Greek"}, {"it", "el", "greco"}, {"it", "hu", "ungherese"}, {"en", "mt", "Maltese"}, {"it", "xx", ""},
	} {
		if got := LanguageName(tc.ui, tc.code); got != tc.want {
			t.Errorf("LanguageName(%s, %s) = %q, want %q", tc.ui, tc.code, got, tc.want)
		}
	}
	// A filter by a language's name, in any of its names.
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{"el.md": {Data: []byte("---\ntitle: Γνωμοδότηση\nlanguage: ελληνικά\n---\nΗ Ευρωπαϊκή Επιτροπή των Περιφερειών.\n")}})
	for _, q := range []string{"language:greek", "lingua:greco", "language:Ελληνικά"} {
		if res, err := ix.Search(context.Background(), Query{Text: q}); err != nil || res.Total != 1 {
			t.Errorf("%s: %d, %v; want the Greek document", q, res.Total, err)
		}
	}
}

// TestAccentedStopThatIsAWord: a word that is an accented stop word typed
// without its accent ("farò", "sarà") but a word of its own too ("faro", a
// lighthouse; "Sara") is searched as the word, and in a phrase too where a
// document has the phrase so (else as the stop word); it was dropped as too
// common ("faro" was a 400), and a phrase took any word in its place. Other
// stop words typed so stay stop words.
func TestAccentedStopThatIsAWord(t *testing.T) {
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"porto.md": {Data: []byte("---\nlanguage: it\n---\n# Il porto\n\nIl nuovo faro del porto è acceso da ieri sera, dice Sara Bianchi.\n")},
		"altro.md": {Data: []byte("---\nlanguage: it\n---\n# Altro\n\nIl nuovo piano del porto sarà pronto, e la città sarà più bella.\n")},
	})
	for _, tc := range []struct {
		q    string
		want uint64
	}{
		{"faro", 1}, {"Sara", 1}, {"sara bianchi", 1}, {`"nuovo faro"`, 1}, {`"faro del porto"`, 1},
		{"citta piu bella", 1}, {`"porto sarà pronto"`, 1}, {`"citta sarà piu bella"`, 1},
		// In a phrase, a listed word is the stop word it is with an accent
		// where no document has the phrase with the word as typed.
		{`"porto sara pronto"`, 1}, {`"citta sara piu bella"`, 1}, {`"dice sara bianchi"`, 1},
	} {
		res, err := ix.Search(context.Background(), Query{Text: tc.q})
		if err != nil || res.Total != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.q, res.Total, err, tc.want)
		}
	}
}
