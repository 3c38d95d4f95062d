package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/archivio/archivio/indexer"
)

// httpError is an error with the status and the message to send to the client.
type httpError struct {
	Status int
	Msg    string
	// Format and Args are Msg before it was formatted (see ui.Error).
	Format string
	Args   []any
}

func (e *httpError) Error() string { return e.Msg }

// badRequestf is a 400 whose message the pages can say in their language.
func badRequestf(format string, args ...any) error {
	return &httpError{Status: http.StatusBadRequest, Msg: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// statusClientClosed is nginx's code for a request whose client went away.
const statusClientClosed = 499

// errorStatus maps an error to the HTTP status and the message the client
// sees. Errors that are not the client's are 500 with a generic message.
func errorStatus(err error) (int, string) {
	var he *httpError
	var qe *indexer.QueryError
	switch {
	case errors.As(err, &he):
		return he.Status, he.Msg
	case errors.As(err, &qe):
		return http.StatusBadRequest, qe.Msg
	case errors.Is(err, indexer.ErrNotFound):
		return http.StatusNotFound, "document not found"
	case errors.Is(err, indexer.ErrUnavailable):
		// The server's trouble, but one it says: staff can act on it.
		return http.StatusServiceUnavailable, indexer.ErrUnavailable.Error() + "; try again later"
	case errors.Is(err, indexer.ErrBusy):
		return http.StatusServiceUnavailable, indexer.ErrBusy.Error() + "; try again later"
	case errors.Is(err, context.Canceled):
		// The client went away; nothing went wrong on our side.
		return statusClientClosed, "client closed request"
	}
	return http.StatusInternalServerError, "internal error"
}

// api adapts an error-returning API handler: an error becomes the status and
// a JSON body {"error": "..."}; a 5xx is logged once.
func (s *Server) api(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			status, msg := errorStatus(err)
			retryLater(w, status)
			if status >= 500 {
				s.log.ErrorContext(r.Context(), "api request failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
			}
			writeJSON(w, status, map[string]string{"error": msg})
		}
	})
}

// retryLater tells a client answered 503 (the index is busy or cannot be
// read for now) when to ask again.
func retryLater(w http.ResponseWriter, status int) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
}

// writeJSON writes v as the JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error": "internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// recoverPanics turns a handler panic into a 500 instead of a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "handler panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
