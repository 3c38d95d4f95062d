package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults of WatchConfig.
const (
	DefaultWatchDelay = 300 * time.Millisecond
	DefaultRescan     = 5 * time.Minute
)

// WatchConfig configures Watch. The zero value of every field but Dir is a
// sensible default.
type WatchConfig struct {
	Dir string // corpus folder
	// Delay is how long a changed path must stay quiet (no event, same size
	// and modification time) before it is read, so that files being written
	// are not archived half-written. Default DefaultWatchDelay.
	Delay time.Duration
	// Rescan is how often the whole corpus is synced, to catch what file
	// system events missed. Default DefaultRescan; negative: never.
	Rescan time.Duration
	// Poll, when positive, turns file system events off: the corpus is
	// synced every Poll instead (for network shares, where events do not work).
	Poll   time.Duration
	Logger *slog.Logger // default: the index's logger
	// Synced, if set, is called once the first sync of the whole corpus is
	// done (Watch starts with one).
	Synced func(Summary, error)
	// Applied, if set, is called after every later update with the paths it
	// brought up to date (nil for a sync of the whole corpus).
	Applied func(paths []string, sum Summary, err error)
	// Lag, if set, is kept up to date with the age of the oldest change
	// seen but not yet applied.
	Lag *WatchLag
}

// WatchLag tells how long the oldest corpus change that is not searchable
// yet has waited. It is safe for concurrent use.
type WatchLag struct{ oldest atomic.Int64 }

// Lag returns the wait of the oldest change not applied yet (0: none).
func (l *WatchLag) Lag() time.Duration {
	n := l.oldest.Load()
	if n == 0 {
		return 0
	}
	return time.Since(time.Unix(0, n))
}

// Watch keeps ix up to date with the corpus folder until ctx is done. It
// first syncs the whole corpus, then applies file system changes as they
// happen: created, modified, renamed and removed files, and folders created,
// moved in or moved out. A changed path is read once it has been quiet for
// cfg.Delay; all the paths that have settled are brought up to date in one
// update. Temporary and hidden files are ignored. Symbolic links are not
// followed. Watch returns nil when ctx is done, or an error if the corpus
// cannot be watched at all.
func Watch(ctx context.Context, cfg WatchConfig, ix *Index) error {
	if cfg.Delay <= 0 {
		cfg.Delay = DefaultWatchDelay
	}
	if cfg.Rescan == 0 {
		cfg.Rescan = DefaultRescan
	}
	if cfg.Logger == nil {
		cfg.Logger = ix.log
	}
	root, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return fmt.Errorf("watch %s: %w", cfg.Dir, err)
	}
	info, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	} else if !info.IsDir() {
		return fmt.Errorf("watch: %s is not a folder", cfg.Dir)
	}
	w := &watcher{cfg: cfg, ix: ix, log: cfg.Logger, root: root, fsys: os.DirFS(root), rootInfo: info,
		dirs: map[string]bool{}, pending: map[string]*pendingPath{}}
	if cfg.Poll > 0 {
		return w.poll(ctx)
	}
	w.fw, err = fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w (use polling instead)", cfg.Dir, err)
	}
	defer w.fw.Close()
	if err := w.addTree("."); err != nil {
		return fmt.Errorf("watch %s: %w", cfg.Dir, err)
	}
	return w.run(ctx)
}

// watcher is the state of one Watch.
type watcher struct {
	cfg     WatchConfig
	ix      *Index
	log     *slog.Logger
	root    string // absolute corpus folder
	fsys    fs.FS
	fw      *fsnotify.Watcher
	dirs    map[string]bool         // watched folders, relative to root
	pending map[string]*pendingPath // changed paths not read yet
	settle  settler                 // polling: changed files not read yet

	lastEvent  time.Time // of the last event queued
	readySince time.Time // since when settled paths wait for a pause
	jobOldest  time.Time // first event of the oldest path in the running update
	// failedOldest is when the oldest change that a failed update did not
	// apply was seen (when it failed, for a sync of the whole corpus): the
	// lag goes on from it until a sync of the whole corpus succeeds.
	failedOldest time.Time
	// rootInfo is the corpus folder as it was when watched, and
	// lastChecked when the watches were last checked (see watchesLost).
	rootInfo    os.FileInfo
	lastChecked time.Time
}

