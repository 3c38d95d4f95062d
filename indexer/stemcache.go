package indexer

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// stemCacheType is a token filter type that gives the stems of the stemmer
// it is configured with ("stemmer": a token filter's name), remembering the
// stems of the words it has seen. A word's stem depends on the word alone,
// and a few thousand words are most of any text: indexing 100,000 Europarl
// documents stemmed 15 million words, 8 % of its CPU time (see
// BENCHMARKS.md). Each index's mapping has its own cache, of
// maxCachedStems words at most, kept as long as the index is open.
const stemCacheType = "archivio_stem_cache"

// maxCachedStems bounds the words one stem cache holds (about 70 bytes each).
const maxCachedStems = 50_000

func init() {
	if err := registry.RegisterTokenFilter(stemCacheType, newStemCache); err != nil {
		panic(err)
	}
}

func newStemCache(config map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	name, _ := config["stemmer"].(string)
	stem, err := cache.TokenFilterNamed(name)
	if err != nil {
		return nil, fmt.Errorf("%s: stemmer %q: %w", stemCacheType, name, err)
	}
	return &stemCache{stem: stem, stems: map[string][]byte{}}, nil
}

type stemCache struct {
	stem  analysis.TokenFilter
	mu    sync.RWMutex
	stems map[string][]byte // word -> stem; a stem is shared by tokens, never written to
}

// Filter gives each token its stem, from the cache or from the stemmer;
// tokens marked as keywords go to the stemmer, which decides.
func (c *stemCache) Filter(ts analysis.TokenStream) analysis.TokenStream {
	var missed analysis.TokenStream
	c.mu.RLock()
	for _, tok := range ts {
		if stem, ok := c.stems[string(tok.Term)]; ok && !tok.KeyWord {
			tok.Term = stem
		} else {
			missed = append(missed, tok)
		}
	}
	full := len(c.stems) >= maxCachedStems
	c.mu.RUnlock()
	if len(missed) == 0 {
		return ts
	}
	if full {
		c.stem.Filter(missed)
		return ts
	}
	words := make([]string, len(missed))
	for i, tok := range missed {
		words[i] = string(tok.Term)
	}
	c.stem.Filter(missed)
	c.mu.Lock()
	for i, tok := range missed {
		if !tok.KeyWord && len(c.stems) < maxCachedStems {
			c.stems[words[i]] = bytes.Clone(tok.Term)
		}
	}
	c.mu.Unlock()
	return ts
}
