package indexer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/golang/snappy"
)

// docsFile is the document store's file name inside a generation's folder.
const docsFile = "docs.dat"

// A docStore holds the archived documents as JSON, each record compressed
// and checksummed, in one append-only file beside a generation's bleve index;
// the index stores only where each document's record is ("offset:length").
//
// Why not bleve's stored fields: bleve memory-maps its segments, and on this
// kernel a read of one stored document maps a large folio of the file into
// the process (about 480 KB measured per random read), so serving documents
// from the index grows the server's resident memory toward the size of the
// index. Records read with pread leave the page cache outside the process.
//
// Records of replaced or deleted documents stay in the file as garbage until
// the index is rebuilt into a new generation (index --rebuild, SIGHUP).
type docStore struct {
	f *os.File

	mu    sync.Mutex   // serialises appends and syncs; guards dirty
	size  atomic.Int64 // bytes written; readers read it without mu
	dirty bool         // appended since the last sync
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func openDocStore(path string) (*docStore, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open document store: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open document store: %w", err)
	}
	s := &docStore{f: f}
	s.size.Store(info.Size())
	return s, nil
}

// put appends a document's JSON and returns where it is and how many bytes
// its record takes.
func (s *docStore) put(doc []byte) (string, int64, error) {
	rec := make([]byte, 4, 4+snappy.MaxEncodedLen(len(doc)))
	rec = append(rec, snappy.Encode(nil, doc)...)
	binary.LittleEndian.PutUint32(rec, crc32.Checksum(rec[4:], crcTable))
	s.mu.Lock()
	defer s.mu.Unlock()
	off := s.size.Load()
	if _, err := s.f.WriteAt(rec, off); err != nil {
		return "", 0, fmt.Errorf("write document store: %w", err)
	}
	s.size.Add(int64(len(rec)))
	s.dirty = true
	return strconv.FormatInt(off, 10) + ":" + strconv.Itoa(len(rec)), int64(len(rec)), nil
}

// sync makes the records appended so far durable; the index batch that
// points at them is written after it.
func (s *docStore) sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty {
		return nil
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("sync document store: %w", err)
	}
	s.dirty = false
	return nil
}

// maxRecord bounds a record's length as read from the index.
const maxRecord = 256 << 20

// get returns the JSON of the document at loc.
func (s *docStore) get(loc string) ([]byte, error) {
	o, n, ok := strings.Cut(loc, ":")
	off, err1 := strconv.ParseInt(o, 10, 64)
	size, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || off < 0 || size < 4 || size > maxRecord {
		return nil, fmt.Errorf("stored document: bad location %q", loc)
	}
	end := s.size.Load()
	if off+int64(size) > end {
		return nil, fmt.Errorf("stored document: location %q is past the end of the store (%d bytes)", loc, end)
	}
	rec := make([]byte, size)
	if _, err := s.f.ReadAt(rec, off); err != nil {
		return nil, fmt.Errorf("stored document: %w", err)
	}
	if crc32.Checksum(rec[4:], crcTable) != binary.LittleEndian.Uint32(rec) {
		return nil, errors.New("stored document: checksum mismatch (the document store is damaged; rebuild the index)")
	}
	doc, err := snappy.Decode(nil, rec[4:])
	if err != nil {
		return nil, fmt.Errorf("stored document: %w", err)
	}
	return doc, nil
}

func (s *docStore) close() error {
	return s.f.Close()
}
