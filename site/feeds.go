package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/archivio/archivio/indexer"
)

// exportSize is the number of hits of a CSV or JSON download when the URL
// does not give a size: its page=N is then the Nth thousand hits.
const exportSize = indexer.MaxExportSize

// atomFeed is an Atom feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string    `xml:"id"`
	Title   string    `xml:"title"`
	Updated string    `xml:"updated"`
	Link    atomLink  `xml:"link"`
	Summary atomText  `xml:"summary"`
	Cat     []atomCat `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// exportQuery reads the search of a feed or download: the same parameters
// as /search. Without an explicit sort, feeds list the newest first.
func exportQuery(r *http.Request, size int) (indexer.Query, error) {
	v := r.URL.Query()
	q, err := parseSearch(v)
	if err != nil {
		return q, err
	}
	if v.Get("sort") == "" && q.Text == "" {
		q.Sort = indexer.SortDate
	}
	if v.Get("size") == "" {
		q.Size = size
	}
	return q, nil
}

func atomTime(date string, fallback time.Time) string {
	if t, err := time.Parse("2006-01-02", date); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return fallback.UTC().Format(time.RFC3339)
}

func (s *Server) searchAtom(w http.ResponseWriter, r *http.Request) error {
	q, err := exportQuery(r, 20)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("sort") == "" {
		q.Sort = indexer.SortDate
	}
	res, err := s.archive.Search(r.Context(), q)
	if err != nil {
		return err
	}
	v := searchValues(r)
	title := "Archivio"
	if q.Text != "" {
		title += ": " + q.Text
	}
	self := s.absURL(r, link("/search.atom", v, nil))
	// The feed is as new as its newest dated entry; undated entries take
	// the feed's time.
	var newest time.Time
	for _, h := range res.Hits {
		if t, err := time.Parse("2006-01-02", h.Date); err == nil && t.After(newest) {
			newest = t
		}
	}
	if newest.IsZero() {
		newest = time.Unix(0, 0)
	}
	f := atomFeed{
		ID: self, Title: title, Updated: newest.UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: self},
			{Rel: "alternate", Type: "text/html", Href: s.absURL(r, link("/search", v, nil))},
		},
		Author: atomAuthor{Name: "Archivio"},
	}
	if next := s.nextPage(w, r, q, res.Total); next != "" {
		// RFC 5005: a feed that goes on in another document.
		f.Links = append(f.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: next})
	}
	for _, h := range res.Hits {
		// The entry is the document; its link goes to the paragraph to cite.
		e := atomEntry{ID: s.absURL(r, documentURL(h.ID, 0)), Title: h.Title, Updated: atomTime(h.Date, newest),
			Link: atomLink{Rel: "alternate", Type: "text/html", Href: s.absURL(r, documentURL(h.ID, h.Paragraph))}, Cat: []atomCat{{Term: h.Kind}}}
		summary := ""
		if h.Paragraph > 0 {
			summary = "¶ " + strconv.Itoa(h.Paragraph)
			if h.Section != "" {
				summary += ", " + html.EscapeString(h.Section)
			}
			summary += ": "
		}
		for _, sn := range h.Snippets {
			summary += sn + " "
		}
		// Snippets are HTML (escaped text with <mark>); the summary says so
		// and encoding/xml escapes it once more as the type requires.
		e.Summary = atomText{Type: "html", Text: summary}
		f.Entries = append(f.Entries, e)
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write([]byte(xml.Header))
	w.Write(b)
	return nil
}

// exportHit is one row of a CSV or JSON download.
type exportHit struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Reference string   `json:"reference,omitempty"`
	Title     string   `json:"title"`
	Date      string   `json:"date,omitempty"`
	Language  string   `json:"language"`
	URL       string   `json:"url"`
	Paragraph int      `json:"paragraph,omitempty"`
	Section   string   `json:"section,omitempty"`
	Source    string   `json:"source"`
	SourceURL string   `json:"source_url,omitempty"` // where it is published
	Tags      []string `json:"tags,omitempty"`
	Score     float64  `json:"score"`
	// Rapporteur is an opinion's rapporteur: name, country, group, role.
	Rapporteur *indexer.Rapporteur `json:"rapporteur,omitempty"`
	// Commitment is a commitment's record: plan, country, institutions,
	// themes, dates, status and the IRM's assessment.
	Commitment *indexer.Commitment `json:"commitment,omitempty"`
}

// nextPage says, in headers, how many hits a download's query has and,
// when they go on past its page, where the next page is; it returns that
// address, or "".
func (s *Server) nextPage(w http.ResponseWriter, r *http.Request, q indexer.Query, total uint64) string {
	w.Header().Set("X-Total-Count", strconv.FormatUint(total, 10))
	next := uint64(q.Page * q.Size)
	if q.CountOnly || next >= total || next >= indexer.MaxResultDepth {
		return ""
	}
	v := r.URL.Query()
	v.Set("page", strconv.Itoa(q.Page+1))
	u := s.absURL(r, link(r.URL.Path, v, nil))
	w.Header().Set("Link", "<"+u+`>; rel="next"`)
	return u
}

func (s *Server) exportHits(w http.ResponseWriter, r *http.Request) (indexer.Query, indexer.Results, []exportHit, error) {
	q, err := exportQuery(r, exportSize)
	if err != nil {
		return q, indexer.Results{}, nil, err
	}
	q.Export = true
	res, err := s.archive.Search(r.Context(), q)
	if err != nil {
		return q, res, nil, err
	}
	s.nextPage(w, r, q, res.Total)
	out := []exportHit{}
	for _, h := range res.Hits {
		out = append(out, exportHit{ID: h.ID, Kind: h.Kind, Reference: h.Reference, Title: h.Title, Date: h.Date,
			Language: h.Language, URL: s.absURL(r, documentURL(h.ID, h.Paragraph)), Paragraph: h.Paragraph,
			Section: h.Section, Source: h.Source, SourceURL: h.SourceURL, Tags: h.Tags, Score: h.Score, Commitment: h.Commitment,
			Rapporteur: h.Rapporteur})
	}
	return q, res, out, nil
}

func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func (s *Server) searchCSV(w http.ResponseWriter, r *http.Request) error {
	_, _, hits, err := s.exportHits(w, r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"id", "kind", "reference", "title", "date", "language", "url", "paragraph", "section", "source",
		"action_plan", "country", "lead_institutions", "themes", "start", "end", "status", "source_url", "tags", "rapporteur", "region", "starred"})
	for _, h := range hits {
		para := ""
		if h.Paragraph > 0 {
			para = strconv.Itoa(h.Paragraph)
		}
		// A commitment's record, for journalists' spreadsheets; empty for other kinds.
		var c indexer.Commitment
		if h.Commitment != nil {
			c = *h.Commitment
		}
		cw.Write([]string{h.ID, h.Kind, csvSafe(h.Reference), csvSafe(h.Title), h.Date, h.Language, h.URL, para, csvSafe(h.Section), csvSafe(h.Source),
			csvSafe(c.ActionPlan), csvSafe(c.Country), csvSafe(strings.Join(c.LeadInstitutions, "; ")), csvSafe(strings.Join(c.Themes, "; ")),
			csvSafe(c.Start), csvSafe(c.End), csvSafe(c.Status), csvSafe(h.SourceURL), csvSafe(strings.Join(h.Tags, "; ")),
			csvSafe(rapporteurCell(h.Rapporteur)), csvSafe(c.Region), c.Assessment.Starred})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	attachment(w, "text/csv; charset=utf-8", "archivio-search.csv")
	w.Write(buf.Bytes())
	return nil
}

// rapporteurCell is a rapporteur as the Official Journal names one:
// "Jozef VISKUPIČ (SK/Renew Europe)".
func rapporteurCell(r *indexer.Rapporteur) string {
	if r == nil {
		return ""
	}
	var of []string
	for _, v := range []string{r.Country, r.Group} {
		if v != "" {
			of = append(of, v)
		}
	}
	if len(of) == 0 {
		return r.Name
	}
	return r.Name + " (" + strings.Join(of, "/") + ")"
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

func (s *Server) searchJSON(w http.ResponseWriter, r *http.Request) error {
	q, res, hits, err := s.exportHits(w, r)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(map[string]any{"query": q.Text, "total": res.Total, "page": res.Page, "size": res.Size, "hits": hits}, "", "  ")
	if err != nil {
		return err
	}
	attachment(w, "application/json; charset=utf-8", "archivio-search.json")
	w.Write(append(b, '\n'))
	return nil
}

// sitemap lists the site's pages for search engines.
type sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapIndex lists the parts of a sitemap too long for one file.
type sitemapIndex struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Parts   []sitemapURL `xml:"sitemap"`
}

// maxSitemapURLs is the most URLs one sitemap file may list (sitemaps.org).
const maxSitemapURLs = 50000

// sitemap lists the site's pages and every document, from the receipts
// (a search stops at indexer.MaxResultDepth hits), with the day its file
// or its metadata file last changed. Past maxSitemapURLs, /sitemap.xml is
// an index of parts, /sitemap.xml?page=N.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) error {
	part, err := intParam(r.URL.Query(), "page", 0, 1)
	if err != nil {
		return err
	}
	receipts, err := s.archive.Receipts(r.Context())
	if err != nil {
		return err
	}
	var urls []sitemapURL
	for _, p := range []string{"/", "/about", "/commitments"} {
		urls = append(urls, sitemapURL{Loc: s.absURL(r, p)})
	}
	modTimes := map[string]time.Time{}
	for _, rc := range receipts {
		modTimes[rc.File] = rc.ModTime
	}
	seen := map[string]bool{}
	for _, rc := range receipts {
		// A document changes with its file and with its metadata file.
		changed := rc.ModTime
		for _, sc := range indexer.MetadataFiles(rc.File) {
			if t := modTimes[sc]; t.After(changed) {
				changed = t
			}
		}
		for _, id := range rc.Documents {
			if !seen[id] {
				seen[id] = true
				u := sitemapURL{Loc: s.absURL(r, documentURL(id, 0))}
				if !changed.IsZero() {
					u.LastMod = changed.UTC().Format("2006-01-02")
				}
				urls = append(urls, u)
			}
		}
	}
	per := s.sitemapSize
	parts := (len(urls) + per - 1) / per
	var sm any = sitemap{URLs: urls}
	switch {
	case part > 0 && parts <= 1:
		return &httpError{Status: http.StatusNotFound, Msg: "the sitemap is one file: /sitemap.xml"}
	case part > parts:
		return &httpError{Status: http.StatusNotFound, Msg: fmt.Sprintf("sitemap page %d not found: it has %d", part, parts)}
	case part > 0:
		sm = sitemap{URLs: urls[(part-1)*per : min(part*per, len(urls))]}
	case parts > 1:
		idx := sitemapIndex{}
		for i := 1; i <= parts; i++ {
			idx.Parts = append(idx.Parts, sitemapURL{Loc: s.absURL(r, "/sitemap.xml?page="+strconv.Itoa(i))})
		}
		sm = idx
	}
	b, err := xml.MarshalIndent(sm, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(b)
	w.Write([]byte("\n"))
	return nil
}
