package indexer

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestHTMLText(t *testing.T) {
	tests := []struct {
		file      string
		firstLine string
		keep      []string
		drop      []string
	}{
		{
			file:      "news.html",
			firstLine: "# Regions call for a stronger say in EU cohesion policy",
			keep: []string{
				"Local and regional leaders meeting in Brussels on Thursday adopted an opinion asking the European Commission to keep cohesion policy place-based and managed together with regions and cities.",
				"## Key demands\n\n- Keep shared management of the cohesion funds.\n- Involve regions in the national reform plans.\n- Simplify the rules for small beneficiaries.",
				"before the negotiations on the next budget.",
			},
			drop: []string{"cookies", "Accept all", "Skip to main content", "Home", "Events", "Search the site",
				"Share on", "Related news", "Cities and the Green Deal", "Legal notice", "©", "gtag", "SCRIPT HEADLINE",
				"INJECTED SCRIPT TEXT", "font-family", "Cohesion\n"},
		},
		{
			file:      "opinion.html",
			firstLine: "# The future of cohesion policy post-2027",
			keep: []string{
				"Reference | COTER-VII/038\nCommission | COTER\nRapporteur | Alberto CIRIO (IT/EPP), President of the Piedmont Region\nAdopted in plenary | 21 November 2024",
				"## Policy recommendations",
				"1. stresses that cohesion policy is the main investment policy of the Union and must remain a policy for all regions;",
				"3. calls for simpler rules",
			},
			// "## Documents" held only links: the heading goes with them.
			drop: []string{"Our work", "FR", "Rue Belliard", "enable JavaScript", "padding", "Opinion (PDF)", "## Documents"},
		},
		{
			file:      "comune.html",
			firstLine: "# Milano Trasparente: l'anagrafe pubblica degli eletti",
			keep: []string{
				"Il Comune di Milano pubblica in un unico luogo i documenti utili a valutare l'attività dei consiglieri comunali e dei municipi: presenze, voti, atti presentati e dichiarazioni patrimoniali.",
				"## Cosa si trova\n\n- l'elenco degli eletti e dei nominati, con i loro curricula;\n- le presenze",
				"trasparenza@comune.milano.it.",
			},
			drop: []string{"Servizi", "Organi di governo", "Amministrazione /", "cookie", "Accetto", "P.IVA", "_paq"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := htmlText(string(readTestdata(t, "testdata/formats/"+tc.file)))
			if err != nil {
				t.Fatalf("htmlText: %v", err)
			}
			if first, _, _ := strings.Cut(got, "\n"); first != tc.firstLine {
				t.Errorf("first line = %q, want %q", first, tc.firstLine)
			}
			for _, s := range tc.keep {
				if !strings.Contains(got, s) {
					t.Errorf("text lacks %q\ngot:\n%s", s, got)
				}
			}
			for _, s := range tc.drop {
				if strings.Contains(got, s) {
					t.Errorf("text keeps %q\ngot:\n%s", s, got)
				}
			}
		})
	}
}

