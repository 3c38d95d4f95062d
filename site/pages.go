package site

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/archivio/archivio/indexer"
)

// base is what every page template needs: the UI language and strings, the
// title, the current navigation entry and the language switch.
type base struct {
	UI        ui
	Title     string // the page's own title; the layout adds the site name
	Nav       string // current entry of the main navigation: home, search, commitments, about
	Query     string // the text in the search box
	Switch    []langLink
	Alternate string      // URL of the Atom feed of this page, if any
	JSONLD    template.JS // schema.org description of the page, JSON
	Scripts   bool        // load the small progressive-enhancement script
	Dates     *dateForm   // the date-range form of the results page
	// Keep are the filters a new search from the results page keeps (they
	// are shown as active filters, each removable).
	Keep []hiddenField
}

// dateForm is the date-range filter: its values and the other parameters
// of the search, carried as hidden fields.
type dateForm struct {
	From, To string
	Hidden   []hiddenField
}

type hiddenField struct{ Name, Value string }

func (b *base) base() *base { return b }

func (s *Server) newBase(w http.ResponseWriter, r *http.Request, nav string) base {
	lang := uiLanguage(w, r)
	return base{UI: newUI(lang), Nav: nav, Switch: langSwitch(r, lang)}
}

// errorPage is the data of the error page.
type errorPage struct {
	base
	Status int
	Msg    string
}

// page adapts an error-returning page handler: an error becomes an HTML
// error page with the status errorStatus gives it; a 5xx is logged once and
// the visitor sees only a generic message.
func (s *Server) page(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.errorPage(w, r, err)
		}
	})
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := errorStatus(err)
	retryLater(w, status)
	p := &errorPage{base: s.newBase(w, r, ""), Status: status, Msg: msg}
	switch {
	case status == http.StatusNotFound:
		p.Title, p.Msg = p.UI.T("error.notfound"), p.UI.T("error.notfoundhelp")
	case status == http.StatusMethodNotAllowed:
		p.Title, p.Msg = p.UI.T("error.method"), p.UI.Error(err)
	case status >= 500:
		s.log.ErrorContext(r.Context(), "page request failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		p.Title, p.Msg = p.UI.T("error.title"), p.UI.T("error.internal")
	default:
		p.Title, p.Msg = p.UI.T("error.bad"), p.UI.Error(err)
	}
	s.render(w, r, status, "error", p)
}

// homePage is the data of the home page.
type homePage struct {
	base
	Total  uint64
	Kinds  []kindCount
	Recent []indexer.Hit
}

type kindCount struct {
	Kind, Label, URL string
	Count            int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := &homePage{base: s.newBase(w, r, "home")}
	p.Title = p.UI.T("home.title")
	p.Alternate = "/search.atom?sort=date"
	res, err := s.archive.Search(r.Context(), indexer.Query{Sort: indexer.SortDate, Size: 8})
	if err != nil {
		return err
	}
	p.Total, p.Recent = res.Total, res.Hits
	for _, f := range res.Facets["kind"] {
		p.Kinds = append(p.Kinds, kindCount{Kind: f.Value, Label: p.UI.Kinds(f.Value), Count: f.Count, URL: "/search?kind=" + url.QueryEscape(f.Value)})
	}
	p.JSONLD = jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "WebSite", "name": "Archivio", "url": s.absURL(r, "/"),
		"potentialAction": map[string]any{"@type": "SearchAction", "target": s.absURL(r, "/search") + "?q={query}", "query-input": "required name=query"},
	})
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// searchPage is the data of the results page.
type searchPage struct {
	base
	Err       string
	Searched  bool // a query ran (with or without text)
	Res       indexer.Results
	Sort      string
	SortLinks []sortLink
	Facets    []facetView
	Active    []activeFilter
	ClearURL  string
	Pager     pager
	First     int // 1-based position of the first hit on this page
	Last      int
	downloadLinks
}

// downloadLinks are the downloads of a result page: its search as an Atom
// feed, CSV and JSON.
type downloadLinks struct {
	Downloads []download
	// DownloadsCut is how many hits a download holds (exportSize), when
	// the hits are more (0: a download holds them all).
	DownloadsCut int
}

// newDownloads returns the downloads of the search sv, which has total
// hits; with sized, a download holds the page sv asks for.
func newDownloads(u ui, sv url.Values, total uint64, sized bool) downloadLinks {
	d := downloadLinks{Downloads: []download{
		{Label: "Atom", URL: link("/search.atom", sv, nil), Type: "application/atom+xml"},
		{Label: u.T("search.csv"), URL: link("/search.csv", sv, nil), Type: "text/csv"},
		{Label: u.T("search.json"), URL: link("/search.json", sv, nil), Type: "application/json"},
	}}
	if total > exportSize && !sized {
		d.DownloadsCut = exportSize
	}
	return d
}

type sortLink struct {
	Sort, Label, URL string
	Current          bool
}

type facetView struct {
	Name, Label string
	Open        bool
	Values      []facetLink
	Total       int    // values the facet has among the hits
	MoreURL     string // lists them all, when Values does not
}

