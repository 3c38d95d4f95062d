package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Summary says what an update did.
type Summary struct {
	Added     int           `json:"added"`             // files archived for the first time
	Updated   int           `json:"updated"`           // archived files whose new version replaced the old
	Removed   int           `json:"removed"`           // files gone from the corpus, with their documents
	Failed    int           `json:"failed"`            // files that could not be read (their last good version, if any, is kept)
	Unchanged int           `json:"unchanged"`         // files looked at that had not changed
	Duplicate int           `json:"duplicate"`         // new or changed files with the same content as an archived one
	Pending   int           `json:"pending,omitempty"` // changed files left for the next scan: still being written (polling)
	Documents int           `json:"documents"`         // documents written
	Problems  []Receipt     `json:"problems,omitzero"` // archivio index --json: the failed files, [] when none
	Took      time.Duration `json:"took"`
}

// Attrs are the summary as log attributes; counts of unchanged, duplicate
// and pending files only when there are some.
func (s Summary) Attrs() []any {
	attrs := []any{slog.Int("added", s.Added), slog.Int("updated", s.Updated), slog.Int("removed", s.Removed),
		slog.Int("failed", s.Failed)}
	for _, c := range []struct {
		name string
		n    int
	}{{"unchanged", s.Unchanged}, {"duplicate", s.Duplicate}, {"pending", s.Pending}} {
		if c.n > 0 {
			attrs = append(attrs, slog.Int(c.name, c.n))
		}
	}
	// Documents written, not in the index: an unchanged corpus writes none.
	return append(attrs, slog.Int("written", s.Documents), slog.Duration("took", s.Took))
}

// Sync brings the index up to date with the whole corpus in fsys: new and
// changed files are parsed and indexed, files gone from the corpus are
// removed. Files whose size and modification time match their receipt are
// not read again, so syncing an unchanged corpus does no work.
func (ix *Index) Sync(ctx context.Context, fsys fs.FS) (Summary, error) {
	return ix.update(ctx, fsys, nil, nil)
}

// Update brings the given corpus paths up to date: files and folders that
// exist are (re)read, paths that no longer exist are removed with everything
// below them. Use it to apply the changes a watcher saw.
func (ix *Index) Update(ctx context.Context, fsys fs.FS, paths []string) (Summary, error) {
	if len(paths) == 0 {
		return Summary{}, nil
	}
	return ix.update(ctx, fsys, paths, nil)
}

// candidate is a corpus file to look at.
type candidate struct {
	name    string
	size    int64
	modTime time.Time
	link    bool     // a symbolic link, which is not followed
	badName bool     // the name on disk is not UTF-8 (name has its bad bytes replaced)
	force   bool     // parse even when the content did not change
	old     *Receipt // nil when the file is new
}

// outcome is what reading and parsing one candidate gave.
type outcome struct {
	candidate
	checksum string
	docs     []Document
	ignored  string // reason, when the file is not a document
	err      error
	same     bool // content equals what the receipt recorded
	gone     bool // the file was removed between the scan and its reading
}

