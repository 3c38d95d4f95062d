package indexer

import "errors"

// docxText extracts the text of a DOCX file.
// TODO(formats)
func docxText(b []byte) (string, error) { return "", errors.New("DOCX not read yet") }
