package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ErrNotFound is returned by Doc for an id that is not in the index.
var ErrNotFound = errors.New("document not found")

// DefaultMaxFileSize is the largest corpus file read unless configured.
const DefaultMaxFileSize = 64 << 20

// ErrBusy is returned by a search that waited the whole search deadline for
// the searches before it to finish.
var ErrBusy = errors.New("too many searches at once")

// ErrClosed is returned by searches on a closed Index.
var ErrClosed = errors.New("index is closed")

// ErrUnavailable is returned by searches while the index cannot be read: a
// failed write closed it and opening it again failed (a folder made
// read-only, a full disk). The next update tries to open it again.
var ErrUnavailable = errors.New("the index cannot be read at the moment")

// Config configures an Index. The zero value of every field but Path is a sensible default.
type Config struct {
	Path        string       // index folder; created when missing
	Logger      *slog.Logger // default: discard
	MaxFileSize int64        // bytes; larger corpus files fail with a reason (default 64 MiB)
	BatchSize   int          // documents per index batch (default 1000)
	Workers     int          // files parsed in parallel (default GOMAXPROCS)
	// Searches is how many searches run at once (default GOMAXPROCS); the
	// others wait their turn, up to the search deadline. On a busy server
	// a search then takes its own time plus its wait, rather than sharing
	// the processors with every other one: the slowest searches finish
	// sooner (see BENCHMARKS.md).
	Searches int
	// CompactAfter is how many documents an update must write before it
	// merges the index into one segment (default 10,000; negative: never).
	CompactAfter int
	// MaxStoreWaste is how many bytes of the document store may hold
	// replaced or removed documents before NeedsRebuild asks for a rebuild,
	// which only happens once they are also half the store (default 64 MiB;
	// negative: never).
	MaxStoreWaste int64
	// Progress, if set, is called after every batch of a long update.
	Progress func(Progress)
	// Inspect opens the index only to look at it (status, search): a
	// generation that cannot be opened is an error, not replaced.
	Inspect bool
}

// Progress reports how far an update has come.
type Progress struct {
	Files, Total int // files looked at so far, files to look at
	Documents    int // documents written so far
	Elapsed      time.Duration
}

// Index is the archive's search index together with the receipts of the corpus
// files it was built from. One process owns an index and is its only writer;
// an Index is safe for concurrent use by many readers and one updating goroutine at a time.
type Index struct {
	cfg Config
	log *slog.Logger
	// gen is the live generation (for an Index being rebuilt, the new one),
	// docs its documents and genName its folder below cfg.Path. Rebuild
	// swaps them holding both mu and smu: updates (holding mu) and searches
	// (holding smu for reading) each see one generation throughout.
	gen     bleve.Index
	docs    *docStore
	genName string
	lock    *os.File // holds the flock on cfg.Path/LOCK; nil for an Index being rebuilt

	// searches holds a token per search running (cfg.Searches at most).
	searches chan struct{}

	mu         sync.Mutex // serialises updates
	smu        sync.RWMutex
	closed     bool        // written holding mu and smu
	facetTerms facetCache  // facet postings of the latest snapshot searched
	rebuilding atomic.Bool // a Rebuild is running
	// rebuildFailed is when a Rebuild last failed (Unix ns): NeedsRebuild
	// waits an hour before it asks again (a full disk stays full).
	rebuildFailed atomic.Int64
	// outdated says why the live generation must be rebuilt: it was written
	// by another version of Archivio. It serves until a Rebuild replaces it.
	outdated atomic.Pointer[string]

	rmu sync.RWMutex
	// book holds the receipts: as the running update sees them, and
	// those whose batch is written, which Receipts returns (a file shows as
	// archived once its documents can be found).
	book   *receiptBook
	langs  map[string]int  // text-field language -> documents (counted at open, then only added to)
	facets map[string]bool // facets some document has a value for (found at open, then only added to)

	// unusable says why the live generation is closed after a failed
	// write, when opening it again failed (see reload); nil when it is
	// open. Held with smu.
	unusable error

	// reread are files to read at the next update even if they look
	// unchanged: the documents of a metadata file that went before its
	// own receipt was written (see writer.apply). Held with mu.
	reread map[string]bool

	// previous is, for an Index being rebuilt, the live one: the rebuild
	// keeps its choices (which of two identical files is the original,
	// which file owns a contested id) and the last good version of the
	// files that fail now.
	previous *Index
}