func TestHTMLTextCases(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
	}{
		{
			name: "title only gives the heading, site name dropped",
			src:  "<html><head><title>Annual report 2023 | City of Turin</title></head><body><p>The report is out.</p></body></html>",
			want: "# Annual report 2023\n\nThe report is out.",
		},
		{
			name: "no main: densest block wins over the menu",
			src: "<body><div class='menu-x'><a href=a>One</a> <a href=b>Two</a></div><div><div><h1>Plan</h1><p>" +
				strings.Repeat("Citizens can comment on the plan. ", 8) + "</p><p>" + strings.Repeat("Comments close in May. ", 6) +
				"</p></div></div><div><p>Short aside.</p></div></body>",
			want: "# Plan\n\n" + strings.TrimSpace(strings.Repeat("Citizens can comment on the plan. ", 8)) + "\n\n" +
				strings.TrimSpace(strings.Repeat("Comments close in May. ", 6)),
		},
		{
			name: "scripts and styles never leak, even unclosed",
			src:  "<p>Visible</p><script>var secret = 1;</script><style>p{}</style><script>unclosed secret",
			want: "Visible",
		},
		{
			name: "hidden elements dropped",
			src:  "<main><p>Shown</p><div hidden>Hidden text</div><p style='display: none'>Also hidden</p></main>",
			want: "Shown",
		},
		{
			name:    "absurd nesting",
			src:     strings.Repeat("<div>", 600) + "x",
			wantErr: "html: open stack of elements exceeds 512 nodes",
		},
		{name: "empty page", src: "<html><body><nav><a href=x>Home</a></nav></body></html>", wantErr: "html: no text in page"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := htmlText(tc.src)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("htmlText error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("htmlText =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestParseHTML checks the page through Parse: the heading becomes the title.
func TestParseHTML(t *testing.T) {
	docs, err := Parse("news/cohesion.html", readTestdata(t, "testdata/formats/news.html"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := docs[0].Title, "Regions call for a stronger say in EU cohesion policy"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
}

func FuzzHTMLText(f *testing.F) {
	for _, file := range []string{"news.html", "opinion.html", "comune.html"} {
		f.Add(string(readTestdata(f, "testdata/formats/"+file)))
	}
	f.Add("<p>a<script>b</script>")
	f.Add("<main><p>x</p><script>zzscript</script><style>zzscript</style></main>")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := htmlText(s)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error has several lines: %q", err)
		}
		if strings.Contains(got, "zzscript") && !textOutsideScripts(s, "zzscript") {
			t.Errorf("script text leaked: %q", got)
		}
	})
}

// textOutsideScripts reports whether word is in a text node of the parsed
// page that is not inside a script or style element.
func textOutsideScripts(src, word string) bool {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return true
	}
	found := false
	var walk func(n *html.Node, inScript bool)
	walk = func(n *html.Node, inScript bool) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			inScript = true
		}
		if n.Type == html.TextNode && !inScript && strings.Contains(n.Data, word) {
			found = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inScript)
		}
	}
	walk(doc, false)
	return found
}

// TestHTMLLogoIsNoTitle checks that a site's name in an <h1> of its banner
// is not the title of a page whose <main> holds the content.
func TestHTMLLogoIsNoTitle(t *testing.T) {
	page := `<html><head><title>Bando contributi 2024 | Comune di Roccasecca</title></head><body>
<header><h1 class="logo">Comune di Roccasecca</h1><nav><a href="/">Home</a></nav></header>
<main><p>12 marzo 2024</p><h2>Bando per contributi alle associazioni</h2>
<p>Il Comune concede contributi alle associazioni del territorio che ne fanno domanda entro giugno.</p></main>
</body></html>`
	docs, err := Parse("bando.html", []byte(page), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %v", err)
	}
	if d := docs[0]; d.Title != "Bando contributi 2024" || strings.Contains(d.Body, "# Comune di Roccasecca") {
		t.Errorf("title %q, body %q: want the <title> without the site's name, the banner's name nowhere", d.Title, d.Body)
	}
}

// TestHTMLDeclaredUTF8SavedAsLatin1: a page that says it is UTF-8 but is not
// is read as Windows-1252, as a page that says nothing.
func TestHTMLDeclaredUTF8SavedAsLatin1(t *testing.T) {
	page := []byte("<html><head><meta charset=\"utf-8\"></head><body><main><p>Il contributo massimo \xe8 di 500 euro per associazione.</p></main></body></html>")
	docs, err := Parse("bando.html", page, nil)
	if err != nil || len(docs) != 1 || !strings.Contains(docs[0].Body, "massimo è di") {
		t.Errorf("Parse: %v, %+v; want è", err, docs)
	}
}

// TestHTMLWithoutMainIsCleaned: a page that does not mark its main content
// is read by guess, and its share and legal lines are dropped as in a
// scraped page.
func TestHTMLWithoutMainIsCleaned(t *testing.T) {
	page := `<html><body><div><p>Il Comune concede contributi alle associazioni del territorio che ne fanno domanda entro giugno.</p>
<p>Le domande si presentano allo sportello del Comune con il modulo previsto dal bando.</p></div>
<div><p>Stampa</p><p>Condividi</p><p>Privacy policy</p><p>Cookie policy</p><p>Note legali</p></div></body></html>`
	docs, err := Parse("bando.html", []byte(page), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %v", err)
	}
	if strings.Contains(docs[0].Body, "Cookie policy") || !strings.Contains(docs[0].Body, "sportello") {
		t.Errorf("body %q: want the text without the legal links", docs[0].Body)
	}
}

