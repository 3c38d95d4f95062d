package site

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// routes builds the router. It is the only place that knows gorilla/mux.
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.StrictSlash(false)
	// API routes on the router itself: gorilla/mux answers a wrong method on
	// a subrouter's route with 404, not 405. The router's handlers answer
	// API paths in JSON (apiOrPage).
	get := []string{http.MethodGet, http.MethodHead}
	for _, rt := range []struct {
		path string
		h    func(http.ResponseWriter, *http.Request) error
	}{
		{"/api/search", s.apiSearch},
		{"/api/documents", s.apiDocuments},
		{"/api/documents/{id}", s.apiDocument},
		{"/api/health", s.apiHealth},
		{"/api/health/live", s.apiLive},
		{"/api/openapi.json", s.apiOpenAPI},
		{"/api/problems", s.apiProblems},
		{"/api/files", s.apiFiles},
	} {
		r.Handle(rt.path, s.api(rt.h)).Methods(get...)
	}
	r.Handle("/metrics", s.metricsHandler()).Methods(get...)
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
	r.NotFoundHandler = s.apiOrPage(s.notFound)
	r.MethodNotAllowedHandler = s.apiOrPage(s.methodNotAllowed)
}

// apiOrPage answers with h's error in JSON under /api/, as a page elsewhere.
func (s *Server) apiOrPage(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	api, page := s.api(h), s.page(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
			api.ServeHTTP(w, r)
			return
		}
		page.ServeHTTP(w, r)
	})
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
