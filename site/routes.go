package site

import (
	"net/http"

	"github.com/gorilla/mux"
)

// routes builds the router. It is the only place that knows gorilla/mux.
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.StrictSlash(false)
	api := r.PathPrefix("/api").Subrouter()
	api.Handle("/search", s.api(s.apiSearch)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/documents", s.api(s.apiDocuments)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/documents/{id}", s.api(s.apiDocument)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/health", s.api(s.apiHealth)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/problems", s.api(s.apiProblems)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/files", s.api(s.apiFiles)).Methods(http.MethodGet, http.MethodHead)
	api.NotFoundHandler = s.api(func(http.ResponseWriter, *http.Request) error {
		return &httpError{Status: http.StatusNotFound, Msg: "no such API endpoint"}
	})
	api.MethodNotAllowedHandler = s.api(func(http.ResponseWriter, *http.Request) error {
		return &httpError{Status: http.StatusMethodNotAllowed, Msg: "method not allowed"}
	})
	s.pageRoutes(r)
	r.Use(s.recoverPanics, s.logRequests)
	return r
}

// pageRoutes adds the web pages.
func (s *Server) pageRoutes(r *mux.Router) {
	r.NotFoundHandler = s.api(func(http.ResponseWriter, *http.Request) error {
		return &httpError{Status: http.StatusNotFound, Msg: "not found"}
	})
}

// pathVar returns the path variable name of the matched route.
func pathVar(r *http.Request, name string) string { return mux.Vars(r)[name] }
