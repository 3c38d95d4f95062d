// Command archivio-bench measures Archivio's bulk indexing and its search
// API against SQLite FTS5 and bleve with its default configuration, on
// corpora made from the Europarl English–Italian proceedings.
//
// Usage:
//
//	archivio-bench -data /path/to/europarl-it-en [flags]
//
// For each corpus size (-docs, default 10000,100000) it writes a corpus of
// Markdown files with YAML front matter under -work (reused when it is
// already there), then:
//
//   - indexes the corpus with each engine (-engines) in a child process (the
//     bench re-executes itself), so that the peak RSS (VmHWM) is that
//     engine's alone, and measures documents/s, MB/s, CPU time and the index
//     size on disk;
//   - serves every engine's index at once, each in its own child process on
//     127.0.0.1, and drives GET /api/search with a fixed mix of queries (with
//     snippets and facets) at 1, 8 and 32 concurrent clients, each pass
//     bounded by -requests and -pass-time and repeated -passes times, the
//     engines' passes interleaved; it reports the medians of the passes' p50,
//     p95, p99 and throughput, the servers' CPU time per request and their
//     RSS after the passes.
//
// Archivio is measured through its real path (indexer.Open, Index.Sync,
// site.New(...).Handler()); FTS5 and bleve-default are served by a minimal
// handler with the same /api/search shape. The report (Markdown) is printed
// and written to -out.
//
// Flags:
//
//	-data dir          folder with europarl-en.tar.gz and europarl-it.tar.gz (required)
//	-work dir          where corpora and indexes go (default /tmp/archivio-bench)
//	-docs list         corpus sizes (default 10000,100000)
//	-chunk-lines n     lines per document (default: computed so the data gives the largest size)
//	-engines list      engines to measure (default archivio,fts5,bleve-default;
//	                   experiments: bleve-unsafe-batch, bleve-default with scorch's unsafe_batch;
//	                   bleve-2writers, bleve-default with two goroutines calling Batch)
//	-clients list      concurrency levels (default 1,8,32)
//	-passes n          repeated passes per level (default 3)
//	-index-runs n      indexing runs per engine; the run with the median time is reported (default 1)
//	-requests n        requests per pass at most (default 400)
//	-pass-time d       duration of a pass at most (default 10s)
//	-cpuprofile dir    write each child's CPU profile to dir/{index,serve}-<engine>-<docs>.pprof,
//	                   and each server's heap at shutdown to dir/serve-heap-<engine>-<docs>.pprof
//	-archivio-batch n  Archivio's indexer.Config.BatchSize (default: its own)
//	-archivio-workers n  Archivio's indexer.Config.Workers (default: its own)
//	-out file          report file (default <work>/report.md)
//	-corpus-only       write the corpora and stop
//	-index-only        measure indexing only
//	-search-only       measure search only, on the indexes a previous run left in -work
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "archivio-bench:", err)
		os.Exit(1)
	}
}