// Open opens the index at cfg.Path, creating it when it does not exist, and
// locks it so that no other process can write it while it is open
// (ErrIndexInUse). The folder holds generations of the index (gen-*), a
// CURRENT file naming the live one, and the LOCK file. A generation written
// by another version of Archivio is opened as it is, and NeedsRebuild asks
// for a rebuild beside it, which keeps its decisions (last good versions,
// originals of duplicates, owners of ids). A generation that cannot be
// opened is replaced by a new, empty one (the corpus is the source of
// truth), with a log line saying why, unless cfg.Inspect; the next Sync fills it.
func Open(ctx context.Context, cfg Config) (*Index, error) {
	if cfg.Path == "" {
		return nil, errors.New("open index: no path")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = DefaultMaxFileSize
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Searches <= 0 {
		cfg.Searches = runtime.GOMAXPROCS(0)
	}
	if cfg.MaxStoreWaste == 0 {
		cfg.MaxStoreWaste = DefaultMaxStoreWaste
	}
	if cfg.CompactAfter == 0 {
		cfg.CompactAfter = defaultCompactAfter
	}
	limitClauses() // process-wide bleve setting; see search.go
	if cfg.Inspect && !isIndexFolder(cfg.Path) {
		// Looking leaves no trace: no folder, lock or generation made.
		return nil, fmt.Errorf("no index in %s (archivio index or serve builds it)", cfg.Path)
	}
	if err := os.MkdirAll(cfg.Path, 0o755); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	lock, err := lockIndex(cfg.Path)
	if err != nil {
		return nil, err
	}
	bi, name, outdated, err := openGeneration(cfg.Path, cfg.Logger, cfg.Inspect)
	if err != nil {
		unlockIndex(lock)
		return nil, err
	}
	docs, err := openDocStore(filepath.Join(cfg.Path, name, docsFile))
	if err != nil {
		bi.Close()
		unlockIndex(lock)
		return nil, err
	}
	ix := newIndex(cfg, bi, docs)
	ix.genName, ix.lock = name, lock
	ix.outdated.Store(&outdated)
	if err := ix.load(ctx); err != nil {
		ix.Close()
		return nil, fmt.Errorf("open index %s: %w", cfg.Path, err)
	}
	return ix, nil
}

// isIndexFolder reports whether dir holds an index: a CURRENT file, or the
// layout from before generations.
func isIndexFolder(dir string) bool {
	for _, name := range []string{currentFile, "index_meta.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// newIndex returns an Index of the generation bi with no receipts loaded.
func newIndex(cfg Config, bi bleve.Index, docs *docStore) *Index {
	return &Index{cfg: cfg, log: cfg.Logger, gen: bi, docs: docs, searches: make(chan struct{}, max(cfg.Searches, 1)),
		book: newReceiptBook(), langs: map[string]int{}, facets: map[string]bool{}}
}

// openBleve opens the generation at path. It says why when the generation
// cannot be used, and, in outdated, why it can be used only until it is
// rebuilt: it was written by another version of Archivio, which analysed and
// extracted text otherwise (its own mapping, kept in it, still reads it).
func openBleve(path string) (bi bleve.Index, reason, outdated string) {
	defer func() {
		// A damaged index can make bleve panic rather than return an error.
		if r := recover(); r != nil {
			bi, reason = nil, "index cannot be opened: "+shortReason(fmt.Sprint(r))
		}
	}()
	bi, err := bleve.Open(path)
	if err != nil {
		return nil, openError(err), ""
	}
	if _, err := os.Stat(filepath.Join(path, docsFile)); err != nil {
		bi.Close()
		return nil, "index has no document store: " + err.Error(), ""
	}
	if v, err := bi.GetInternal([]byte("mapping-version")); err != nil || string(v) != mappingVersion {
		return bi, "", fmt.Sprintf("index was written by another version of Archivio (mapping version %q, this one writes %q)", v, mappingVersion)
	}
	return bi, "", ""
}

// openError says why bleve cannot open a generation, in one line: bleve's
// error for an index that names an analyser this version lacks (one written
// by a newer version) holds the whole mapping.
func openError(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "error building analyzer") || strings.Contains(msg, "registered") {
		return "index cannot be opened (was it written by a newer version of Archivio?): " + shortReason(msg)
	}
	return "index cannot be opened: " + shortReason(msg)
}

// shortReason is the first line of an error, at most 200 bytes of it.
func shortReason(s string) string {
	s = firstLine(s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "..."
	}
	return s
}

func createBleve(path string) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	bi, err := bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := bi.SetInternal([]byte("mapping-version"), []byte(mappingVersion)); err != nil {
		bi.Close()
		return nil, err
	}
	return bi, nil
}

// liveGen returns the live generation.
func (ix *Index) liveGen() bleve.Index {
	ix.smu.RLock()
	defer ix.smu.RUnlock()
	return ix.gen
}

// Close closes the index and releases its lock.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	// Running searches finish first.
	ix.smu.Lock()
	defer ix.smu.Unlock()
	ix.closed = true
	err := ix.closeGen()
	if cerr := ix.docs.close(); err == nil {
		err = cerr
	}
	if ix.lock != nil {
		unlockIndex(ix.lock)
		ix.lock = nil
	}
	return err
}

