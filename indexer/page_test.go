package indexer

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePageSeeds(t *testing.T) {
	tests := []struct {
		file, lang, title, date string
		tags                    []string
		inBody, notInBody       []string
	}{
		{
			file: seedName(t, "001"), lang: "en", title: "Pisano on the Digital Transformation of Municipalities", date: "2020-11-11",
			inBody:    []string{"Coordinated regional action for the digitization of municipalities", "Source: MiD"},
			notInBody: []string{"Powered by Blogger"},
		},
		{
			file: seedName(t, "002"), lang: "it", title: "L'impegno della Regione Emilia-Romagna sul tema Open Gov",
			inBody:    []string{"governo aperto", "Linea B4 – Formazione per la cultura partecipativa"},
			notInBody: []string{"partecipazione@regione.emilia-romagna.it", "tel. 051", "\n-\n"},
		},
		{
			file: seedName(t, "003"), lang: "en", title: "Italian use case",
			tags:   []string{"Co-production", "Digital Compass", "Digital Europe Programme", "E-Government", "Interlinkers", "Open Government", "Open Innovation", "Public Services"},
			inBody: []string{"Participatory Strategic Planning Module", "- provide feedback and prioritize actions"},
			notInBody: []string{"Skip to content", "Interlink Work Packages", "Synergies: the eGov cluster", "Menu", "Search", "Close",
				"Privacy Policy", "Cookie Policy", "Get Started", "This project has received funding", "TAGS", "Media Kit"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d := parseFixture(t, tc.file)
			if d.Kind != KindPage || d.Language != tc.lang || d.Title != tc.title || d.Date != tc.date {
				t.Errorf("got kind %q lang %q title %q date %q, want page %q %q %q", d.Kind, d.Language, d.Title, d.Date, tc.lang, tc.title, tc.date)
			}
			if !reflect.DeepEqual(d.Tags, tc.tags) {
				t.Errorf("Tags = %q, want %q", d.Tags, tc.tags)
			}
			for _, s := range tc.inBody {
				if !strings.Contains(d.Body, s) {
					t.Errorf("Body lacks %q", s)
				}
			}
			for _, s := range tc.notInBody {
				if strings.Contains(d.Body, s) {
					t.Errorf("Body contains boilerplate %q", s)
				}
			}
		})
	}
}