// Hidden subcommands the bench runs itself with.
const (
	childIndex = "__index"
	childServe = "__serve"
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case childIndex:
			return runIndexChild(ctx, args[1:], stdout, stderr)
		case childServe:
			return runServeChild(ctx, args[1:], os.Stdin, stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("archivio-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg       benchConfig
		docs      = fs.String("docs", "10000,100000", "corpus sizes, comma-separated")
		engines   = fs.String("engines", strings.Join(engineNames, ","), "engines to measure")
		clients   = fs.String("clients", "1,8,32", "concurrency levels")
		verbose   = fs.Bool("v", false, "log at debug level")
		corpusOnl = fs.Bool("corpus-only", false, "write the corpora and stop")
	)
	fs.StringVar(&cfg.Data, "data", "", "folder with europarl-en.tar.gz and europarl-it.tar.gz")
	fs.StringVar(&cfg.Work, "work", filepath.Join(os.TempDir(), "archivio-bench"), "where corpora and indexes go")
	fs.IntVar(&cfg.ChunkLines, "chunk-lines", 0, "lines per document (0: computed for the largest size)")
	fs.IntVar(&cfg.Passes, "passes", 3, "repeated passes per concurrency level")
	fs.BoolVar(&cfg.IndexOnly, "index-only", false, "measure indexing only, no search")
	fs.BoolVar(&cfg.SearchOnly, "search-only", false, "measure search only, on the indexes a previous run left in -work")
	fs.IntVar(&cfg.IndexRuns, "index-runs", 1, "indexing runs per engine (the median run is reported)")
	fs.IntVar(&cfg.Requests, "requests", 400, "requests per pass at most")
	fs.DurationVar(&cfg.PassTime, "pass-time", 10*time.Second, "duration of a pass at most")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "folder for the children's CPU profiles")
	fs.IntVar(&cfg.Batch, "archivio-batch", 0, "Archivio's indexer.Config.BatchSize (0: its default)")
	fs.IntVar(&cfg.Workers, "archivio-workers", 0, "Archivio's indexer.Config.Workers (0: its default)")
	fs.StringVar(&cfg.Out, "out", "", "report file (default <work>/report.md)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.Data == "" {
		return errors.New("-data is required (the folder with europarl-en.tar.gz and europarl-it.tar.gz)")
	}
	if cfg.Out == "" {
		cfg.Out = filepath.Join(cfg.Work, "report.md")
	}
	var err error
	if cfg.Sizes, err = parseInts(*docs); err != nil {
		return fmt.Errorf("-docs: %w", err)
	}
	if cfg.Clients, err = parseInts(*clients); err != nil {
		return fmt.Errorf("-clients: %w", err)
	}
	for _, e := range strings.Split(*engines, ",") {
		if e = strings.TrimSpace(e); e != "" {
			cfg.Engines = append(cfg.Engines, e)
		}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if cfg.Self, err = os.Executable(); err != nil {
		return err
	}
	if *corpusOnl {
		_, err := makeCorpora(ctx, logger, cfg)
		return err
	}
	return runBench(ctx, logger, cfg, stdout, stderr)
}

// benchConfig is what the flags of a bench run say.
type benchConfig struct {
	Data, Work, Out, CPUProfile, Self string
	Sizes, Clients                    []int
	Engines                           []string
	ChunkLines, Passes, Requests      int
	Batch, Workers                    int // Archivio's indexer.Config, 0: its defaults
	IndexRuns                         int // indexing runs per engine; the median one is reported
	IndexOnly                         bool
	SearchOnly                        bool // reuse the indexes a previous run left in Work
	PassTime                          time.Duration
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("empty list")
	}
	return out, nil
}