// watchCheck is how often the watcher checks that its watches are there.
const watchCheck = 2 * time.Second

// watchesLost reports whether file system events can no longer come for the
// whole corpus: the corpus folder is another one than the one watched (a
// share mounted on it, or unmounted from it: replaced), or watches went
// with their file system while their folders are still there (a folder
// deleted or moved loses its watch before its removal is read). A file
// dropped then would wait for the next rescan. info is the corpus folder.
func (w *watcher) watchesLost() (info os.FileInfo, replaced, lost bool) {
	info, err := os.Stat(w.root)
	if err != nil {
		return nil, false, false // gone: the update says so
	}
	if !os.SameFile(info, w.rootInfo) {
		return info, true, true
	}
	if len(w.fw.WatchList()) >= len(w.dirs) {
		return info, false, false
	}
	live := w.watched()
	for d := range w.dirs {
		p := filepath.Join(w.root, filepath.FromSlash(d))
		if live[p] {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return info, false, true
		}
	}
	return info, false, false
}

// watched returns the folders watched, as absolute paths.
func (w *watcher) watched() map[string]bool {
	live := map[string]bool{}
	for _, p := range w.fw.WatchList() {
		live[p] = true
	}
	return live
}

// rewatch watches the corpus folder (info) again: the folders whose
// watches are gone, or all of them when it is another folder (replaced).
func (w *watcher) rewatch(info os.FileInfo, replaced bool) {
	if replaced {
		for d := range w.dirs {
			_ = w.fw.Remove(filepath.Join(w.root, filepath.FromSlash(d)))
		}
		clear(w.dirs)
	} else {
		live := w.watched()
		for d := range w.dirs {
			if !live[filepath.Join(w.root, filepath.FromSlash(d))] {
				delete(w.dirs, d)
			}
		}
	}
	w.rootInfo = info
	if err := w.addTree("."); err != nil {
		w.log.Warn("watch the corpus again", slog.String("error", err.Error()))
	}
}

// jobDone notes that the running update ended at now. The changes of one
// that failed (a full disk) wait for the sync of the whole corpus that
// retries them, and the lag counts from the oldest of them meanwhile (it
// went back to 0, as if they were searchable).
func (w *watcher) jobDone(r jobResult, now time.Time) {
	switch {
	case r.err != nil:
		oldest := w.jobOldest
		if oldest.IsZero() {
			oldest = now
		}
		if w.failedOldest.IsZero() || oldest.Before(w.failedOldest) {
			w.failedOldest = oldest
		}
	case r.full:
		w.failedOldest = time.Time{}
	}
	w.jobOldest = time.Time{}
}

// reportLag publishes the age of the oldest change not applied yet.
func (w *watcher) reportLag() {
	if w.cfg.Lag == nil {
		return
	}
	oldest := w.jobOldest
	if !w.failedOldest.IsZero() && (oldest.IsZero() || w.failedOldest.Before(oldest)) {
		oldest = w.failedOldest
	}
	for _, p := range w.pending {
		if oldest.IsZero() || p.first.Before(oldest) {
			oldest = p.first
		}
	}
	if oldest.IsZero() {
		w.cfg.Lag.oldest.Store(0)
	} else {
		w.cfg.Lag.oldest.Store(oldest.UnixNano())
	}
}

// pendingPath is a changed path waiting to settle.
type pendingPath struct {
	first time.Time // of the first event not applied yet
	last  time.Time // of the last event or change seen
	stat  fileStat
}

// fileStat is what tells whether a path is still changing.
type fileStat struct {
	exists  bool
	dir     bool
	size    int64
	modTime time.Time
}

// job is one update for the updating goroutine: paths, or the whole corpus when full.
type job struct {
	paths  []string
	full   bool
	settle bool // a full sync that reads a changed file only once it is unchanged since the last scan
}

