// Command archivio runs the Archivio open-government document archive.
//
// Usage:
//
//	archivio serve  [--corpus DIR] [--index DIR] [--addr HOST:PORT]
//	archivio index  [--corpus DIR] [--index DIR]
//	archivio check  [--corpus DIR]
//	archivio search [--index DIR] [--json] QUERY
//	archivio status [--index DIR]
//
// serve brings the index up to date with the corpus folder, then serves the
// web site and the JSON API. index only brings the index up to date and prints
// what it did. check parses every corpus file without indexing and prints one
// line per file that cannot be archived (exit status 1 if there is any).
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
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
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
	jsonOut  bool
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
	fs.StringVar(&o.corpus, "corpus", "corpus", "corpus `folder` holding the documents")
	fs.StringVar(&o.index, "index", filepath.Join(".archivio", "index"), "index `folder` (created when missing)")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.Int64Var(&o.maxSize, "max-file-size", 64<<20, "largest corpus file read, in `bytes`")
	switch cmd {
	case "serve":
		fs.StringVar(&o.addr, "addr", "localhost:8080", "`host:port` to listen on")
	case "search", "status", "index", "check":
		fs.BoolVar(&o.jsonOut, "json", false, "print JSON")
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
	if err := fs.Parse(args); err != nil {
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
		return index(ctx, o, logger, stdout)
	case "check":
		return check(ctx, o, stdout)
	case "search":
		return search(ctx, o, logger, strings.Join(fs.Args(), " "), stdout)
	default:
		return status(ctx, o, logger, stdout)
	}
}

// setFromEnv gives each flag the value of ARCHIVIO_<NAME> when that is set.
func setFromEnv(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "ARCHIVIO_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	return err
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func openIndex(ctx context.Context, o options, logger *slog.Logger) (*indexer.Index, error) {
	return indexer.Open(ctx, indexer.Config{Path: o.index, Logger: logger, MaxFileSize: o.maxSize})
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
	corpus, err := corpusFS(o.corpus)
	if err != nil {
		return err
	}
	idx, err := openIndex(ctx, o, logger)
	if err != nil {
		return err
	}
	defer idx.Close()
	var ready atomic.Bool
	srv, err := site.New(site.Config{Archive: idx, Logger: logger, Ready: ready.Load})
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
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("serving", slog.String("url", "http://"+ln.Addr().String()), slog.String("corpus", o.corpus))

	sum, err := idx.Sync(ctx, corpus)
	if err != nil && ctx.Err() == nil {
		logger.Error("index update failed", slog.String("error", err.Error()))
	}
	ready.Store(true)
	logger.Info("index up to date", summaryAttrs(sum)...)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

func summaryAttrs(s indexer.Summary) []any {
	return []any{slog.Int("added", s.Added), slog.Int("updated", s.Updated), slog.Int("removed", s.Removed),
		slog.Int("failed", s.Failed), slog.Int("unchanged", s.Unchanged), slog.Int("documents", s.Documents),
		slog.Duration("took", s.Took)}
}

func index(ctx context.Context, o options, logger *slog.Logger, stdout io.Writer) error {
	corpus, err := corpusFS(o.corpus)
	if err != nil {
		return err
	}
	idx, err := openIndex(ctx, o, logger)
	if err != nil {
		return err
	}
	defer idx.Close()
	sum, err := idx.Sync(ctx, corpus)
	if err != nil {
		return err
	}
	if o.jsonOut {
		return json.NewEncoder(stdout).Encode(sum)
	}
	fmt.Fprintf(stdout, "added %d, updated %d, removed %d, failed %d, unchanged %d (%d documents written in %s)\n",
		sum.Added, sum.Updated, sum.Removed, sum.Failed, sum.Unchanged, sum.Documents, sum.Took.Round(time.Millisecond))
	for _, p := range sum.Problems {
		fmt.Fprintf(stdout, "%s: %s\n", p.File, p.Error)
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
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s: %s\n", filepath.Join(o.corpus, filepath.FromSlash(p.File)), p.Error)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "%d of %d files cannot be archived\n", len(problems), files)
		return exitError(1)
	}
	fmt.Fprintf(stdout, "all %d files can be archived\n", files)
	return nil
}

func search(ctx context.Context, o options, logger *slog.Logger, q string, stdout io.Writer) error {
	idx, err := openIndex(ctx, o, logger)
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
			s = strings.NewReplacer("<mark>", "*", "</mark>", "*").Replace(s)
			fmt.Fprintf(stdout, "  %s\n", htmlUnescape(s))
		}
	}
	return nil
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(s)
}

func status(ctx context.Context, o options, logger *slog.Logger, stdout io.Writer) error {
	idx, err := openIndex(ctx, o, logger)
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
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.State, r.File, len(r.Documents), r.Error)
	}
	tw.Flush()
	var parts []string
	for s, n := range counts {
		parts = append(parts, fmt.Sprintf("%s %d", s, n))
	}
	sort.Strings(parts)
	fmt.Fprintf(stdout, "%d files: %s\n", len(rs), strings.Join(parts, ", "))
	return nil
}
