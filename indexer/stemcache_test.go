package indexer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
)

// TestStemCacheStemsAsTheStemmer analyses the Europarl test pages in English
// and Italian with the index's analyzers (stems cached) and with the same
// chains calling the stemmers directly, four goroutines at once and twice
// over (the second time from the cache), and requires the same tokens; and
// that the cache stops growing at its bound.
func TestStemCacheStemsAsTheStemmer(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	// Each analyzer as it is, and a copy calling its stemmer directly.
	direct := map[string]analysis.Analyzer{}
	for lang, name := range map[string]string{"en": "en", "it": "it_snowball"} {
		a, ok := m.AnalyzerNamed(name).(*analysis.DefaultAnalyzer)
		if !ok {
			t.Fatalf("analyzer %s is %T", name, m.AnalyzerNamed(name))
		}
		d := *a
		d.TokenFilters = slices.Clone(a.TokenFilters)
		cached := 0
		for i, f := range d.TokenFilters {
			if c, ok := f.(*stemCache); ok {
				d.TokenFilters[i] = c.stem
				cached++
			}
		}
		if cached != 1 {
			t.Errorf("analyzer %s has %d stem caches, want 1", name, cached)
		}
		direct[lang] = &d
	}
	files, err := filepath.Glob("testdata/europarl/*.md")
	if err != nil || len(files) < 10 {
		t.Fatalf("%d Europarl test pages (%v)", len(files), err)
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	var wg sync.WaitGroup
	var compared sync.Map
	for g := range 4 {
		wg.Go(func() {
			for round := range 2 {
				for i, text := range texts {
					lang := "en"
					if strings.HasPrefix(filepath.Base(files[i]), "it-") {
						lang = "it"
					}
					got := terms(m.AnalyzerNamed(textLang(lang)).Analyze([]byte(text)))
					want := terms(direct[lang].Analyze([]byte(text)))
					if !slices.Equal(got, want) {
						t.Errorf("goroutine %d, round %d, %s: cached stems differ from the stemmer's", g, round, files[i])
					}
					compared.Store(lang, len(got))
				}
			}
		})
	}
	wg.Wait()
	for _, lang := range []string{"en", "it"} {
		if n, _ := compared.Load(lang); n == nil || n.(int) < 100 {
			t.Errorf("%s: too few tokens compared (%v)", lang, n)
		}
	}

	// The bound: words past it are stemmed, not kept.
	c := &stemCache{stem: porter.NewPorterStemmer(), stems: map[string][]byte{}}
	for i := range maxCachedStems + 10 {
		c.Filter(analysis.TokenStream{{Term: []byte(fmt.Sprintf("word%dings", i))}})
	}
	if len(c.stems) != maxCachedStems {
		t.Errorf("cache holds %d words, want %d", len(c.stems), maxCachedStems)
	}
	ts := c.Filter(analysis.TokenStream{{Term: []byte("running")}, {Term: []byte("word3ings")}, {Term: []byte("running"), KeyWord: true}})
	if got := terms(ts); !slices.Equal(got, []string{"run", "word3", "running"}) {
		t.Errorf("past the bound: %q, want run, word3 and the keyword as it is", got)
	}
}

// terms returns the terms of ts.
func terms(ts analysis.TokenStream) []string {
	var out []string
	for _, tok := range ts {
		out = append(out, string(tok.Term))
	}
	return out
}
