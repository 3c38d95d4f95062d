package indexer

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReceiptBookRoundTrip(t *testing.T) {
	sum := strings.Repeat("0123456789abcdef", 4)
	rome := time.FixedZone("", 3600)
	named, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		named = time.FixedZone("CET", 3600) // no zone database here
	}
	tests := []Receipt{
		{File: "a.md", State: StateArchived, Checksum: sum, Archived: sum, Size: 120, Stored: 99,
			ModTime: time.Date(2026, 11, 23, 9, 0, 0, 123456789, time.UTC), Updated: time.Date(2026, 11, 23, 9, 1, 0, 0, time.UTC),
			Documents: []string{"a", "a#2"}},
		{File: "dir/b.pdf", State: StateFailed, Error: "no text: a scanned PDF", Checksum: strings.ToUpper(sum),
			Archived: sum, Size: 1 << 40, ModTime: time.Date(1999, 1, 2, 3, 4, 5, 0, rome), Documents: []string{"b"}},
		{File: "c.txt", State: StateDuplicate, DuplicateOf: "a.md", Checksum: sum[:63] + "g", Archived: ""},
		{File: "d.txt", State: StateFailed, ConflictsWith: "a.md", Error: "document id a is also in a.md"},
		{File: "e.txt", State: "unknown state", Size: interimSize},
		{File: "", State: StateIgnored, Error: "hidden file"},
		{File: "città/è.md", State: StateArchived, Checksum: "short", Archived: "other", Documents: []string{"ü"}},
		{File: strings.Repeat("long/", 60) + "f.md", State: StateFailed, Error: strings.Repeat("a reason ", 30),
			Checksum: sum, Archived: "", ModTime: time.Date(2026, 7, 1, 12, 0, 0, 0, named), Documents: make([]string, 300)},
	}
	b := newReceiptBook()
	var offs []uint32
	for _, r := range tests {
		offs = append(offs, b.set(r.File, &r))
	}
	for i, r := range tests {
		want, _ := json.Marshal(r)
		got, _ := json.Marshal(b.decode(offs[i]))
		if string(got) != string(want) {
			t.Errorf("receipt %d decoded as\n%s\nwant\n%s", i, got, want)
		}
		if g := b.get(r.File); g == nil || !g.ModTime.Equal(r.ModTime) || !g.Updated.Equal(r.Updated) || g.File != r.File {
			t.Errorf("get(%q) = %+v, want %+v", r.File, g, r)
		}
		if got, want := b.size(offs[i]), r.Size; got != want {
			t.Errorf("size of %q = %d, want %d", r.File, got, want)
		}
	}
	// The zero times stay zero.
	if r := b.get("d.txt"); !r.ModTime.IsZero() || !r.Updated.IsZero() {
		t.Errorf("zero times decoded as %v, %v", r.ModTime, r.Updated)
	}
}

// mapBook is the receipts as maps, as the Index held them before the
// receipt book: the book must answer as it does.
type mapBook struct {
	receipts, published map[string]*Receipt
	owner, sums         map[string]string
}

func (m *mapBook) set(file string, r *Receipt) {
	if old := m.receipts[file]; old != nil {
		for _, id := range old.Documents {
			if m.owner[id] == file {
				delete(m.owner, id)
			}
		}
		if m.sums[old.Archived] == file {
			delete(m.sums, old.Archived)
		}
	}
	if r == nil {
		delete(m.receipts, file)
		return
	}
	m.receipts[file] = r
	for _, id := range r.Documents {
		m.owner[id] = r.File
	}
	if (r.State == StateArchived || r.State == StateFailed && len(r.Documents) > 0) && r.Archived != "" {
		if f, ok := m.sums[r.Archived]; !ok || r.File < f {
			m.sums[r.Archived] = r.File
		}
	}
}

func (m *mapBook) publish(file string, r *Receipt) {
	switch {
	case r == nil:
		delete(m.published, file)
	case r.Size != interimSize:
		m.published[file] = r
	}
}

