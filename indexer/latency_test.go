package indexer_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/archivio/archivio/indexer"
)

// BenchmarkDropToSearchable measures how long a Markdown file dropped into a
// watched corpus takes to be found by a search, with the default settings:
// 100 drops, one at a time, reporting the median and the worst.
func BenchmarkDropToSearchable(b *testing.B) {
	const drops = 100
	l := startLive(b, indexer.WatchConfig{}, func(corpus string) {
		for i := range 200 {
			writeDoc(b, fmt.Sprintf("%s/base/%03d.md", corpus, i), fmt.Sprintf("Base %d", i), fmt.Sprintf("background text number %d", i))
		}
		if err := os.Mkdir(corpus+"/drops", 0o755); err != nil {
			b.Fatal(err)
		}
	})
	ctx := context.Background()
	var lat []time.Duration
	n := 0
	for b.Loop() {
		for range drops {
			n++
			word := fmt.Sprintf("dropword%dx", n)
			start := time.Now()
			if err := os.WriteFile(l.path(fmt.Sprintf("drops/%04d.md", n)), []byte(mdDoc("Drop", "the "+word+" text")), 0o644); err != nil {
				b.Fatal(err)
			}
			for {
				res, err := l.ix.Search(ctx, indexer.Query{Text: word})
				if err != nil {
					b.Fatal(err)
				}
				if res.Total == 1 {
					break
				}
				if time.Since(start) > waitLimit {
					b.Fatalf("%s not searchable after %s", word, waitLimit)
				}
				time.Sleep(2 * time.Millisecond)
			}
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lat[len(lat)/2]), "median-ms")
	b.ReportMetric(ms(lat[len(lat)*9/10]), "p90-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "worst-ms")
	b.ReportMetric(0, "ns/op")
}
