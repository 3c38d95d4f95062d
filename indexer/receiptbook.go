package indexer

import (
	"encoding/binary"
	"encoding/hex"
	"hash/maphash"
	"iter"
	"maps"
	"math"
	"slices"
	"time"
)

// A receiptBook keeps the receipts of the corpus files in memory without
// pointers for the garbage collector to follow. A server holds one receipt
// per corpus file for as long as it runs: as Go values (a struct, its
// strings, the document ids, four maps keyed by strings) the receipts of
// 100,000 files were 650,000 objects, most of the live heap, and every
// garbage collection a search's allocations started walked them all, which
// lengthened the slowest searches (p99) and doubled the memory they take.
//
// Here each receipt is encoded once, appended to one byte slice and never
// changed; the tables that find them map 64-bit hashes of their keys to
// offsets in that slice (maps without pointers, which the collector does
// not scan). A key whose hash another key already has is kept in a small
// map by string instead. Replaced receipts stay in the slice until it holds
// as many bytes again as it did after the last compaction; then compact,
// called when a batch is published, copies the receipts in use to a new slice.
//
// The book answers what the maps of receipts answered: the receipt of a file
// as the running update sees it (get) and as the index holds it, its batch
// written (published), the file holding a document id (owner) and the file
// archived with a content checksum (sum). The caller holds Index.rmu.
type receiptBook struct {
	hash  func(key string) uint64
	data  []byte // encoded receipts; offset 0 is no receipt
	limit int    // compact when data grows past this

	files     offsets // file -> its receipt, as the running update sees it
	published offsets // file -> its receipt whose batch is written
	owner     offsets // document id -> the receipt of the file holding it, and the id's place in it
	sums      offsets // archived checksum -> the receipt of the file archived with it
}

// An entry is where a key is found: the offset of a receipt and, for a
// document id, where the id is in the receipt (bytes from its start), so
// that a receipt of many ids is not read through for each.
type entry uint64

func entryOf(off, at uint32) entry { return entry(off)<<32 | entry(at) }

func (e entry) off() uint32 { return uint32(e >> 32) }
func (e entry) at() uint32  { return uint32(e) }

func newReceiptBook() *receiptBook {
	seed := maphash.MakeSeed()
	b := &receiptBook{data: []byte{0}, limit: minBookCompaction}
	b.hash = func(key string) uint64 { return maphash.String(seed, key) }
	b.files = newOffsets(b.fileIs)
	b.published = newOffsets(b.fileIs)
	b.owner = newOffsets(b.listsAt)
	b.sums = newOffsets(b.archivedIs)
	return b
}

// minBookCompaction is the size below which the book is not compacted.
const minBookCompaction = 1 << 20

// offsets maps string keys to entries by the keys' hashes.
type offsets struct {
	byHash map[uint64]entry
	// byKey holds the keys whose hash another key in byHash has.
	byKey map[string]entry
	// has reports whether key is at e: the receipt's file, the document
	// id at that place, the receipt's archived checksum.
	has func(e entry, key string) bool
}

func newOffsets(has func(entry, string) bool) offsets {
	return offsets{byHash: map[uint64]entry{}, byKey: map[string]entry{}, has: has}
}

func (x *offsets) get(h uint64, key string) (entry, bool) {
	if off, ok := x.byKey[key]; ok {
		return off, true
	}
	if off, ok := x.byHash[h]; ok && x.has(off, key) {
		return off, true
	}
	return 0, false
}

func (x *offsets) set(h uint64, key string, off entry) {
	if _, ok := x.byKey[key]; ok {
		x.byKey[key] = off
		return
	}
	if old, ok := x.byHash[h]; ok && !x.has(old, key) {
		x.byKey[key] = off // another key has this hash
		return
	}
	x.byHash[h] = off
}

func (x *offsets) remove(h uint64, key string) {
	if _, ok := x.byKey[key]; ok {
		delete(x.byKey, key)
		return
	}
	if old, ok := x.byHash[h]; ok && x.has(old, key) {
		delete(x.byHash, h)
	}
}

func (x *offsets) len() int { return len(x.byHash) + len(x.byKey) }

// all yields the receipt offset of every entry (in no order).
func (x *offsets) all() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for _, e := range x.byHash {
			if !yield(e.off()) {
				return
			}
		}
		for _, e := range x.byKey {
			if !yield(e.off()) {
				return
			}
		}
	}
}

// moveAll moves every entry's receipt from offset o to moved[o].
func (x *offsets) moveAll(moved map[uint32]uint32) {
	for h, e := range x.byHash {
		x.byHash[h] = entryOf(moved[e.off()], e.at())
	}
	for k, e := range x.byKey {
		x.byKey[k] = entryOf(moved[e.off()], e.at())
	}
}

