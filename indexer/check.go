package indexer

import (
	"context"
	"io/fs"
	"log/slog"
	"runtime"
)

// Check parses every file of the corpus without indexing it and returns the
// receipts of the files that cannot be archived, and how many document files it read.
func Check(ctx context.Context, corpus fs.FS, maxFileSize int64) (problems []Receipt, files int, err error) {
	if maxFileSize <= 0 {
		maxFileSize = DefaultMaxFileSize
	}
	ix := &Index{
		cfg:  Config{MaxFileSize: maxFileSize, Workers: runtime.GOMAXPROCS(0)},
		log:  slog.New(slog.DiscardHandler),
		book: newReceiptBook(),
	}
	var cands []candidate
	if err := walkFiles(corpus, ".", func(name string, d fs.DirEntry) {
		name, bad := receiptName(name)
		cands = append(cands, candidate{name: name, badName: bad, link: d.Type()&fs.ModeSymlink != 0})
	}, func(dir string, err error) {
		problems = append(problems, Receipt{File: folderName(dir), State: StateFailed, Error: unreadableFolder(err)})
	}); err != nil {
		return nil, 0, err
	}
	// As an update of an empty index would: the first file (in walk
	// order) with a document id holds it, and a file with the content of
	// another is its duplicate, not a problem.
	for o := range ix.parseAll(ctx, corpus, cands) {
		if o.ignored != "" {
			continue
		}
		files++
		if o.err != nil {
			problems = append(problems, Receipt{File: o.name, State: StateFailed, Error: firstLine(o.err.Error())})
			continue
		}
		if ix.duplicateOf(o.name, o.checksum) != "" {
			continue
		}
		if id, other := ix.conflict(o.name, o.docs); other != "" {
			problems = append(problems, Receipt{File: o.name, State: StateFailed, Error: idConflict(o.name, id, other), ConflictsWith: other})
			continue
		}
		r := &Receipt{File: o.name, State: StateArchived, Archived: o.checksum}
		for _, d := range o.docs {
			r.Documents = append(r.Documents, d.ID)
		}
		ix.setReceipt(o.name, r)
	}
	return problems, files, ctx.Err()
}
