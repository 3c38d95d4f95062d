package site

import (
	"maps"
	"net/http"
	"strings"

	"github.com/archivio/archivio/indexer"
)

// commitmentFacets are the filters of the commitments browser, in display order.
var commitmentFacets = []string{"plan", "country", "region", "institution", "theme", "status", "starred"}

// chartPlans is the most action plans the status chart shows.
const chartPlans = 12

// commitmentsPage is the data of the commitments browser.
type commitmentsPage struct {
	base
	Res      indexer.Results
	Facets   []facetView
	Active   []activeFilter
	ClearURL string
	Pager    pager
	Chart    *chart
	Filtered bool
	First    int
	Last     int
	downloadLinks
}

func (s *Server) commitments(w http.ResponseWriter, r *http.Request) error {
	p := &commitmentsPage{base: s.newBase(w, r, "commitments")}
	p.Title = p.UI.T("commit.title")
	v := searchValues(r)
	v.Del("kind")
	q, err := parseSearch(r.URL.Query())
	if err != nil {
		return err
	}
	q.CountOnly = false
	if q.Filters == nil {
		q.Filters = map[string][]string{}
	}
	delete(q.Filters, "kind")
	p.Active = activeFilters(p.UI, "/commitments", v, q)
	p.Query = q.Text
	p.Filtered = len(p.Active) > 0 || q.Text != ""
	p.Keep = hiddenFields(v, "q", "page")
	q.Filters["kind"] = []string{indexer.KindCommitment}
	if r.URL.Query().Get("size") == "" {
		q.Size = 20
	}
	res, err := s.archive.Search(r.Context(), q)
	if err != nil {
		return err
	}
	p.Res = res
	p.Facets = facetViews(p.UI, "/commitments", v, q, res, commitmentFacets)
	for i := range p.Facets {
		p.Facets[i].Open = true
	}
	if p.Filtered {
		p.ClearURL = "/commitments"
	}
	p.Pager = makePager("/commitments", v, res.Page, res.Size, res.Total)
	dv := maps.Clone(v)
	dv.Set("kind", indexer.KindCommitment)
	p.downloadLinks = newDownloads(p.UI, dv, res.Total, r.URL.Query().Get("size") != "")
	if len(res.Hits) > 0 {
		p.First = (res.Page-1)*res.Size + 1
		p.Last = p.First + len(res.Hits) - 1
	}
	// The chart: for each action plan in the results, the status counts.
	var rows []chartRow
	for i, plan := range res.Facets["plan"] {
		if i == chartPlans {
			break
		}
		pq := indexer.Query{Text: q.Text, From: q.From, To: q.To, CountOnly: true, Filters: map[string][]string{}}
		for k, vals := range q.Filters {
			pq.Filters[k] = vals
		}
		pq.Filters["plan"] = []string{plan.Value}
		pr, err := s.archive.Search(r.Context(), pq)
		if err != nil {
			return err
		}
		row := chartRow{Label: plan.Value, Total: int(pr.Total), Counts: map[string]int{}}
		n := 0
		for _, st := range pr.Facets["status"] {
			row.Counts[st.Value] = st.Count
			n += st.Count
		}
		if rest := row.Total - n; rest > 0 {
			row.Counts[""] = rest
		}
		rows = append(rows, row)
	}
	if len(rows) > 0 {
		p.Chart = newChart(p.UI, rows)
		var notes []string
		if n := res.FacetValues["plan"]; n > len(rows) {
			notes = append(notes, p.UI.T("commit.chartsome", len(rows), n))
		}
		if plans := res.Facets["plan"]; len(plans) == res.FacetValues["plan"] {
			// Every plan is listed: the commitments they leave are those with none.
			rest := int(res.Total)
			for _, pl := range plans {
				rest -= pl.Count
			}
			if rest > 0 {
				notes = append(notes, p.UI.T("commit.chartnoplan", rest))
			}
		}
		p.Chart.Note = strings.Join(notes, " ")
	}
	s.render(w, r, http.StatusOK, "commitments", p)
	return nil
}