func (x *offsets) clone() offsets {
	return offsets{byHash: maps.Clone(x.byHash), byKey: maps.Clone(x.byKey), has: x.has}
}

// get returns the receipt of file as the running update sees it, or nil.
func (b *receiptBook) get(file string) *Receipt {
	e, ok := b.files.get(b.hash(file), file)
	if !ok {
		return nil
	}
	return b.decode(e.off())
}

// getPublished returns the receipt of file whose batch is written, or nil.
func (b *receiptBook) getPublished(file string) *Receipt {
	e, ok := b.published.get(b.hash(file), file)
	if !ok {
		return nil
	}
	return b.decode(e.off())
}

// set records r as its file's receipt (r nil: file has none) and returns
// the receipt's offset (0 for none), which publish takes once its batch is
// written.
func (b *receiptBook) set(file string, r *Receipt) uint32 {
	h := b.hash(file)
	if old, ok := b.files.get(h, file); ok {
		for id := range b.docs(old.off()) {
			if e, ok := b.owner.get(b.hash(id), id); ok && b.file(e.off()) == file {
				b.owner.remove(b.hash(id), id)
			}
		}
		if sum := b.archived(old.off()); sum != "" {
			if e, ok := b.sums.get(b.hash(sum), sum); ok && b.file(e.off()) == file {
				b.sums.remove(b.hash(sum), sum)
			}
		}
	}
	if r == nil {
		b.files.remove(h, file)
		return 0
	}
	off := b.encode(r)
	b.files.set(h, file, entryOf(off, 0))
	s := b.strings(off)
	end := len(s.p)
	for range s.toDocuments(len(r.Documents)) {
		at := recStrings + uint32(end-len(s.p))
		id := string(s.next())
		b.owner.set(b.hash(id), id, entryOf(off, at))
	}
	// A failed file that keeps its last good version holds that version's
	// content as an archived one does: its copies are its duplicates.
	if (r.State == StateArchived || r.State == StateFailed && len(r.Documents) > 0) && r.Archived != "" {
		hs := b.hash(r.Archived)
		if e, ok := b.sums.get(hs, r.Archived); !ok || r.File < b.file(e.off()) {
			b.sums.set(hs, r.Archived, entryOf(off, 0))
		}
	}
	return off
}

// publish makes the receipt at off (set returned it; 0: none) the
// published receipt of file. An interim receipt (a large file between its
// batches) is not published: the file's last receipt stays until its last
// batch is written.
func (b *receiptBook) publish(file string, off uint32) {
	h := b.hash(file)
	switch {
	case off == 0:
		b.published.remove(h, file)
	case b.size(off) != interimSize:
		b.published.set(h, file, entryOf(off, 0))
	}
}

// publishAll publishes every receipt as the running update sees it (a
// book just read from the index), which holds no replaced receipt.
func (b *receiptBook) publishAll() {
	b.published = b.files.clone()
	b.limit = max(2*len(b.data), minBookCompaction)
}

// owns returns the file holding document id, if any.
func (b *receiptBook) owns(id string) (string, bool) {
	e, ok := b.owner.get(b.hash(id), id)
	if !ok {
		return "", false
	}
	return b.file(e.off()), true
}

// sum returns the file archived with the content checksum, or "".
func (b *receiptBook) sum(checksum string) string {
	e, ok := b.sums.get(b.hash(checksum), checksum)
	if !ok {
		return ""
	}
	return b.file(e.off())
}

// fileNames yields the file of every receipt, as the running update sees
// them (in no order).
func (b *receiptBook) fileNames() iter.Seq[string] {
	return func(yield func(string) bool) {
		for off := range b.files.all() {
			if !yield(b.file(off)) {
				return
			}
		}
	}
}

// hasFileUnder reports whether a receipt, as the running update sees
// them, names a file below the folder dir.
func (b *receiptBook) hasFileUnder(dir string) bool {
	for off := range b.files.all() {
		if f := b.strings(off).file(); len(f) > len(dir) && f[len(dir)] == '/' && string(f[:len(dir)]) == dir {
			return true
		}
	}
	return false
}

// dependents returns the files, sorted, recorded as duplicates of a file in
// affected, or failed because such a file has one of their document ids.
func (b *receiptBook) dependents(affected map[string]bool) []string {
	var out []string
	for off := range b.files.all() {
		if s := b.data[off+recState]; s != stateCode(StateDuplicate) && s != stateCode(StateFailed) {
			continue
		}
		r := b.decode(off)
		if r.State == StateDuplicate && affected[r.DuplicateOf] ||
			r.State == StateFailed && r.ConflictsWith != "" && affected[r.ConflictsWith] {
			out = append(out, r.File)
		}
	}
	slices.Sort(out)
	return out
}

