package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// report is everything one bench run measured.
type report struct {
	Machine           machine
	Config            benchConfig
	Queries           []benchQuery
	Sizes             []sizeReport
	Started, Finished time.Time
}

// sizeReport is the measurements on one corpus.
type sizeReport struct {
	Corpus corpusInfo
	Index  map[string]indexStats
	Serve  map[string]serveReport
	// SearchLoad is the 1-minute load average before and after the search passes.
	SearchLoad [2]float64
}

const mb = 1 << 20

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// ratio formats a/b, or "–" when either is missing.
func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// writeReport writes the report as Markdown.
func writeReport(w io.Writer, r report) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "# archivio-bench report\n\n")
	fmt.Fprintf(&b, "- Machine: %d CPUs (GOMAXPROCS %d), %s, %s, memory %s\n", m.CPUs, m.GOMAXPROCS, m.CPU, m.OS, m.MemTotal)
	fmt.Fprintf(&b, "- Go: %s\n", m.GoVersion)
	fmt.Fprintf(&b, "- Started %s", r.Started.Format(time.RFC3339))
	if !r.Finished.IsZero() {
		fmt.Fprintf(&b, ", finished %s (%s)", r.Finished.Format(time.RFC3339), r.Finished.Sub(r.Started).Round(time.Second))
	} else {
		fmt.Fprintf(&b, " (partial: not finished when written)")
	}
	fmt.Fprintf(&b, "\n- Indexing: %d run(s) per engine in a child process, the median run reported; time from opening the empty index to closing it\n", max(r.Config.IndexRuns, 1))
	fmt.Fprintf(&b, "- Search passes: %d per concurrency level, each at most %d requests or %s; figures are medians over the passes\n",
		r.Config.Passes, r.Config.Requests, r.Config.PassTime)
	fmt.Fprintf(&b, "- Query mix: %d queries, page size %d, every one with snippets and facets\n", len(r.Queries), querySize)
	fmt.Fprintf(&b, "- Engines: %s; Archivio batch size %s, parse workers %s\n\n", strings.Join(r.Config.Engines, ", "), orDefault(r.Config.Batch), orDefault(r.Config.Workers))

	for _, s := range r.Sizes {
		writeSize(&b, r, s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSize(b *strings.Builder, r report, s sizeReport) {
	c := s.Corpus
	fmt.Fprintf(b, "## %d documents\n\n", c.Docs)
	fmt.Fprintf(b, "Corpus: %d documents (%d EN, %d IT) from %d sittings, %d lines each at most, %.1f MB of Markdown.\n\n",
		c.Docs, c.PerLang.EN, c.PerLang.IT, c.Sessions, c.ChunkLines, float64(c.Bytes)/mb)

	if len(s.Index) == 0 {
		fmt.Fprintf(b, "Indexing not measured in this run (-search-only).\n")
	}
	if len(s.Index) > 0 {
		writeIndexing(b, r, s)
	}
	if len(s.Serve) == 0 {
		b.WriteString("\n")
		return
	}
	writeSearch(b, r, s)
}

func writeIndexing(b *strings.Builder, r report, s sizeReport) {
	c := s.Corpus
	fmt.Fprintf(b, "### Bulk indexing\n\n")
	fmt.Fprintf(b, "| engine | docs | seconds | CPU s | docs/s | MB/s | peak RSS (MB) | index size (MB) | load before→after |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, e := range r.Config.Engines {
		st, ok := s.Index[e]
		if !ok {
			continue
		}
		secs := fmt.Sprintf("%.1f", st.Seconds)
		if len(st.Runs) > 1 {
			var rs []string
			for _, r := range st.Runs {
				rs = append(rs, fmt.Sprintf("%.1f", r))
			}
			secs += " (runs " + strings.Join(rs, ", ") + ")"
		}
		fmt.Fprintf(b, "| %s | %d | %s | %.1f | %.0f | %.2f | %.0f | %.1f | %.1f→%.1f |\n", e, st.Docs, secs, st.CPUSeconds,
			float64(st.Docs)/st.Seconds, float64(c.Bytes)/mb/st.Seconds, float64(st.PeakRSSKB)/1024, float64(st.IndexBytes)/mb, st.Load[0], st.Load[1])
	}
	a, aok := s.Index["archivio"]
	if aok {
		fmt.Fprintf(b, "\n| ratio | docs/s | CPU s | peak RSS | index size |\n|---|---:|---:|---:|---:|\n")
		for _, base := range []string{"fts5", "bleve-default"} {
			o, ok := s.Index[base]
			if !ok {
				continue
			}
			fmt.Fprintf(b, "| archivio / %s | %s | %s | %s | %s |\n", base,
				ratio(float64(a.Docs)/a.Seconds, float64(o.Docs)/o.Seconds), ratio(a.CPUSeconds, o.CPUSeconds),
				ratio(float64(a.PeakRSSKB), float64(o.PeakRSSKB)), ratio(float64(a.IndexBytes), float64(o.IndexBytes)))
		}
	}

}

func writeSearch(b *strings.Builder, r report, s sizeReport) {
	fmt.Fprintf(b, "\n### Search over HTTP (loopback)\n\nAll servers run at once, each in its own process; passes are interleaved across engines. 1-minute load average %.1f before, %.1f after.\n\n", s.SearchLoad[0], s.SearchLoad[1])
	fmt.Fprintf(b, "| engine | clients | p50 ms | p95 ms | p99 ms | req/s | server CPU ms/req | requests | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, e := range r.Config.Engines {
		sv, ok := s.Serve[e]
		if !ok {
			continue
		}
		for _, cl := range r.Config.Clients {
			l := sv.Levels[cl]
			fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %.1f | %s | %d | %d |\n", e, cl, ms(l.P50), ms(l.P95), ms(l.P99), l.Throughput, ms(sv.CPUPerReq[cl]), l.Requests, l.Errors)
		}
	}
	if as, ok := s.Serve["archivio"]; ok {
		fmt.Fprintf(b, "\nRatios (archivio / other; latency above 1 means Archivio is slower, req/s above 1 means it is faster):\n\n")
		fmt.Fprintf(b, "| vs | clients | p50 | p95 | p99 | req/s | server CPU/req |\n|---|---:|---:|---:|---:|---:|---:|\n")
		for _, base := range []string{"fts5", "bleve-default"} {
			o, ok := s.Serve[base]
			if !ok {
				continue
			}
			for _, cl := range r.Config.Clients {
				x, y := as.Levels[cl], o.Levels[cl]
				fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s | %s |\n", base, cl,
					ratio(float64(x.P50), float64(y.P50)), ratio(float64(x.P95), float64(y.P95)), ratio(float64(x.P99), float64(y.P99)),
					ratio(x.Throughput, y.Throughput), ratio(float64(as.CPUPerReq[cl]), float64(o.CPUPerReq[cl])))
			}
		}
	}

	fmt.Fprintf(b, "\n### Server memory\n\nRSS after all passes is split into anonymous memory (Go heap, stacks, SQLite's cache) and resident pages of memory-mapped index files.\n\n| engine | open (s) | RSS after warm-up (MB) | RSS after all passes (MB) | of which anon / file (MB) | peak RSS serving (MB) |\n|---|---:|---:|---:|---:|---:|\n")
	for _, e := range r.Config.Engines {
		sv, ok := s.Serve[e]
		if !ok {
			continue
		}
		fmt.Fprintf(b, "| %s | %.2f | %.0f | %.0f | %.0f / %.0f | %.0f |\n", e, sv.OpenSeconds, float64(sv.Warm.RSSKB)/1024, float64(sv.Memory.RSSKB)/1024,
			float64(sv.Memory.AnonKB)/1024, float64(sv.Memory.FileKB)/1024, float64(sv.Memory.HWMKB)/1024)
	}

	fmt.Fprintf(b, "\n### Per query (total hits; median latency at 1 client, ms)\n\n| query | kind |")
	var served []string
	for _, e := range r.Config.Engines {
		if _, ok := s.Serve[e]; ok {
			served = append(served, e)
		}
	}
	for _, e := range served {
		fmt.Fprintf(b, " %s hits |", e)
	}
	for _, e := range served {
		fmt.Fprintf(b, " %s ms |", e)
	}
	fmt.Fprintf(b, "\n|---|---|%s\n", strings.Repeat("---:|", 2*len(served)))
	for i, q := range r.Queries {
		fmt.Fprintf(b, "| `%s` | %s |", q.label(), q.Kind)
		for _, e := range served {
			qr := s.Serve[e].Queries
			if i < len(qr) {
				fmt.Fprintf(b, " %d |", qr[i].Total)
			} else {
				b.WriteString(" – |")
			}
		}
		for _, e := range served {
			qr := s.Serve[e].Queries
			if i < len(qr) {
				fmt.Fprintf(b, " %s |", ms(qr[i].P50))
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func orDefault(n int) string {
	if n == 0 {
		return "default"
	}
	return fmt.Sprint(n)
}
