package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// The index folder holds generations of the index and names the live one:
//
//	LOCK         flock'ed by the process that owns the index; holds its pid
//	CURRENT      the name of the live generation, written with write-temp+rename
//	gen-<time>/  a bleve index
//
// A rebuild writes a new generation beside the live one, then names it in
// CURRENT and removes the old one, so that a stop at any moment leaves a
// usable index behind.
const (
	lockFile    = "LOCK"
	currentFile = "CURRENT"
	genPrefix   = "gen-"
)

// ErrIndexInUse is returned by Open when another process has the index open.
var ErrIndexInUse = errors.New("index is in use by another archivio process")

// ErrRebuilding is returned by Rebuild when a rebuild is already running.
var ErrRebuilding = errors.New("a rebuild of the index is already running")

// InUseError says which process has the index open. It matches ErrIndexInUse.
type InUseError struct {
	Path string
	PID  int // 0 when unknown
}

func (e *InUseError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s (pid %d): %s", ErrIndexInUse, e.PID, e.Path)
	}
	return fmt.Sprintf("%s: %s", ErrIndexInUse, e.Path)
}

// Is makes errors.Is(err, ErrIndexInUse) true.
func (e *InUseError) Is(target error) bool { return target == ErrIndexInUse }

// lockIndex takes the OS lock on dir/LOCK and writes this process's pid in it.
// The lock goes away with the process, however it ends.
func lockIndex(dir string) (*os.File, error) {
	name := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock index: %w", err)
	}
	held, err := tryLock(f)
	if err != nil || held {
		f.Close()
		if held {
			b, _ := os.ReadFile(name)
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return nil, &InUseError{Path: dir, PID: pid}
		}
		return nil, fmt.Errorf("lock index %s: %w", name, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

func unlockIndex(f *os.File) {
	// The pid is left in the file: the lock, not the file, says who owns the index.
	unlock(f)
	f.Close()
}

// openGeneration opens the live generation of the index folder dir, or
// creates one, and removes the leftovers of an interrupted rebuild. outdated
// says why the generation, written by another version, must be rebuilt.
// With inspect, a generation that cannot be opened is an error instead of
// being replaced. The caller holds the lock.
func openGeneration(dir string, log *slog.Logger, inspect bool) (bi bleve.Index, name, outdated string, err error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		// An index written before generations existed.
		if inspect {
			return nil, "", "", errors.New("index has an old layout: archivio index or serve rebuilds it from the corpus")
		}
		log.Warn("index has an old layout; rebuilding it from the corpus", slog.String("index", dir))
		for _, n := range []string{"index_meta.json", "store"} {
			if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
				return nil, "", "", fmt.Errorf("remove old index: %w", err)
			}
		}
	}
	name, problem := readCurrent(dir)
	if problem != "" && !inspect {
		log.Warn(problem+"; rebuilding the index from the corpus", slog.String("index", dir))
	}
	var reason string
	if name != "" {
		bi, reason, outdated = openBleve(filepath.Join(dir, name))
		switch {
		case bi == nil && !inspect:
			log.Warn(reason+"; rebuilding it from the corpus", slog.String("index", filepath.Join(dir, name)))
		case outdated != "":
			log.Warn(outdated+"; it serves as it is until it is rebuilt from the corpus beside it", slog.String("index", filepath.Join(dir, name)))
		}
	}
	if bi == nil && inspect {
		return nil, "", "", errors.New(cmp.Or(problem, reason, "no index in "+dir+" (archivio index or serve builds it)"))
	}
	if bi == nil {
		name = newGenName(dir)
		if bi, err = createBleve(filepath.Join(dir, name)); err != nil {
			return nil, "", "", err
		}
		if err := writeCurrent(dir, name); err != nil {
			bi.Close()
			return nil, "", "", err
		}
	}
	if !inspect {
		removeStale(dir, name, log)
	}
	return bi, name, outdated, nil
}

// readCurrent returns the generation CURRENT names, or "" when there is
// none; problem says what is wrong when CURRENT exists but names no
// generation.
func readCurrent(dir string) (name, problem string) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", ""
	}
	if err != nil {
		return "", "cannot read " + currentFile + ": " + err.Error()
	}
	name = strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) || name == genPrefix {
		return "", fmt.Sprintf("%s names no index generation (%.40q)", currentFile, name)
	}
	if info, err := os.Stat(filepath.Join(dir, name)); err != nil || !info.IsDir() {
		return "", fmt.Sprintf("index generation %s named by %s is missing", name, currentFile)
	}
	return name, ""
}

// writeCurrent names the live generation, atomically and durably.
func writeCurrent(dir, name string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	_, err = f.WriteString(name + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, currentFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// newGenName returns an unused generation name.
func newGenName(dir string) string {
	base := genPrefix + time.Now().UTC().Format("20060102T150405.000000000")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = base + "-" + strconv.Itoa(i)
	}
}

// removeStale removes generations other than live: a rebuild that was
// interrupted, or the generation a finished rebuild replaced.
func removeStale(dir, live string, log *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if (strings.HasPrefix(n, genPrefix) && n != live) || n == currentFile+".tmp" {
			if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
				log.Warn("cannot remove an old index generation", slog.String("path", filepath.Join(dir, n)), slog.String("error", err.Error()))
			} else {
				log.Debug("removed old index generation", slog.String("path", filepath.Join(dir, n)))
			}
		}
	}
}