// publishedFiles yields the file of every published receipt and whether
// it lists documents (in no order).
func (b *receiptBook) publishedFiles() iter.Seq2[string, bool] {
	return func(yield func(string, bool) bool) {
		for off := range b.published.all() {
			if !yield(b.file(off), b.docCount(off) > 0) {
				return
			}
		}
	}
}

// allPublished yields every published receipt (in no order).
func (b *receiptBook) allPublished() iter.Seq[*Receipt] {
	return func(yield func(*Receipt) bool) {
		for off := range b.published.all() {
			if !yield(b.decode(off)) {
				return
			}
		}
	}
}

// storedBytes is the sum of the receipts' Stored, as the running update
// sees them.
func (b *receiptBook) storedBytes() int64 {
	var n int64
	for off := range b.files.all() {
		n += b.stored(off)
	}
	return n
}

// compact copies the receipts in use to a new slice once the slice has
// doubled since the last compaction, dropping the replaced ones.
func (b *receiptBook) compact() {
	if len(b.data) <= b.limit {
		return
	}
	moved := map[uint32]uint32{}
	data := make([]byte, 1, len(b.data)/2)
	for _, x := range []*offsets{&b.files, &b.published} {
		for off := range x.all() {
			if _, ok := moved[off]; !ok {
				moved[off] = uint32(len(data))
				data = append(data, b.data[off:off+b.length(off)]...)
			}
		}
	}
	b.data = data
	for _, x := range []*offsets{&b.files, &b.published, &b.owner, &b.sums} {
		x.moveAll(moved)
	}
	b.limit = max(2*len(data), minBookCompaction)
}

// The encoding of a receipt: a fixed part, then the strings, each its
// length (uvarint) and bytes, File first.
const (
	recLength    = 0  // uint32: the length of the whole record
	recState     = 4  // byte: stateCodes index, or stateOther (the state follows File)
	recFlags     = 5  // byte: flagArchivedSame, flagChecksumBinary
	recSize      = 8  // int64
	recStored    = 16 // int64
	recModTime   = 24 // int64 seconds, int32 nanoseconds, int32 zone offset (seconds east of UTC)
	recUpdated   = 40 // the same
	recDocuments = 56 // uint32: how many document ids follow the strings
	recStrings   = 60

	flagArchivedSame   = 1 // Archived is Checksum, not written again
	flagChecksumBinary = 2 // Checksum is 64 lowercase hex digits, written as their 32 bytes
)

const stateOther = 255

var stateCodes = []string{StateArchived, StateFailed, StateIgnored, StateDuplicate}

// stateCode returns the code of state in an encoded receipt.
func stateCode(state string) byte {
	if i := slices.Index(stateCodes, state); i >= 0 {
		return byte(i)
	}
	return stateOther
}

// encode appends r to the book and returns its offset.
func (b *receiptBook) encode(r *Receipt) uint32 {
	off := len(b.data)
	var fixed [recStrings]byte
	b.data = append(b.data, fixed[:]...)
	rec := b.data[off:]
	rec[recState] = stateCode(r.State)
	binary.LittleEndian.PutUint64(rec[recSize:], uint64(r.Size))
	binary.LittleEndian.PutUint64(rec[recStored:], uint64(r.Stored))
	putTime(rec[recModTime:], r.ModTime)
	putTime(rec[recUpdated:], r.Updated)
	binary.LittleEndian.PutUint32(rec[recDocuments:], uint32(len(r.Documents)))
	var flags byte
	b.putString(r.File)
	if rec[recState] == stateOther {
		b.putString(r.State)
	}
	b.putString(r.Error)
	if sum, err := hex.DecodeString(r.Checksum); err == nil && len(sum) == 32 && hex.EncodeToString(sum) == r.Checksum {
		flags |= flagChecksumBinary
		b.putString(string(sum))
	} else {
		b.putString(r.Checksum)
	}
	if r.Archived == r.Checksum {
		flags |= flagArchivedSame
	} else {
		b.putString(r.Archived)
	}
	b.putString(r.DuplicateOf)
	b.putString(r.ConflictsWith)
	for _, id := range r.Documents {
		b.putString(id)
	}
	if len(b.data) > math.MaxUint32 {
		// Four gigabytes of receipts: a corpus this program does not serve.
		panic("receipts take more than 4 GB of memory")
	}
	b.data[off+recFlags] = flags
	binary.LittleEndian.PutUint32(b.data[off+recLength:], uint32(len(b.data)-off))
	return uint32(off)
}

func (b *receiptBook) putString(s string) {
	b.data = binary.AppendUvarint(b.data, uint64(len(s)))
	b.data = append(b.data, s...)
}

