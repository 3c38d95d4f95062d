package indexer

import "errors"

// htmlText returns the main text of an HTML page.
// TODO(formats)
func htmlText(src string) (string, error) { return "", errors.New("HTML not read yet") }
