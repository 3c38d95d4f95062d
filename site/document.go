package site

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/archivio/archivio/indexer"
)

// documentPage is the data of a document's page.
type documentPage struct {
	base
	Doc      indexer.Document
	Body     template.HTML // the rendered body, when the document has no numbered paragraphs
	Sections []sectionView
	Related  []relatedDoc
	// RelatedMore are the identifiers that more documents share than
	// Related lists, with a search for all of them.
	RelatedMore []relatedMore
	Previous    []previousView
	OtherRefs   []string // identifiers besides the reference
	KeyPoints   []keyPoint
	Procedure   []indexer.Field
	Permalink   string // absolute URL of the page
	JSONURL     string
}

// keyPoint is one key point of an opinion or factsheet; Para is the
// paragraph it sums up, when the text ends with its number, "(7)".
type keyPoint struct {
	Text string
	Para int
	Href string
}

var trailingParaRef = regexp.MustCompile(`\s*\((\d{1,3})\)[;.]?\s*$`)

// noteMark is a note's mark in a paragraph as rendered: "[1]".
var noteMark = regexp.MustCompile(`\[(\d{1,3})\]`)

// linkNotes links the marks in a paragraph's HTML to the document's notes.
func linkNotes(h template.HTML, notes []indexer.Note) template.HTML {
	if len(notes) == 0 {
		return h
	}
	return template.HTML(noteMark.ReplaceAllStringFunc(string(h), func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		for _, note := range notes {
			if note.Number == n {
				return `<a class="noteref" href="#note-` + strconv.Itoa(n) + `">` + m + `</a>`
			}
		}
		return m
	}))
}

// keyPoints links key points ending with a paragraph number to the paragraph.
func keyPoints(d indexer.Document) []keyPoint {
	have := map[int]bool{}
	for _, p := range d.Paragraphs {
		have[p.Number] = true
	}
	var out []keyPoint
	for _, k := range d.KeyPoints {
		kp := keyPoint{Text: k}
		if m := trailingParaRef.FindStringSubmatchIndex(k); m != nil {
			if n, err := strconv.Atoi(k[m[2]:m[3]]); err == nil && have[n] {
				kp = keyPoint{Text: strings.TrimRight(k[:m[0]], " ;,"), Para: n, Href: documentURL(d.ID, n)}
			}
		}
		out = append(out, kp)
	}
	return out
}

// procedureRows are the rows of the procedure table worth showing: not
// the title again, not empty ones.
func procedureRows(d indexer.Document) []indexer.Field {
	var out []indexer.Field
	for _, f := range d.Procedure {
		v := strings.TrimSpace(f.Value)
		if v == "" || v == "-" || strings.EqualFold(v, "N/A") || strings.EqualFold(v, d.Title) {
			continue
		}
		out = append(out, f)
	}
	return out
}

type sectionView struct {
	Heading string
	Paras   []paraView
	Prose   template.HTML // text outside the numbered paragraphs, instead of them
}

type paraView struct {
	Number    int
	HTML      template.HTML
	Citation  string
	Permalink string
	Href      string
}

type relatedDoc struct {
	Title, Kind, Reference, Date, URL, Language string
}

type relatedMore struct {
	Ref   string
	Total uint64
	URL   string
}

// relatedPerRef is how many documents sharing one identifier a page lists;
// past it, a search lists them all (the commitments of one action plan).
const relatedPerRef = 20

type previousView struct {
	Title, OJ, URL string
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.archive.Doc(ctx, pathVar(r, "id"))
	if err != nil {
		return err
	}
	p := &documentPage{base: s.newBase(w, r, ""), Doc: d}
	p.Title = d.Title
	p.Scripts = true
	p.Permalink = s.absURL(r, documentURL(d.ID, 0))
	p.JSONURL = "/api/documents/" + strings.TrimPrefix(documentURL(d.ID, 0), "/documents/")
	if len(d.Paragraphs) > 0 {
		// Text outside the numbered paragraphs (amendments) stands where it
		// is in the opinion: after the paragraph it follows.
		other := func(after int) error {
			for _, b := range d.OtherText {
				if b.After != after {
					continue
				}
				h, err := s.markdownToHTML(b.Text)
				if err != nil {
					return err
				}
				p.Sections = append(p.Sections, sectionView{Prose: h})
			}
			return nil
		}
		for _, para := range d.Paragraphs {
			if err := other(para.Number - 1); err != nil {
				return err
			}
			if len(p.Sections) == 0 || p.Sections[len(p.Sections)-1].Heading != para.Section || p.Sections[len(p.Sections)-1].Prose != "" {
				p.Sections = append(p.Sections, sectionView{Heading: para.Section})
			}
			h, err := s.markdownToHTML(para.Text)
			if err != nil {
				return err
			}
			sec := &p.Sections[len(p.Sections)-1]
			sec.Paras = append(sec.Paras, paraView{Number: para.Number, HTML: linkNotes(h, d.Notes), Citation: citation(p.UI, d, para.Number),
				Href: documentURL(d.ID, para.Number), Permalink: s.absURL(r, documentURL(d.ID, para.Number))})
		}
		if err := other(d.Paragraphs[len(d.Paragraphs)-1].Number); err != nil {
			return err
		}
	} else if body := dropTitle(d.Body, d.Title); body != "" && !d.BodyRepeatsFacts() {
		if p.Body, err = s.markdownToHTML(body); err != nil {
			return err
		}
	}
	if p.Related, p.RelatedMore, err = s.related(ctx, d); err != nil {
		return err
	}
	if p.Previous, err = s.previous(ctx, d.PreviousOpinions); err != nil {
		return err
	}
	p.KeyPoints, p.Procedure = keyPoints(d), procedureRows(d)
	for _, ref := range d.References {
		if normRef(ref) != normRef(d.Reference) {
			p.OtherRefs = append(p.OtherRefs, ref)
		}
	}
	p.JSONLD = jsonLD(schemaOrg(d, p.Permalink))
	s.render(w, r, http.StatusOK, "document", p)
	return nil
}

