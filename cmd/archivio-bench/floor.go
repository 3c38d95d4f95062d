package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// floorEngine is no search engine at all: each search burns a fixed amount
// of CPU and answers an empty result. Served through the same handler and
// driven by the same clients as the engines, it shows what latencies this
// machine gives a server of that CPU cost per request: the floor under any
// engine's figures. Its name carries the cost: "floor-2.2ms".
type floorEngine struct {
	work  time.Duration
	iters int // loop iterations that take work, calibrated at open
}

// floorPrefix starts the names of floor engines.
const floorPrefix = "floor-"

func openFloor(name string) (*floorEngine, error) {
	work, err := time.ParseDuration(strings.TrimPrefix(name, floorPrefix))
	if err != nil || work <= 0 || work > time.Second {
		return nil, fmt.Errorf("engine %q: want %s<duration>, such as %s2.2ms", name, floorPrefix, floorPrefix)
	}
	const n = 20_000_000
	start := time.Now()
	burn(n)
	per := float64(time.Since(start)) / n
	return &floorEngine{work: work, iters: int(float64(work) / per)}, nil
}

var burnSink int

// burn runs n iterations of a loop the compiler cannot drop.
func burn(n int) {
	x := burnSink
	for i := 0; i < n; i++ {
		x += i * i
	}
	burnSink = x
}

func (e *floorEngine) Index(ctx context.Context, corpusDir string) (indexStats, error) {
	return indexStats{}, nil
}

func (e *floorEngine) Search(ctx context.Context, q searchRequest) (searchResult, error) {
	burn(e.iters)
	return searchResult{Hits: []searchHit{}}, nil
}

func (e *floorEngine) Handler() (http.Handler, error) { return apiHandler(e), nil }

func (e *floorEngine) Close() error { return nil }
