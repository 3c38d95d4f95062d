package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// visitReceipts calls visit with the JSON of every receipt in generation bi.
// It walks the postings of the receipt records and reads each one's
// receipt column (doc values), touching no stored document.
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
	dvr, err := r.DocValueReader([]string{fieldReceipt})
	if err != nil {
		return err
	}
	var (
		tfd  index.TermFieldDoc
		verr error
	)
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
		seen := false
		err = dvr.VisitDocValues(d.ID, func(_ string, term []byte) {
			seen = true
			if verr == nil {
				verr = visit(term)
			}
		})
		if err != nil {
			return err
		}
		if verr != nil {
			return verr
		}
		if !seen {
			return fmt.Errorf("receipt record %x has no receipt", []byte(d.ID))
		}
	}
}
