package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// visitReceipts calls visit with the JSON of every receipt in generation bi,
// walking the postings of the receipt records and reading each one's stored
// receipt (no search, no sort, no result list).
func visitReceipts(ctx context.Context, bi bleve.Index, visit func([]byte) error) error {
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(ctx, []byte(recFile), fieldRecord, false, false, false)
	if err != nil {
		return err
	}
	defer tfr.Close()
	var tfd index.TermFieldDoc
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, err := tfr.Next(&tfd)
		if err != nil {
			return err
		}
		if d == nil {
			return nil
		}
		id, err := r.ExternalID(d.ID)
		if err != nil {
			return err
		}
		doc, err := r.Document(id)
		if err != nil {
			return err
		}
		receipt := storedField(doc, fieldReceipt)
		if receipt == nil {
			return fmt.Errorf("receipt record %s has no receipt", id)
		}
		if err := visit(receipt); err != nil {
			return err
		}
	}
}