// TestReceiptBookMatchesMaps runs random updates (files added, replaced
// and removed in batches, documents ids contested, contents shared) on a
// receipt book and on maps, and compares what they answer after each batch:
// with the book's own hash, and with one that gives keys of the same
// length the same hash, so that most keys share theirs with another.
func TestReceiptBookMatchesMaps(t *testing.T) {
	hashes := map[string]func(string) uint64{
		"maphash":   nil,
		"colliding": func(s string) uint64 { return uint64(len(s) % 4) },
	}
	for name, hash := range hashes {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			b := newReceiptBook()
			if hash != nil {
				b.hash = hash
			}
			m := &mapBook{receipts: map[string]*Receipt{}, published: map[string]*Receipt{}, owner: map[string]string{}, sums: map[string]string{}}
			var files, ids, sums []string
			for i := range 14 {
				files = append(files, fmt.Sprintf("%s/f%d.md", strings.Repeat("d", i%3), i))
			}
			for i := range 9 {
				ids = append(ids, fmt.Sprintf("doc%d", i*7))
			}
			for i := range 5 {
				sums = append(sums, fmt.Sprintf("%064x", i*977), fmt.Sprintf("sum-%d", i))
			}
			sums = append(sums, "")
			states := append([]string{"other", ""}, stateCodes...)
			pick := func(s []string) string { return s[rng.IntN(len(s))] }
			// As load does: receipts read from the index, all published.
			for _, f := range files[:5] {
				r := &Receipt{File: f, State: StateArchived, Checksum: sums[0], Archived: sums[0], Documents: []string{f}}
				b.set(f, r)
				m.set(f, r)
			}
			b.publishAll()
			m.published = maps.Clone(m.receipts)
			most := 0
			for batch := range 400 {
				staged := map[string]uint32{}
				stagedMap := map[string]*Receipt{}
				for range 1 + rng.IntN(6) {
					f := pick(files)
					if rng.IntN(5) == 0 {
						staged[f] = b.set(f, nil)
						m.set(f, nil)
						stagedMap[f] = nil
						continue
					}
					r := &Receipt{File: f, State: pick(states), Checksum: pick(sums),
						Size: int64(rng.IntN(3)), Stored: int64(rng.IntN(1000)), Updated: time.Unix(int64(batch), 0).UTC()}
					if rng.IntN(6) == 0 {
						r.Size = interimSize
					}
					r.Archived = r.Checksum
					if rng.IntN(3) == 0 {
						r.Archived = pick(sums)
					}
					switch rng.IntN(4) {
					case 0:
						r.DuplicateOf = pick(files)
					case 1:
						r.ConflictsWith = pick(files)
					}
					for range rng.IntN(3) {
						r.Documents = append(r.Documents, pick(ids))
					}
					staged[f] = b.set(f, r)
					m.set(f, r)
					stagedMap[f] = r
				}
				if batch%7 == 0 {
					b.limit = 0 // compact at this publish
				}
				for f, off := range staged {
					b.publish(f, off)
					m.publish(f, stagedMap[f])
				}
				b.compact()
				compareBook(t, batch, b, m, files, ids, sums)
				if t.Failed() {
					return
				}
				most = max(most, min(b.files.len(), b.published.len(), b.owner.len(), b.sums.len()))
			}
			if most < 3 {
				t.Errorf("the receipts, published receipts, document ids and checksums were never all 3 or more at once: the test compared little")
			}
			if hash != nil && len(b.files.byKey)+len(b.owner.byKey)+len(b.sums.byKey) == 0 {
				t.Error("no key shared its hash with another: the colliding hash tested nothing")
			}
		})
	}
}

func compareBook(t *testing.T, batch int, b *receiptBook, m *mapBook, files, ids, sums []string) {
	t.Helper()
	asJSON := func(r *Receipt) string {
		if r == nil {
			return "none"
		}
		j, _ := json.Marshal(r)
		return string(j)
	}
	for _, f := range files {
		if got, want := asJSON(b.get(f)), asJSON(m.receipts[f]); got != want {
			t.Errorf("batch %d: get(%s) = %s, want %s", batch, f, got, want)
		}
		if got, want := asJSON(b.getPublished(f)), asJSON(m.published[f]); got != want {
			t.Errorf("batch %d: getPublished(%s) = %s, want %s", batch, f, got, want)
		}
	}
	for _, id := range ids {
		f, ok := b.owns(id)
		wf, wok := m.owner[id]
		if f != wf || ok != wok {
			t.Errorf("batch %d: owns(%s) = %q, %v, want %q, %v", batch, id, f, ok, wf, wok)
		}
	}
	for _, s := range sums {
		if got, want := b.sum(s), m.sums[s]; got != want {
			t.Errorf("batch %d: sum(%s) = %q, want %q", batch, s, got, want)
		}
	}
	if got, want := slices.Sorted(b.fileNames()), slices.Sorted(maps.Keys(m.receipts)); !slices.Equal(got, want) {
		t.Errorf("batch %d: files %v, want %v", batch, got, want)
	}
	holders, wantHolders := map[string]bool{}, map[string]bool{}
	for f, docs := range b.publishedFiles() {
		holders[f] = docs
	}
	for f, r := range m.published {
		wantHolders[f] = len(r.Documents) > 0
	}
	if !maps.Equal(holders, wantHolders) {
		t.Errorf("batch %d: published files %v, want %v", batch, holders, wantHolders)
	}
	var published []string
	for r := range b.allPublished() {
		published = append(published, asJSON(r))
	}
	var wantPublished []string
	for _, r := range m.published {
		wantPublished = append(wantPublished, asJSON(r))
	}
	slices.Sort(published)
	slices.Sort(wantPublished)
	if !slices.Equal(published, wantPublished) {
		t.Errorf("batch %d: published receipts %v, want %v", batch, published, wantPublished)
	}
	var stored int64
	for _, r := range m.receipts {
		stored += r.Stored
	}
	if got := b.storedBytes(); got != stored {
		t.Errorf("batch %d: stored bytes %d, want %d", batch, got, stored)
	}
	for _, dir := range []string{"", "d", "dd", "x"} {
		want := false
		for f := range m.receipts {
			want = want || strings.HasPrefix(f, dir+"/")
		}
		if got := b.hasFileUnder(dir); got != want {
			t.Errorf("batch %d: hasFileUnder(%q) = %v, want %v", batch, dir, got, want)
		}
	}
	affected := map[string]bool{files[batch%len(files)]: true, files[(batch+5)%len(files)]: true}
	var dependents []string
	for f, r := range m.receipts {
		if r.State == StateDuplicate && affected[r.DuplicateOf] || r.State == StateFailed && r.ConflictsWith != "" && affected[r.ConflictsWith] {
			dependents = append(dependents, f)
		}
	}
	slices.Sort(dependents)
	if got := b.dependents(affected); !slices.Equal(got, dependents) {
		t.Errorf("batch %d: dependents of %v = %v, want %v", batch, affected, got, dependents)
	}
}