type jobResult struct {
	job
	sum  Summary
	err  error
	took time.Duration
}

// settler holds back, when polling, the changed files that changed again
// since the scan before: files still being copied.
type settler struct {
	last, cur map[string]fileStat
}

// hold reports whether the changed file name must wait for the next scan.
func (s *settler) hold(name string, size int64, modTime time.Time) bool {
	st := fileStat{exists: true, size: size, modTime: modTime}
	if prev, ok := s.last[name]; ok && prev.size == st.size && prev.modTime.Equal(st.modTime) {
		return false
	}
	if s.cur == nil {
		s.cur = map[string]fileStat{}
	}
	s.cur[name] = st
	return true
}

// next starts the next scan: what this one held back is what it compares with.
func (s *settler) next() {
	s.last, s.cur = s.cur, nil
}

// poll syncs the whole corpus every cfg.Poll.
func (w *watcher) poll(ctx context.Context) error {
	w.log.Info("watching corpus by polling", slog.String("corpus", w.root), slog.Duration("every", w.cfg.Poll))
	first := true
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		// The first scan reads everything, as a start with events does; the
		// next ones read a changed file once it is unchanged since the
		// scan before: a copy onto a network share can take minutes.
		r := w.do(ctx, job{full: true, settle: !first})
		if first {
			first = false
			if w.cfg.Synced != nil {
				w.cfg.Synced(r.sum, r.err)
			}
		} else if w.cfg.Applied != nil && ctx.Err() == nil {
			w.cfg.Applied(nil, r.sum, r.err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// run applies file system events until ctx is done. An updating goroutine
// runs the updates, so that events keep being read while one runs; the paths
// that settle meanwhile wait for it.
func (w *watcher) run(ctx context.Context) error {
	w.log.Info("watching corpus", slog.String("corpus", w.root), slog.Int("folders", len(w.dirs)), slog.Duration("delay", w.cfg.Delay))
	jobs := make(chan job)
	results := make(chan jobResult)
	go func() {
		defer close(results)
		for j := range jobs {
			results <- w.do(ctx, j)
		}
	}()
	defer func() {
		close(jobs)
		for range results {
		}
	}()

	tick := time.NewTicker(min(max(w.cfg.Delay/4, 5*time.Millisecond), 250*time.Millisecond))
	defer tick.Stop()
	var rescan <-chan time.Time
	if w.cfg.Rescan > 0 {
		t := time.NewTicker(w.cfg.Rescan)
		defer t.Stop()
		rescan = t.C
	}
	// The first job syncs the whole corpus; events seen meanwhile wait.
	busy, synced, needFull := true, false, false
	var retryAt time.Time // after a failed update, when to sync the whole corpus
	jobs <- job{full: true}
	for {
		// A path an event queues is the newest pending one: it changes the
		// lag only when nothing was waiting (no scan of every pending path
		// per event while thousands of files are copied in).
		lagUnchanged := false
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fw.Events:
			if !ok {
				return nil
			}
			w.event(ev)
			lagUnchanged = w.cfg.Lag != nil && w.cfg.Lag.oldest.Load() != 0
		case err, ok := <-w.fw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("too many file system events at once; rescanning the corpus")
				needFull = true
			} else {
				w.log.Warn("watch error", slog.String("error", err.Error()))
			}
		case <-rescan:
			needFull = true
		case r := <-results:
			busy = false
			w.jobDone(r, time.Now())
			if !synced {
				synced = true
				if w.cfg.Synced != nil {
					w.cfg.Synced(r.sum, r.err)
				}
			} else if w.cfg.Applied != nil && ctx.Err() == nil {
				w.cfg.Applied(r.paths, r.sum, r.err)
			}
			if r.err != nil && ctx.Err() == nil {
				// What the failed update was to do is found by a full sync,
				// a little later, in case the trouble lasts (a full disk).
				retryAt = time.Now().Add(retryDelay)
			}
		case <-tick.C:
		}
		if !lagUnchanged {
			w.reportLag()
		}
		if now := time.Now(); now.Sub(w.lastChecked) >= watchCheck {
			w.lastChecked = now
			if info, replaced, lost := w.watchesLost(); lost {
				w.log.Warn("the corpus folder's watches are gone (a file system unmounted or mounted again?); watching it again")
				w.rewatch(info, replaced)
				needFull = true
			}
		}
		if busy || ctx.Err() != nil {
			continue
		}
		if !retryAt.IsZero() && time.Now().After(retryAt) {
			retryAt, needFull = time.Time{}, true
		}
		if needFull {
			needFull, busy = false, true
			jobs <- job{full: true}
		} else if paths := w.settled(time.Now()); len(paths) > 0 {
			busy = true
			jobs <- job{paths: paths}
		}
	}
}

// maxLogged is how many of an update's paths the log names.
const maxLogged = 20

// do runs one update and logs what it did.
func (w *watcher) do(ctx context.Context, j job) jobResult {
	start := time.Now()
	var r jobResult
	r.job = j
	var known map[string]bool // the paths with a receipt, or receipts below, before the update
	if j.settle {
		r.sum, r.err = w.ix.update(ctx, w.fsys, nil, w.settle.hold)
		w.settle.next()
	} else if j.full {
		r.sum, r.err = w.ix.Sync(ctx, w.fsys)
	} else {
		known = map[string]bool{}
		for _, p := range j.paths[:min(len(j.paths), maxLogged)] {
			known[p] = w.known(p)
		}
		r.sum, r.err = w.ix.Update(ctx, w.fsys, j.paths)
	}
	r.took = time.Since(start)
	switch {
	case r.err != nil && ctx.Err() != nil:
	case r.err != nil:
		w.log.Error("index update failed", slog.String("error", r.err.Error()))
	case j.full:
		if changed(r.sum) {
			w.log.Info("corpus synced", r.sum.Attrs()...)
		}
	default:
		for i, p := range j.paths {
			if i == maxLogged {
				w.log.Info("…and more", slog.Int("paths", len(j.paths)-maxLogged))
				break
			}
			if a := w.action(p, known[p]); a != "" {
				w.log.Info("corpus change", slog.String("file", p), slog.String("action", a), slog.Duration("took", r.took))
			}
		}
		if len(j.paths) > 1 {
			w.log.Info("corpus changes applied", r.sum.Attrs()...)
		}
	}
	return r
}

// known reports whether the index has a receipt for p or for files below it.
func (w *watcher) known(p string) bool {
	return w.ix.receipt(p) != nil || w.ix.hasFileUnder(p)
}

// action says what became of a path after an update; "" when the path was
// never archived and is not now (a temporary file that came and went, an
// empty folder).
func (w *watcher) action(p string, wasKnown bool) string {
	if r := w.ix.receipt(p); r != nil {
		if r.Error != "" {
			return r.State + ": " + r.Error
		}
		return r.State
	}
	switch {
	case w.ix.hasFileUnder(p):
		return "folder updated"
	case wasKnown:
		return "removed"
	}
	return ""
}

func changed(s Summary) bool {
	return s.Added+s.Updated+s.Removed+s.Failed+s.Documents > 0
}

// event records one file system event.
func (w *watcher) event(ev fsnotify.Event) {
	rel, ok := w.rel(ev.Name)
	if !ok || rel == "." {
		if ok && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
			w.log.Error("the corpus folder itself was removed or renamed", slog.String("corpus", w.root))
		}
		return
	}
	if hidden(rel) {
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// A folder that went away, or was moved out, is no longer watched
		// (inotify would keep watching it where it went).
		w.unwatch(rel)
	}
	st := w.stat(rel)
	if st.dir {
		if ev.Has(fsnotify.Create) {
			// A new folder, or one moved in with files inside: watch it and
			// everything below it; the update walks it.
			if err := w.addTree(rel); err != nil {
				w.log.Warn("cannot watch folder", slog.String("folder", rel), slog.String("error", err.Error()))
			}
		}
		w.queue(rel, st)
		return
	}
	if _, ignored := Ignored(rel); ignored && w.ix.receipt(rel) == nil {
		// Temporaries are not even queued; one with a receipt (from a sync) is, to update it.
		return
	}
	w.queue(rel, st)
}