// update brings paths (nil: the whole corpus) up to date. When hold is not
// nil, a changed file for which it returns true is left as it is for now,
// neither read nor removed (see settler).
func (ix *Index) update(ctx context.Context, fsys fs.FS, paths []string, hold func(name string, size int64, modTime time.Time) bool) (sum Summary, err error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	start := time.Now()
	ix.smu.RLock()
	unusable := ix.unusable
	ix.smu.RUnlock()
	if unusable != nil {
		// A failed write left the index closed: open it again first.
		if err := ix.reload(ctx, true); err != nil {
			return sum, err
		}
	}

	seen := map[string]bool{}
	// The files the watcher saw change are read even when their size and
	// time match their receipt: an edit can keep both (the same length,
	// saved within the second a file system's times can tell apart).
	named := map[string]bool{}
	for _, p := range paths {
		named[path.Clean(strings.TrimPrefix(p, "/"))] = true
	}
	pending := ix.reread
	ix.reread = nil
	for f := range pending {
		named[f] = true
		if paths != nil {
			paths = append(paths, f)
		}
	}
	defer func() {
		// An update that failed has not read them: the next one does.
		if err != nil && len(pending) > 0 {
			for f := range pending {
				ix.readAgain(f)
			}
		}
	}()
	var cands []candidate
	anyDocument := false // a file seen that is not ignored
	visit := func(name string, d fs.DirEntry) {
		name, bad := receiptName(name)
		if seen[name] {
			return
		}
		seen[name] = true
		if !anyDocument {
			_, ignored := Ignored(name)
			anyDocument = !ignored
		}
		c := candidate{name: name, link: d.Type()&fs.ModeSymlink != 0, badName: bad}
		if info, err := d.Info(); err == nil {
			c.size, c.modTime = info.Size(), info.ModTime().UTC()
		}
		c.old = ix.receipt(name)
		same := c.old != nil && c.old.Size == c.size && c.old.ModTime.Equal(c.modTime) && !c.modTime.IsZero()
		if same && !c.old.unreadable() && !named[name] {
			sum.Unchanged++
			return
		}
		// hold is for files whose size or time moved: a file read again
		// because it could not be read is not being copied.
		if !same && hold != nil && hold(name, c.size, c.modTime) {
			sum.Pending++
			return
		}
		cands = append(cands, c)
	}
	// A folder that cannot be read is a problem of its own; the files
	// archived from it stay (they may be readable again tomorrow).
	blocked := map[string]string{}
	noRead := func(dir string, err error) { blocked[dir] = unreadableFolder(err) }
	inBlocked := func(f string) bool {
		for d := range blocked {
			if strings.HasPrefix(f, d+"/") {
				return true
			}
		}
		return false
	}
	var gone []string
	if paths == nil {
		// The corpus folder gone (a network share unmounted, moved away) is
		// an error (see walkFiles), not every file removed.
		if err := walkFiles(fsys, ".", visit, noRead); err != nil {
			return sum, fmt.Errorf("read corpus: %w", err)
		}
		gone = ix.filesWhere(func(f string) bool { return !seen[f] && !inBlocked(f) })
		if !anyDocument && len(blocked) == 0 {
			if err := ix.emptyCorpus(); err != nil {
				return sum, err
			}
		}
	} else {
		known := ix.filesWhere(func(string) bool { return true }) // sorted
		for _, p := range paths {
			p = path.Clean(strings.TrimPrefix(p, "/"))
			for !utf8.ValidString(p) && p != "." {
				// A name that is not UTF-8 cannot be opened through fs.FS;
				// its folder's listing has it (see receiptName).
				p = path.Dir(p)
			}
			if !fs.ValidPath(p) {
				continue
			}
			if err := walkFiles(fsys, p, visit, noRead); err != nil {
				return sum, fmt.Errorf("read corpus %s: %w", p, err)
			}
			gone = append(gone, filesBelow(known, p, func(f string) bool { return !seen[f] && !inBlocked(f) })...)
		}
		slices.Sort(gone)
		gone = slices.Compact(gone)
		if len(gone) > 0 && len(blocked) == 0 && ix.holdersAmong(gone) && !hasDocumentFile(fsys) {
			// Every file gone at once (moved away): as a sync finds it.
			if err := ix.emptyCorpus(); err != nil {
				return sum, err
			}
		}
	}
	// A changed or removed sidecar changes the document it describes.
	queued := map[string]bool{}
	var changed []string
	for _, c := range cands {
		queued[c.name] = true
		changed = append(changed, c.name)
	}
	// And a PDF or DOCX that comes or goes changes what its sidecar is: the
	// metadata of a document, or a file with no document beside it.
	for _, name := range append(changed, gone...) {
		related := MetadataFiles(name)
		if isMetadataFile(name) {
			related = describedNames(name)
		}
		for _, f := range related {
			if old := ix.receipt(f); old != nil && !queued[f] && !slices.Contains(gone, f) {
				queued[f] = true
				cands = append(cands, candidate{name: f, size: old.Size, modTime: old.ModTime, old: old})
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].name < cands[j].name })
	if prev := ix.previous; prev != nil {
		// The first file to claim a content or an id keeps it: in a rebuild,
		// the files that hold documents in the live index go first.
		holders := prev.docHolders()
		slices.SortStableFunc(cands, func(a, b candidate) int {
			switch {
			case holders[a.name] == holders[b.name]:
				return 0
			case holders[a.name]:
				return -1
			}
			return 1
		})
	}

	w := ix.newWriter(ctx, &sum, len(cands)+len(gone), start)
	defer func() {
		if r := recover(); r != nil {
			// bleve can panic after a failed write (a full disk); the
			// index on disk is whole, and the process goes on.
			ix.log.Error("update crashed", slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
			err, w.failed = fmt.Errorf("update crashed: %v", r), true
		}
		if w.ops > 0 || w.failed {
			// Stopped with a batch not written (cancelled, or an error): the
			// receipts in memory ran ahead of the index; read them back, so
			// that the next update does not take those files as done.
			if rerr := ix.reload(context.WithoutCancel(ctx), w.failed); rerr != nil {
				ix.log.Error("reload the index", slog.String("error", rerr.Error()))
			}
		}
	}()
	for _, name := range gone {
		if err := w.remove(name); err != nil {
			return sum, err
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(blocked)) {
		name, reason := folderName(dir), blocked[dir]+"; the files archived from it stay archived"
		old := ix.receipt(name)
		if old != nil && old.Error == reason {
			sum.Unchanged++
			continue
		}
		if err := w.apply(outcome{candidate: candidate{name: name, old: old}, err: errors.New(reason)}); err != nil {
			return sum, err
		}
		if ix.previous != nil {
			// A rebuild cannot read the folder: what the live index has from it stays.
			for _, f := range ix.previous.publishedBelow(dir) {
				if f != name {
					if err := w.copyPrevious(f); err != nil {
						return sum, err
					}
				}
			}
		}
	}
	if err := w.applyAll(ix.parseAll(ctx, fsys, cands)); err != nil {
		return sum, err
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	// Files that were duplicates of a file now gone or changed, or lost a
	// document id to it, are read again. What one of them archives can
	// change in turn (a file that failed for an id archives its new
	// version): the files depending on it are read again next, until
	// nothing changes.
	for round := 1; ; round++ {
		again := w.orphans()
		if len(again) == 0 {
			break
		}
		if round > maxOrphanRounds {
			ix.log.Warn("files still depend on files read again; they are read at the next update", slog.Int("files", len(again)), slog.String("first", again[0]))
			break
		}
		clear(w.affected)
		var more []candidate
		for _, f := range again {
			// Unchanged, but what it duplicated is gone: parse it again.
			c := candidate{name: f, old: ix.receipt(f), force: true}
			if info, err := fs.Stat(fsys, f); err == nil {
				c.size, c.modTime = info.Size(), info.ModTime().UTC()
			}
			more = append(more, c)
		}
		w.total += len(more)
		if err := w.applyAll(ix.parseAll(ctx, fsys, more)); err != nil {
			return sum, err
		}
	}
	if err := w.flush(); err != nil {
		return sum, err
	}
	if n := ix.cfg.CompactAfter; n > 0 && sum.Documents >= n {
		// The documents are searchable already; merging them into one
		// segment makes every later search cheaper (measured: a quarter
		// less CPU per search at 100,000 documents; see BENCHMARKS.md).
		t := time.Now()
		ix.log.Info("compacting index", slog.Int("documents", sum.Documents))
		if err := ix.compact(ctx); err != nil {
			ix.log.Warn("compact index", slog.String("error", err.Error()))
		} else {
			ix.log.Info("compacted index", slog.Duration("took", time.Since(t)))
		}
	}
	sum.Took = time.Since(start)
	return sum, nil
}

// readAgain has the next update read file even if it looks unchanged. The
// caller holds mu.
func (ix *Index) readAgain(file string) {
	if ix.reread == nil {
		ix.reread = map[string]bool{}
	}
	ix.reread[file] = true
}

// emptyCorpus is the error of an update that finds no file in the corpus
// folder while the archive holds documents, or nil when it holds none. A
// folder that is there but empty is most often the mount point of a share
// that is not mounted: emptying the archive for it would lose everything
// (as would a rebuild from it, replacing the live archive with nothing).
func (ix *Index) emptyCorpus() error {
	holders := ix
	if ix.previous != nil {
		holders = ix.previous
	}
	n := len(holders.docHolders())
	if n == 0 {
		return nil
	}
	files := fmt.Sprintf("%d archived files", n)
	if n == 1 {
		files = "1 archived file"
	}
	return fmt.Errorf("read corpus: the corpus folder has no files to archive, and %s would be removed: nothing is removed (is a share not mounted?); to empty the archive on purpose, stop Archivio and delete its index folder %s", files, ix.cfg.Path)
}

// holdersAmong reports whether every file whose published receipt lists
// documents is in files (sorted), stopping at the first that is not.
func (ix *Index) holdersAmong(files []string) bool {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	for f, hasDocs := range ix.book.publishedFiles() {
		if hasDocs {
			if _, found := slices.BinarySearch(files, f); !found {
				return false
			}
		}
	}
	return true
}

// hasDocumentFile reports whether the corpus holds a file that is not
// ignored, stopping at the first.
func hasDocumentFile(fsys fs.FS) bool {
	found := false
	fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			found = found || name != "." // an unreadable folder may hold some
			return fs.SkipDir
		case d.IsDir():
			if name != "." && hidden(name) {
				return fs.SkipDir
			}
			return nil
		}
		if _, ignored := Ignored(name); !ignored {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// defaultCompactAfter is how many documents an update must write before it
// compacts the index: bulk loads leave a dozen or more segments behind,
// the small updates of a watched corpus only a few, which bleve merges
// in the background.
const defaultCompactAfter = 10000

// compact merges the live generation's segments into one. Searches go on
// meanwhile; a cancelled ctx stops it with the index as it was.
func (ix *Index) compact(ctx context.Context) error {
	adv, err := ix.liveGen().Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, nil); err != nil {
		return err
	}
	// bleve deletes the merged segments' files shortly after, when its
	// persister next runs; wait for that (at most a few seconds), so that a
	// process closing now leaves no stale copy behind. If it comes later,
	// the files go at the next open.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		m := s.StatsMap()
		files, _ := m["CurOnDiskFiles"].(uint64)
		segs, _ := m["num_root_filesegments"].(uint64)
		if files <= segs+1 { // the segments and root.bolt
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// filesBelow returns the files of the sorted list that are p or below the
// folder p, and for which keep is true.
func filesBelow(sorted []string, p string, keep func(string) bool) []string {
	if p == "." {
		return slices.DeleteFunc(slices.Clone(sorted), func(f string) bool { return !keep(f) })
	}
	var out []string
	if i, ok := slices.BinarySearch(sorted, p); ok && keep(p) {
		out = append(out, sorted[i])
	}
	i, _ := slices.BinarySearch(sorted, p+"/")
	for ; i < len(sorted) && strings.HasPrefix(sorted[i], p+"/"); i++ {
		if keep(sorted[i]) {
			out = append(out, sorted[i])
		}
	}
	return out
}

func (ix *Index) receipt(name string) *Receipt {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	return ix.book.get(name)
}

func (ix *Index) filesWhere(keep func(string) bool) []string {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	var out []string
	for f := range ix.book.fileNames() {
		if keep(f) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// hasFileUnder reports whether a receipt names a file below the folder dir.
func (ix *Index) hasFileUnder(dir string) bool {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	return ix.book.hasFileUnder(dir)
}

// parseAhead bounds how many files are parsed but not yet written.
const parseAhead = 1024

// parseAll reads and parses the candidates with cfg.Workers goroutines and
// delivers the outcomes in the candidates' order.
func (ix *Index) parseAll(ctx context.Context, fsys fs.FS, cands []candidate) <-chan outcome {
	out := make(chan outcome, ix.cfg.Workers)
	slots := make([]chan outcome, len(cands))
	for i := range slots {
		slots[i] = make(chan outcome, 1)
	}
	jobs := make(chan int)
	// Parsers may run this many files ahead of the writer, no more, so
	// that a large corpus is not held in memory while a batch is written.
	ahead := make(chan struct{}, parseAhead)
	var wg sync.WaitGroup
	for range ix.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				slots[i] <- ix.read(fsys, cands[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range cands {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		defer close(out)
		for i := range slots {
			select {
			case o := <-slots[i]:
				out <- o
				<-ahead
			case <-ctx.Done():
				wg.Wait()
				return
			}
		}
		wg.Wait()
	}()
	return out
}

// read reads, checksums and parses one corpus file. It never panics: a parser
// panic becomes the file's error.
func (ix *Index) read(fsys fs.FS, c candidate) (o outcome) {
	o.candidate = c
	defer func() {
		if r := recover(); r != nil {
			o.docs, o.err = nil, fmt.Errorf("parser crashed: %v", r)
			ix.log.Error("parser panic", slog.String("file", c.name), slog.Any("panic", r))
		}
	}()
	if reason, ok := Ignored(c.name); ok {
		o.ignored = reason
		return o
	}
	if reason, ok := savedPageFile(fsys, c.name); ok {
		o.ignored = reason
		return o
	}
	if c.link {
		// A problem staff can act on, as check says, not a silent skip.
		o.err = errSymlink
		return o
	}
	if c.badName {
		o.err = errors.New("the file name is not UTF-8 (an old Windows or Latin-1 name): rename the file")
		return o
	}
	b, err := readLimited(fsys, c.name, ix.cfg.MaxFileSize)
	if err != nil {
		o.err = err
		o.gone = errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
		return o
	}
	h := sha256.New()
	h.Write(b)
	var meta []byte
	if isMetadataFile(c.name) {
		o.checksum = hex.EncodeToString(h.Sum(nil))
		described, others := readers(fsys, c.name)
		switch {
		case len(described) > 0:
			o.ignored = "metadata for " + strings.Join(described, " and ")
		case len(others) > 0:
			o.err = fmt.Errorf("not read: %s each have a metadata file of their own", strings.Join(others, " and "))
		default:
			o.err = errors.New("YAML metadata file with no document beside it (name it like the PDF or DOCX it describes: report.pdf + report.yaml)")
		}
		return o
	}
	sidecar, err := sidecarOf(fsys, c.name)
	if err != nil {
		o.err = err
		return o
	}
	if sidecar != "" {
		if meta, err = readLimited(fsys, sidecar, maxFrontMatter); err != nil {
			o.err = fmt.Errorf("metadata file %s: %w", sidecar, err)
			return o
		}
		h.Write([]byte("\x00sidecar\x00"))
		h.Write(meta)
	}
	o.checksum = hex.EncodeToString(h.Sum(nil))
	if c.old != nil && c.old.Checksum == o.checksum && !c.force {
		o.same = true
		return o
	}
	o.docs, o.err = Parse(c.name, b, meta)
	if me := (*metaFileError)(nil); errors.As(o.err, &me) {
		o.err = fmt.Errorf("metadata file %s: %w", sidecar, me.err)
	}
	return o
}

// sidecarOf returns the YAML metadata file of the corpus file name, or ""
// if it has none. One named after the whole file (report.pdf.yaml) wins
// over one named after its stem (report.yaml) that a PDF and a DOCX share;
// when the stem's is the file's alone, two of them are an error: staff
// editing one would see nothing change. On a file system that ignores
// case, SCAN.YAML and scan.yaml are one file.
func sidecarOf(fsys fs.FS, name string) (string, error) {
	names := MetadataFiles(name)
	if len(names) == 0 {
		return "", nil
	}
	own := existing(fsys, names[:len(sidecarExts)])  // report.pdf.yaml
	stem := existing(fsys, names[len(sidecarExts):]) // report.yaml
	both := func(a, b string) error {
		return fmt.Errorf("%s and %s both are its metadata file: keep one", a, b)
	}
	switch {
	case len(own) > 1:
		return "", both(own[0], own[1])
	case len(stem) > 1:
		return "", both(stem[0], stem[1])
	case len(own) == 1 && len(stem) == 1 && !sharedSidecar(fsys, stem[0], name):
		return "", both(own[0], stem[0])
	case len(own) == 1:
		return own[0], nil
	case len(stem) == 1:
		return stem[0], nil
	}
	return "", nil
}

// existing returns those of names that are files in fsys, each file once.
func existing(fsys fs.FS, names []string) []string {
	var found []string
	var infos []fs.FileInfo
	for _, n := range names {
		info, err := fs.Stat(fsys, n)
		if err != nil || info.IsDir() || slices.ContainsFunc(infos, func(fi fs.FileInfo) bool { return os.SameFile(fi, info) }) {
			continue
		}
		found, infos = append(found, n), append(infos, info)
	}
	return found
}

// sharedSidecar reports whether the metadata file sidecar, named after a
// stem, describes a document besides name (report.docx beside report.pdf).
func sharedSidecar(fsys fs.FS, sidecar, name string) bool {
	for _, d := range existing(fsys, describedNames(sidecar)) {
		if d != name {
			return true
		}
	}
	return false
}

// readers returns the documents that read the metadata file sidecar, or
// that fail because another metadata file claims them too.
func readers(fsys fs.FS, sidecar string) (readers, others []string) {
	for _, d := range existing(fsys, describedNames(sidecar)) {
		// EqualFold: where case is ignored, sidecarOf may find SCAN.YAML as
		// scan.yaml (where it is not, two such files are an error).
		if sc, err := sidecarOf(fsys, d); err != nil || strings.EqualFold(sc, sidecar) {
			readers = append(readers, d)
		} else {
			others = append(others, d)
		}
	}
	return readers, others
}

// readLimited reads a corpus file, refusing files larger than limit bytes.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	if throughSymlink(fsys, name) { // see symlink.go
		return nil, errSymlink
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", errOpen, errors.Unwrap(err))
	}
	defer f.Close()
	size := int64(-1)
	if info, err := f.Stat(); err == nil {
		if !info.Mode().IsRegular() {
			return nil, errors.New("not a regular file")
		}
		if info.Size() > limit {
			return nil, fmt.Errorf("file is %s, larger than the %s limit", byteSize(info.Size()), byteSize(limit))
		}
		size = info.Size()
	}
	b, err := readAtMost(f, limit+1, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", errRead, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("file is larger than the %s limit", byteSize(limit))
	}
	return b, nil
}

// The reasons readLimited gives for a file it could not read.
const (
	errOpen  = "cannot open file"
	errRead  = "cannot read file"
	errLimit = " limit" // "file is 70 MB, larger than the 64 MB limit"
)

// unreadable reports whether r is a file that could not be read: opened,
// read, or within the size limit. That can change while the file does not
// (its permissions are fixed, --max-file-size is raised), so such a file is
// read again at every sync instead of being taken as unchanged.
func (r *Receipt) unreadable() bool {
	return r.State == StateFailed && r.Checksum == "" &&
		(strings.HasPrefix(r.Error, errOpen) || strings.HasPrefix(r.Error, errRead) || strings.HasSuffix(r.Error, errLimit))
}

// readAtMost is io.ReadAll(io.LimitReader(r, n)) with a buffer sized for a
// file of size bytes (when size >= 0): one byte more, so that the read that
// finds the end of the file needs no bigger buffer.
func readAtMost(r io.Reader, n, size int64) ([]byte, error) {
	c := int64(512)
	if size >= 0 {
		c = min(size+1, n)
	}
	b := make([]byte, 0, c)
	for int64(len(b)) < n {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append grow the buffer
		}
		m, err := r.Read(b[len(b):min(int64(cap(b)), n)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// writer applies outcomes to the index in batches.
type writer struct {
	ix       *Index
	ctx      context.Context
	sum      *Summary
	batch    *bleve.Batch
	ops      int
	bytes    int // of the documents in the batch
	total    int
	done     int
	start    time.Time
	affected map[string]bool   // files whose archived content changed or went away
	staged   map[string]uint32 // receipts in the batch (their offsets in the receipt book; 0: deleted), published when it is written
	failed   bool              // a batch failed: bleve's state in memory is not to be trusted
	// counted is the summary's counter each file's outcome went to: a file
	// read again in the same update (see orphans) counts once, as it ends.
	counted map[string]*int
}

// maxOrphanRounds bounds how many times an update reads again the files
// depending on files it changed (see orphans).
const maxOrphanRounds = 8

// idConflict says that the document id of file is archived from file
// other, and where to set another: a PDF or DOCX takes it from a sidecar
// of its own (report.pdf.yaml), which no other file beside it reads.
func idConflict(file, id, other string) string {
	fix := "set a different id in its front matter"
	switch ext := strings.ToLower(path.Ext(file)); {
	case slices.Contains(sidecarFormats, ext):
		fix = "set a different id in a sidecar YAML file of its own, " + path.Base(file) + ".yaml"
	case ext == ".csv" || ext == ".json" || ext == ".jsonl":
		// A record's id is qualified by its file's name.
		fix = "the same records in two files? keep one, or rename one of them"
	case ext == ".html" || ext == ".htm":
		fix = "a page's id comes from its file name: rename one of them"
	}
	return fmt.Sprintf("document id %q is already archived from %s (%s)", id, other, fix)
}

// count counts file's outcome in counter, in place of an outcome counted
// before in this update.
func (w *writer) count(file string, counter *int) {
	if prev := w.counted[file]; prev != nil {
		*prev--
		w.sum.Problems = slices.DeleteFunc(w.sum.Problems, func(r Receipt) bool { return r.File == file })
	}
	*counter++
	w.counted[file] = counter
}

func (ix *Index) newWriter(ctx context.Context, sum *Summary, total int, start time.Time) *writer {
	return &writer{ix: ix, ctx: ctx, sum: sum, batch: ix.gen.NewBatch(), total: total, start: start, affected: map[string]bool{}, staged: map[string]uint32{}, counted: map[string]*int{}}
}

func (w *writer) remove(name string) error {
	old := w.ix.receipt(name)
	if old == nil {
		return nil
	}
	for _, id := range old.Documents {
		w.batch.Delete(id)
	}
	w.batch.Delete(receiptID(name))
	w.ops += len(old.Documents) + 1
	if old.State == StateArchived || len(old.Documents) > 0 {
		w.count(name, &w.sum.Removed)
	}
	w.affected[name] = true
	w.staged[name] = w.ix.setReceipt(name, nil)
	w.ix.log.Info("removed", slog.String("file", name), slog.Int("documents", len(old.Documents)))
	return w.step()
}

func (w *writer) apply(o outcome) error {
	now := time.Now().UTC()
	r := Receipt{File: o.name, Checksum: o.checksum, Size: o.size, ModTime: o.modTime, Updated: now}
	if o.old != nil {
		r.Documents, r.Archived, r.Stored = o.old.Documents, o.old.Archived, o.old.Stored
	}
	switch {
	case o.gone:
		// Deleted or renamed while the update ran: gone, not failed (the
		// next scan or the watcher's event finds it under its new name).
		if isMetadataFile(o.name) && w.ix.receipt(o.name) == nil {
			// With no receipt, the next update would not know it went: the
			// documents it described, read with it, must be read again.
			for _, d := range describedNames(o.name) {
				if w.ix.receipt(d) != nil {
					w.ix.readAgain(d)
				}
			}
		}
		return w.remove(o.name)
	case o.ignored != "":
		r.State, r.Error = StateIgnored, o.ignored
		w.deleteDocs(r.Documents, nil)
		r.Documents, r.Archived, r.Stored = nil, "", 0
	case o.same:
		// Only the file's time changed; keep what the receipt said.
		w.count(o.name, &w.sum.Unchanged)
		r.State, r.Error, r.DuplicateOf, r.ConflictsWith = o.old.State, o.old.Error, o.old.DuplicateOf, o.old.ConflictsWith
	case o.err != nil:
		r.State, r.Error = StateFailed, firstLine(o.err.Error())
		if old := o.old; old != nil && old.State == StateFailed && old.Error == r.Error && old.Checksum == r.Checksum &&
			old.Size == r.Size && old.ModTime.Equal(r.ModTime) {
			// Read again (see unreadable) and failing as before: nothing to write.
			w.count(o.name, &w.sum.Unchanged)
			return w.step()
		}
		if o.old != nil && o.old.Size == interimSize {
			// The last update stopped between the batches of this file: what
			// it left is no version of the file, so none is kept.
			w.deleteDocs(r.Documents, nil)
			r.Documents, r.Archived, r.Stored = nil, "", 0
		}
		if len(r.Documents) == 0 && w.ix.previous != nil {
			// A rebuild keeps the last good version the live index has.
			if err := w.keepPrevious(&r); err != nil {
				return err
			}
		}
		w.count(o.name, &w.sum.Failed)
		w.sum.Problems = append(w.sum.Problems, r)
		if len(r.Documents) > 0 {
			w.ix.log.Warn("file can no longer be read; its last good version stays archived",
				slog.String("file", o.name), slog.String("reason", r.Error))
		} else {
			w.ix.log.Warn("file cannot be archived", slog.String("file", o.name), slog.String("reason", r.Error))
		}
	default:
		if dup := w.ix.duplicateOf(o.name, o.checksum); dup != "" {
			w.count(o.name, &w.sum.Duplicate)
			r.State, r.DuplicateOf = StateDuplicate, dup
			r.Error = "same content as " + dup
			w.deleteDocs(r.Documents, nil)
			r.Documents, r.Archived, r.Stored = nil, "", 0
			break
		}
		if id, other := w.ix.conflict(o.name, o.docs); other != "" {
			r.State, r.Error, r.ConflictsWith = StateFailed, idConflict(o.name, id, other), other
			w.count(o.name, &w.sum.Failed)
			w.sum.Problems = append(w.sum.Problems, r)
			break
		}
		ids, stored, err := w.putDocs(o.name, o.docs, r.Documents)
		if err != nil {
			return err
		}
		w.deleteDocs(r.Documents, ids)
		if o.old == nil || len(o.old.Documents) == 0 {
			w.count(o.name, &w.sum.Added)
		} else {
			w.count(o.name, &w.sum.Updated)
		}
		r.State, r.Documents, r.Archived, r.Stored = StateArchived, ids, o.checksum, stored
	}
	if o.old != nil && o.old.Archived != r.Archived {
		w.affected[o.name] = true
	}
	if err := w.putReceipt(&r); err != nil {
		return err
	}
	return w.step()
}

// applyAll applies the outcomes of parseAll. On an error it drains the
// parsers before returning it.
func (w *writer) applyAll(results <-chan outcome) error {
	for o := range results {
		if err := w.apply(o); err != nil {
			for range results {
			}
			return err
		}
	}
	return nil
}

// receiptName returns the name a receipt keeps for a file: its path, with
// the bytes that are not UTF-8 replaced (JSON would replace them anyway, and
// the file would look new at every start). bad reports a replacement.
func receiptName(name string) (string, bool) {
	if utf8.ValidString(name) {
		return name, false
	}
	return strings.ToValidUTF8(name, "\uFFFD"), true
}

// folderName is the receipt name of a corpus folder: its path and a slash.
func folderName(dir string) string { return dir + "/" }

func unreadableFolder(err error) string { return "cannot read folder: " + err.Error() }

// interimSize marks the receipt of a file written over several batches,
// between them (no file has this size, so the file is read again).
const interimSize = -1

// maxBatchBytes bounds the documents in one batch: bleve holds about 40
// times a batch's text while it writes it.
const maxBatchBytes = 4 << 20

// putDocs writes the documents of file to the document store and the batch,
// and returns their ids and the bytes they take in the store. old are the
// ids the file had. A file too large for one batch (a long text split into
// parts) is written over several: the batches before its last carry an
// interim receipt listing every id written or still there, with no checksum,
// so that after a crash the file is read again and nothing is orphaned.
func (w *writer) putDocs(file string, docs []Document, old []string) (ids []string, stored int64, err error) {
	ids = make([]string, len(docs))
	for i := range docs {
		if w.bytes >= maxBatchBytes && i > 0 {
			interim := &Receipt{File: file, State: StateArchived, Size: interimSize, Stored: stored, Updated: time.Now().UTC(),
				Documents: append(slices.Clone(ids[:i]), slices.DeleteFunc(slices.Clone(old), func(id string) bool { return slices.Contains(ids[:i], id) })...)}
			if err := w.putReceipt(interim); err != nil {
				return nil, 0, err
			}
			if err := w.flush(); err != nil {
				return nil, 0, err
			}
		}
		ids[i] = docs[i].ID
		b, err := json.Marshal(&docs[i])
		if err != nil {
			return nil, 0, fmt.Errorf("encode %s: %w", file, err)
		}
		loc, n, err := w.ix.docs.put(b)
		if err != nil {
			return nil, 0, err
		}
		stored += n
		w.bytes += len(b)
		fields := indexable(&docs[i], loc)
		w.ix.note(fields, docs[i].Language)
		if err := w.batch.Index(ids[i], fields); err != nil {
			return nil, 0, fmt.Errorf("index %s: %w", file, err)
		}
	}
	w.ops += len(ids)
	w.sum.Documents += len(ids)
	return ids, stored, nil
}

// keepPrevious copies into the index being rebuilt the documents that the
// live index holds for r's file, which fails now: its last good version.
func (w *writer) keepPrevious(r *Receipt) error {
	prev := w.ix.previous.publishedReceipt(r.File)
	if prev == nil || len(prev.Documents) == 0 {
		return nil
	}
	ids, stored, ok, err := w.copyDocs(r.File, prev.Documents)
	if ok {
		r.Documents, r.Archived, r.Stored = ids, prev.Archived, stored
	}
	return err
}

// copyPrevious copies into the index being rebuilt the receipt and the
// documents the live index has for file, which the rebuild cannot read.
func (w *writer) copyPrevious(file string) error {
	prev := w.ix.previous.publishedReceipt(file)
	if prev == nil {
		return nil
	}
	r := *prev
	r.Documents, r.Stored = nil, 0
	if len(prev.Documents) > 0 {
		ids, stored, ok, err := w.copyDocs(file, prev.Documents)
		if err != nil {
			return err
		}
		if ok {
			r.Documents, r.Stored = ids, stored
		}
	}
	if err := w.putReceipt(&r); err != nil {
		return err
	}
	return w.step()
}

// copyDocs writes the live index's documents ids of file into the index
// being rebuilt. ok is false, with a warning logged, when one cannot be read
// or its id is taken.
func (w *writer) copyDocs(file string, ids []string) (out []string, stored int64, ok bool, err error) {
	docs := make([]Document, 0, len(ids))
	for _, id := range ids {
		d, err := w.ix.previous.Doc(w.ctx, id)
		if err != nil {
			w.ix.log.Warn("cannot keep the live version", slog.String("file", file), slog.String("document", id), slog.String("error", err.Error()))
			return nil, 0, false, nil
		}
		docs = append(docs, d)
	}
	if id, other := w.ix.conflict(file, docs); other != "" {
		w.ix.log.Warn("cannot keep the live version", slog.String("file", file), slog.String("document", id), slog.String("archived from", other))
		return nil, 0, false, nil
	}
	out, stored, err = w.putDocs(file, docs, nil)
	return out, stored, err == nil, err
}

// publishedReceipt returns the receipt of file whose batch is written, as
// searches and Doc see the index (nil when there is none).
func (ix *Index) publishedReceipt(file string) *Receipt {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	return ix.book.getPublished(file)
}

// docHolders returns the files whose published receipts list documents
// (archived, or failed with their last good version kept).
func (ix *Index) docHolders() map[string]bool {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	out := map[string]bool{}
	for f, hasDocs := range ix.book.publishedFiles() {
		if hasDocs {
			out[f] = true
		}
	}
	return out
}

// publishedBelow returns the files below folder dir with a published receipt.
func (ix *Index) publishedBelow(dir string) []string {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	var out []string
	for f := range ix.book.publishedFiles() {
		if strings.HasPrefix(f, dir+"/") {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// deleteDocs deletes the ids in old that are not in keep.
func (w *writer) deleteDocs(old, keep []string) {
	for _, id := range old {
		if !slices.Contains(keep, id) {
			w.batch.Delete(id)
			w.ops++
		}
	}
}

func (w *writer) putReceipt(r *Receipt) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := w.batch.Index(receiptID(r.File), map[string]any{
		fieldRecord: recFile, fieldReceipt: string(b),
	}); err != nil {
		return err
	}
	w.ops++
	w.staged[r.File] = w.ix.setReceipt(r.File, r)
	return nil
}

// step counts one file done and writes the batch when it is full.
func (w *writer) step() error {
	w.done++
	if w.ops >= w.ix.cfg.BatchSize || w.bytes >= maxBatchBytes {
		return w.flush()
	}
	return nil
}

func (w *writer) flush() error {
	if w.ops == 0 {
		return nil
	}
	// The documents first: the batch points at them.
	if err := w.ix.docs.sync(); err != nil {
		return err
	}
	if err := w.ix.gen.Batch(w.batch); err != nil {
		// update opens the index again and reads the receipts back.
		w.failed = true
		return fmt.Errorf("write index batch: %w", err)
	}
	// A new batch, not Reset: bleve's Batch can return while a goroutine
	// of its own still ranges over the batch's map (go test -race shows it).
	w.batch = w.ix.gen.NewBatch()
	w.ops, w.bytes = 0, 0
	w.ix.publish(w.staged)
	clear(w.staged)
	if p := w.ix.cfg.Progress; p != nil {
		p(Progress{Files: w.done, Total: w.total, Documents: w.sum.Documents, Elapsed: time.Since(w.start)})
	}
	return nil
}

// orphans returns the files recorded as duplicates of a file whose archived
// content changed or went away in this update, and the files that failed
// because such a file had one of their document ids.
func (w *writer) orphans() []string {
	if len(w.affected) == 0 {
		return nil
	}
	w.ix.rmu.RLock()
	defer w.ix.rmu.RUnlock()
	return w.ix.book.dependents(w.affected)
}

func receiptID(file string) string { return "file:" + file }

// publish makes the receipts of a written batch visible to Receipts (see
// receiptBook.publish). The offsets in staged are not valid afterwards.
func (ix *Index) publish(staged map[string]uint32) {
	ix.rmu.Lock()
	defer ix.rmu.Unlock()
	for f, off := range staged {
		ix.book.publish(f, off)
	}
	ix.book.compact()
}

// setReceipt records r as the receipt of file (nil: it has none) and
// returns its offset in the receipt book, for publish.
func (ix *Index) setReceipt(file string, r *Receipt) uint32 {
	ix.rmu.Lock()
	defer ix.rmu.Unlock()
	return ix.book.set(file, r)
}

// duplicateOf returns another archived file with the same content, if any.
func (ix *Index) duplicateOf(file, checksum string) string {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	if f := ix.book.sum(checksum); f != file {
		return f
	}
	return ""
}

// conflict returns a document id of docs that another file already owns.
func (ix *Index) conflict(file string, docs []Document) (id, other string) {
	ix.rmu.RLock()
	defer ix.rmu.RUnlock()
	for _, d := range docs {
		if f, ok := ix.book.owns(d.ID); ok && f != file {
			return d.ID, f
		}
	}
	return "", ""
}

func sortReceipts(rs []Receipt) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].File < rs[j].File })
}