// TestReceiptBookLoadNotCompacted checks that a book read from the index
// (set, then publishAll) is not copied again at the first publish: it holds
// no replaced receipt.
func TestReceiptBookLoadNotCompacted(t *testing.T) {
	b := newReceiptBook()
	for i := range 20_000 {
		f := fmt.Sprintf("folder/file-%05d.md", i)
		b.set(f, &Receipt{File: f, State: StateArchived, Checksum: fmt.Sprintf("%064x", i), Documents: []string{f}})
	}
	b.publishAll()
	loaded := len(b.data)
	if loaded <= minBookCompaction {
		t.Fatalf("the test's book takes %d bytes, want more than %d", loaded, minBookCompaction)
	}
	r := &Receipt{File: "new.md", State: StateArchived}
	b.publish(r.File, b.set(r.File, r))
	before := &b.data[0]
	b.compact()
	if &b.data[0] != before {
		t.Errorf("after one publish, the book read from the index (%d bytes, none replaced) was copied", loaded)
	}
	if b.getPublished("new.md") == nil || b.getPublished("folder/file-00042.md") == nil {
		t.Error("receipts missing after publish")
	}
}

// TestReceiptBookCompacts checks that replacing receipts again and again
// keeps the book's memory bounded by what is in use.
func TestReceiptBookCompacts(t *testing.T) {
	b := newReceiptBook()
	for i := range 200_000 {
		f := fmt.Sprintf("f%d.md", i%100)
		off := b.set(f, &Receipt{File: f, State: StateArchived, Checksum: fmt.Sprintf("%064x", i), Documents: []string{f}})
		b.publish(f, off)
		b.compact()
	}
	if len(b.data) > 2*minBookCompaction {
		t.Errorf("100 receipts replaced 2,000 times each take %d bytes, want at most %d", len(b.data), 2*minBookCompaction)
	}
	if r := b.get("f7.md"); r == nil || r.Checksum != fmt.Sprintf("%064x", 199_907) {
		t.Errorf("after compactions, f7.md's receipt is %+v, want its last version", r)
	}
	if f, _ := b.owns("f7.md"); f != "f7.md" {
		t.Errorf("after compactions, document f7.md is held by %q", f)
	}
}

// BenchmarkReceiptBookManyDocuments sets, again and again, the receipt of
// one file with 40,000 documents (a JSON Lines export), and looks up the
// file holding each id, as an update of that file does.
func BenchmarkReceiptBookManyDocuments(b *testing.B) {
	r := &Receipt{File: "export.jsonl", State: StateArchived, Checksum: fmt.Sprintf("%064x", 1)}
	for i := range 40_000 {
		r.Documents = append(r.Documents, fmt.Sprintf("export~r%d", i))
	}
	book := newReceiptBook()
	book.set(r.File, r)
	for b.Loop() {
		book.set(r.File, r)
		for _, id := range r.Documents {
			if f, ok := book.owns(id); !ok || f != r.File {
				b.Fatalf("owns(%s) = %q, %v", id, f, ok)
			}
		}
	}
}
