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
	api.Handle("/health/live", s.api(s.apiLive)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/openapi.json", s.api(s.apiOpenAPI)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", s.metricsHandler()).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/problems", s.api(s.apiProblems)).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/files", s.api(s.apiFiles)).Methods(http.MethodGet, http.MethodHead)
	api.NotFoundHandler = s.api(func(http.ResponseWriter, *http.Request) error {
		return &httpError{Status: http.StatusNotFound, Msg: "no such API endpoint"}
	})
	api.MethodNotAllowedHandler = s.api(func(http.ResponseWriter, *http.Request) error {
		return &httpError{Status: http.StatusMethodNotAllowed, Msg: "method not allowed"}
	})
	s.pageRoutes(r)
	r.Use(s.recoverPanics, s.labelRoute)
	return s.harden(r) // site/middleware.go: wraps 404s too, which r.Use does not
}

// pageRoutes adds the web pages, feeds, downloads and static files.
func (s *Server) pageRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.Handle("/", s.page(s.home)).Methods(get...)
	r.Handle("/search", s.page(s.search)).Methods(get...)
	r.Handle("/search.atom", s.api(s.searchAtom)).Methods(get...)
	r.Handle("/search.csv", s.api(s.searchCSV)).Methods(get...)
	r.Handle("/search.json", s.api(s.searchJSON)).Methods(get...)
	r.Handle("/documents/{id}", s.page(s.document)).Methods(get...)
	r.Handle("/commitments", s.page(s.commitments)).Methods(get...)
	r.Handle("/about", s.page(s.about)).Methods(get...)
	r.Handle("/sitemap.xml", s.api(s.sitemap)).Methods(get...)
	static := s.static()
	if !s.dev {
		static = cacheStatic(static) // content-hash ETag, 304s (site/middleware.go)
	}
	r.PathPrefix("/static/").Handler(static).Methods(get...)
	r.NotFoundHandler = s.page(s.notFound)
	r.MethodNotAllowedHandler = s.page(s.methodNotAllowed)
}

// routeTemplate returns the path template of the route r matched, or "".
func routeTemplate(r *http.Request) string {
	if rt := mux.CurrentRoute(r); rt != nil {
		t, _ := rt.GetPathTemplate()
		return t
	}
	return ""
}

// pathVar returns the path variable name of the matched route.
func pathVar(r *http.Request, name string) string { return mux.Vars(r)[name] }