// load reads every receipt from the index into memory.
func (ix *Index) load(ctx context.Context) error {
	book := newReceiptBook()
	err := visitReceipts(ctx, ix.liveGen(), func(b []byte) error {
		var r Receipt
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		book.set(r.File, &r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read receipts: %w", err)
	}
	langs, facets, err := ix.presentValues(ctx)
	if err != nil {
		return err
	}
	ix.rmu.Lock()
	book.publishAll()
	ix.book, ix.langs, ix.facets = book, langs, facets
	ix.rmu.Unlock()
	return nil
}

// reload reads the receipts back from the index after an update stopped
// with a batch not written. After a failed batch (reopen), or when reading
// fails, it first closes the live generation and opens it again: after a
// failed write (seen on a full disk) bleve can keep a segment it has closed,
// and reading it panics, while the index on disk holds every batch written.
func (ix *Index) reload(ctx context.Context, reopen bool) error {
	if !reopen {
		err := ix.loadSafely(ctx)
		if err == nil {
			return nil
		}
		ix.log.Warn("read receipts back; opening the index again", slog.String("error", err.Error()))
	}
	ix.smu.Lock()
	path := filepath.Join(ix.cfg.Path, ix.genName)
	if err := ix.closeGen(); err != nil {
		ix.log.Warn("close the index to open it again", slog.String("error", err.Error()))
	}
	bi, reason, _ := openBleve(path) // an outdated generation stays outdated
	if bi == nil {
		// ix.gen is closed: searches say the index is unavailable until
		// an update opens it again (a restart replaces a generation that
		// cannot be opened).
		ix.unusable = errors.New(reason)
		ix.smu.Unlock()
		return fmt.Errorf("open the index again: %s", reason)
	}
	ix.gen, ix.unusable = bi, nil
	ix.smu.Unlock()
	ix.log.Info("index opened again after a failed write", slog.String("generation", ix.genName))
	return ix.loadSafely(ctx)
}

// loadSafely is load, with a panic in bleve made an error.
func (ix *Index) loadSafely(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("read receipts: %v", r)
		}
	}()
	return ix.load(ctx)
}

// closeGen closes the live generation, unless a failed write left it
// closed (unusable: closing it again panics in bleve). The caller holds smu.
func (ix *Index) closeGen() error {
	if ix.unusable != nil {
		return nil
	}
	return closeSafely(ix.gen)
}

// closeSafely closes bi, with a panic in bleve made an error.
func closeSafely(bi bleve.Index) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return bi.Close()
}

