package main

import (
	"context"
	"errors"
	"log/slog"
)

// openArchivio is replaced by the real engine once indexer.Open and
// site.New land on main.
func openArchivio(_ context.Context, _ string, _ *slog.Logger) (engine, error) {
	return nil, errors.New("archivio engine not available yet")
}
