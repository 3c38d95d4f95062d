package indexer

import "errors"

// pdfText extracts the text of a PDF file.
// TODO(formats)
func pdfText(b []byte) (string, error) { return "", errors.New("PDF not read yet") }
