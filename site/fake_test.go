package site

import (
	"context"
	"html"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/archivio/archivio/indexer"
)

// fakeArchive is an in-memory Archive for page tests that need documents
// the parsers on this branch do not produce yet (numbered paragraphs,
// timelines, commitments). Its search is deliberately simple: every word of
// the text must occur in the document (case-insensitive), filters match
// the same facet values the real index derives, newest first.
type fakeArchive struct {
	docs     []indexer.Document
	receipts []indexer.Receipt
}

func (f *fakeArchive) Doc(_ context.Context, id string) (indexer.Document, error) {
	for _, d := range f.docs {
		if d.ID == id {
			return d, nil
		}
	}
	return indexer.Document{}, indexer.ErrNotFound
}

func (f *fakeArchive) Count(context.Context) (uint64, error) { return uint64(len(f.docs)), nil }

func (f *fakeArchive) Receipts(context.Context) ([]indexer.Receipt, error) { return f.receipts, nil }

// fakeFacets are the facet values the index derives from a document.
func fakeFacets(d indexer.Document) map[string][]string { return indexer.FacetValues(&d) }

func (f *fakeArchive) Search(_ context.Context, q indexer.Query) (indexer.Results, error) {
	if utf8.RuneCountInString(q.Text) > indexer.MaxQueryLength {
		return indexer.Results{}, &indexer.QueryError{Msg: "query too long"}
	}
	if q.Page <= 0 {
		q.Page = 1
	}
	if q.Size <= 0 {
		q.Size = indexer.DefaultPageSize
	}
	words := strings.Fields(strings.ToLower(strings.ReplaceAll(q.Text, `"`, " ")))
	var match []indexer.Document
	for _, d := range f.docs {
		text := strings.ToLower(d.Title + " " + d.Reference + " " + strings.Join(d.References, " ") + " " + d.Body)
		ok := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				ok = false
			}
		}
		fv := fakeFacets(d)
		for name, vals := range q.Filters {
			found := false
			for _, v := range vals {
				for _, have := range fv[name] {
					found = found || have == v
				}
			}
			ok = ok && found
		}
		if ok {
			match = append(match, d)
		}
	}
	sort.SliceStable(match, func(i, j int) bool { return match[i].Date > match[j].Date })
	res := indexer.Results{Total: uint64(len(match)), Page: q.Page, Size: q.Size, Hits: []indexer.Hit{}, Facets: map[string][]indexer.FacetValue{}}
	counts := map[string]map[string]int{}
	for _, d := range match {
		for name, vals := range fakeFacets(d) {
			if counts[name] == nil {
				counts[name] = map[string]int{}
			}
			for _, v := range vals {
				counts[name][v]++
			}
		}
	}
	for _, name := range indexer.FacetNames() {
		vals := []indexer.FacetValue{}
		for v, n := range counts[name] {
			vals = append(vals, indexer.FacetValue{Value: v, Count: n})
		}
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		res.Facets[name] = vals
		if res.FacetValues == nil {
			res.FacetValues = map[string]int{}
		}
		res.FacetValues[name] = len(vals)
	}
	lo := min((q.Page-1)*q.Size, len(match))
	hi := min(lo+q.Size, len(match))
	for _, d := range match[lo:hi] {
		h := indexer.Hit{ID: d.ID, Kind: d.Kind, Title: d.Title, Reference: d.Reference, Date: d.Date, Language: d.Language, Source: d.Source, Snippets: []string{}, Commitment: d.Commitment}
		if len(words) > 0 {
			for _, p := range d.Paragraphs {
				if strings.Contains(strings.ToLower(p.Text), words[0]) {
					h.Paragraph, h.Section = p.Number, p.Section
					h.Snippets = append(h.Snippets, html.EscapeString(p.Text))
					break
				}
			}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// fakeDocs are documents shaped like the seeds once parsed: an opinion with
// numbered paragraphs under sections, a factsheet with a timeline, and
// commitments of two action plans.
func fakeDocs() []indexer.Document {
	op := indexer.Document{
		ID: "opinions.econ-vii-038", Kind: indexer.KindOpinion, Language: "en", Date: "2024-11-21",
		Title:     "Challenges and opportunities of artificial intelligence in the public sector",
		Reference: "ECON-VII/038", References: []string{"ECON-VII/038", "COR-2024-01234"},
		Rapporteur: &indexer.Rapporteur{Name: "Alberto CIRIO", Country: "IT", Group: "EPP", Role: "President of the Piedmont Region"},
		Commission: "ECON", Session: "163rd plenary session, 20-21 November 2024", Status: "Adopted",
		PreviousOpinions: []indexer.PreviousOpinion{
			{Title: "Digital Cohesion", OJReference: "OJ C 498, 30/12/2022, p. 39"},
			{Title: "Local and regional perspective on promoting public sector innovation via digital solutions", OJReference: "OJ C 164, 8/5/2018, p. 34"},
		},
		Source: "opinions/econ-vii-038-ai-in-the-public-sector.md",
	}
	for n := 1; n <= 54; n++ {
		sec := "General comments"
		if n > 20 {
			sec = "Skills and capacity"
		}
		text := "stresses point " + strconv.Itoa(n) + " of the opinion on **artificial intelligence** in regions;"
		if n == 7 {
			text = "underlines that procurement of AI systems by local authorities needs clear guidance;"
		}
		op.Paragraphs = append(op.Paragraphs, indexer.Paragraph{Number: n, Section: sec, Text: text})
		op.Body += strconv.Itoa(n) + ". " + text + "\n\n"
	}
	fs := indexer.Document{
		ID: "factsheets.cdr-3529-2017", Kind: indexer.KindFactsheet, Language: "en", Date: "2017-11-30",
		Title:     "Local and regional perspective on promoting public sector innovation via digital solutions",
		Reference: "CDR 3529/2017", References: []string{"CDR 3529/2017"},
		Rapporteur: &indexer.Rapporteur{Name: "CECCONI, Frank", Group: "ALDE"}, Commission: "SEDEC", Status: "Adopted",
		KeyPoints: []string{"The public sector has a crucial economic role to play."},
		Events: []indexer.Event{
			{Date: "2017-06-20", Title: "Referral"}, {Date: "2017-07-11", Title: "Appointment of rapporteur"},
			{Date: "2017-09-28", Title: "Adopted in commission"}, {Date: "2017-11-30", Title: "Adopted in plenary"},
			{Date: "2018-05-08", Title: "Published in the Official Journal"},
		},
		Body: "The public sector has a crucial economic role to play.", Source: "factsheets/cdr-3529-2017-public-sector-innovation.txt",
	}
	docs := []indexer.Document{op, fs}
	for i, c := range []struct{ id, plan, country, status, lead, theme string }{
		{"IT0034", "Italy Action Plan 2016-2018", "Italy", "Substantial", "Municipality of Milan", "Open data"},
		{"IT0007", "Italy Action Plan 2012-2014", "Italy", "Complete", "Ministry of Public Administration", "Transparency"},
		{"IT0030", "Italy Action Plan 2016-2018", "Italy", "Limited", "Department of Public Function", "Participation"},
		{"SK0013", "Slovakia Action Plan 2012-2013", "Slovakia", "Not started", "Government Office", "Open data"},
	} {
		docs = append(docs, indexer.Document{
			ID: "commitments-sample~" + strings.ToLower(c.id), Kind: indexer.KindCommitment, Language: "en",
			Date: "201" + strconv.Itoa(2+i) + "-01-01", Title: "Commitment " + c.id + ": " + c.theme, Reference: c.id, References: []string{c.id},
			Status: c.status, Body: "Commitment text of " + c.id + ".", Source: "commitments-sample.csv",
			Commitment: &indexer.Commitment{Identifier: c.id, ActionPlan: c.plan, ActionPlanID: "AP_" + c.id[:2], Country: c.country,
				Region: "Europe", Level: "National", LeadInstitutions: []string{c.lead}, Themes: []string{c.theme}, Status: c.status,
				Start: "2016-07-01", End: "2018-06-30",
				Assessment: indexer.Assessment{Specificity: "High", PotentialImpact: "Moderate", CompletionEndOfTerm: c.status, Relevance: []string{"Access to Information"}}},
		})
	}
	return docs
}
