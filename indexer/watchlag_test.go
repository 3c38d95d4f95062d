package indexer

import (
	"errors"
	"testing"
	"time"
)

func TestWatchLag(t *testing.T) {
	var lag WatchLag
	if got := lag.Lag(); got != 0 {
		t.Fatalf("Lag with nothing pending = %v, want 0", got)
	}
	w := &watcher{cfg: WatchConfig{Lag: &lag}, pending: map[string]*pendingPath{}}
	w.pending["a.md"] = &pendingPath{first: time.Now().Add(-2 * time.Second)}
	w.reportLag()
	if got := lag.Lag(); got < 2*time.Second || got > time.Minute {
		t.Errorf("Lag with a change pending for 2s = %v", got)
	}
	delete(w.pending, "a.md")
	w.reportLag()
	if got := lag.Lag(); got != 0 {
		t.Errorf("Lag after the change was applied = %v, want 0", got)
	}
}

// TestWatchLagAfterFailure: the changes of an update that failed (a full
// disk) are not searchable: the lag goes on from the oldest of them, past
// a later update of other paths, until a sync of the whole corpus succeeds.
func TestWatchLagAfterFailure(t *testing.T) {
	var lag WatchLag
	w := &watcher{cfg: WatchConfig{Lag: &lag}, pending: map[string]*pendingPath{}}
	now := time.Now()
	w.jobOldest = now.Add(-3 * time.Second)
	w.jobDone(jobResult{job: job{paths: []string{"a.md"}}, err: errors.New("no space left on device")}, now)
	w.reportLag()
	if got := lag.Lag(); got < 3*time.Second || got > time.Minute {
		t.Errorf("Lag after a failed update of a change 3s old = %v", got)
	}
	w.jobOldest = now.Add(-time.Second)
	w.jobDone(jobResult{job: job{paths: []string{"b.md"}}}, now)
	w.reportLag()
	if got := lag.Lag(); got < 3*time.Second {
		t.Errorf("Lag after another path's update = %v, want it to go on from the failed one", got)
	}
	w.jobDone(jobResult{job: job{full: true}, err: errors.New("no space left on device")}, now)
	w.reportLag()
	if got := lag.Lag(); got < 3*time.Second {
		t.Errorf("Lag after a failed sync of the whole corpus = %v, want it to go on", got)
	}
	w.jobDone(jobResult{job: job{full: true}}, now)
	w.reportLag()
	if got := lag.Lag(); got != 0 {
		t.Errorf("Lag after a sync of the whole corpus = %v, want 0", got)
	}

	// A sync of the whole corpus that fails with nothing pending counts
	// from when it failed.
	w.jobDone(jobResult{job: job{full: true}, err: errors.New("read corpus: the corpus folder has no files")}, now.Add(-5*time.Second))
	w.reportLag()
	if got := lag.Lag(); got < 5*time.Second || got > time.Minute {
		t.Errorf("Lag after a failed first sync 5s ago = %v", got)
	}
}