// dropTitle removes a first Markdown heading of body that repeats the
// title (the page shows the title as its heading already).
func dropTitle(body, title string) string {
	body = strings.TrimSpace(body)
	first, rest, _ := strings.Cut(body, "\n")
	if !strings.HasPrefix(first, "#") {
		return body
	}
	if t := strings.Trim(strings.TrimSpace(first), "#*_ "); t != "" && strings.EqualFold(t, strings.TrimSpace(title)) {
		return strings.TrimSpace(rest)
	}
	return body
}

// citation is how to cite paragraph n of d.
func citation(u ui, d indexer.Document, n int) string {
	if d.Kind == indexer.KindOpinion && d.Reference != "" {
		return u.T("doc.citeop", d.Reference, n)
	}
	name := d.Title
	if d.Reference != "" {
		name = d.Reference + ", " + d.Title
	}
	return u.T("doc.citedoc", name, n)
}

// related finds the other documents with one of d's identifiers, such as
// the factsheet of an opinion. The index ranks an exact identifier first;
// each candidate is checked against d's identifiers. Past relatedPerRef
// documents for one identifier, more says how many there are.
func (s *Server) related(ctx context.Context, d indexer.Document) (out []relatedDoc, more []relatedMore, err error) {
	refs := map[string]bool{}
	var order []string // the references in the document's order, once each
	for _, ref := range append([]string{d.Reference}, d.References...) {
		if k := normRef(ref); k != "" && !refs[k] {
			refs[k] = true
			order = append(order, k)
		}
	}
	seen := map[string]bool{d.ID: true}
	for _, ref := range order {
		res, err := s.archive.Search(ctx, indexer.Query{Text: ref, Size: relatedPerRef})
		if err != nil {
			var qe *indexer.QueryError
			if errors.As(err, &qe) {
				continue
			}
			return nil, nil, err
		}
		if res.Total > relatedPerRef {
			more = append(more, relatedMore{Ref: ref, Total: res.Total, URL: "/search?q=" + url.QueryEscape(ref)})
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				continue
			}
			if !refs[normRef(h.Reference)] { // else read the hit to look at all its references
				other, err := s.archive.Doc(ctx, h.ID)
				if err != nil {
					return nil, nil, err
				}
				if !sharesRef(other, refs) {
					continue
				}
			}
			seen[h.ID] = true
			out = append(out, relatedDoc{Title: h.Title, Kind: h.Kind, Reference: h.Reference, Date: h.Date, URL: documentURL(h.ID, 0), Language: h.Language})
		}
	}
	return out, more, nil
}

func sharesRef(d indexer.Document, refs map[string]bool) bool {
	for _, ref := range append([]string{d.Reference}, d.References...) {
		if refs[normRef(ref)] {
			return true
		}
	}
	return false
}

// normRef puts an identifier in one form: upper case, single spaces.
func normRef(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// previous links the earlier opinions a procedure table cites to their pages
// when they are in the archive, found by title.
func (s *Server) previous(ctx context.Context, prev []indexer.PreviousOpinion) ([]previousView, error) {
	var out []previousView
	for _, po := range prev {
		v := previousView{Title: po.Title, OJ: po.OJReference}
		title := strings.Join(strings.Fields(strings.ReplaceAll(po.Title, `"`, " ")), " ")
		if title != "" {
			res, err := s.archive.Search(ctx, indexer.Query{Text: `"` + title + `"`, Size: 3})
			var qe *indexer.QueryError
			switch {
			case errors.As(err, &qe):
			case err != nil:
				return nil, err
			default:
				for _, h := range res.Hits {
					if strings.EqualFold(strings.Join(strings.Fields(h.Title), " "), title) {
						v.URL = documentURL(h.ID, 0)
						break
					}
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// schemaOrg describes d for search engines (schema.org, JSON-LD).
func schemaOrg(d indexer.Document, url string) map[string]any {
	typ := "CreativeWork"
	switch d.Kind {
	case indexer.KindOpinion, indexer.KindFactsheet:
		typ = "Report"
	case indexer.KindPage:
		typ = "WebPage"
	}
	m := map[string]any{
		"@context": "https://schema.org", "@type": typ, "name": d.Title, "url": url, "inLanguage": d.Language,
	}
	if d.Reference != "" {
		m["identifier"] = d.Reference
	}
	if d.Date != "" {
		m["datePublished"] = d.Date
	}
	if d.Summary != "" {
		m["abstract"] = d.Summary
	}
	if rp := d.Rapporteur; rp != nil && rp.Name != "" {
		m["author"] = map[string]any{"@type": "Person", "name": rp.Name}
	}
	if d.Kind == indexer.KindOpinion || d.Kind == indexer.KindFactsheet {
		m["publisher"] = map[string]any{"@type": "GovernmentOrganization", "name": "European Committee of the Regions"}
	}
	if len(d.Tags) > 0 {
		m["keywords"] = strings.Join(d.Tags, ", ")
	}
	return m
}

// jsonLD marshals v for a <script type="application/ld+json"> element.
// encoding/json escapes <, > and & as \u003c..., so no text in v can close
// the script element.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(b)
}
