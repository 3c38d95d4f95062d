// Command archivio runs the Archivio open-government document archive.
//
// Usage:
//
//	archivio serve  [--corpus DIR] [--index DIR] [--addr HOST:PORT] [--watch-delay D] [--rescan D] [--poll D]
//	                [--base-url URL] [--rate-limit N] [--rate-burst N] [--trust-proxy] [--shutdown-timeout D]
//	                [--max-file-size BYTES] [--max-store-waste BYTES] [--log-level LEVEL]
//	archivio index  [--corpus DIR] [--index DIR] [--rebuild] [--json] [--max-file-size BYTES]
//	                [--max-store-waste BYTES] [--log-level LEVEL]
//	archivio check  [--corpus DIR] [--json] [--max-file-size BYTES]
//	archivio search [--index DIR] [--json] [--log-level LEVEL] QUERY
//	archivio status [--index DIR] [--json] [--log-level LEVEL]
//
// serve brings the index up to date with the corpus folder, serves the web
// site and the JSON API, and keeps the index up to date as files are added,
// changed, renamed or removed (a file is read once it has not changed for
// --watch-delay; the whole corpus is rescanned every --rescan; --poll turns
// file system events off and rescans at that interval instead, for network
// shares). Sending serve SIGHUP rebuilds its index from scratch beside the
// live one and swaps it in, while it keeps answering; so does an update after
// which the document store holds more than --max-store-waste bytes (and more
// than half) of replaced documents. index only brings the index up to date
// and prints what it did; --rebuild builds a new index and swaps it in. Only
// one process at a time can use an index. check parses every corpus file
// without indexing and prints one line per file that cannot be archived (exit
// status 1 if there is any).
// search queries the index from the command line. status lists the receipt
// of every corpus file.
//
// Every flag can also be set with an environment variable ARCHIVIO_<FLAG>
// (ARCHIVIO_CORPUS, ARCHIVIO_INDEX, ARCHIVIO_ADDR, ...); a flag given on the
// command line wins.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/archivio/archivio/indexer"
	"github.com/archivio/archivio/site"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var ee exitError
	switch {
	case errors.As(err, &ee):
		os.Exit(int(ee))
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "archivio:", err)
		os.Exit(1)
	}
}

// exitError asks main to exit with a status without printing anything more.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `usage: archivio <command> [flags]

commands:
  serve   bring the index up to date, then serve the site and API
  index   bring the index up to date and print a summary
  check   parse the corpus without indexing; list files that cannot be archived
  search  search the index from the command line
  status  list every corpus file with its state