type facetLink struct {
	Value, Label string
	Lang         string // the label's language, when not the page's (OGP themes are English)
	Count        int
	Active       bool
	URL          string // adds the filter, or removes it when Active
}

type activeFilter struct {
	Facet, Label, Value, RemoveURL string
}

type download struct{ Label, URL, Type string }

// searchValues returns the request's search parameters without those that
// must not carry over to another result page (page, ui).
func searchValues(r *http.Request) url.Values {
	v := r.URL.Query()
	v.Del("page")
	v.Del("ui")
	return v
}

// link returns path with the parameters v, after edit changed a copy of them.
func link(path string, v url.Values, edit func(url.Values)) string {
	c := url.Values{}
	for k, vals := range v {
		c[k] = append([]string(nil), vals...)
	}
	if edit != nil {
		edit(c)
	}
	if enc := c.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// removeFilter returns an edit that removes from the filter of facet name
// the values that name value, as the index matches them (indexer.SameValue:
// removing Italy also removes "italy" and "Italia"). The language facet may
// also be given as "lang" (see parseSearch).
func removeFilter(name, value string) func(url.Values) {
	keys := []string{name}
	if name == "language" {
		keys = append(keys, "lang")
	}
	return func(v url.Values) {
		for _, key := range keys {
			rest := slices.DeleteFunc(slices.Clone(v[key]), func(f string) bool { return indexer.SameValue(name, f, value) })
			if len(rest) > 0 {
				v[key] = rest
			} else {
				delete(v, key)
			}
		}
	}
}

// facetViews builds the facet lists with links that add or remove each
// value, for the facets names, from the results and the active filters.
func facetViews(u ui, path string, v url.Values, q indexer.Query, res indexer.Results, names []string) []facetView {
	var out []facetView
	for _, name := range names {
		// A value is active when a filter names it, as the index matches
		// filters: "Italia" or "italy" for Italy (indexer.SameValue).
		filters := q.Filters[name]
		isActive := func(held string) bool {
			return slices.ContainsFunc(filters, func(f string) bool { return indexer.SameValue(name, f, held) })
		}
		more := slices.Contains(q.More, name)
		fv := facetView{Name: name, Label: u.Facet(name), Open: len(filters) > 0 || more || name == "kind" || name == "year", Total: res.FacetValues[name]}
		if fv.Total > len(res.Facets[name]) && !more {
			fv.MoreURL = link(path, v, func(c url.Values) { c.Add("more", name) })
		}
		for _, f := range res.Facets[name] {
			fl := facetLink{Value: f.Value, Label: u.FacetValue(name, f.Value), Count: f.Count, Active: isActive(f.Value)}
			if name == "theme" && u.Lang != "en" && fl.Label == f.Value {
				fl.Lang = "en"
			}
			if fl.Active {
				fl.URL = link(path, v, removeFilter(name, f.Value))
			} else {
				val := f.Value
				fl.URL = link(path, v, func(c url.Values) { c.Add(name, val) })
			}
			fv.Values = append(fv.Values, fl)
		}
		// A filter that names no listed value is still shown, so it can be removed.
		for _, val := range filters {
			if !slices.ContainsFunc(res.Facets[name], func(f indexer.FacetValue) bool { return indexer.SameValue(name, val, f.Value) }) {
				fv.Values = append(fv.Values, facetLink{Value: val, Label: u.FacetValue(name, val), Active: true, URL: link(path, v, removeFilter(name, val))})
			}
		}
		if len(fv.Values) > 0 {
			out = append(out, fv)
		}
	}
	return out
}

func activeFilters(u ui, path string, v url.Values, q indexer.Query) []activeFilter {
	var out []activeFilter
	for _, name := range indexer.FacetNames() {
		for _, val := range q.Filters[name] {
			out = append(out, activeFilter{Facet: name, Label: u.Facet(name), Value: u.FacetValue(name, val), RemoveURL: link(path, v, removeFilter(name, val))})
		}
	}
	if q.From != "" {
		out = append(out, activeFilter{Facet: "from", Label: u.T("search.from"), Value: q.From, RemoveURL: link(path, v, func(c url.Values) { c.Del("from") })})
	}
	if q.To != "" {
		out = append(out, activeFilter{Facet: "to", Label: u.T("search.to"), Value: q.To, RemoveURL: link(path, v, func(c url.Values) { c.Del("to") })})
	}
	return out
}

// pager is the pagination of a result list.
type pager struct {
	Prev, Next string
	Pages      []pageLink
	// LastURL is set when the page asked for is past the last one (with
	// hits on earlier pages): the last page.
	LastURL string
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // an ellipsis
}

func makePager(path string, v url.Values, page, size int, total uint64) pager {
	last := int((total + uint64(size) - 1) / uint64(size))
	if max := indexer.MaxResultDepth / size; last > max {
		last = max
	}
	at := func(n int) string {
		return link(path, v, func(c url.Values) {
			if n > 1 {
				c.Set("page", strconv.Itoa(n))
			}
		})
	}
	var p pager
	if page > last && total > 0 {
		p.LastURL = at(last)
	}
	if last <= 1 {
		return p
	}
	if page > 1 {
		p.Prev = at(min(page-1, last))
	}
	if page < last {
		p.Next = at(page + 1)
	}
	prev := 0
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < page-2 || n > page+2) {
			continue
		}
		if prev > 0 && n > prev+1 {
			p.Pages = append(p.Pages, pageLink{Gap: true})
		}
		p.Pages = append(p.Pages, pageLink{Number: n, URL: at(n), Current: n == page})
		prev = n
	}
	return p
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	p := &searchPage{base: s.newBase(w, r, "search")}
	v := r.URL.Query()
	p.Query = v.Get("q")
	p.Title = p.UI.T("search.title")
	q, err := parseSearch(v)
	q.CountOnly = false // size=0 means counts only in the API; a page shows hits
	var res indexer.Results
	if err == nil {
		res, err = s.archive.Search(r.Context(), q)
	}
	if err != nil {
		status, _ := errorStatus(err)
		if status >= 500 {
			return err
		}
		p.Err = p.UI.Error(err)
		p.Title = p.UI.T("search.error")
		// The filters and dates as given, to mend and search again.
		sv := searchValues(r)
		p.Dates = &dateForm{From: v.Get("from"), To: v.Get("to"), Hidden: hiddenFields(sv, "from", "to")}
		p.Keep = hiddenFields(sv, "q", "page")
		s.render(w, r, status, "search", p)
		return nil
	}
	if q.Text != "" {
		p.Title = p.UI.T("search.title") + ": " + q.Text
	}
	p.Searched, p.Res, p.Sort = true, res, q.Sort
	if p.Sort == "" {
		p.Sort = indexer.SortRelevance
		if q.Text == "" {
			p.Sort = indexer.SortDate
		}
	}
	sv := searchValues(r)
	if q.Text != "" {
		for _, so := range []sortLink{{Sort: indexer.SortRelevance, Label: p.UI.T("search.relevance")}, {Sort: indexer.SortDate, Label: p.UI.T("search.date")}} {
			so.Current = so.Sort == p.Sort
			so.URL = link("/search", sv, func(c url.Values) { c.Set("sort", so.Sort) })
			p.SortLinks = append(p.SortLinks, so)
		}
	}
	p.Facets = facetViews(p.UI, "/search", sv, q, res, indexer.FacetNames())
	p.Active = activeFilters(p.UI, "/search", sv, q)
	if len(p.Active) > 0 {
		p.ClearURL = link("/search", url.Values{}, func(c url.Values) {
			if q.Text != "" {
				c.Set("q", q.Text)
			}
		})
	}
	p.Pager = makePager("/search", sv, res.Page, res.Size, res.Total)
	if len(res.Hits) > 0 {
		p.First = (res.Page-1)*res.Size + 1
		p.Last = p.First + len(res.Hits) - 1
	}
	p.Dates = &dateForm{From: q.From, To: q.To, Hidden: hiddenFields(sv, "from", "to")}
	p.Keep = hiddenFields(sv, "q", "page")
	p.Alternate = link("/search.atom", sv, nil)
	p.downloadLinks = newDownloads(p.UI, sv, res.Total, v.Get("size") != "")
	s.render(w, r, http.StatusOK, "search", p)
	return nil
}