// TestPageBoilerplate runs made-up pages with chrome of other shapes:
// none of the chrome words below appear in parsePage's tables by page.
func TestPageBoilerplate(t *testing.T) {
	tests := []struct {
		name, text, title string
		drop, keep        []string
	}{
		{
			name: "cookie banner and mobile menu",
			text: "We use cookies to improve your experience on our website.\nAccept all\nReject\n\n" +
				"- Home\n- About us\n- Our work\n- Publications\n- Contact\n\n" +
				"# Open budgets in small towns\n\nTwelve municipalities published their budgets as open data this year. " +
				"Citizens used them to ask questions at council meetings.\n\n" +
				"- Home\n- About us\n- Our work\n- Publications\n- Contact\n\nShare\nPrint\n\n© 2024 Civic Lab. All rights reserved.\n",
			title: "Open budgets in small towns",
			drop:  []string{"We use cookies", "About us", "Publications", "Share", "Print", "All rights reserved", "Accept all"},
			keep:  []string{"Twelve municipalities published their budgets"},
		},
		{
			name: "Italian portal",
			text: "Vai al contenuto principale\n\n• Chi siamo\n• Servizi\n• Notizie\n• Contatti\n\nCerca\n\n" +
				"Bilancio partecipativo 2025\n\nIl Comune apre la consultazione sul bilancio partecipativo: i cittadini possono proporre progetti fino al 30 giugno.\n\n" +
				"Pubblicato il 12 marzo 2025\n\nCondividi\n\nLeggi anche\n\nAltre notizie\n\nArchivio\n\n" +
				"Informativa privacy\nNote legali\nComune di Esempio - P.IVA 00000000000\nufficio.stampa@comune.esempio.it\n",
			title: "Bilancio partecipativo 2025",
			drop:  []string{"Vai al contenuto", "Chi siamo", "Cerca", "Condividi", "Informativa privacy", "P.IVA", "ufficio.stampa@", "Altre notizie"},
			keep:  []string{"Il Comune apre la consultazione"},
		},
		{
			name: "blog",
			text: "Skip to main content\n\nFreedom of information requests doubled\n\n" +
				"Requests under the new law doubled in the first year, according to the ministry's report published on Monday.\n\n" +
				"Posted by Anna, 3 May 2023\n\nTags: FOI, Transparency\n\nRelated posts\n\nOlder post\n\nPowered by WordPress\n",
			title: "Freedom of information requests doubled",
			drop:  []string{"Powered by", "Related posts", "Older post", "Tags:"},
			keep:  []string{"Requests under the new law doubled"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseText("page.txt", tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if d.Kind != KindPage || d.Title != tc.title {
				t.Errorf("kind %q title %q, want page %q", d.Kind, d.Title, tc.title)
			}
			for _, s := range tc.drop {
				if strings.Contains(d.Body, s) {
					t.Errorf("Body keeps %q:\n%s", s, d.Body)
				}
			}
			for _, s := range tc.keep {
				if !strings.Contains(d.Body, s) {
					t.Errorf("Body lacks %q:\n%s", s, d.Body)
				}
			}
		})
	}
}

func TestPageDateAndTags(t *testing.T) {
	d, err := parseText("p.txt", "A title here\n\nSome prose, with a deadline of 28 February 2021 inside it that is not the date.\n\nPosted by Anna, 3 May 2023\n\nTags: FOI, Transparency\n")
	if err != nil {
		t.Fatal(err)
	}
	if d.Date != "2023-05-03" {
		t.Errorf("Date = %q, want 2023-05-03 (the dateline, not the prose deadline)", d.Date)
	}
	if want := []string{"FOI", "Transparency"}; !reflect.DeepEqual(d.Tags, want) {
		t.Errorf("Tags = %q, want %q", d.Tags, want)
	}
}

// TestPageDateNotUpkeep: the page's dateline, also a long first line ending
// with the date, wins over a "Last updated" line at its foot, which is the
// date only of a page with no other (European Parliament text adopted
// TA-9-2019-0040 as its page reads, shortened).
func TestPageDateNotUpkeep(t *testing.T) {
	const ep = "Texts adopted - Discharge 2017: EU general budget - European Council and Council - Wednesday, 23 October 2019\n\n" +
		"1. Refuses to grant the President of the European Council discharge in respect of the implementation of the budget.\n\n" +
		"Last updated: 30 April 2020\nLegal notice - Privacy policy\n"
	for _, tc := range []struct{ text, want string }{
		{ep, "2019-10-23"},
		{"A notice\n\nThe office moves to the second floor of the building.\n\nUltimo aggiornamento: 12 maggio 2020\n", "2020-05-12"},
		// A long first line ending with a date (a deadline) gives way to a dateline.
		{"The consultation on the draft open data strategy is open to all citizens and organisations until 30 June 2024.\n\nPublished 3 May 2024\n", "2024-05-03"},
	} {
		for _, clean := range []bool{false, true} {
			docs, err := textDocs("p.txt", tc.text, nil, clean, "")
			if err != nil {
				t.Fatal(err)
			}
			if docs[0].Date != tc.want {
				t.Errorf("clean %v: Date = %q, want %s, for\n%s", clean, docs[0].Date, tc.want, tc.text)
			}
		}
	}
}

// TestStructuredTextKeepsShortLists checks that a short list and a table at
// the end of an HTML page read by its structure stay in the text: the menu
// and link-list rules are for text scraped from web pages.
func TestStructuredTextKeepsShortLists(t *testing.T) {
	page := `<html><head><title>Bando contributi 2024</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/contatti">Contatti</a></li></ul></nav>
<main><h1>Bando per contributi alle associazioni</h1>
<p>Il Comune concede contributi alle associazioni che operano nelle province seguenti.</p>
<ul><li>Bergamo</li><li>Brescia</li><li>Cremona</li><li>Mantova</li></ul>
<p>Le domande si presentano entro il 30 giugno 2024 secondo la tabella.</p>
<table><tr><td>Fascia A</td><td>1.000 euro</td></tr><tr><td>Fascia B</td><td>2.000 euro</td></tr><tr><td>Fascia C</td><td>3.000 euro</td></tr></table>
</main></body></html>`
	docs, err := Parse("bando.html", []byte(page), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %v", err)
	}
	for _, want := range []string{"Cremona", "Mantova", "Fascia C", "3.000 euro"} {
		if !strings.Contains(docs[0].Body, want) {
			t.Errorf("body lacks %q:\n%s", want, docs[0].Body)
		}
	}
	if strings.Contains(docs[0].Body, "Contatti") {
		t.Errorf("body keeps the navigation:\n%s", docs[0].Body)
	}
}

// TestWrittenTextKeepsShortLists: a short list in Markdown, or in a text
// file staff gave front matter or a sidecar to, is text, not a menu; so is
// a numbered list, or one after a colon, in scraped text. A scraped text
// file without metadata still loses its menu.
func TestWrittenTextKeepsShortLists(t *testing.T) {
	const list = "The committee discussed the zebra budget at length during the spring meeting.\n\n" +
		"1. first item about quokkaalpha\n2. second item about quokkabeta\n3. third item\n"
	const fm = "---\ntitle: Probe simple\nlanguage: en\n---\n\n"
	tests := []struct {
		name, file, text string
		sidecar          []byte
		kept             bool
	}{
		{"Markdown with front matter", "simple.md", fm + list, nil, true},
		{"Markdown", "simple.md", list, nil, true},
		{"Markdown marked as an opinion", "simple.md", "---\ntitle: Probe\nkind: opinion\n---\n\n## II. AMENDMENTS\n\n" + list, nil, true},
		{"text with front matter", "simple.txt", fm + list, nil, true},
		{"text with a sidecar", "simple.txt", list, []byte("title: Probe simple\n"), true},
		{"scraped text, numbered list", "simple.txt", list, nil, true},
		{"scraped text, list after a colon", "simple.txt", "Its three measures:\n\n- publish contracts quokkaalpha\n- open the register\n- hold third item\n", nil, true},
		{"scraped text, menu", "simple.txt", "Harbour news\n\n- Home\n- quokkaalpha\n- third item\n\nThe harbour committee met on Tuesday and agreed the dues for the coming year.\n", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := Parse(tc.file, []byte(tc.text), tc.sidecar)
			if err != nil {
				t.Fatal(err)
			}
			body := docs[0].Body
			if got := strings.Contains(body, "quokkaalpha") && strings.Contains(body, "third item"); got != tc.kept {
				t.Errorf("list kept = %v, want %v; body:\n%s", got, tc.kept, body)
			}
		})
	}
}

