package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/archivio/archivio/indexer"
)

// searchParams are the URL parameters of a search besides the facet filters.
var searchParams = map[string]bool{"q": true, "from": true, "to": true, "sort": true, "page": true, "size": true, "lang": true, "ui": true}

// parseSearch reads a search from URL parameters: q, from, to, sort, page,
// size, more (facets to list whole), and one parameter per facet
// (kind=opinion&commission=ECON). "lang"
// is accepted as a short form of "language". Unknown parameters are errors,
// so that a typo does not silently widen a search (the parameters sites add
// to a shared link never reach it: see dropTracking).
func parseSearch(v url.Values) (indexer.Query, error) {
	q := indexer.Query{
		Text: strings.TrimSpace(v.Get("q")),
		From: v.Get("from"),
		To:   v.Get("to"),
		Sort: v.Get("sort"),
	}
	switch q.Sort {
	case "", indexer.SortRelevance, indexer.SortDate:
	default:
		return q, badRequestf("sort must be relevance or date")
	}
	var err error
	if q.Page, err = intParam(v, "page", 1, 1); err != nil {
		return q, err
	}
	// size=0 asks for counts only: the total and the facets.
	if q.Size, err = intParam(v, "size", indexer.DefaultPageSize, 0); err != nil {
		return q, err
	}
	if q.Size == 0 {
		q.Size, q.CountOnly = indexer.DefaultPageSize, true
	}
	facets := map[string]bool{}
	for _, f := range indexer.FacetNames() {
		facets[f] = true
	}
	for name, vals := range v {
		key := name
		if name == "lang" {
			key = "language"
		}
		if name == "more" {
			// Facets to list whole; may repeat.
			for _, f := range vals {
				if !facets[f] {
					return q, badRequestf("more must name a facet, not %q", f)
				}
				q.More = append(q.More, f)
			}
			continue
		}
		switch {
		case facets[key]:
			for _, val := range vals {
				if val = strings.TrimSpace(val); val != "" {
					if q.Filters == nil {
						q.Filters = map[string][]string{}
					}
					q.Filters[key] = append(q.Filters[key], val)
				}
			}
		case searchParams[name]:
			if len(vals) > 1 {
				return q, badRequestf("%q is given more than once", name)
			}
		default:
			return q, badRequestf("unknown parameter %q", name)
		}
	}
	return q, nil
}

// trackingParam reports whether name is a parameter that sites and mail
// tools add to a link shared through them (utm_source, fbclid, gclid...):
// a shared search link must still work.
func trackingParam(name string) bool {
	switch strings.ToLower(name) {
	case "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "srsltid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
		"igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "_ga", "_gl":
		return true
	}
	return strings.HasPrefix(strings.ToLower(name), "utm_")
}

func intParam(v url.Values, name string, def, least int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < least {
		return 0, badRequestf("%s must be a whole number of at least %d", name, least)
	}
	return n, nil
}

// searchResponse is the JSON answer of /api/search and /api/documents.
type searchResponse struct {
	Query string `json:"query"`
	Took  string `json:"took"`
	indexer.Results
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := parseSearch(r.URL.Query())
	if err != nil {
		return err
	}
	return s.writeSearch(w, r, q)
}

// apiDocuments browses documents, newest first, with the same filters as search.
func (s *Server) apiDocuments(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if v.Get("q") != "" {
		return badRequestf("use /api/search to search; /api/documents only browses")
	}
	q, err := parseSearch(v)
	if err != nil {
		return err
	}
	q.Sort = indexer.SortDate
	return s.writeSearch(w, r, q)
}

// writeSearch runs q and writes the JSON answer, each hit with the URL of its
// page (at the matched paragraph).
func (s *Server) writeSearch(w http.ResponseWriter, r *http.Request, q indexer.Query) error {
	res, err := s.archive.Search(r.Context(), q)
	if err != nil {
		return err
	}
	for i := range res.Hits {
		res.Hits[i].URL = documentURL(res.Hits[i].ID, res.Hits[i].Paragraph)
	}
	writeJSON(w, http.StatusOK, searchResponse{Query: q.Text, Took: res.Took.String(), Results: res})
	return nil
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.archive.Doc(r.Context(), pathVar(r, "id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiHealth(w http.ResponseWriter, r *http.Request) error {
	n, err := s.archive.Count(r.Context())
	if err != nil {
		return err
	}
	// Readiness: 503 until the first update is done, so that a load
	// balancer sends no searches to an index still being built.
	if !s.ready() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "starting", "documents": n})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "documents": n})
	return nil
}

// problem is one corpus file that could not be archived.
type problem struct {
	File  string `json:"file"`
	Error string `json:"error"`
	// Kept is set when an earlier, good version of the file is still served.
	Kept bool `json:"kept_previous_version,omitempty"`
}

func (s *Server) problems(r *http.Request) ([]problem, error) {
	rs, err := s.archive.Receipts(r.Context())
	if err != nil {
		return nil, err
	}
	out := []problem{}
	for _, rc := range rs {
		if rc.State == indexer.StateFailed {
			out = append(out, problem{File: rc.File, Error: rc.Error, Kept: len(rc.Documents) > 0})
		}
	}
	return out, nil
}

func (s *Server) apiProblems(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.problems(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

func (s *Server) apiFiles(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	for name, vals := range v {
		if name != "state" {
			return badRequestf("unknown parameter %q", name)
		}
		if len(vals) > 1 {
			return badRequestf("%q is given more than once", "state")
		}
	}
	state := v.Get("state")
	switch state {
	case "", indexer.StateArchived, indexer.StateFailed, indexer.StateIgnored, indexer.StateDuplicate:
	default:
		return badRequestf("state must be archived, failed, ignored or duplicate")
	}
	rs, err := s.archive.Receipts(r.Context())
	if err != nil {
		return err
	}
	if state != "" {
		var keep []indexer.Receipt
		for _, rc := range rs {
			if rc.State == state {
				keep = append(keep, rc)
			}
		}
		rs = keep
	}
	if rs == nil {
		rs = []indexer.Receipt{}
	}
	writeJSON(w, http.StatusOK, rs)
	return nil
}

// documentURL is the path of a document's page, at a paragraph when n > 0.
func documentURL(id string, n int) string {
	u := "/documents/" + url.PathEscape(id)
	if n > 0 {
		u += "#p" + strconv.Itoa(n)
	}
	return u
}