// rel returns the slash-separated corpus path of an absolute event path.
func (w *watcher) rel(name string) (string, bool) {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// hidden reports whether a part of the path starts with a dot.
func hidden(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return true
		}
	}
	return false
}

func (w *watcher) stat(rel string) fileStat {
	info, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
	if err != nil {
		return fileStat{}
	}
	return fileStat{exists: true, dir: info.IsDir(), size: info.Size(), modTime: info.ModTime()}
}

func (w *watcher) queue(rel string, st fileStat) {
	p := w.pending[rel]
	if p == nil {
		p = &pendingPath{first: time.Now()}
		w.pending[rel] = p
	}
	p.last, p.stat = time.Now(), st
	w.lastEvent = p.last
}

// While files keep arriving, settled paths wait for a pause in the events
// (quiet) so that they go in one update, but no longer than maxWait, and no
// more than maxBatch of them.
const (
	maxWait  = time.Second
	maxBatch = 5000
)

// retryDelay is how long after a failed update the whole corpus is synced.
const retryDelay = 5 * time.Second

// settled returns the pending paths to update now, and forgets them. A path
// is ready when it has been quiet for the delay; a folder also waits while a
// path below it is still changing, as the update reads everything below it.
func (w *watcher) settled(now time.Time) []string {
	var ready []string
	for rel, p := range w.pending {
		if now.Sub(p.last) < w.cfg.Delay {
			continue
		}
		if st := w.stat(rel); st != p.stat {
			p.last, p.stat = now, st
			continue
		}
		if p.stat.dir && w.changingBelow(rel, now) {
			continue
		}
		ready = append(ready, rel)
	}
	if len(ready) == 0 {
		w.readySince = time.Time{}
		return nil
	}
	if w.readySince.IsZero() {
		w.readySince = now
	}
	quiet := now.Sub(w.lastEvent) >= w.cfg.Delay/3
	if !quiet && now.Sub(w.readySince) < maxWait && len(ready) < maxBatch {
		return nil
	}
	w.readySince = time.Time{}
	for _, rel := range ready {
		if f := w.pending[rel].first; w.jobOldest.IsZero() || f.Before(w.jobOldest) {
			w.jobOldest = f
		}
		delete(w.pending, rel)
	}
	sort.Strings(ready)
	return ready
}

