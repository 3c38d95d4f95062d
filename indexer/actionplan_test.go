package indexer

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParseActionPlans(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "it-ogp-nap3", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 33 {
		t.Fatalf("found %d action files, want 33", len(files))
	}
	titles := map[string]string{}
	for _, f := range files {
		name := filepath.Join("it-ogp-nap3", filepath.Base(f))
		d := parseFixture(t, name)
		if d.Kind != KindCommitment || d.Language != "it" {
			t.Errorf("%s: kind %q language %q, want commitment it", name, d.Kind, d.Language)
		}
		if d.Title == "" || strings.ContainsAny(d.Title, "*\\#\n") {
			t.Errorf("%s: title %q is empty or keeps markup", name, d.Title)
		}
		if want := "Azione " + strings.TrimSuffix(filepath.Base(f), ".md"); d.Reference != want {
			t.Errorf("%s: Reference = %q, want %q", name, d.Reference, want)
		}
		if d.Commitment == nil || d.Commitment.Country != "Italy" {
			t.Errorf("%s: Commitment = %+v, want Country Italy", name, d.Commitment)
		}
		if !strings.Contains(d.Body, "## Descrizione breve") || strings.Contains(d.Body, "\\\n") || strings.Contains(d.Body, "####") {
			t.Errorf("%s: body lacks section headings or keeps pandoc artefacts:\n%s", name, d.Body)
		}
		titles[filepath.Base(f)] = d.Title
	}
	for file, want := range map[string]string{
		"1.md":  "Agenda Nazionale partecipata per la valorizzazione del patrimonio informativo pubblico",
		"3.md":  "FOIA: attuazione e monitoraggio",
		"11.md": "Milano Trasparente: Anagrafe pubblica degli eletti e dei nominati",
		"27.md": "Milano Trasparente: Agenda pubblica degli incontri dei pubblici decisori",
		"2.md":  "Apertura dei dati sulla mobilità attraverso OpenTrasporti",
	} {
		if titles[file] != want {
			t.Errorf("%s title = %q, want %q", file, titles[file], want)
		}
	}
}

func TestParseActionPlanFields(t *testing.T) {
	text := "#### **7.\\\n Esempio**\n\n**Descrizione breve\\\n**Fare *qualcosa* di utile.\n\n" +
		"**Amministrazione responsabile\\\n**Comune di Esempio; Regione Esempio\n\n**Risultati attesi**\n\nTutto, nel 3° Piano d'azione nazionale per il governo aperto.\n"
	d, err := parseText("x.md", text)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindCommitment || d.Title != "Esempio" || d.Reference != "Azione 7" || d.Summary != "Fare qualcosa di utile." {
		t.Errorf("got kind %q title %q ref %q summary %q", d.Kind, d.Title, d.Reference, d.Summary)
	}
	if got := strings.Join(d.Commitment.LeadInstitutions, "|"); got != "Comune di Esempio|Regione Esempio" {
		t.Errorf("LeadInstitutions = %q", got)
	}
	if d.Commitment.ActionPlan != "3° Piano d'azione nazionale per il governo aperto" {
		t.Errorf("ActionPlan = %q", d.Commitment.ActionPlan)
	}
}

// TestActionPlanFrontMatter: staff name a draft's action plan (and a
// country) in its front matter, as the drafts' text does not; a page has
// no plan.
func TestActionPlanFrontMatter(t *testing.T) {
	draft := readFixture(t, "it-ogp-nap3/4.md")
	docs, err := Parse("azione-04.md", []byte("---\nplan: Italy action plan 2016-2018 (consultation draft)\n---\n"+draft), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := docs[0].Commitment
	if docs[0].Kind != KindCommitment || c == nil || c.ActionPlan != "Italy action plan 2016-2018 (consultation draft)" || c.Country != "Italy" || c.Region != "Europe" {
		t.Errorf("draft with a plan: kind %s, commitment %+v", docs[0].Kind, c)
	}
	docs, err = textDocs("p.md", "---\ntitle: A page\nplan: Nothing\ncountry: Italy\n---\nSome text of a page.\n", nil, true, "")
	if err != nil || docs[0].Kind != KindPage || docs[0].Commitment != nil {
		t.Errorf("page with plan and country: %v, kind %s, commitment %+v; want a page without", err, docs[0].Kind, docs[0].Commitment)
	}
	docs, err = textDocs("c.md", "---\ntitle: A commitment\nkind: commitment\ncountry: Italy\n---\nPublish the registry.\n", nil, true, "")
	if err != nil || docs[0].Commitment == nil || docs[0].Commitment.Country != "Italy" {
		t.Errorf("commitment in Markdown with a country: %v, %+v", err, docs[0].Commitment)
	}
	// A region given is kept; with none, only an EU country's is known.
	for _, tc := range []struct{ front, want string }{
		{"country: Georgia\nregion: Europe", "Europe"},
		{"country: Kenya\nregion: Africa and the Middle East", "Africa and the Middle East"},
		{"country: Kenya", ""},
		{"country: slovak republic", "Europe"},
	} {
		docs, err = Parse("c.md", []byte("---\ntitle: A commitment\nkind: commitment\n"+tc.front+"\n---\nPublish the registry.\n"), nil)
		if err != nil || docs[0].Commitment == nil || docs[0].Commitment.Region != tc.want {
			t.Errorf("%q: %v, %+v; want region %q", tc.front, err, docs[0].Commitment, tc.want)
		}
	}
}