run "archivio <command> -h" for the flags of a command`

// options are the flags shared by the commands.
type options struct {
	corpus   string
	index    string
	addr     string
	logLevel string
	maxSize  int64
	maxWaste int64
	jsonOut  bool

	watchDelay time.Duration
	rescan     time.Duration
	poll       time.Duration
	rebuild    bool

	// serve: operations (see site/middleware.go)
	rateLimit       float64
	rateBurst       int
	trustProxy      bool
	baseURL         string
	shutdownTimeout time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	cmd, args := args[0], args[1:]
	var o options
	fs := flag.NewFlagSet("archivio "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	// Each command takes the flags it uses.
	o.logLevel = "info"
	if cmd != "search" && cmd != "status" {
		fs.StringVar(&o.corpus, "corpus", "corpus", "corpus `folder` holding the documents")
		fs.Int64Var(&o.maxSize, "max-file-size", indexer.DefaultMaxFileSize, "largest corpus file read, in `bytes`")
	}
	if cmd != "check" {
		usage := "index `folder` (created when missing)"
		if cmd == "search" || cmd == "status" {
			usage = "index `folder`"
		}
		fs.StringVar(&o.index, "index", filepath.Join(".archivio", "index"), usage)
		fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	}
	if cmd == "serve" || cmd == "index" {
		fs.Int64Var(&o.maxWaste, "max-store-waste", indexer.DefaultMaxStoreWaste, "rebuild the index once this many `bytes` of its document store (and half of it) hold replaced or removed documents (negative: never)")
	}
	switch cmd {
	case "serve":
		fs.StringVar(&o.addr, "addr", "localhost:8080", "`host:port` to listen on")
		fs.DurationVar(&o.watchDelay, "watch-delay", indexer.DefaultWatchDelay, "read a changed file once it has been quiet this `long`")
		fs.DurationVar(&o.rescan, "rescan", indexer.DefaultRescan, "rescan the whole corpus this `often` (0: never)")
		fs.DurationVar(&o.poll, "poll", 0, "do not watch file system events; rescan the corpus this `often` (for network shares)")
		fs.Float64Var(&o.rateLimit, "rate-limit", site.DefaultRateLimit, "requests per second each client may send (0: no limit)")
		fs.IntVar(&o.rateBurst, "rate-burst", site.DefaultRateBurst, "requests a client may send at once")
		fs.BoolVar(&o.trustProxy, "trust-proxy", false, "take client addresses from X-Forwarded-For (set only behind a reverse proxy)")
		fs.StringVar(&o.baseURL, "base-url", "", "the site's public `address` (https://archivio.example.org) for absolute links in feeds, downloads, the sitemap and citations (default: from each request's Host)")
		fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long to let requests in flight finish on SIGTERM")
	case "search", "status", "index", "check":
		fs.BoolVar(&o.jsonOut, "json", false, "print JSON")
		if cmd == "index" {
			fs.BoolVar(&o.rebuild, "rebuild", false, "build a new index from scratch beside the old one, then swap it in")
		}
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	if err := setFromEnv(fs); err != nil {
		return err
	}
	if cmd == "search" {
		var err error
		if args, err = flagsFirst(fs, args); err != nil {
			fmt.Fprintln(stderr, err)
			fs.Usage()
			return err
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := o.check(fs); err != nil {
		return err
	}
	logger, err := newLogger(stderr, o.logLevel)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		return serve(ctx, o, logger)
	case "index":
		return index(ctx, o, logger, stdout, stderr)
	case "check":
		return check(ctx, o, stdout)
	case "search":
		return search(ctx, o, logger, strings.Join(fs.Args(), " "), stdout)
	default:
		return status(ctx, o, logger, stdout)
	}
}

// flagsFirst moves the flags of fs among args before the other arguments,
// so that a search's flags may follow its words ("archivio search
// sandboxes --json"). A word with one dash that is no flag is a word to
// leave out ("-regulatory"); with two dashes it stays a flag, and fs.Parse
// says it is unknown. After "--" every argument is a word.
func flagsFirst(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		needsValue := false
		if f != nil && !hasValue {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			needsValue = !ok || !b.IsBoolFlag()
		}
		switch {
		case !strings.HasPrefix(a, "-") || a == "-":
			words = append(words, a)
		case name == "h" || name == "help":
			flags = append(flags, a) // fs.Parse prints the usage
		case f == nil && !strings.HasPrefix(a, "--"), needsValue && i+1 == len(args) && !strings.HasPrefix(a, "--"):
			words = append(words, a) // "-regulatory", or "-index" with nothing after it
		case needsValue && i+1 == len(args):
			return nil, fmt.Errorf("flag needs an argument: %s", a)
		default:
			flags = append(flags, a)
			if needsValue {
				i++
				flags = append(flags, args[i]) // the flag's value
			}
		}
	}
	return append(append(flags, "--"), words...), nil
}

// envName is the environment variable of flag name: ARCHIVIO_MAX_FILE_SIZE.
func envName(flag string) string {
	return "ARCHIVIO_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// keptNote says of a failed file's receipt that its last good version
// stays archived, when it does.
func keptNote(r indexer.Receipt) string {
	if r.State == indexer.StateFailed && len(r.Documents) > 0 {
		return " (its last good version stays archived)"
	}
	return ""
}

// setFromEnv gives each flag the value of ARCHIVIO_<NAME> when that is set.
func setFromEnv(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		// An empty variable is as if unset (ARCHIVIO_ADDR= listened on
		// every interface, on a random port).
		if v, ok := os.LookupEnv(name); ok && v != "" && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q is not a value for --%s: %w", name, v, f.Name, e)
			}
		}
	})
	return err
}

// check refuses values of the flags fs has that mean nothing (a negative
// delay, a limit of NaN) or would spin (polling every nanosecond), rather
// than replace them without a word.
func (o options) check(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil {
			return
		}
		bad := ""
		switch f.Name {
		case "watch-delay":
			if o.watchDelay <= 0 {
				bad = "want a positive duration such as 300ms"
			}
		case "rescan":
			if o.rescan < 0 || (o.rescan > 0 && o.rescan < time.Second) {
				bad = "want 0 (never) or at least 1s"
			}
		case "poll":
			if o.poll < 0 || (o.poll > 0 && o.poll < 100*time.Millisecond) {
				bad = "want 0 (watch events) or at least 100ms"
			}
		case "max-file-size":
			if o.maxSize <= 0 {
				bad = "want a positive number of bytes"
			}
		case "rate-limit":
			if math.IsNaN(o.rateLimit) || o.rateLimit < 0 {
				bad = "want 0 (no limit) or a positive number of requests per second"
			}
		case "rate-burst":
			if o.rateBurst < 0 {
				bad = "want 0 (the default) or a positive number"
			}
		case "shutdown-timeout":
			if o.shutdownTimeout < 0 {
				bad = "want 0 or a positive duration"
			}
		}
		if bad != "" {
			err = fmt.Errorf("--%s=%s: %s (flag or %s)", f.Name, f.Value, bad, envName(f.Name))
		}
	})
	return err
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q (--log-level or ARCHIVIO_LOG_LEVEL): want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// openIndex opens the index to keep it up to date or, with inspect (status,
// search), only to look at it: then an index that cannot be opened is an
// error rather than replaced by an empty one.
func openIndex(ctx context.Context, o options, logger *slog.Logger, progress func(indexer.Progress), inspect bool) (*indexer.Index, error) {
	ix, err := indexer.Open(ctx, indexer.Config{Path: o.index, Logger: logger, MaxFileSize: o.maxSize, MaxStoreWaste: o.maxWaste, Progress: progress, Inspect: inspect})
	var inUse *indexer.InUseError
	if errors.As(err, &inUse) && inUse.PID > 0 {
		return nil, fmt.Errorf("%w\n(if it is archivio serve: it keeps the index up to date itself, its API answers /api/files and /api/search, and kill -HUP %d makes it rebuild the index)", err, inUse.PID)
	}
	return ix, err
}

func corpusFS(dir string) (fs.FS, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("corpus %s is not a folder", dir)
	}
	return os.DirFS(dir), nil
}

func serve(ctx context.Context, o options, logger *slog.Logger) error {
	// SIGHUP asks for a rebuild; one sent while the index opens (a log
	// rotation's) waits for it, rather than killing the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	corpus, err := corpusFS(o.corpus)
	if err != nil {
		return err
	}
	idx, err := openIndex(ctx, o, logger, newProgress(nil, logger).report, false)
	if err != nil {
		return err
	}
	defer idx.Close()
	var ready atomic.Bool
	var lag indexer.WatchLag
	srv, err := site.New(site.Config{Archive: idx, Logger: logger, Ready: ready.Load,
		RateLimit: o.rateLimit, RateBurst: o.rateBurst, TrustProxy: o.trustProxy, BaseURL: o.baseURL,
		IndexSize: func() int64 { return dirSize(o.index) }, WatcherLag: lag.Lag})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// Not ctx itself: SIGTERM cancels ctx, and requests in flight must
		// be allowed to finish during Shutdown.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("serving", slog.String("url", "http://"+ln.Addr().String()), slog.String("corpus", o.corpus))

	// After an update, the index may ask to be rebuilt (see NeedsRebuild).
	rebuildc := make(chan string, 1)
	askRebuild := func() {
		if reason := idx.NeedsRebuild(); reason != "" {
			select {
			case rebuildc <- reason:
			default:
			}
		}
	}
	// The watcher syncs the whole corpus first, then follows its changes.
	wcfg := indexer.WatchConfig{Dir: o.corpus, Delay: o.watchDelay, Rescan: o.rescan, Poll: o.poll, Logger: logger, Lag: &lag,
		Synced: func(sum indexer.Summary, err error) {
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if readyAfterFailure(ctx, idx) {
					ready.Store(true)
				}
				logger.Error("index update failed; the archive serves what it had", append([]any{slog.String("error", err.Error())}, sum.Attrs()...)...)
				return
			}
			ready.Store(true)
			logger.Info("index up to date", sum.Attrs()...)
			askRebuild()
		},
		Applied: func([]string, indexer.Summary, error) { askRebuild() },
	}
	if o.rescan <= 0 {
		wcfg.Rescan = -1
	}
	// Stopping serve stops the watcher and any rebuild before the index closes.
	wctx, stopWatching := context.WithCancel(ctx)
	watched := make(chan struct{})
	var rebuilds sync.WaitGroup
	defer func() {
		stopWatching()
		<-watched
		rebuilds.Wait()
	}()
	go func() {
		defer close(watched)
		err := indexer.Watch(wctx, wcfg, idx)
		if err == nil || wctx.Err() != nil {
			return
		}
		// Without file system events, rescanning is the way to keep up.
		wcfg.Poll = max(o.rescan, time.Minute)
		logger.Error("cannot watch the corpus; polling it instead", slog.String("error", err.Error()), slog.Duration("every", wcfg.Poll))
		indexer.Watch(wctx, wcfg, idx)
	}()

	rebuild := func(reason string) {
		rebuilds.Go(func() {
			logger.Info("rebuilding the index", slog.String("reason", reason))
			_, err := idx.Rebuild(wctx, corpus)
			switch {
			case errors.Is(err, indexer.ErrRebuilding):
				logger.Info("a rebuild is already running")
			case err != nil && wctx.Err() == nil:
				logger.Error("rebuild failed; the old index stays", slog.String("error", err.Error()))
			}
		})
	}
	for {
		select {
		case err := <-errc:
			return err
		case <-hup:
			rebuild("SIGHUP")
		case reason := <-rebuildc:
			rebuild(reason)
		case <-ctx.Done():
			logger.Info("shutting down")
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.shutdownTimeout)
			defer cancel()
			if err := hs.Shutdown(sctx); errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("shutdown: requests still running after --shutdown-timeout %s were cut off", o.shutdownTimeout)
			} else if err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			return nil
		}
	}
}

// readyAfterFailure reports whether serve is ready after a full update
// failed: only with an archive to serve, not with an empty index whose first
// update failed (a full disk), which health keeps calling "starting".
func readyAfterFailure(ctx context.Context, idx interface {
	Count(context.Context) (uint64, error)
}) bool {
	n, err := idx.Count(ctx)
	return err == nil && n > 0
}

// dirSize returns the bytes of the files below dir (0 when it cannot be read).
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func index(ctx context.Context, o options, logger *slog.Logger, stdout, stderr io.Writer) error {
	corpus, err := corpusFS(o.corpus)
	if err != nil {
		return err
	}
	var term io.Writer
	if isTerminal(stderr) && !o.jsonOut {
		term = stderr
	}
	p := newProgress(term, logger)
	idx, err := openIndex(ctx, o, logger, p.report, false)
	if err != nil {
		return err
	}
	defer idx.Close()
	var sum indexer.Summary
	rebuilt := ""
	switch outdated := idx.Outdated(); {
	case outdated != "":
		// Written by another version: rebuilt beside itself, which keeps
		// its choices, rather than updated as it is.
		logger.Info("rebuilding the index", slog.String("reason", outdated))
		if sum, err = idx.Rebuild(ctx, corpus); err == nil {
			rebuilt = outdated
		}
	case o.rebuild:
		sum, err = idx.Rebuild(ctx, corpus)
	default:
		sum, err = idx.Sync(ctx, corpus)
	}
	if reason := idx.NeedsRebuild(); err == nil && reason != "" {
		logger.Info("rebuilding the index", slog.String("reason", reason))
		if _, err = idx.Rebuild(ctx, corpus); err == nil {
			rebuilt = reason
		}
	}
	p.finish()
	if err != nil {
		return err
	}
	// Every file that cannot be archived, not only those read this time.
	receipts, err := idx.Receipts(ctx)
	if err != nil {
		return err
	}
	failed := []indexer.Receipt{} // "problems": [] in JSON when there are none
	for _, r := range receipts {
		if r.State == indexer.StateFailed {
			failed = append(failed, r)
		}
	}
	if o.jsonOut {
		sum.Problems = failed
		return json.NewEncoder(stdout).Encode(struct {
			indexer.Summary
			Rebuilt string `json:"rebuilt,omitempty"` // why the index was rebuilt
		}{sum, rebuilt})
	}
	dups := ""
	if sum.Duplicate > 0 {
		dups = fmt.Sprintf(", duplicate %d", sum.Duplicate)
	}
	fmt.Fprintf(stdout, "added %d, updated %d, removed %d, failed %d, unchanged %d%s (%d documents written in %s)\n",
		sum.Added, sum.Updated, sum.Removed, sum.Failed, sum.Unchanged, dups, sum.Documents, sum.Took.Round(time.Millisecond))
	if rebuilt != "" {
		fmt.Fprintf(stdout, "rebuilt the index: %s\n", rebuilt)
	}
	for _, r := range failed {
		fmt.Fprintf(stdout, "%s: %s%s\n", r.File, r.Error, keptNote(r))
	}
	return nil
}

// check parses every corpus file without touching an index.
func check(ctx context.Context, o options, stdout io.Writer) error {
	corpus, err := corpusFS(o.corpus)
	if err != nil {
		return err
	}
	problems, files, err := indexer.Check(ctx, corpus, o.maxSize)
	if err != nil {
		return err
	}
	if o.jsonOut {
		if problems == nil {
			problems = []indexer.Receipt{}
		}
		if err := json.NewEncoder(stdout).Encode(struct {
			Files    int               `json:"files"`
			Problems []indexer.Receipt `json:"problems"`
		}{files, problems}); err != nil {
			return err
		}
	} else {
		// Named from the corpus folder, as index and status name files,
		// and as the reasons name the other files they speak of.
		if len(problems) > 0 {
			fmt.Fprintf(stdout, "in %s:\n", o.corpus)
		}
		for _, p := range problems {
			fmt.Fprintf(stdout, "%s: %s\n", p.File, p.Error)
		}
		if len(problems) > 0 {
			fmt.Fprintf(stdout, "%d of %d files cannot be archived\n", len(problems), files)
		} else {
			fmt.Fprintf(stdout, "all %d files can be archived\n", files)
		}
	}
	if len(problems) > 0 {
		return exitError(1)
	}
	return nil
}

func search(ctx context.Context, o options, logger *slog.Logger, q string, stdout io.Writer) error {
	idx, err := openIndex(ctx, o, logger, nil, true)
	if err != nil {
		return err
	}
	defer idx.Close()
	res, err := idx.Search(ctx, indexer.Query{Text: q})
	if err != nil {
		return err
	}
	if o.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%d results\n", res.Total)
	for _, h := range res.Hits {
		ref := ""
		if h.Reference != "" {
			ref = " [" + h.Reference + "]"
		}
		fmt.Fprintf(stdout, "\n%s%s (%s, %s) %s\n", h.Title, ref, h.Kind, h.Language, h.ID)
		if h.Paragraph > 0 {
			fmt.Fprintf(stdout, "  paragraph %d\n", h.Paragraph)
		}
		for _, s := range h.Snippets {
			fmt.Fprintf(stdout, "  %s\n", html.UnescapeString(marks.Replace(s)))
		}
	}
	outdatedNote(stdout, idx)
	return nil
}

// outdatedNote says, after what status or search printed, that the index
// they looked at was written by another version.
func outdatedNote(w io.Writer, idx *indexer.Index) {
	if why := idx.Outdated(); why != "" {
		fmt.Fprintf(w, "\nnote: the %s; archivio index or serve rebuilds it, and it serves as it is until then\n", why)
	}
}

// marks shows a snippet's highlighted words on a terminal.
var marks = strings.NewReplacer("<mark>", "*", "</mark>", "*")

func status(ctx context.Context, o options, logger *slog.Logger, stdout io.Writer) error {
	idx, err := openIndex(ctx, o, logger, nil, true)
	if err != nil {
		return err
	}
	defer idx.Close()
	rs, err := idx.Receipts(ctx)
	if err != nil {
		return err
	}
	if o.jsonOut {
		return json.NewEncoder(stdout).Encode(rs)
	}
	counts := map[string]int{}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tFILE\tDOCUMENTS\tNOTE")
	for _, r := range rs {
		counts[r.State]++
		note := r.Error + keptNote(r)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.State, r.File, len(r.Documents), note)
	}
	tw.Flush()
	var parts []string
	for s, n := range counts {
		parts = append(parts, fmt.Sprintf("%s %d", s, n))
	}
	sort.Strings(parts)
	if len(parts) > 0 {
		fmt.Fprintf(stdout, "%d files: %s\n", len(rs), strings.Join(parts, ", "))
	} else {
		fmt.Fprintln(stdout, "0 files")
	}
	outdatedNote(stdout, idx)
	return nil
}

// progress reports how far a long update has come: a bar redrawn in place on
// a terminal, or a log line every few seconds otherwise.
type progress struct {
	term  io.Writer // nil: log lines
	log   *slog.Logger
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgress(term io.Writer, log *slog.Logger) *progress {
	return &progress{term: term, log: log, last: time.Now()}
}

func (p *progress) report(pr indexer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	every := 5 * time.Second
	if p.term != nil {
		every = 100 * time.Millisecond
	}
	if pr.Total == 0 || time.Since(p.last) < every && pr.Files < pr.Total {
		return
	}
	if p.term == nil && pr.Elapsed < every {
		return // log lines are for long runs only
	}
	p.last = time.Now()
	rate := float64(pr.Files) / max(pr.Elapsed.Seconds(), 0.001)
	var eta time.Duration
	if rate > 0 {
		eta = time.Duration(float64(pr.Total-pr.Files) / rate * float64(time.Second)).Round(time.Second)
	}
	if p.term == nil {
		p.log.Info("indexing", slog.Int("files", pr.Files), slog.Int("total", pr.Total), slog.Int("documents", pr.Documents),
			slog.String("rate", fmt.Sprintf("%.0f files/s", rate)), slog.Duration("eta", eta))
		return
	}
	const width = 30
	done := min(width*pr.Files/pr.Total, width)
	fmt.Fprintf(p.term, "\r[%s%s] %d/%d files %3d%%  %.0f files/s  ETA %s \x1b[K",
		strings.Repeat("=", done), strings.Repeat(" ", width-done), pr.Files, pr.Total, 100*pr.Files/pr.Total, rate, eta)
	p.drawn = true
}

// finish ends the bar's line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.term)
		p.drawn = false
	}
}

// isTerminal reports whether w is a terminal (a character device: also
// true for /dev/null, where a progress bar does no harm).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