func (w *watcher) changingBelow(dir string, now time.Time) bool {
	for rel, p := range w.pending {
		if strings.HasPrefix(rel, dir+"/") && now.Sub(p.last) < w.cfg.Delay {
			return true
		}
	}
	return false
}

// addTree watches the folder rel and every folder below it, except hidden
// ones. Symbolic links to folders are not followed.
func (w *watcher) addTree(rel string) error {
	return fs.WalkDir(w.fsys, rel, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone already; the update will see it
			}
			if errors.Is(err, fs.ErrPermission) && name != "." {
				// The update reports the folder; rescans look at it again.
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name != "." && hidden(name) {
			return fs.SkipDir
		}
		if name == rel && rel != "." {
			if info, err := fs.Lstat(w.fsys, rel); err != nil || info.Mode()&fs.ModeSymlink != 0 {
				return fs.SkipDir
			}
		}
		if w.dirs[name] {
			return nil
		}
		if err := w.fw.Add(filepath.Join(w.root, filepath.FromSlash(name))); err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				return fs.SkipDir
			}
			return fmt.Errorf("watch %s: %w (raise fs.inotify.max_user_watches, or use polling)", name, err)
		}
		w.dirs[name] = true
		return nil
	})
}

// unwatch stops watching the folder rel and the folders below it.
func (w *watcher) unwatch(rel string) {
	if !w.dirs[rel] {
		return
	}
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, rel+"/") {
			// The watch may be gone already, with its folder.
			_ = w.fw.Remove(filepath.Join(w.root, filepath.FromSlash(d)))
			delete(w.dirs, d)
		}
	}
}