// TestTopMenuWithoutBullets: a menu copied from a browser, one entry a line
// without bullets, goes, and the page keeps its own title; short lines at
// the top that are no menu stay.
func TestTopMenuWithoutBullets(t *testing.T) {
	const article = "Regional council adopts open data plan\n\nThe regional council adopted the open data plan on Tuesday, after a year of consultation.\n"
	docs, err := Parse("menu.txt", []byte("Home\nAbout us\nNews\nContact\nAccept all cookies\n"+article), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[0]; d.Title != "Regional council adopts open data plan" || strings.Contains(d.Body, "About us") {
		t.Errorf("title %q, body:\n%s", d.Title, d.Body)
	}
	docs, err = Parse("titled.txt", []byte("Home\nNews\nContatti\nChi siamo\nTrasparenza\n\nIl comune pubblica ogni anno i dati dei contratti e delle spese per i servizi ai cittadini.\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[0]; !strings.Contains(d.Title+"\n"+d.Body, "Trasparenza") || strings.Contains(d.Body, "Contatti") {
		t.Errorf("menu before a title: title %q, body:\n%s", d.Title, d.Body)
	}
	docs, err = Parse("short.txt", []byte("Open Government\nRegione Emilia-Romagna\nPartecipazione\n"+article), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[0]; !strings.Contains(d.Title+"\n"+d.Body, "Regione Emilia-Romagna") {
		t.Errorf("short lines that are no menu were dropped: title %q, body:\n%s", d.Title, d.Body)
	}
}