// makeCorpora writes (or reuses) one corpus per size, all with the chunk
// size that makes the largest one.
func makeCorpora(ctx context.Context, logger *slog.Logger, cfg benchConfig) ([]corpusInfo, error) {
	var cached []session
	load := func() ([]session, error) {
		if cached != nil {
			return cached, nil
		}
		logger.Info("reading Europarl", slog.String("data", cfg.Data))
		ss, err := readEuroparl(ctx, cfg.Data)
		cached = ss
		return ss, err
	}
	largest := 0
	for _, n := range cfg.Sizes {
		largest = max(largest, n)
	}
	var infos []corpusInfo
	for _, n := range cfg.Sizes {
		info, err := ensureCorpus(ctx, logger, load, cfg.Work, n, cfg.ChunkLines, largest)
		if err != nil {
			return nil, fmt.Errorf("corpus of %d: %w", n, err)
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// runBench runs the whole benchmark and writes the report.
func runBench(ctx context.Context, logger *slog.Logger, cfg benchConfig, stdout, stderr io.Writer) error {
	infos, err := makeCorpora(ctx, logger, cfg)
	if err != nil {
		return err
	}
	rep := report{Machine: describeMachine(), Config: cfg, Queries: queryMix(), Started: time.Now().UTC()}
	for i, n := range cfg.Sizes {
		sr := sizeReport{Corpus: infos[i], Index: map[string]indexStats{}, Serve: map[string]serveReport{}}
		cdir := corpusDir(cfg.Work, n)
		for _, e := range cfg.Engines {
			if cfg.SearchOnly {
				break
			}
			idir := filepath.Join(cfg.Work, fmt.Sprintf("index-%s-%d", e, n))
			var runs []indexStats
			for run := 0; run < max(cfg.IndexRuns, 1); run++ {
				// Write back what the previous run left dirty, so that it
				// does not slow this one down.
				syncDisks()
				logger.Info("indexing", slog.String("engine", e), slog.Int("docs", n), slog.Int("run", run+1))
				before := loadAverage()
				st, err := indexInChild(ctx, cfg, stderr, e, cdir, idir, n)
				if err != nil {
					return fmt.Errorf("index %s with %s: %w", cdir, e, err)
				}
				st.Load = [2]float64{before, loadAverage()}
				logger.Info("indexed", slog.String("engine", e), slog.Int("docs", st.Docs), slog.Float64("seconds", st.Seconds), slog.Int64("peak_rss_kb", st.PeakRSSKB))
				runs = append(runs, st)
			}
			sr.Index[e] = medianRun(runs)
		}
		if !cfg.IndexOnly {
			logger.Info("searching", slog.Int("docs", n))
			sr.SearchLoad[0] = loadAverage()
			if sr.Serve, err = measureSearch(ctx, logger, cfg, stderr, n); err != nil {
				return err
			}
			sr.SearchLoad[1] = loadAverage()
		}
		rep.Sizes = append(rep.Sizes, sr)
		// Write what is measured so far, in case a later size does not finish.
		if err := writeReportFile(cfg.Out, rep); err != nil {
			return err
		}
	}
	rep.Finished = time.Now().UTC()
	if err := writeReportFile(cfg.Out, rep); err != nil {
		return err
	}
	return writeReport(stdout, rep)
}

func writeReportFile(p string, rep report) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	if err := writeReport(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// medianRun returns the run with the median time (the lower middle one for
// an even count), with the times of all runs in Runs.
func medianRun(runs []indexStats) indexStats {
	if len(runs) == 0 {
		return indexStats{}
	}
	sorted := append([]indexStats(nil), runs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Seconds < sorted[j].Seconds })
	m := sorted[(len(sorted)-1)/2]
	m.Runs = nil
	for _, r := range runs {
		m.Runs = append(m.Runs, r.Seconds)
	}
	return m
}

// indexInChild indexes the corpus with one engine in a child process and
// returns what it measured.
func indexInChild(ctx context.Context, cfg benchConfig, stderr io.Writer, eng, cdir, idir string, docs int) (indexStats, error) {
	args := []string{childIndex, "-engine", eng, "-corpus", cdir, "-index", idir, "-batch", strconv.Itoa(cfg.Batch), "-workers", strconv.Itoa(cfg.Workers)}
	if cfg.CPUProfile != "" {
		if err := os.MkdirAll(cfg.CPUProfile, 0o755); err != nil {
			return indexStats{}, err
		}
		args = append(args, "-cpuprofile", filepath.Join(cfg.CPUProfile, fmt.Sprintf("index-%s-%d.pprof", eng, docs)))
	}
	cmd := exec.CommandContext(ctx, cfg.Self, args...)
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return indexStats{}, err
	}
	var st indexStats
	if err := json.Unmarshal(out, &st); err != nil {
		return st, fmt.Errorf("child said %q: %w", out, err)
	}
	st.CPUSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return st, nil
}

// runIndexChild is the indexing child: it builds a fresh index and prints
// its indexStats as JSON.
func runIndexChild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(childIndex, flag.ContinueOnError)
	fs.SetOutput(stderr)
	eng := fs.String("engine", "", "engine")
	cdir := fs.String("corpus", "", "corpus folder")
	idir := fs.String("index", "", "index folder")
	cpuprofile := fs.String("cpuprofile", "", "CPU profile file")
	var opt engineOptions
	fs.IntVar(&opt.BatchSize, "batch", 0, "documents per batch (archivio)")
	fs.IntVar(&opt.Workers, "workers", 0, "parsers (archivio)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := removeIndex(*idir); err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	e, err := openEngine(ctx, *eng, *idir, opt, logger)
	if err != nil {
		return err
	}
	st, err := e.Index(ctx, *cdir)
	if cerr := e.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// From open to close: a closed index is on disk and complete.
	st.Seconds = time.Since(start).Seconds()
	mem, err := readProcMemory("self")
	if err != nil {
		return err
	}
	st.PeakRSSKB = mem.HWMKB
	if st.IndexBytes, err = dirSize(*idir); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(st)
}

// startCPUProfile starts writing a CPU profile to p, if p is not empty, and
// returns the function that stops it.
func startCPUProfile(p string) (func(), error) {
	if p == "" {
		return func() {}, nil
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// serveHello is the line a serving child prints when it listens.
type serveHello struct {
	Addr        string  `json:"addr"`
	OpenSeconds float64 `json:"open_seconds"`
}

// runServeChild is the serving child: it opens an index, serves it on a
// free loopback port, prints a serveHello and serves until stdin closes.
func runServeChild(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(childServe, flag.ContinueOnError)
	fs.SetOutput(stderr)
	eng := fs.String("engine", "", "engine")
	idir := fs.String("index", "", "index folder")
	cpuprofile := fs.String("cpuprofile", "", "CPU profile file")
	memprofile := fs.String("memprofile", "", "heap profile file, written at shutdown")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	e, err := openEngine(ctx, *eng, *idir, engineOptions{}, logger)
	if err != nil {
		return err
	}
	defer e.Close()
	open := time.Since(start)
	h, err := e.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if err := json.NewEncoder(stdout).Encode(serveHello{Addr: ln.Addr().String(), OpenSeconds: open.Seconds()}); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if *memprofile != "" {
		// What the server holds while serving: the index is still open.
		f, err := os.Create(*memprofile)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

// serveReport is what the bench measured of one engine serving one corpus.
type serveReport struct {
	OpenSeconds float64
	Levels      map[int]passStats     // clients -> medians over the passes
	Queries     []queryReport         // in queryMix order
	CPUPerReq   map[int]time.Duration // clients -> server CPU time per request, over all passes
	Memory      procMemory            // of the server, after all passes
	Warm        procMemory            // of the server, after the warm-up pass
}

// queryReport is one query's answer and latency on one engine.
type queryReport struct {
	Total uint64
	P50   time.Duration // median latency over the 1-client passes
}

// server is a serving child process.
type server struct {
	cmd   *exec.Cmd
	stdin io.Closer
	base  string // http://127.0.0.1:port
	pid   string
	hello serveHello
}

// startServer starts a child that serves the engine's index on loopback.
func startServer(ctx context.Context, cfg benchConfig, stderr io.Writer, eng, idir string, docs int) (*server, error) {
	args := []string{childServe, "-engine", eng, "-index", idir}
	if cfg.CPUProfile != "" {
		if err := os.MkdirAll(cfg.CPUProfile, 0o755); err != nil {
			return nil, err
		}
		args = append(args, "-cpuprofile", filepath.Join(cfg.CPUProfile, fmt.Sprintf("serve-%s-%d.pprof", eng, docs)),
			"-memprofile", filepath.Join(cfg.CPUProfile, fmt.Sprintf("serve-heap-%s-%d.pprof", eng, docs)))
	}
	cmd := exec.CommandContext(ctx, cfg.Self, args...)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, stdin: stdin, pid: strconv.Itoa(cmd.Process.Pid)}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("child did not start: %w", err)
	}
	if err := json.Unmarshal(line, &s.hello); err != nil {
		s.stop()
		return nil, fmt.Errorf("child said %q: %w", line, err)
	}
	s.base = "http://" + s.hello.Addr
	return s, nil
}

// stop closes the child's stdin, which tells it to shut down, and waits
// for it (killing it after 20 s).
func (s *server) stop() {
	s.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// measureSearch serves every engine's index at once, each in its own child,
// and drives the query mix against them. Passes are interleaved (engine A
// pass 1, engine B pass 1, ..., engine A pass 2, ...) so that anything else
// the machine does at the time weighs on every engine alike.
func measureSearch(ctx context.Context, logger *slog.Logger, cfg benchConfig, stderr io.Writer, docs int) (map[string]serveReport, error) {
	queries := queryMix()
	paths := make([]string, len(queries))
	for i, q := range queries {
		paths[i] = q.path()
	}
	maxClients := 1
	for _, c := range cfg.Clients {
		maxClients = max(maxClients, c)
	}
	servers := map[string]*server{}
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	reps := map[string]serveReport{}
	clients := map[string]*http.Client{}
	perQuery := map[string][][]time.Duration{}
	for _, e := range cfg.Engines {
		idir := filepath.Join(cfg.Work, fmt.Sprintf("index-%s-%d", e, docs))
		s, err := startServer(ctx, cfg, stderr, e, idir, docs)
		if err != nil {
			return nil, fmt.Errorf("serve %s: %w", e, err)
		}
		servers[e] = s
		client := newLoopbackClient(maxClients)
		defer client.CloseIdleConnections()
		clients[e] = client
		// Warm-up pass, which also records each query's answer.
		rep := serveReport{OpenSeconds: s.hello.OpenSeconds, Levels: map[int]passStats{}, CPUPerReq: map[int]time.Duration{}, Queries: make([]queryReport, len(queries))}
		for i, p := range paths {
			res, err := fetchResult(ctx, client, s.base+p)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e, err)
			}
			rep.Queries[i] = queryReport{Total: res.Total}
		}
		if rep.Warm, err = readProcMemory(s.pid); err != nil {
			return nil, err
		}
		reps[e] = rep
		perQuery[e] = make([][]time.Duration, len(queries))
	}
	for _, c := range cfg.Clients {
		passes := map[string][]passStats{}
		cpu := map[string]time.Duration{}
		for p := 0; p < cfg.Passes; p++ {
			for _, e := range cfg.Engines {
				cpu0, err := readProcCPU(servers[e].pid)
				if err != nil {
					return nil, err
				}
				res, err := drive(ctx, clients[e], servers[e].base, paths, loadConfig{Clients: c, MaxRequests: cfg.Requests, MaxDuration: cfg.PassTime})
				if err != nil {
					return nil, err
				}
				cpu1, err := readProcCPU(servers[e].pid)
				if err != nil {
					return nil, err
				}
				cpu[e] += cpu1 - cpu0
				ps := summarise(res)
				logger.Info("pass", slog.String("engine", e), slog.Int("clients", c), slog.Int("pass", p+1),
					slog.Int("requests", ps.Requests), slog.Int("errors", ps.Errors), slog.Duration("p50", ps.P50), slog.Duration("p99", ps.P99),
					slog.Float64("req_per_s", ps.Throughput), slog.Float64("load1", loadAverage()))
				passes[e] = append(passes[e], ps)
				if c == 1 {
					for i, ds := range res.PerQuery {
						perQuery[e][i] = append(perQuery[e][i], ds...)
					}
				}
			}
		}
		for _, e := range cfg.Engines {
			m := medianStats(passes[e])
			reps[e].Levels[c] = m
			if m.Requests > 0 {
				reps[e].CPUPerReq[c] = cpu[e] / time.Duration(m.Requests)
			}
		}
	}
	for _, e := range cfg.Engines {
		rep := reps[e]
		for i := range rep.Queries {
			rep.Queries[i].P50 = percentile(perQuery[e][i], 50)
		}
		var err error
		if rep.Memory, err = readProcMemory(servers[e].pid); err != nil {
			return nil, err
		}
		reps[e] = rep
	}
	return reps, nil
}

// loadAverage is the machine's 1-minute load average, or -1.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// machine describes where the bench ran.
type machine struct {
	CPUs       int
	GOMAXPROCS int
	CPU        string
	GoVersion  string
	MemTotal   string
	OS         string
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && k == "MemTotal" {
				m.MemTotal = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