func putTime(p []byte, t time.Time) {
	_, zone := t.Zone()
	binary.LittleEndian.PutUint64(p, uint64(t.Unix()))
	binary.LittleEndian.PutUint32(p[8:], uint32(t.Nanosecond()))
	binary.LittleEndian.PutUint32(p[12:], uint32(int32(zone)))
}

func getTime(p []byte) time.Time {
	t := time.Unix(int64(binary.LittleEndian.Uint64(p)), int64(binary.LittleEndian.Uint32(p[8:])))
	if zone := int32(binary.LittleEndian.Uint32(p[12:])); zone != 0 {
		return t.In(time.FixedZone("", int(zone)))
	}
	return t.UTC()
}

func (b *receiptBook) length(off uint32) uint32 {
	return binary.LittleEndian.Uint32(b.data[off+recLength:])
}

func (b *receiptBook) size(off uint32) int64 {
	return int64(binary.LittleEndian.Uint64(b.data[off+recSize:]))
}

func (b *receiptBook) stored(off uint32) int64 {
	return int64(binary.LittleEndian.Uint64(b.data[off+recStored:]))
}

func (b *receiptBook) docCount(off uint32) int {
	return int(binary.LittleEndian.Uint32(b.data[off+recDocuments:]))
}

// strings returns a reader of the strings of the receipt at off.
func (b *receiptBook) strings(off uint32) *recordStrings {
	return &recordStrings{p: b.data[off+recStrings : off+b.length(off)], state: b.data[off+recState], flags: b.data[off+recFlags]}
}

// recordStrings reads the strings of an encoded receipt in order.
type recordStrings struct {
	p            []byte
	state, flags byte
}

func (s *recordStrings) next() []byte {
	n, k := binary.Uvarint(s.p)
	v := s.p[k : k+int(n)]
	s.p = s.p[k+int(n):]
	return v
}

// file reads the file, the first string.
func (s *recordStrings) file() []byte { return s.next() }

// stateAndError reads the state, when it is not one of stateCodes, and the error.
func (s *recordStrings) stateAndError() (state string, err []byte) {
	if int(s.state) < len(stateCodes) {
		state = stateCodes[s.state]
	} else {
		state = string(s.next())
	}
	return state, s.next()
}

// checksums reads the checksum and the archived checksum.
func (s *recordStrings) checksums() (checksum, archived string) {
	sum := s.next()
	if s.flags&flagChecksumBinary != 0 {
		checksum = hex.EncodeToString(sum)
	} else {
		checksum = string(sum)
	}
	archived = checksum
	if s.flags&flagArchivedSame == 0 {
		archived = string(s.next())
	}
	return checksum, archived
}

// toDocuments reads the strings before the document ids and returns how
// many ids follow (n, the record's count).
func (s *recordStrings) toDocuments(n int) int {
	if n == 0 {
		return 0
	}
	s.file()
	s.stateAndError()
	s.checksums()
	s.next() // DuplicateOf
	s.next() // ConflictsWith
	return n
}

func (b *receiptBook) file(off uint32) string {
	return string(b.strings(off).file())
}

func (b *receiptBook) fileIs(e entry, file string) bool {
	return string(b.strings(e.off()).file()) == file
}

func (b *receiptBook) archived(off uint32) string {
	s := b.strings(off)
	s.file()
	s.stateAndError()
	_, archived := s.checksums()
	return archived
}

func (b *receiptBook) archivedIs(e entry, sum string) bool {
	return b.archived(e.off()) == sum
}

// docs yields the document ids of the receipt at off.
func (b *receiptBook) docs(off uint32) iter.Seq[string] {
	return func(yield func(string) bool) {
		s := b.strings(off)
		for range s.toDocuments(b.docCount(off)) {
			if !yield(string(s.next())) {
				return
			}
		}
	}
}

// listsAt reports whether id is the document id at e.
func (b *receiptBook) listsAt(e entry, id string) bool {
	s := recordStrings{p: b.data[e.off()+e.at() : e.off()+b.length(e.off())]}
	return string(s.next()) == id
}

// decode returns the receipt at off.
func (b *receiptBook) decode(off uint32) *Receipt {
	rec := b.data[off:]
	r := &Receipt{
		Size:    b.size(off),
		Stored:  b.stored(off),
		ModTime: getTime(rec[recModTime:]),
		Updated: getTime(rec[recUpdated:]),
	}
	s := b.strings(off)
	r.File = string(s.file())
	var errText []byte
	r.State, errText = s.stateAndError()
	r.Error = string(errText)
	r.Checksum, r.Archived = s.checksums()
	r.DuplicateOf = string(s.next())
	r.ConflictsWith = string(s.next())
	if n := b.docCount(off); n > 0 {
		r.Documents = make([]string, n)
		for i := range r.Documents {
			r.Documents[i] = string(s.next())
		}
	}
	return r
}