// presentValues counts documents by text-field language and finds the
// facets that some document has a value for.
func (ix *Index) presentValues(ctx context.Context) (map[string]int, map[string]bool, error) {
	res, err := ix.execute(ctx, allDocs(), true)
	if err != nil {
		return nil, nil, fmt.Errorf("count languages and facets: %w", err)
	}
	langs, facets := map[string]int{}, map[string]bool{}
	all, _ := splitFacets(res.facets, func(string) int { return maxFacetTerms })
	for name, vals := range all {
		if len(vals) > 0 {
			facets[name] = true
		}
		if name == "language" {
			for _, v := range vals {
				langs[textLang(v.Value)] += v.Count
			}
		}
	}
	return langs, facets, nil
}

// note records the language and the facets of a document being indexed.
func (ix *Index) note(fields map[string]any, lang string) {
	ix.rmu.Lock()
	defer ix.rmu.Unlock()
	ix.langs[textLang(lang)]++
	for _, name := range facetNames {
		if _, ok := fields[name]; ok {
			ix.facets[name] = true
		}
	}
}

// hasFacets reports whether some document has a facet value.
func (ix *Index) hasFacets() bool {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	return len(ix.facets) > 0
}

// docsOnly restricts q to documents, leaving out receipts.
func docsOnly(q query.Query) query.Query {
	rec := bleve.NewTermQuery(recDoc)
	rec.SetField(fieldRecord)
	return bleve.NewConjunctionQuery(q, rec)
}

// allDocs is a request for every document (no hits, only the total).
func allDocs() *bleve.SearchRequest {
	return bleve.NewSearchRequestOptions(docsOnly(bleve.NewMatchAllQuery()), 0, 0, false)
}

// Count returns the number of documents in the index.
func (ix *Index) Count(ctx context.Context) (uint64, error) {
	res, err := ix.execute(ctx, allDocs(), false)
	if err != nil {
		return 0, err
	}
	return res.total, nil
}

// Receipts returns the receipt of every corpus file, sorted by file name.
func (ix *Index) Receipts(ctx context.Context) ([]Receipt, error) {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	out := make([]Receipt, 0, ix.book.published.len())
	for r := range ix.book.allPublished() {
		out = append(out, *r)
	}
	sortReceipts(out)
	return out, ctx.Err()
}

// Doc returns the document with the given id, or ErrNotFound.
func (ix *Index) Doc(ctx context.Context, id string) (Document, error) {
	if id == "" || len(id) > 512 {
		return Document{}, ErrNotFound
	}
	req := bleve.NewSearchRequestOptions(docsOnly(bleve.NewDocIDQuery([]string{id})), 1, 0, false)
	res, err := ix.execute(ctx, req, false)
	if err != nil {
		return Document{}, err
	}
	if len(res.hits) == 0 {
		return Document{}, ErrNotFound
	}
	return decodeDoc(res.hits[0].doc)
}

func decodeDoc(b []byte) (Document, error) {
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return Document{}, fmt.Errorf("stored document: %w", err)
	}
	return d, nil
}

// walkFiles lists the regular files below root in fsys, skipping hidden folders.
// Symbolic links are not followed: fs.WalkDir reports them as non-regular files.
// A folder below the corpus root that cannot be read (no permission) goes to
// unreadable and is skipped; only an unreadable corpus root is an error.
func walkFiles(fsys fs.FS, root string, visit func(name string, d fs.DirEntry), unreadable func(dir string, err error)) error {
	if root != "." {
		// WalkDir follows a symbolic link given as its root (and fails on
		// one that loops); the corpus never follows one.
		if info, err := fs.Lstat(fsys, root); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			visit(root, fs.FileInfoToDirEntry(info))
			return nil
		}
	}
	return fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "." {
				return err // the corpus folder itself: gone or unreadable
			}
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				return nil // gone, or a folder replaced by a file of its name
			}
			if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
				err = pe.Err
			}
			unreadable(name, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if name != root && name != "." && len(d.Name()) > 0 && d.Name()[0] == '.' {
				return fs.SkipDir
			}
			return nil
		}
		visit(name, d)
		return nil
	})
}
