package indexer

import "errors"

// parseJSON reads a JSON file holding one record or an array of records.
// TODO(formats)
func parseJSON(name, text string) ([]Document, error) { return nil, errors.New("JSON not read yet") }

// parseJSONLines reads JSON Lines, one record per line.
// TODO(formats)
func parseJSONLines(name, text string) ([]Document, error) {
	return nil, errors.New("JSON Lines not read yet")
}
