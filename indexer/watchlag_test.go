package indexer

import (
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