// TestHTMLDeclaredCharset reads a page saved in the character set its
// <meta> declares: ISO-8859-15's € (byte A4) is not Windows-1252's ¤.
func TestHTMLDeclaredCharset(t *testing.T) {
	page := []byte("<html><head><meta charset=\"iso-8859-15\"><title>Bando</title></head><body><main><p>Il contributo massimo \xe8 di 500 \xa4 per associazione, per ogni anno.</p></main></body></html>")
	docs, err := Parse("bando.html", page, nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %v", err)
	}
	if !strings.Contains(docs[0].Body, "è di 500 € per") {
		t.Errorf("body %q, want è and €", docs[0].Body)
	}
}

// TestHTMLDeclaredLanguage: a short page is in the language it declares
// (<html lang>), which detection cannot tell from a sentence or two; a long
// page is in the language its text is in, whatever its template declares.
func TestHTMLDeclaredLanguage(t *testing.T) {
	long := strings.Repeat("<p>Il Comitato delle regioni chiede una revisione delle regole sulla trasparenza dei dati pubblici.</p>", 30)
	for _, tc := range []struct{ page, want string }{
		{`<html lang="en-GB"><body><main><h1>Agenda</h1><p>Sala B, ore 10.</p></main></body></html>`, "en"},
		{`<html lang="it"><body><main><h1>Open data</h1><p>Data portal: dati.gov.it.</p></main></body></html>`, "it"},
		{`<html lang="it_IT"><body><main><h1>Open data</h1><p>Data portal: dati.gov.it.</p></main></body></html>`, "it"},
		{`<html lang="en"><body><main><h1>Trasparenza</h1>` + long + `</main></body></html>`, "it"},
	} {
		docs, err := Parse("p.html", []byte(tc.page), nil)
		if err != nil {
			t.Fatal(err)
		}
		if docs[0].Language != tc.want {
			t.Errorf("language = %q, want %s, for %.80s", docs[0].Language, tc.want, tc.page)
		}
	}
}

// TestSoftHyphens: soft hyphens, which pages and PDFs put inside words
// where a line may break (&shy; in HTML), are no part of the words, in
// text, JSON records (escaped) and sidecars, nor in a query: a search for
// the word, or a phrase, finds the document. They hid the words.
func TestSoftHyphens(t *testing.T) {
	pdf, err := os.ReadFile("testdata/formats/opinion.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ix := openTest(t)
	syncTest(t, ix, fstest.MapFS{
		"page.html": {Data: []byte("<html><body><main><h1>Budgets</h1><p>Public accounta&shy;bility and partici&shy;patory budgeting in the regions of the Union, as the committee asks.</p></main></body></html>")},
		"note.md":   {Data: []byte("# Note\n\nThe trans\u00adparency of the regional adminis\u00adtrations matters to citizens.\n")},
		// JSON escapes are read after the file: a soft hyphen, and an
		// accent written as a combining grave.
		"records.json": {Data: []byte(`[{"id": "r1", "title": "Quokka\u00adfern record", "text": "The quokka\u00adfern and marmot\u00adwillow principles, checked by the universita\u0300 of Bologna every year."}]`)},
		// A sidecar's title.
		"opinion.pdf":  {Data: pdf},
		"opinion.yaml": {Data: []byte("title: Zebra\u00adfinch opinion\n")},
		// A sidecar written in Windows-1252, where 0xAD is the soft hyphen.
		"other.pdf":  {Data: pdf},
		"other.yaml": {Data: []byte("title: Otter\xadlily opinion \xe0 part\n")},
	})
	hits := func(q string) []string {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Errorf("%s: %v", q, err)
		}
		return hitIDs(res)
	}
	for q, want := range map[string]string{
		"accountability": "page", `"participatory budgeting"`: "page", "transparency": "note", "administrations": "note",
		"quokkafern": "records", "marmotwillow": "records", "università": "records", "universita": "records",
		"zebrafinch":           "opinion",
		"otterlily":            "other",
		"accounta\u00adbility": "page", // a word copied off a page, with its soft hyphen
	} {
		if got := hits(q); !slices.Contains(got, want) {
			t.Errorf("%s: %v, want %s among them", q, got, want)
		}
	}
	for id, want := range map[string]string{"page": "accountability", "records": "quokkafern", "opinion": "Zebrafinch opinion", "other": "Otterlily opinion à part"} {
		doc, err := ix.Doc(context.Background(), id)
		if err != nil || strings.Contains(doc.Title+doc.Body, "\u00ad") || !strings.Contains(doc.Title+doc.Body, want) {
			t.Errorf("%s: title %q, body %q (%v): want %q whole", id, doc.Title, doc.Body, err, want)
		}
	}
}
