package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// loadConfig bounds one load pass in both request count and time.
type loadConfig struct {
	Clients     int           // concurrent clients
	MaxRequests int           // the pass stops after this many requests
	MaxDuration time.Duration // or after this long, whichever comes first
}

// loadResult is what one pass measured.
type loadResult struct {
	Latencies []time.Duration // of successful requests, in completion order
	PerQuery  [][]time.Duration
	Errors    int
	Elapsed   time.Duration
}

// newLoopbackClient returns an HTTP client that keeps enough idle
// connections for every bench client, so that passes measure requests, not
// TCP handshakes.
func newLoopbackClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        clients * 2,
			MaxIdleConnsPerHost: clients * 2,
			IdleConnTimeout:     time.Minute,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			// Archivio gzips answers when asked and the baselines do not:
			// ask for none, so that every engine sends the same bytes.
			DisableCompression: true,
		},
	}
}

// checkLoopback refuses any base URL that is not on this machine.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("load target %s is not a loopback address", base)
	}
	return nil
}

// drive sends the paths, in turn, to base with cfg.Clients concurrent
// clients: client c starts at path c and every client takes the next path of
// the shared sequence. It stops after cfg.MaxRequests requests or
// cfg.MaxDuration, whichever comes first.
func drive(ctx context.Context, client *http.Client, base string, paths []string, cfg loadConfig) (loadResult, error) {
	if err := checkLoopback(base); err != nil {
		return loadResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.MaxDuration)
	defer cancel()
	var (
		next   atomic.Int64
		mu     sync.Mutex
		res    = loadResult{PerQuery: make([][]time.Duration, len(paths))}
		wg     sync.WaitGroup
		errors atomic.Int64
	)
	start := time.Now()
	for c := 0; c < cfg.Clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= cfg.MaxRequests {
					return
				}
				qi := i % len(paths)
				t0 := time.Now()
				err := get(ctx, client, base+paths[qi])
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() == nil {
						errors.Add(1)
					}
					continue
				}
				mu.Lock()
				res.Latencies = append(res.Latencies, d)
				res.PerQuery[qi] = append(res.PerQuery[qi], d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Errors = int(errors.Load())
	return res, nil
}

// get fetches one URL and reads the whole body.
func get(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}

// fetchResult GETs one query and decodes the fields of the answer the bench
// reports (total hits, hits on the page, snippets, facets).
func fetchResult(ctx context.Context, client *http.Client, u string) (searchResult, error) {
	var res searchResult
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return res, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return res, err
	}
	if resp.StatusCode != http.StatusOK {
		return res, fmt.Errorf("GET %s: %s: %.200s", u, resp.Status, b)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return res, fmt.Errorf("GET %s: %w", u, err)
	}
	return res, nil
}

// percentile returns the p-th percentile (0 < p <= 100) of ds by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. ds need not be sorted; it is not modified.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}

// median returns the median of xs (the mean of the two middle values for an
// even count), or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// passStats summarises one pass.
type passStats struct {
	P50, P95, P99 time.Duration
	Throughput    float64 // successful requests per second
	Requests      int
	Errors        int
}

func summarise(r loadResult) passStats {
	st := passStats{
		P50:      percentile(r.Latencies, 50),
		P95:      percentile(r.Latencies, 95),
		P99:      percentile(r.Latencies, 99),
		Requests: len(r.Latencies),
		Errors:   r.Errors,
	}
	if r.Elapsed > 0 {
		st.Throughput = float64(len(r.Latencies)) / r.Elapsed.Seconds()
	}
	return st
}

// medianStats is, metric by metric, the median over repeated passes.
func medianStats(ps []passStats) passStats {
	pick := func(f func(passStats) float64) float64 {
		xs := make([]float64, len(ps))
		for i, p := range ps {
			xs[i] = f(p)
		}
		return median(xs)
	}
	var out passStats
	out.P50 = time.Duration(pick(func(p passStats) float64 { return float64(p.P50) }))
	out.P95 = time.Duration(pick(func(p passStats) float64 { return float64(p.P95) }))
	out.P99 = time.Duration(pick(func(p passStats) float64 { return float64(p.P99) }))
	out.Throughput = pick(func(p passStats) float64 { return p.Throughput })
	for _, p := range ps {
		out.Requests += p.Requests
		out.Errors += p.Errors
	}
	return out
}
