package indexer

import (
	"fmt"
	"time"
)

// defaultMaxStoreWaste is Config.MaxStoreWaste's default.
const defaultMaxStoreWaste = 64 << 20

// rebuildRetry is how long NeedsRebuild stays quiet after a failed rebuild.
const rebuildRetry = time.Hour

// storeUse counts the bytes that the documents of the receipts take in the
// document store. The store only grows: a replaced or removed document's
// record stays in it until a rebuild writes a new store.
type storeUse struct {
	live      int64 // bytes of the documents the receipts list
	uncounted int   // receipts with documents but no byte count (written before it was kept)
}

func (u *storeUse) add(r *Receipt) {
	u.live += r.Stored
	if r.Stored == 0 && len(r.Documents) > 0 {
		u.uncounted++
	}
}

func (u *storeUse) remove(r *Receipt) {
	u.live -= r.Stored
	if r.Stored == 0 && len(r.Documents) > 0 {
		u.uncounted--
	}
}

// StoreWaste returns how many bytes of the live generation's document store
// hold no archived document (the records of replaced and removed documents,
// and of batches that failed), and the store's size. known is false when some
// receipt was written before record sizes were counted: the waste is then
// not known.
func (ix *Index) StoreWaste() (waste, size int64, known bool) {
	ix.smu.RLock()
	size = ix.docs.size.Load()
	ix.smu.RUnlock()
	ix.rmu.RLock()
	use := ix.store
	ix.rmu.RUnlock()
	return max(size-use.live, 0), size, use.uncounted == 0
}

// NeedsRebuild says why the index should be rebuilt from the corpus, or ""
// when it need not be. A rebuild writes a new document store with only the
// archived documents in it: worth it once Config.MaxStoreWaste bytes and
// half the store are records nothing points to any more (a corpus whose files
// are edited or replaced often).
func (ix *Index) NeedsRebuild() string {
	if ix.cfg.MaxStoreWaste < 0 || ix.rebuilding.Load() {
		return ""
	}
	if t := ix.rebuildFailed.Load(); t != 0 && time.Since(time.Unix(0, t)) < rebuildRetry {
		return ""
	}
	waste, size, known := ix.StoreWaste()
	if !known || waste < ix.cfg.MaxStoreWaste || waste*2 < size {
		return ""
	}
	return fmt.Sprintf("%s of the %s document store hold replaced or removed documents", byteSize(waste), byteSize(size))
}