// Rebuild indexes the whole corpus in fsys into a new generation of the
// index, beside the live one, and then swaps it in. Searches keep being
// answered from the live generation during the rebuild, and updates keep
// being applied to it; changes made meanwhile are applied to the new
// generation before the swap. If the rebuild fails or is cancelled, or the
// process stops, the live generation stays.
func (ix *Index) Rebuild(ctx context.Context, fsys fs.FS) (sum Summary, err error) {
	if ix.lock == nil {
		return Summary{}, errors.New("rebuild: index is not open")
	}
	if !ix.rebuilding.CompareAndSwap(false, true) {
		return Summary{}, ErrRebuilding
	}
	defer ix.rebuilding.Store(false)
	defer func() {
		if err != nil {
			ix.rebuildFailed.Store(time.Now().UnixNano())
		}
	}()
	start := time.Now()
	name := newGenName(ix.cfg.Path)
	dir := filepath.Join(ix.cfg.Path, name)
	bi, err := createBleve(dir)
	if err != nil {
		os.RemoveAll(dir)
		return Summary{}, fmt.Errorf("rebuild: %w", err)
	}
	docs, err := openDocStore(filepath.Join(dir, docsFile))
	if err != nil {
		bi.Close()
		os.RemoveAll(dir)
		return Summary{}, fmt.Errorf("rebuild: %w", err)
	}
	next := newIndex(ix.cfg, bi, docs)
	next.genName, next.previous = name, ix
	discard := func() {
		closeSafely(next.gen) // not bi: an update that failed opens its generation again
		docs.close()
		os.RemoveAll(dir)
	}
	ix.log.Info("rebuilding index", slog.String("generation", name))
	sum, err = syncNew(ctx, next, fsys)
	if err != nil {
		discard()
		return sum, fmt.Errorf("rebuild: %w", err)
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		discard()
		return sum, errors.New("rebuild: index closed")
	}
	// Catch up with what changed while the new generation was written; the
	// stat shortcut makes this cheap.
	more, err := syncNew(ctx, next, fsys)
	if err != nil {
		discard()
		return sum, fmt.Errorf("rebuild: %w", err)
	}
	sum.Added += more.Added
	sum.Updated += more.Updated
	sum.Removed += more.Removed
	sum.Failed += more.Failed
	sum.Documents += more.Documents
	sum.Problems = append(sum.Problems, more.Problems...)
	if err := writeCurrent(ix.cfg.Path, name); err != nil {
		discard()
		return sum, fmt.Errorf("rebuild: %w", err)
	}
	// Swapping waits for the searches running on the old generation.
	ix.smu.Lock()
	old, oldUnusable, oldName, oldDocs := ix.gen, ix.unusable, ix.genName, ix.docs
	ix.gen, ix.genName, ix.docs, ix.unusable = next.gen, name, docs, nil
	ix.outdated.Store(nil)
	ix.smu.Unlock()
	// Closed once no search holds it, and not while searches wait: it may
	// still be merging what the updates before the rebuild wrote. A failed
	// write may have left it closed (unusable): closing it again panics.
	if oldUnusable == nil {
		if err := closeSafely(old); err != nil {
			ix.log.Warn("close old index generation", slog.String("error", err.Error()))
		}
	}
	next.rmu.RLock()
	ix.rmu.Lock()
	ix.book, ix.langs, ix.facets = next.book, next.langs, next.facets
	ix.rmu.Unlock()
	next.rmu.RUnlock()
	oldDocs.close()
	if err := os.RemoveAll(filepath.Join(ix.cfg.Path, oldName)); err != nil {
		ix.log.Warn("cannot remove old index generation", slog.String("generation", oldName), slog.String("error", err.Error()))
	}
	sum.Took = time.Since(start)
	attrs := []any{slog.String("generation", name), slog.Int("written", sum.Documents), slog.Duration("took", sum.Took)}
	if n, err := ix.Count(context.WithoutCancel(ctx)); err == nil {
		attrs = append(attrs, slog.Uint64("documents", n)) // in the index; written counts rewrites too
	}
	ix.log.Info("index rebuilt", attrs...)
	return sum, nil
}

// syncNew syncs the generation a rebuild writes. A panic in bleve (seen when
// the disk is full: after a failed batch, reading the receipts back finds a
// segment already closed) becomes an error: the new generation is thrown
// away, and the live one goes on.
func syncNew(ctx context.Context, next *Index, fsys fs.FS) (sum Summary, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("crashed: %v", r)
			next.log.Error("rebuild crashed", slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
		}
	}()
	return next.Sync(ctx, fsys)
}