// aboutPage is the data of the page for staff.
type aboutPage struct {
	base
	Total    uint64
	Problems []problem
}

func (s *Server) about(w http.ResponseWriter, r *http.Request) error {
	p := &aboutPage{base: s.newBase(w, r, "about")}
	p.Title = p.UI.T("about.title")
	var err error
	if p.Total, err = s.archive.Count(r.Context()); err != nil {
		return err
	}
	if p.Problems, err = s.problems(r); err != nil {
		return err
	}
	sort.Slice(p.Problems, func(i, j int) bool { return p.Problems[i].File < p.Problems[j].File })
	s.render(w, r, http.StatusOK, "about", p)
	return nil
}

// notFound answers any path no route matches.
func (s *Server) notFound(_ http.ResponseWriter, r *http.Request) error {
	if answersJSON(r.URL.Path) {
		return &httpError{Status: http.StatusNotFound, Msg: "no such API endpoint"}
	}
	return &httpError{Status: http.StatusNotFound, Msg: "not found"}
}

// methodNotAllowed answers a method other than GET or HEAD on a known path
// (every route takes those two).
func (s *Server) methodNotAllowed(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Allow", strings.Join(getMethods, ", "))
	return &httpError{Status: http.StatusMethodNotAllowed, Msg: "method not allowed", Format: "method not allowed"}
}

// hiddenFields returns the parameters of v but those named in leave, as
// the hidden fields of a form that changes them.
func hiddenFields(v url.Values, leave ...string) []hiddenField {
	var out []hiddenField
	for _, k := range sortedKeys(v) {
		if slices.Contains(leave, k) {
			continue
		}
		for _, val := range v[k] {
			out = append(out, hiddenField{Name: k, Value: val})
		}
	}
	return out
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// absURL is the absolute URL of path on this site.
func (s *Server) absURL(r *http.Request, path string) string {
	if s.baseURL != "" {
		return s.baseURL + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
