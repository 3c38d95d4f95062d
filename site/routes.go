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
	for _, rt := range s.apiRoutes() {
		r.Handle(rt.path, s.api(rt.h)).Methods(getMethods...)
	}
	r.Handle("/metrics", s.metricsHandler()).Methods(getMethods...)
	s.pageRoutes(r)
	r.NotFoundHandler = s.apiOrPage(s.notFound)
	r.MethodNotAllowedHandler = s.apiOrPage(s.methodNotAllowed)
	r.Use(s.recoverPanics, s.labelRoute)
	return s.harden(r) // site/middleware.go: wraps 404s too, which r.Use does not
}

// apiRoute is an API path and its handler.
type apiRoute struct {
	path string
	h    func(http.ResponseWriter, *http.Request) error
}

// apiRoutes are the API's paths, each described in openapi.json.
func (s *Server) apiRoutes() []apiRoute {
	return []apiRoute{
		{"/api/search", s.apiSearch},
		{"/api/documents", s.apiDocuments},
		{"/api/documents/{id}", s.apiDocument},
		{"/api/health", s.apiHealth},
		{"/api/health/live", s.apiLive},
		{"/api/openapi.json", s.apiOpenAPI},
		{"/api/problems", s.apiProblems},
		{"/api/files", s.apiFiles},
	}
}

// getMethods are the methods every route takes.
var getMethods = []string{http.MethodGet, http.MethodHead}

// answersJSON reports whether errors at path p are JSON: under /api, and
// the downloads of a search, which scripts fetch as they fetch the API.
func answersJSON(p string) bool {
	switch p {
	case "/api", "/search.json", "/search.csv", "/search.atom":
		return true
	}
	return strings.HasPrefix(p, "/api/")
}

// pageRoutes adds the web pages, feeds, downloads and static files.
func (s *Server) pageRoutes(r *mux.Router) {
	r.Handle("/", s.page(s.home)).Methods(getMethods...)
	r.Handle("/search", s.page(s.search)).Methods(getMethods...)
	r.Handle("/search.atom", s.api(s.searchAtom)).Methods(getMethods...)
	r.Handle("/search.csv", s.api(s.searchCSV)).Methods(getMethods...)
	r.Handle("/search.json", s.api(s.searchJSON)).Methods(getMethods...)
	r.Handle("/documents/{id}", s.page(s.document)).Methods(getMethods...)
	r.Handle("/commitments", s.page(s.commitments)).Methods(getMethods...)
	r.Handle("/about", s.page(s.about)).Methods(getMethods...)
	r.Handle("/sitemap.xml", s.api(s.sitemap)).Methods(getMethods...)
	static := s.static()
	if !s.dev {
		static = cacheStatic(static) // content-hash ETag, 304s (site/middleware.go)
	}
	r.PathPrefix("/static/").Handler(static).Methods(getMethods...)
}

// apiOrPage answers with h's error in JSON where answersJSON, as a page elsewhere.
func (s *Server) apiOrPage(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	api, page := s.api(h), s.page(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answersJSON(r.URL.Path) {
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
