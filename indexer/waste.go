package indexer

import (
	"fmt"
	"time"
)

// DefaultMaxStoreWaste is Config.MaxStoreWaste's default.
const DefaultMaxStoreWaste = 64 << 20

// rebuildRetry is how long NeedsRebuild stays quiet after a failed rebuild.
const rebuildRetry = time.Hour

// StoreWaste returns how many bytes of the live generation's document store
// hold no archived document (the records of replaced and removed documents,
// and of batches that failed), and the store's size. The store only grows: a
// record stays in it until a rebuild writes a new store.
func (ix *Index) StoreWaste() (waste, size int64) {
	ix.smu.RLock()
	size = ix.docs.size.Load()
	ix.smu.RUnlock()
	ix.rmu.RLock()
	live := ix.book.storedBytes()
	ix.rmu.RUnlock()
	return max(size-live, 0), size
}

// Outdated says why the live generation must be rebuilt from the corpus
// before it searches as this version of Archivio does, or "": it was written
// by another version. It serves as it is until then.
func (ix *Index) Outdated() string {
	if o := ix.outdated.Load(); o != nil {
		return *o
	}
	return ""
}

// NeedsRebuild says why the index should be rebuilt from the corpus, or ""
// when it need not be: it was written by another version of Archivio, or
// its document store is mostly waste. A rebuild writes a new document store
// with only the archived documents in it: worth it once Config.MaxStoreWaste
// bytes and half the store are records nothing points to any more (a corpus
// whose files are edited or replaced often).
func (ix *Index) NeedsRebuild() string {
	if ix.rebuilding.Load() {
		return ""
	}
	if t := ix.rebuildFailed.Load(); t != 0 && time.Since(time.Unix(0, t)) < rebuildRetry {
		return ""
	}
	if o := ix.Outdated(); o != "" {
		return o
	}
	if ix.cfg.MaxStoreWaste < 0 {
		return ""
	}
	waste, size := ix.StoreWaste()
	if waste < ix.cfg.MaxStoreWaste || waste*2 < size {
		return ""
	}
	return fmt.Sprintf("%s of the %s document store hold replaced or removed documents", byteSize(waste), byteSize(size))
}
