package site

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/archivio/archivio/indexer"
)

// realServer serves a real index built from testdata/corpus: the five seeds,
// front-matter fixtures, a hostile Markdown file and files that fail.
func realServer(t testing.TB) *Server {
	t.Helper()
	return newTestServer(t, os.DirFS("testdata/corpus"))
}

// fetch requests target from h; header is pairs of name, value.
func fetch(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func wantContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

func wantNotContains(t *testing.T, what, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("%s contains %q", what, b)
		}
	}
}

func TestTemplatesParse(t *testing.T) {
	sets, err := parseTemplates(embedded)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		if sets[name] == nil {
			t.Errorf("template file %s is not in pageNames, so it is never parsed", f)
		}
	}
	// The working copy parses too, as the Dev option reads it.
	if _, err := parseTemplates(os.DirFS(".")); err != nil {
		t.Errorf("parseTemplates(site folder): %v", err)
	}
}

func TestMessagesSameKeys(t *testing.T) {
	for lang, m := range messages {
		for other, om := range messages {
			for k := range m {
				if _, ok := om[k]; !ok {
					t.Errorf("key %q is in %s but not in %s", k, lang, other)
				}
			}
		}
	}
	for _, l := range uiLangs {
		if messages[l.Code] == nil {
			t.Errorf("no messages for switch language %s", l.Code)
		}
	}
}

// TestMessageKeysUsed checks that every key the templates and the Go code
// ask for exists (a missing key would show as the key itself).
func TestMessageKeysUsed(t *testing.T) {
	re := regexp.MustCompile(`\.T\(?\s*"([a-z0-9.]+)"`)
	var sources []string
	for _, glob := range []string{"templates/*.html", "*.go"} {
		files, err := fs.Glob(os.DirFS("."), glob)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, files...)
	}
	n := 0
	for _, f := range sources {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := messages["en"][m[1]]; !ok {
				t.Errorf("%s uses message %q, which does not exist", f, m[1])
			}
		}
	}
	if n < 100 {
		t.Errorf("found %d message uses; the pattern no longer matches the templates", n)
	}
}

func TestUILanguage(t *testing.T) {
	s := realServer(t)
	for _, tc := range []struct {
		name, target string
		header       []string
		lang         string
		cookie       bool
	}{
		{"default", "/about", nil, "en", false},
		{"parameter", "/about?ui=it", nil, "it", true},
		{"parameter wins over header", "/about?ui=en", []string{"Accept-Language", "it-IT,it;q=0.9"}, "en", true},
		{"cookie", "/about", []string{"Cookie", "ui=it"}, "it", false},
		{"cookie wins over header", "/about", []string{"Cookie", "ui=en", "Accept-Language", "it"}, "en", false},
		{"accept-language", "/about", []string{"Accept-Language", "it-IT,it;q=0.9,en;q=0.8"}, "it", false},
		{"unsupported accept-language", "/about", []string{"Accept-Language", "fr-FR"}, "en", false},
		{"unknown parameter value", "/about?ui=xx", []string{"Accept-Language", "it"}, "it", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := fetch(t, s.Handler(), tc.target, tc.header...)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", tc.target, w.Code)
			}
			body := w.Body.String()
			wantContains(t, "page", body, `<html lang="`+tc.lang+`">`)
			title := map[string]string{"en": "About the archive", "it": "Informazioni sull&#39;archivio"}[tc.lang]
			wantContains(t, "page", body, "<h1>"+title+"</h1>")
			set := w.Header().Get("Set-Cookie")
			if got := set != ""; got != tc.cookie {
				t.Errorf("Set-Cookie = %q, want a cookie: %v", set, tc.cookie)
			}
			if tc.cookie && !strings.HasPrefix(set, "ui="+tc.lang+";") {
				t.Errorf("Set-Cookie = %q, want ui=%s", set, tc.lang)
			}
		})
	}
	// The switch links keep the page and the query.
	w := fetch(t, s.Handler(), "/search?q=artificial&kind=opinion")
	wantContains(t, "results page", w.Body.String(),
		`href="/search?kind=opinion&amp;q=artificial&amp;ui=it" lang="it" hreflang="it">Italiano</a>`,
		`href="/search?kind=opinion&amp;q=artificial&amp;ui=en" lang="en" hreflang="en" aria-current="true">English</a>`)
}

func TestRealPages(t *testing.T) {
	s := realServer(t)
	h := s.Handler()
	for _, tc := range []struct {
		target string
		status int
		ctype  string
		wants  []string
	}{
		{"/", 200, "text/html", []string{
			`<a class="skip" href="#main">`, `<main id="main"`, `<header class="site-header">`, `<footer`,
			`<label for="q">Search the archive</label>`, `href="/search?kind=opinion"`, `href="/search?kind=factsheet"`,
			// The most recent dated documents, newest first.
			`Factsheet: open data in regional government`, `<time datetime="2025-03-14">14 March 2025</time>`,
			`<link rel="alternate" type="application/atom+xml"`,
		}},
		{"/search?q=open+data", 200, "text/html", []string{
			`value="open data"`, `Fixture opinion on open data in regional government`, `<mark>`,
			`<link rel="alternate" type="application/atom+xml" title="Atom feed of this search" href="/search.atom?q=open&#43;data">`,
			`href="/search.csv?q=open&#43;data"`, `href="/search?kind=opinion&amp;q=open&#43;data"`,
			`href="/search?q=open&#43;data&amp;sort=date"`,
		}},
		{"/search?q=open+data&kind=opinion", 200, "text/html", []string{
			`2 results`, `<a href="/search?q=open&#43;data" class="active" aria-current="true">`,
			`title="Remove filter Kind: Opinion"`,
		}},
		{"/search?q=open+data&kind=opinion&from=2025", 200, "text/html", []string{
			`<input id="from" name="from" value="2025"`, `<input type="hidden" name="kind" value="opinion">`,
			`<input type="hidden" name="q" value="open data">`, `title="Remove filter From: 2025"`,
			// A new search from the results page keeps the filters.
			`<input type="hidden" name="from" value="2025">`,
		}},
		{"/search?q=open+data&size=0", 200, "text/html", []string{`Results 1–6 of 6`}},
		{"/search?lang=it", 200, "text/html", []string{
			`<li><a href="/search" title="Remove filter Language: Italian">Language: Italian <span aria-hidden="true">×</span></a></li>`,
			`Dati aperti nei comuni`,
		}},
		{"/search?q=nosuchwordanywhere", 200, "text/html", []string{`No documents match.`, `ECON-VII/038`}},
		{"/documents/opinions.fixture-open-data", 200, "text/html", []string{
			`<h1 lang="en">Fixture opinion on open data in regional government</h1>`,
			`<dd>COR-TEST/001</dd>`, `<a href="/search?rapporteur=Maria%20ROSSI">Maria ROSSI</a> (IT, PES)`,
			`Mayor of Testville`, `<a href="/search?commission=SEDEC">SEDEC</a>`, `170th plenary session, 13-14 March 2025`,
			`<dd>Adopted</dd>`, `<code>opinions/fixture-open-data.md</code>`, `<div class="prose" lang="en">`,
			// The factsheet with the same reference is linked, in its language.
			`<a href="/documents/factsheets.fixture-factsheet" lang="en">Factsheet: open data in regional government</a><br><span class="meta">Factsheet · English · CDR 9999/2099 · 14 March 2025</span>`,
			`<script type="application/ld+json">{"@context":"https://schema.org","@type":"Report"`,
		}},
		{"/documents/factsheets.fixture-factsheet", 200, "text/html", []string{
			`<a href="/documents/opinions.fixture-open-data" lang="en">Fixture opinion on open data in regional government</a>`,
		}},
		{"/documents/pages.fixture-italiano", 200, "text/html", []string{
			`<h1 lang="it">Dati aperti nei comuni</h1>`, `<div class="prose" lang="it">`, `<dd>Italian</dd>`,
		}},
		{"/about", 200, "text/html", []string{`<code>problem.pdf</code>`, `13 documents in the archive.`, `reference: ECON-VII/038`}},
		{"/about?ui=it", 200, "text/html", []string{`<html lang="it">`, `<code>problem.pdf</code>`, `13 documenti nell&#39;archivio.`}},
		{"/commitments", 200, "text/html", []string{`<h1>Commitments</h1>`}},
		{"/documents/no-such-document", 404, "text/html", []string{`<h1>Page not found</h1>`, `<html lang="en">`}},
		{"/no/such/page", 404, "text/html", []string{`<h1>Page not found</h1>`}},
		{"/static/site.css", 200, "text/css", []string{`mark {`}},
		{"/static/", 404, "text/html", []string{`Page not found`}},
		{"/api/search?q=open+data", 200, "application/json", []string{`"total": 6`}},
		{"/api/nothing", 404, "application/json", []string{`"error"`}},
	} {
		t.Run(tc.target, func(t *testing.T) {
			w := fetch(t, h, tc.target)
			if w.Code != tc.status {
				t.Errorf("GET %s = %d, want %d", tc.target, w.Code, tc.status)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("GET %s Content-Type = %q, want %s", tc.target, ct, tc.ctype)
			}
			wantContains(t, "GET "+tc.target, w.Body.String(), tc.wants...)
			if strings.HasPrefix(tc.ctype, "text/html") && w.Header().Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s has no Content-Security-Policy", tc.target)
			}
		})
	}
}

func TestBadSearchInput(t *testing.T) {
	s := realServer(t)
	long := strings.Repeat("<script>alert(1)</script> ", 400) // 10 KB
	for _, tc := range []struct {
		name   string
		params url.Values
		status int
	}{
		{"markup", url.Values{"q": {`<script>alert(1)</script>`}}, 200},
		{"attribute breakout", url.Values{"q": {`"><img src=x onerror=alert(1)>`}}, 200},
		{"quotes", url.Values{"q": {`'"' "`}}, 200},
		{"unbalanced quote", url.Values{"q": {`"artificial intelligence`}}, 200},
		{"only syntax", url.Values{"q": {`-"" ~ : ( ) [ ] { } \ / ^ ! &&`}}, 200},
		{"lone star", url.Values{"q": {`*`}}, 400},
		{"field syntax", url.Values{"q": {`kind:<script>`}}, 200},
		{"10 KB query", url.Values{"q": {long}}, 400},
		{"page not a number", url.Values{"q": {"data"}, "page": {"abc"}}, 400},
		{"page zero", url.Values{"page": {"0"}}, 400},
		{"page too deep", url.Values{"page": {"100000"}}, 400},
		{"size too large", url.Values{"size": {"100000"}}, 400},
		{"unknown facet parameter", url.Values{"q": {"data"}, "<script>": {"x"}}, 400},
		{"bad date", url.Values{"from": {"<script>"}}, 400},
		{"bad sort", url.Values{"sort": {"<b>"}}, 400},
		{"fuzzy too far", url.Values{"q": {"data~9"}}, 400},
		{"short prefix", url.Values{"q": {"a*"}}, 400},
		{"invalid UTF-8", url.Values{"q": {"\xff\xfe<script>"}}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := "/search?" + tc.params.Encode()
			w := fetch(t, s.Handler(), target)
			if w.Code != tc.status {
				t.Errorf("GET %s = %d, want %d", target, w.Code, tc.status)
			}
			body := w.Body.String()
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, `<form class="search"`) {
				t.Errorf("GET %s is not the search page", target)
			}
			wantNotContains(t, "GET "+target, body, "<script>", "<img", "<b>")
			if bad := unsafeMarkup(body); bad != "" {
				t.Errorf("GET %s has %s", target, bad)
			}
			if tc.status == 400 {
				wantContains(t, "GET "+target, body, `<div class="error" role="alert">`, "This search cannot be run")
			}
			// The same input to the feeds and downloads never gives a 500.
			for _, p := range []string{"/search.atom?", "/search.csv?", "/search.json?"} {
				if w := fetch(t, s.Handler(), p+tc.params.Encode()); w.Code >= 500 {
					t.Errorf("GET %s = %d", p, w.Code)
				}
			}
		})
	}
}

// scriptTags finds the opening tags of script elements.
var scriptTags = regexp.MustCompile(`(?i)<script[^>]*>`)

// Markup that would run script: an element with an event-handler attribute,
// a javascript: URL in an attribute, or an iframe/object/embed element.
var (
	handlerAttr = regexp.MustCompile(`(?i)<[a-z][a-z0-9-]*(\s+[^\s"'>=/]+(\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?)*\s+on[a-z]+\s*=`)
	jsURL       = regexp.MustCompile(`(?i)(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):`)
	frameTag    = regexp.MustCompile(`(?i)<(iframe|object|embed|frame)\b`)
)

func unsafeMarkup(body string) string {
	for _, re := range []*regexp.Regexp{handlerAttr, jsURL, frameTag} {
		if m := re.FindString(body); m != "" {
			return m
		}
	}
	return ""
}

func TestHostileDocumentIsInert(t *testing.T) {
	s := realServer(t)
	for _, target := range []string{"/documents/pages.hostile", "/search?q=zanzibarquux", "/", "/search?sort=date"} {
		w := fetch(t, s.Handler(), target)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", target, w.Code)
		}
		body := w.Body.String()
		wantNotContains(t, "GET "+target, strings.ToLower(body), "<iframe", "<img", "<svg onload")
		if bad := unsafeMarkup(body); bad != "" {
			t.Errorf("GET %s has %s", target, bad)
		}
		for _, tag := range scriptTags.FindAllString(body, -1) {
			if tag != `<script type="application/ld+json">` && tag != `<script src="/static/copy.js" defer>` {
				t.Errorf("GET %s has a script element %s", target, tag)
			}
		}
	}
	body := fetch(t, s.Handler(), "/documents/pages.hostile").Body.String()
	// The title is text in the page and escaped inside the JSON-LD.
	wantContains(t, "hostile page", body,
		`<h1 lang="en">Hostile fixture &lt;/script&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</h1>`,
		`"name":"Hostile fixture \u003c/script\u003e\u003cscript\u003ealert('title')\u003c/script\u003e"`,
		// Links to javascript: URLs are left as their text.
		`<p>A markdown link and an upper-case one and a <!-- raw HTML omitted -->raw link<!-- raw HTML omitted -->.</p>`,
		`Zanzibarquux marker sentence <!-- raw HTML omitted -->alert(&quot;snippet&quot;)<!-- raw HTML omitted --> written`,
		// A javascript: URL in front matter is shown as text, not linked.
		`<dt>Published at</dt><dd>javascript:alert(&#39;url&#39;)</dd>`)
	if n := strings.Count(strings.ToLower(body), "</script>"); n != 2 {
		t.Errorf("hostile page has %d </script>, want 2 (JSON-LD and copy.js)", n)
	}
}

func TestSnippetEscapesDocumentText(t *testing.T) {
	s := realServer(t)
	body := fetch(t, s.Handler(), "/search?q=zanzibarquux").Body.String()
	wantContains(t, "results", body, `<mark>Zanzibarquux</mark> marker sentence &lt;script&gt;alert(&#34;snippet&#34;)&lt;/script&gt;`)
}

func TestMarkdownToHTML(t *testing.T) {
	s := newTestServer(t, fstest.MapFS{})
	for _, tc := range []struct {
		name, in string
		wants    []string
		bad      []string
	}{
		{"javascript link", "[x](javascript:alert(1))", []string{`<p>x</p>`}, []string{"javascript", "<a"}},
		{"javascript link with entity", "[x](&#106;avascript:alert(1))", []string{`<p>x</p>`}, []string{"avascript", "<a"}},
		{"javascript link mixed case", "[x](JaVaScRiPt:alert(1))", []string{`<p>x</p>`}, []string{"JaVaScRiPt", "<a"}},
		{"javascript link with title and emphasis", "[*x* y](javascript:alert(1) \"t\")", []string{`<p><em>x</em> y</p>`}, []string{"javascript", "<a"}},
		{"javascript image", "![alt](javascript:alert(1))", []string{`<p>alt</p>`}, []string{"javascript", "<img"}},
		{"data image allowed", "![alt](data:image/png;base64,iVBOR)", []string{`<img src="data:image/png;base64,iVBOR" alt="alt">`}, nil},
		{"reference link", "[x][r]\n\n[r]: javascript:alert(1)", []string{`<p>x</p>`}, []string{"javascript", "<a"}},
		// A tab inside the scheme is percent-encoded, which makes the URL a
		// harmless relative path (a raw tab would be dropped by browsers).
		{"javascript link with tab", "[x](jav&#x09;ascript:alert(1))", []string{`<a href="jav%09ascript:alert(1)">x</a>`}, []string{"\t"}},
		{"raw anchor", "<a href='javascript:x'>y</a>", []string{"<!-- raw HTML omitted -->y"}, []string{"href"}},
		{"vbscript link", "[x](vbscript:msgbox)", []string{`<p>x</p>`}, []string{"vbscript"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{`<p>x</p>`}, []string{"data:"}},
		{"file link", "[x](file:///etc/passwd)", []string{`<p>x</p>`}, []string{"file:"}},
		{"autolink", "<javascript:alert(1)>", []string{`<p>javascript:alert(1)</p>`}, []string{`<a`}},
		{"raw script", "<script>alert(1)</script>", []string{"<!-- raw HTML omitted -->"}, []string{"<script"}},
		{"inline raw html", "a <img src=x onerror=alert(1)> b", []string{"<!-- raw HTML omitted -->"}, []string{"<img", "onerror"}},
		{"iframe", "<iframe src=x></iframe>", nil, []string{"<iframe"}},
		{"good link", "[EUR-Lex](https://eur-lex.europa.eu/)", []string{`<a href="https://eur-lex.europa.eu/">EUR-Lex</a>`}, nil},
		{"headings shift", "# A\n\n### B\n\n## C", []string{"<h3>A</h3>", "<h4>B</h4>", "<h4>C</h4>"}, []string{"<h1", "<h2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.markdownToHTML(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			wantContains(t, "markdownToHTML("+tc.in+")", string(got), tc.wants...)
			wantNotContains(t, "markdownToHTML("+tc.in+")", string(got), tc.bad...)
		})
	}
}

func TestDocumentPage(t *testing.T) {
	s := realServer(t)
	const op = "/documents/opinions.econ-vii-038-ai-in-the-public-sector"
	w := fetch(t, s.Handler(), op)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	wantContains(t, "opinion page", body,
		`<div class="para" id="p7">`, `<a class="pnum" href="`+op+`#p7">`,
		`<dd class="citation">CoR opinion ECON-VII/038, para. 7</dd>`,
		`<a href="`+op+`#p7">http://example.com`+op+`#p7</a>`,
		`<div class="para" id="p54">`, `<h3 class="section" lang="en">Policy recommendations</h3>`,
		`<h3 class="section" lang="en">EU follow-up initiatives</h3>`,
		`<div class="ptext" lang="en"><p>points out that the preamble to the Charter of Fundamental Rights of the European Union`,
		`Alberto Cirio</a> (IT, EPP)`, `President of the Piedmont Region`,
		`<dt>Adopted in commission</dt><dd><time datetime="2024-10-24">24 October 2024</time></dd>`,
		`<dt>Legal basis</dt><dd lang="en">Article 307(4) TFEU</dd>`,
		// Previous opinions not in the archive are named, with their Official Journal reference.
		`<span lang="en">Digital Cohesion</span> <span class="meta">(not in the archive)</span><br><span class="meta">OJ C 498, 30/12/2022, p. 39</span>`,
		`"@type":"Report"`, `"identifier":"ECON-VII/038"`, `"author":{"@type":"Person","name":"Alberto Cirio"}`,
	)
	if n := strings.Count(body, `<div class="para" id="p`); n != 54 {
		t.Errorf("opinion page has %d paragraphs, want 54", n)
	}
	wantNotContains(t, "opinion page", body, `<div class="prose"`)

	it := fetch(t, s.Handler(), op+"?ui=it").Body.String()
	wantContains(t, "Italian opinion page", it, `<html lang="it">`, `<dd class="citation">Parere del CdR ECON-VII/038, punto 7</dd>`,
		// The opinion's own English words say they are English.
		`<span class="role" lang="en">President of the Piedmont Region</span>`, `<dd lang="en">Article 307(4) TFEU</dd>`,
		`<h1 lang="en">Challenges and opportunities`, `<dd>inglese</dd>`)
	itc := fetch(t, s.Handler(), "/documents/commitments-sample~it0034?ui=it").Body.String()
	wantContains(t, "Italian commitment page", itc, `<dt>Paese o regione</dt><dd><a href="/commitments?country=Italy">Italia</a></dd>`,
		`<a href="/commitments?plan=Italy%20action%20plan%202016-2018">Italia, piano d&#39;azione 2016-2018</a>`,
		`<dt>Regione del mondo</dt><dd><a href="/commitments?region=Europe">Europa</a></dd>`, `<dd>Nazionale</dd>`, `<dd>Media</dd>`, `<dd>Sì</dd>`, `<dd>Accesso all&#39;informazione</dd>`,
		`<dd>Minore</dd>`, `<dd>Nessun cambiamento</dd>`)
	wantNotContains(t, "Italian commitment page", itc, `<dd>Medium</dd>`, `<dd>Did Not Change</dd>`, `Europe</a></dd>`)
	// OGP themes are English names, in the filters too.
	itSearch := fetch(t, s.Handler(), "/search?kind=commitment&ui=it").Body.String()
	wantContains(t, "Italian commitment filters", itSearch, `<span class="v" lang="en">Open Parliaments</span>`)

	fsPage := fetch(t, s.Handler(), "/documents/factsheets.cdr-3529-2017-public-sector-innovation").Body.String()
	wantContains(t, "factsheet page", fsPage, `<ol class="timeline">`,
		`<li><time datetime="2017-06-08">8 June 2017</time> <span class="ev" lang="en">Appointment of Rapporteur</span>`,
		`<li><time datetime="2017-11-30">30 November 2017</time> <span class="ev" lang="en">Adoption of the opinion during the 126th plenary session`,
		`crucial economic role to play as regulator, service provider and employer in modernising public services;`)
	if n := strings.Count(fsPage, `<li><time datetime=`); n != 5 {
		t.Errorf("factsheet timeline has %d events, want 5", n)
	}

	c := fetch(t, s.Handler(), "/documents/commitments-sample~it0034").Body.String()
	wantContains(t, "commitment page", c,
		`<dt>Action plan</dt><dd><a href="/commitments?plan=Italy%20action%20plan%202016-2018">Italy action plan 2016-2018</a></dd>`,
		`<dt>Action plan id</dt><dd>AP_ITA03</dd>`,
		`<dt>Country or region</dt><dd><a href="/commitments?country=Italy">Italy</a></dd>`,
		`<dt>World region</dt><dd><a href="/commitments?region=Europe">Europe</a></dd>`,
		`<dt>Starred</dt><dd><a href="/commitments?starred=No">No</a></dd>`,
		`<dt>Lead institutions</dt><dd lang="en">City of Milan</dd>`,
		`<dt>Themes</dt><dd lang="en">Democratizing Decision-Making; Regulatory Governance; Open Parliaments; Public Participation; Participation in Lawmaking</dd>`,
		`<dt>Status</dt><dd>Limited</dd>`, `<dt>Specificity</dt><dd>Medium</dd>`, `<dt>Start</dt><dd>1 September 2016</dd>`,
		`<dt>Relevant to</dt><dd>Access to information</dd>`, `<dt>Did it open government?</dt><dd>Did Not Change</dd>`)
}

// TestPreviousOpinionLinked: a previous opinion the archive holds is linked
// from the opinion that names it.
func TestPreviousOpinionLinked(t *testing.T) {
	seed, err := os.ReadFile("testdata/corpus/opinions/econ-vii-038-ai-in-the-public-sector.md")
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, fstest.MapFS{
		"opinions/econ-vii-038.md":     {Data: seed},
		"opinions/digital-cohesion.md": {Data: []byte("---\ntitle: Digital Cohesion\nkind: opinion\nlanguage: en\n---\nThe Committee calls for digital cohesion across regions.\n")},
	})
	body := fetch(t, s.Handler(), "/documents/opinions.econ-vii-038").Body.String()
	wantContains(t, "opinion page", body, `<a href="/documents/opinions.digital-cohesion" lang="en">Digital Cohesion</a>`,
		`<span lang="en">European Approach to Artificial Intelligence - Artificial Intelligence Act (revised opinion)</span> <span class="meta">(not in the archive)</span>`)
}

func TestSearchPageParagraphHits(t *testing.T) {
	s := realServer(t)
	body := fetch(t, s.Handler(), "/search?q=procurement").Body.String()
	wantContains(t, "results", body, `<p class="para-link"><a href="/documents/opinions.econ-vii-038-ai-in-the-public-sector#p32">¶ 32 — <span lang="en">Training and skills development in the public sector</span></a></p>`)
}

func TestCommitmentsPage(t *testing.T) {
	s := realServer(t)
	w := fetch(t, s.Handler(), "/commitments")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	wantContains(t, "commitments", body,
		`<svg role="img" aria-label="Status of commitments by action plan"`, `<title>Status of commitments by action plan</title>`,
		`<caption>Status of commitments by action plan</caption>`,
		// Table: the sample has one commitment per plan.
		`<tr><th scope="row">Italy action plan 2016-2018</th><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>`,
		`<tr><th scope="row">Slovak Republic action plan 2012-2013</th><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>`,
		`<th scope="col">Not started</th><th scope="col">Limited</th><th scope="col">Complete</th><th scope="col">Withdrawn</th>`,
		`<title>Limited: 1</title>`,
		`href="/commitments?plan=Italy&#43;action&#43;plan&#43;2016-2018"`, `href="/commitments?country=Slovak&#43;Republic"`,
		`href="/commitments?institution=City&#43;of&#43;Milan"`, `href="/commitments?theme=Legislation"`, `href="/commitments?status=Limited"`,
		`<a href="/documents/commitments-sample~it0034" lang="en">Transparent Milan: public registry of elected and appointed representatives</a>`,
		// Each hit shows its commitment's country, plan, status and lead institutions.
		`<p class="meta"><span class="ref">IT0034</span> · Italy · Italy action plan 2016-2018 · <strong>Limited</strong></p>`,
		`<p class="meta">Lead institutions: City of Milan</p>`,
		`Commitments: 4`)
	wantNotContains(t, "commitments", body, "Opinion", "ECON-VII/038")

	it := fetch(t, s.Handler(), "/commitments?ui=it").Body.String()
	wantContains(t, "Italian commitments", it, `<th scope="col">Non avviato</th><th scope="col">Limitato</th><th scope="col">Completato</th><th scope="col">Ritirato</th>`,
		`<span class="v">Non avviato</span>`, `<strong>Limitato</strong>`, `<title>Stato degli impegni per piano d&#39;azione</title>`,
		`<span class="v">Italia</span>`, `<span class="v">Slovacchia</span>`, `<span class="v">Giordania</span>`,
		`<span class="ref">IT0034</span> · Italia · Italia, piano d&#39;azione 2016-2018 · <strong>Limitato</strong>`,
		`<span class="v">Italia, piano d&#39;azione 2016-2018</span>`, `<th scope="row">Italia, piano d&#39;azione 2016-2018</th>`,
		`<p class="meta">Istituzioni capofila: City of Milan</p>`)
	wantNotContains(t, "Italian commitments", it, `<span class="v">Italy</span>`)

	f := fetch(t, s.Handler(), "/commitments?country=Italy&status=Limited").Body.String()
	wantContains(t, "filtered commitments", f, `Commitments: 1`, `Transparent Milan`,
		`title="Remove filter Country or region: Italy"`, `<a class="clear" href="/commitments">`)
	wantNotContains(t, "filtered commitments", f, `Facilitate publication and reuse of public data`)
	// Its downloads hold the commitments it lists.
	wantContains(t, "filtered commitments", f, `<a href="/search.csv?country=Italy&amp;kind=commitment&amp;status=Limited" type="text/csv">CSV</a>`)
	rows, err := csv.NewReader(fetch(t, s.Handler(), "/search.csv?country=Italy&kind=commitment&status=Limited").Body).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][2] != "IT0034" {
		t.Errorf("the filtered commitments' CSV: %v, %q; want IT0034 alone", err, rows)
	}

	// The page has its own search box; a search keeps the filters, and one that finds nothing says so.
	wantContains(t, "commitments", body, `<form class="search" role="search" action="/commitments" method="get">`, `<label for="cq">Search the commitments</label>`)
	none := fetch(t, s.Handler(), "/commitments?q=zzzz&country=Italy").Body.String()
	wantContains(t, "commitments searched", none, `<input id="cq" name="q" type="search" value="zzzz"`,
		`<input type="hidden" name="country" value="Italy">`, "No commitment matches this search and these filters.")
	wantNotContains(t, "commitments searched", none, "There are no commitments in the archive yet.")

	// Regions of the world and stars are filters too, named in Italian on the Italian pages.
	wantContains(t, "commitments", body, `href="/commitments?region=Europe"`, `href="/commitments?region=Africa&#43;and&#43;the&#43;Middle&#43;East"`,
		`href="/commitments?starred=No"`, `<summary>World region</summary>`)
	wantContains(t, "Italian commitments", it, `<span class="v">Europa</span> <span class="count">3</span>`,
		`<span class="v">Africa e Medio Oriente</span> <span class="count">1</span>`, `<span class="v">No</span> <span class="count">4</span>`,
		`<summary>Regione del mondo</summary>`, `<summary>Con stella</summary>`)
	// IT0007's star of 2015 the current formula took away is no star.
	unstarred := fetch(t, s.Handler(), "/commitments?starred=no&ui=it").Body.String()
	wantContains(t, "unstarred commitments", unstarred, `Impegni: 4`)

	// A filter by a code or another name is shown by the name it stands for.
	wantContains(t, "filtered by code", fetch(t, s.Handler(), "/commitments?country=SK").Body.String(), `title="Remove filter Country or region: Slovak Republic"`)
	wantContains(t, "filtered by code, Italian", fetch(t, s.Handler(), "/commitments?country=SK&ui=it").Body.String(), `Slovacchia`)
	// A filter typed in another case or in Italian marks the value it names, once, with its count.
	for _, tc := range []struct{ target, want string }{
		{"/commitments?country=Italia&ui=it", `<span class="v"><span aria-hidden="true">✓ </span>Italia</span> <span class="count">2</span>`},
		{"/commitments?status=complete", `<span class="v"><span aria-hidden="true">✓ </span>Complete</span> <span class="count">1</span>`},
	} {
		page := fetch(t, s.Handler(), tc.target).Body.String()
		wantContains(t, tc.target, page, tc.want)
		if n := strings.Count(page, `<span aria-hidden="true">✓ </span>`); n != 1 {
			t.Errorf("%s: %d values ticked, want 1", tc.target, n)
		}
	}

	if w := fetch(t, s.Handler(), "/commitments?bogus=1"); w.Code != http.StatusBadRequest {
		t.Errorf("GET /commitments?bogus=1 = %d, want 400", w.Code)
	}
}

func TestFeedsAndExports(t *testing.T) {
	s := realServer(t)
	w := fetch(t, s.Handler(), "/search.atom?q=open+data")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("atom: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var feed atomFeed
	if err := xml.Unmarshal(w.Body.Bytes(), &feed); err != nil {
		t.Fatalf("atom does not parse: %v", err)
	}
	if feed.ID != "http://example.com/search.atom?q=open+data" || feed.Title != "Archivio: open data" || feed.Updated != "2025-03-14T00:00:00Z" {
		t.Errorf("feed id/title/updated = %q %q %q", feed.ID, feed.Title, feed.Updated)
	}
	if len(feed.Links) == 0 || feed.Links[0].Rel != "self" || feed.Links[0].Href != feed.ID {
		t.Errorf("feed links = %+v, want rel=self first", feed.Links)
	}
	if len(feed.Entries) != 6 {
		t.Fatalf("feed has %d entries, want 6", len(feed.Entries))
	}
	for _, e := range feed.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" || !strings.HasPrefix(e.Link.Href, e.ID) || e.Summary.Type != "html" || !strings.Contains(e.Summary.Text, "<mark>") {
			t.Errorf("entry %+v is incomplete", e)
		}
	}
	// Newest first: the two fixtures of 2025-03-14, then the seed opinion.
	if e := feed.Entries[0]; e.Updated != "2025-03-14T00:00:00Z" {
		t.Errorf("first entry = %q %q, want one of 2025-03-14", e.Title, e.Updated)
	}
	if e := feed.Entries[2]; e.Title != "Challenges and opportunities of artificial intelligence in the public sector: defining the role of regional and local authorities" || e.Updated != "2024-11-21T00:00:00Z" {
		t.Errorf("third entry = %q %q, want the seed opinion of 2024-11-21", e.Title, e.Updated)
	}

	w = fetch(t, s.Handler(), "/search.csv?q=open+data")
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="archivio-search.csv"` {
		t.Errorf("csv Content-Disposition = %q", cd)
	}
	rows, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	if len(rows) != 7 || strings.Join(rows[0], ",") != "id,kind,reference,title,date,language,url,paragraph,section,source,action_plan,country,lead_institutions,themes,start,end,status,source_url,tags,rapporteur,region,starred" {
		t.Errorf("csv rows = %d, header %v", len(rows), rows[0])
	}

	// A hit in a numbered paragraph gives the paragraph to cite.
	w = fetch(t, s.Handler(), "/search.csv?q=procurement")
	rows, err = csv.NewReader(w.Body).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	if r := rows[1]; r[0] != "opinions.econ-vii-038-ai-in-the-public-sector" || r[6] != "http://example.com/documents/opinions.econ-vii-038-ai-in-the-public-sector#p32" ||
		r[7] != "32" || r[8] != "Training and skills development in the public sector" {
		t.Errorf("csv row of the opinion = %q, want paragraph 32, its section and its link", r)
	}
	if r := rows[1]; rows[0][len(r)-3] != "rapporteur" || r[len(r)-3] != "Alberto Cirio (IT/EPP)" {
		t.Errorf("csv rapporteur of the opinion = %q, want Alberto Cirio (IT/EPP)", r[len(r)-3])
	}
	w = fetch(t, s.Handler(), "/search.json?q=procurement")
	var pj struct{ Hits []exportHit }
	if err := json.Unmarshal(w.Body.Bytes(), &pj); err != nil || len(pj.Hits) == 0 || pj.Hits[0].Paragraph != 32 || !strings.HasSuffix(pj.Hits[0].URL, "#p32") ||
		pj.Hits[0].Rapporteur == nil || pj.Hits[0].Rapporteur.Name != "Alberto Cirio" {
		t.Errorf("json download: %v, %+v; want paragraph 32 and the rapporteur", err, pj.Hits)
	}
	// The feed's entry links to the paragraph and names it.
	w = fetch(t, s.Handler(), "/search.atom?q=procurement")
	feed = atomFeed{}
	if err := xml.Unmarshal(w.Body.Bytes(), &feed); err != nil || len(feed.Entries) == 0 {
		t.Fatalf("atom: %v, %d entries", err, len(feed.Entries))
	}
	var cited bool
	for _, e := range feed.Entries {
		if e.Link.Href == "http://example.com/documents/opinions.econ-vii-038-ai-in-the-public-sector#p32" {
			cited = e.ID == "http://example.com/documents/opinions.econ-vii-038-ai-in-the-public-sector" &&
				strings.HasPrefix(e.Summary.Text, "¶ 32, Training and skills development in the public sector: ")
		}
	}
	if !cited {
		t.Errorf("atom entries %+v: want the opinion's linked at ¶ 32, named in its summary", feed.Entries)
	}

	// A commitment's row has its record, for a spreadsheet.
	w = fetch(t, s.Handler(), "/search.csv?kind=commitment&q=IT0034")
	rows, err = csv.NewReader(w.Body).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("commitments csv: %v, %d rows", err, len(rows))
	}
	row := map[string]string{}
	for i, h := range rows[0] {
		row[h] = rows[1][i]
	}
	if row["reference"] != "IT0034" || row["country"] != "Italy" || row["action_plan"] == "" || row["lead_institutions"] == "" || row["status"] == "" ||
		row["source_url"] != "https://opengovpartnership.org/members/italy/commitments/it0034" || row["tags"] != "Transparency" ||
		row["region"] != "Europe" || row["starred"] != "No" {
		t.Errorf("commitment row %v: want its plan, country, institutions, status, OGP page and the government's theme", row)
	}
	w = fetch(t, s.Handler(), "/search.json?kind=commitment&q=IT0034")
	var cj struct{ Hits []exportHit }
	if err := json.Unmarshal(w.Body.Bytes(), &cj); err != nil || len(cj.Hits) != 1 || cj.Hits[0].Commitment == nil || cj.Hits[0].Commitment.Country != "Italy" ||
		cj.Hits[0].SourceURL != "https://opengovpartnership.org/members/italy/commitments/it0034" {
		t.Errorf("commitments json: %v, %+v; want the commitment's record", err, cj.Hits)
	}

	w = fetch(t, s.Handler(), "/search.json?kind=opinion")
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="archivio-search.json"` {
		t.Errorf("json Content-Disposition = %q", cd)
	}
	var got struct {
		Total int
		Hits  []exportHit
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 2 || len(got.Hits) != 2 || got.Hits[0].ID != "opinions.fixture-open-data" || got.Hits[1].ID != "opinions.econ-vii-038-ai-in-the-public-sector" || got.Hits[0].URL != "http://example.com/documents/opinions.fixture-open-data" {
		t.Errorf("json export = %+v", got)
	}

	w = fetch(t, s.Handler(), "/sitemap.xml")
	var sm sitemap
	if err := xml.Unmarshal(w.Body.Bytes(), &sm); err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	if len(sm.URLs) != 3+13 {
		t.Errorf("sitemap has %d URLs, want 16 (3 pages + 13 documents)", len(sm.URLs))
	}
	// A document's lastmod is the day its file last changed.
	fi, err := os.Stat("testdata/corpus/pages/hostile.md")
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "sitemap", w.Body.String(), "<loc>http://example.com/about</loc>",
		"<url>\n    <loc>http://example.com/documents/pages.hostile</loc>\n    <lastmod>"+fi.ModTime().UTC().Format("2006-01-02")+"</lastmod>")
}

func TestSitemapPages(t *testing.T) {
	corpus := fstest.MapFS{}
	for i := range 250 {
		corpus["d"+strconv.Itoa(i)+".md"] = &fstest.MapFile{Data: []byte("Page number " + strconv.Itoa(i) + " of the archive.\n")}
	}
	ix, _ := buildIndex(t, corpus)
	s, err := New(Config{Archive: ix, BaseURL: "https://archivio.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	body := fetch(t, s.Handler(), "/sitemap.xml").Body.String()
	if n := strings.Count(body, "<loc>"); n != 253 {
		t.Errorf("sitemap of 250 documents has %d URLs, want 253", n)
	}
	wantContains(t, "sitemap", body, "<loc>https://archivio.example.org/documents/d249</loc>")
	// Past the most URLs a sitemap file holds, /sitemap.xml is an index of
	// parts that list every document once.
	s.sitemapSize = 100
	var idx sitemapIndex
	if err := xml.Unmarshal(fetch(t, s.Handler(), "/sitemap.xml").Body.Bytes(), &idx); err != nil || len(idx.Parts) != 3 || idx.Parts[2].Loc != "https://archivio.example.org/sitemap.xml?page=3" {
		t.Fatalf("sitemap index = %+v, %v; want 3 parts", idx, err)
	}
	listed := map[string]bool{}
	for i := 1; i <= 3; i++ {
		var part sitemap
		if err := xml.Unmarshal(fetch(t, s.Handler(), "/sitemap.xml?page="+strconv.Itoa(i)).Body.Bytes(), &part); err != nil {
			t.Fatal(err)
		}
		for _, u := range part.URLs {
			if listed[u.Loc] {
				t.Errorf("%s listed twice", u.Loc)
			}
			listed[u.Loc] = true
		}
	}
	if len(listed) != 253 {
		t.Errorf("sitemap parts list %d URLs, want 253", len(listed))
	}
	for target, status := range map[string]int{"/sitemap.xml?page=4": 404, "/sitemap.xml?page=0": 400, "/sitemap.xml?page=x": 400} {
		if w := fetch(t, s.Handler(), target); w.Code != status || !strings.Contains(w.Body.String(), `"error": "`) {
			t.Errorf("GET %s = %d %q, want %d with a JSON error", target, w.Code, w.Body.String(), status)
		}
	}
	s.sitemapSize = maxSitemapURLs
	// So do the feeds and downloads. A feed of 20 entries says there are
	// more, and where they go on, as the downloads do.
	aw := fetch(t, s.Handler(), "/search.atom?q=page")
	wantContains(t, "feed", aw.Body.String(), `href="https://archivio.example.org/search.atom?q=page"`,
		`<link rel="next" type="application/atom+xml" href="https://archivio.example.org/search.atom?page=2&amp;q=page"></link>`)
	if n := strings.Count(aw.Body.String(), "<entry>"); n != 20 || aw.Header().Get("X-Total-Count") != "250" ||
		aw.Header().Get("Link") != `<https://archivio.example.org/search.atom?page=2&q=page>; rel="next"` {
		t.Errorf("feed: %d entries, X-Total-Count %q, Link %q; want 20 of 250 and the next page", n, aw.Header().Get("X-Total-Count"), aw.Header().Get("Link"))
	}
	wantContains(t, "csv", fetch(t, s.Handler(), "/search.csv?q=page+249").Body.String(), "https://archivio.example.org/documents/d249")
	// A base URL that is no scheme and host is refused.
	for _, bad := range []string{"archivio.example.org", "ftp://archivio.example.org", "https://", "https://example.org/archivio", "https://example.org/?q=1", "https://user@example.org"} {
		if _, err := New(Config{Archive: ix, BaseURL: bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("New(BaseURL %q) error = %v, want one naming it", bad, err)
		}
	}
}

// TestRelatedPast20: a page lists up to 20 documents sharing one of its
// identifiers, all of its language versions among them when they are
// fewer, and links to a search for all when there are more.
func TestRelatedPast20(t *testing.T) {
	corpus := fstest.MapFS{}
	for i := range 24 {
		corpus[fmt.Sprintf("v%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Version %d\nreference: CDR 1/2025\n---\nThe opinion, version %d.\n", i, i))}
	}
	ix, _ := buildIndex(t, corpus)
	s, err := New(Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	body := fetch(t, s.Handler(), "/documents/v00").Body.String()
	list := body[strings.Index(body, `<ul class="related">`):]
	list = list[:strings.Index(list, "</ul>")]
	// The search's first 20 hits, less the page's own document.
	if n := strings.Count(list, "<li>"); n != 19 {
		t.Errorf("related documents listed: %d, want 19", n)
	}
	wantContains(t, "document page", body, `<a href="/search?q=CDR&#43;1%2F2025">All 24 documents with CDR 1/2025</a>`)
	it := fetch(t, s.Handler(), "/documents/v00?ui=it").Body.String()
	wantContains(t, "Italian document page", it, `Tutti i 24 documenti con CDR 1/2025</a>`)
}

// TestSitemapLastMod: a document's lastmod is the later of its file's and
// its metadata file's times.
func TestSitemapLastMod(t *testing.T) {
	docx, err := os.ReadFile("../indexer/testdata/formats/opinion.docx")
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := buildIndex(t, fstest.MapFS{
		"r/scheda.docx": {Data: docx, ModTime: time.Date(2020, 1, 15, 9, 0, 0, 0, time.UTC)},
		"r/scheda.yaml": {Data: []byte("title: Retitled in its sidecar\n"), ModTime: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)},
		"p.md":          {Data: []byte("A page of the archive.\n"), ModTime: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)},
	})
	s, err := New(Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "sitemap", fetch(t, s.Handler(), "/sitemap.xml").Body.String(),
		"<loc>http://example.com/documents/r.scheda</loc>\n    <lastmod>2026-11-20</lastmod>",
		"<loc>http://example.com/documents/p</loc>\n    <lastmod>2024-03-01</lastmod>")
}

// TestUnsafeMarkup checks the detector the security tests rely on.
func TestUnsafeMarkup(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`<img src=x onerror=alert(1)>`, true},
		{`<img src="x" alt='a b' onerror="alert(1)">`, true},
		{`<svg onload=alert(1)>`, true},
		{`<a href="javascript:alert(1)">x</a>`, true},
		{`<a href = ' JavaScript:alert(1)'>x</a>`, true},
		{`<iframe src="x">`, true},
		{`<input value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">`, false},
		{`<p>text onerror=alert(1) and javascript:alert(1)</p>`, false},
		{`<a href="">x</a>`, false},
	} {
		if got := unsafeMarkup(tc.in) != ""; got != tc.want {
			t.Errorf("unsafeMarkup(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestDropTitle(t *testing.T) {
	for _, tc := range []struct{ body, title, want string }{
		{"# Open data\n\nText.", "Open data", "Text."},
		{"## **Open data**\nText.", "open data", "Text."},
		{"# Other heading\n\nText.", "Open data", "# Other heading\n\nText."},
		// Not a heading: the line is text and stays (the title was inferred from it).
		{"**European Committee  \nof the Regions**", "European Committee", "**European Committee  \nof the Regions**"},
		{"", "x", ""},
	} {
		if got := dropTitle(tc.body, tc.title); got != tc.want {
			t.Errorf("dropTitle(%q, %q) = %q, want %q", tc.body, tc.title, got, tc.want)
		}
	}
}

// failingArchive is a real index whose searches fail, as a broken one's would.
type failingArchive struct{ *indexer.Index }

func (failingArchive) Search(context.Context, indexer.Query) (indexer.Results, error) {
	return indexer.Results{}, errors.New("bleve: disk on fire at /var/secret/index")
}

func (failingArchive) Receipts(context.Context) ([]indexer.Receipt, error) {
	return nil, errors.New("bleve: disk on fire at /var/secret/index")
}

func TestServerErrorsAreGeneric(t *testing.T) {
	ix, _ := buildIndex(t, fstest.MapFS{})
	s, err := New(Config{Archive: failingArchive{ix}})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/", "/search?q=x", "/commitments", "/search.atom", "/sitemap.xml"} {
		w := fetch(t, s.Handler(), target)
		if w.Code != http.StatusInternalServerError {
			t.Errorf("GET %s = %d, want 500", target, w.Code)
		}
		wantNotContains(t, "GET "+target, w.Body.String(), "disk on fire", "/var/secret")
	}
	body := fetch(t, s.Handler(), "/search?q=x", "Accept-Language", "it").Body.String()
	wantContains(t, "500 page", body, `<html lang="it">`, "Si è verificato un errore da parte nostra.")
}

func TestTemplateFailureSendsNoHalfPage(t *testing.T) {
	s := realServer(t)
	// A home template that writes some output, then fails.
	s.templates["home"] = template.Must(template.New("home").Parse(`{{define "layout"}}<p>half a page{{.NoSuchField}}</p>{{end}}`))
	w := fetch(t, s.Handler(), "/")
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", w.Code)
	}
	body := w.Body.String()
	wantNotContains(t, "failed page", body, "half a page")
	wantContains(t, "failed page", body, "Something went wrong on our side.", "</html>")
}

func TestHead(t *testing.T) {
	s := realServer(t)
	for _, target := range []string{"/", "/documents/opinions.econ-vii-038-ai-in-the-public-sector", "/static/site.css"} {
		req := httptest.NewRequest(http.MethodHead, target, nil)
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Errorf("HEAD %s = %d with %d bytes, want 200 and no body", target, w.Code, w.Body.Len())
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/search", nil)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed || !strings.Contains(w.Body.String(), "<h1>Method not allowed</h1>") || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /search = %d, Allow %q; want a 405 page with Allow: GET, HEAD", w.Code, w.Header().Get("Allow"))
	}
	req = httptest.NewRequest(http.MethodPost, "/commitments?ui=it", nil)
	w = httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	wantContains(t, "Italian 405 page", w.Body.String(), "<h1>Metodo non consentito</h1>", `<p class="error-msg">metodo non consentito</p>`)
	// Under /api/ the same answers are JSON.
	for _, tc := range []struct {
		method, target string
		status         int
		msg, allow     string
	}{
		{http.MethodPost, "/api/search?q=x", http.StatusMethodNotAllowed, "method not allowed", "GET, HEAD"},
		{http.MethodDelete, "/api/documents/opinions.econ-vii-038-ai-in-the-public-sector", http.StatusMethodNotAllowed, "method not allowed", "GET, HEAD"},
		{http.MethodGet, "/api/nosuch", http.StatusNotFound, "no such API endpoint", ""},
	} {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(tc.method, tc.target, nil))
		var body struct{ Error string }
		err := json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != tc.status || err != nil || body.Error != tc.msg || w.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s = %d %q (Allow %q); want %d {\"error\": %q} (Allow %q)", tc.method, tc.target, w.Code, w.Body.String(), w.Header().Get("Allow"), tc.status, tc.msg, tc.allow)
		}
	}
}

// TestSeedPages checks the pages of the seed documents as the parsers read them.
func TestSeedPages(t *testing.T) {
	s := realServer(t)
	op := fetch(t, s.Handler(), "/documents/opinions.econ-vii-038-ai-in-the-public-sector").Body.String()
	wantContains(t, "seed opinion", op,
		`<p class="kicker">Opinion · <span class="ref">ECON-VII/038</span></p>`,
		`<div class="para" id="p7">`, `<dd class="citation">CoR opinion ECON-VII/038, para. 7</dd>`,
		`<a class="pnum" href="/documents/opinions.econ-vii-038-ai-in-the-public-sector#p54">`,
		`<h3 class="section" lang="en">Policy recommendations</h3>`,
		`<a href="/search?rapporteur=Alberto%20Cirio">Alberto Cirio</a> (IT, EPP)`, `President of the Piedmont Region`,
		`<dd><a href="/search?commission=ECON">ECON</a></dd>`, `163rd plenary session, 20-21 November 2024`,
		`<dd lang="en">Article 307(4) TFEU</dd>`, `<time datetime="2024-10-24">24 October 2024</time>`,
		`<span lang="en">Digital Cohesion</span> <span class="meta">(not in the archive)</span>`, `OJ C 498, 30/12/2022, p. 39`,
		// A key point ending in "(3)" links to paragraph 3.
		`public administrations fulfil their role as a service in pursuit of the common good</span> <a class="kp-para" href="/documents/opinions.econ-vii-038-ai-in-the-public-sector#p3">¶ 3</a>`,
		`<tr><th scope="row">Legal basis</th><td lang="en">Article 307(4) TFEU</td></tr>`, `<dt>Adopted in commission</dt>`)
	wantNotContains(t, "seed opinion", op, `<td lang="en">N/A</td>`)
	if n := strings.Count(op, `<div class="para" id="p`); n != 54 {
		t.Errorf("seed opinion has %d paragraphs on its page, want 54", n)
	}
	fsPage := fetch(t, s.Handler(), "/documents/factsheets.cdr-3529-2017-public-sector-innovation").Body.String()
	wantContains(t, "seed factsheet", fsPage, `<ol class="timeline">`,
		`<time datetime="2017-06-08">8 June 2017</time> <span class="ev" lang="en">Appointment of Rapporteur</span>`,
		`<time datetime="2017-11-30">30 November 2017</time>`, `Frank Cecconi</a> (ALDE)`, `126th plenary session`)
	if n := strings.Count(fsPage, `<li><time datetime=`); n != 5 {
		t.Errorf("seed factsheet timeline has %d events, want 5", n)
	}
	// The body of a factsheet is its key points and timeline again (for
	// search): the page shows them once.
	wantNotContains(t, "seed factsheet", fsPage, `<h2 id="text-h">`, `<div class="prose"`)
	if n := strings.Count(fsPage, "The public sector has a crucial economic role to play"); n != 1 {
		t.Errorf("seed factsheet shows its first key point %d times, want once", n)
	}
	res := fetch(t, s.Handler(), "/search?q=procurement").Body.String()
	wantContains(t, "results", res,
		`<a href="/documents/opinions.econ-vii-038-ai-in-the-public-sector#p32">¶ 32 — <span lang="en">Training and skills development in the public sector</span></a>`,
		`public <mark>procurement</mark> for AI solutions`)
	cm := fetch(t, s.Handler(), "/commitments").Body.String()
	wantContains(t, "commitments", cm, `Commitments: 4`, `<svg role="img"`,
		`<tr><th scope="row">Italy action plan 2016-2018</th>`, `href="/commitments?country=Jordan"`,
		`<a href="/documents/commitments-sample~it0034" lang="en">Transparent Milan: public registry of elected and appointed representatives</a>`)
	it := fetch(t, s.Handler(), "/documents/commitments-sample~it0034").Body.String()
	wantContains(t, "IT0034", it, `<dd><a href="/commitments?country=Italy">Italy</a></dd>`, `<dt>Lead institutions</dt><dd lang="en">City of Milan</dd>`)
}

// FuzzSearchPage sends arbitrary query strings to the results page of a
// real index: never a 5xx, never markup from the input.
func FuzzSearchPage(f *testing.F) {
	for _, s := range []string{"q=open+data", "q=%3Cscript%3E", "q=%22unbalanced", "page=abc", "q=a*", "q=data~3",
		"kind=opinion&q=-x", "from=2024&to=2023", "q=kind:%3Cb%3E", "q=" + strings.Repeat("x", 2000), "%zz", "q=%ff%fe"} {
		f.Add(s)
	}
	srv := realServer(f)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest(http.MethodGet, "/search", nil)
		req.URL.RawQuery = rawQuery
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET /search?%s = %d", rawQuery, w.Code)
		}
		if bad := unsafeMarkup(w.Body.String()); bad != "" {
			t.Fatalf("GET /search?%s has %s", rawQuery, bad)
		}
		if strings.Contains(w.Body.String(), "<script>") {
			t.Fatalf("GET /search?%s has a <script> element", rawQuery)
		}
	})
}

func TestUniqueIDs(t *testing.T) {
	idAttr := regexp.MustCompile(`\sid="([^"]+)"`)
	rs := realServer(t)
	for _, tc := range []struct {
		s      *Server
		target string
		status int
	}{
		{rs, "/", 200}, {rs, "/search?q=open+data", 200}, {rs, "/about", 200}, {rs, "/commitments", 200},
		{rs, "/documents/opinions.econ-vii-038-ai-in-the-public-sector", 200}, {rs, "/documents/nothing", 404},
		{rs, "/documents/factsheets.cdr-3529-2017-public-sector-innovation", 200}, {rs, "/documents/commitments-sample~it0034", 200},
		{rs, "/search?q=procurement", 200},
	} {
		w := fetch(t, tc.s.Handler(), tc.target)
		ids := idAttr.FindAllStringSubmatch(w.Body.String(), -1)
		if w.Code != tc.status || len(ids) == 0 {
			t.Errorf("GET %s: status %d with %d ids, want %d and some ids", tc.target, w.Code, len(ids), tc.status)
		}
		seen := map[string]bool{}
		for _, m := range ids {
			if seen[m[1]] {
				t.Errorf("GET %s: id %q is used twice", tc.target, m[1])
			}
			seen[m[1]] = true
		}
	}
}

// TestDateLabelsTranslated checks the labels of a document's dates on the
// document page, which come from the parsers in English.
func TestDateLabelsTranslated(t *testing.T) {
	s := realServer(t)
	const page = "/documents/factsheets.cdr-3529-2017-public-sector-innovation"
	en := fetch(t, s.Handler(), page).Body.String()
	wantContains(t, "English factsheet", en, "<dt>Adopted in plenary</dt>")
	it := fetch(t, s.Handler(), page+"?ui=it").Body.String()
	wantContains(t, "Italian factsheet", it, "<dt>Adottato in sessione plenaria</dt>")
	wantNotContains(t, "Italian factsheet", it, "Adopted in plenary")
}

// TestFacetAllValuesLink checks the link under a facet with more values than
// it lists: it lists them all, and the API takes the same parameter.
func TestFacetAllValuesLink(t *testing.T) {
	corpus := fstest.MapFS{}
	for i := range 40 {
		corpus[fmt.Sprintf("p/%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Page %d\nlanguage: en\ntags: [topic%02d]\n---\nA page on cohesion.\n", i, i))}
	}
	s := newTestServer(t, corpus)
	body := fetch(t, s.Handler(), "/search?q=cohesion").Body.String()
	wantContains(t, "search page", body, `<a href="/search?more=tag&amp;q=cohesion">All 40</a>`)
	if n := strings.Count(body, "?q=cohesion&amp;tag=topic"); n != 30 {
		t.Errorf("search page lists %d tag values, want 30", n)
	}
	all := fetch(t, s.Handler(), "/search?more=tag&q=cohesion").Body.String()
	if n := strings.Count(all, "&amp;tag=topic"); n != 40 {
		t.Errorf("page with more=tag lists %d tag values, want 40", n)
	}
	wantNotContains(t, "page with more=tag", all, ">All 40<")
	it := fetch(t, s.Handler(), "/search?q=cohesion&ui=it").Body.String()
	wantContains(t, "Italian search page", it, ">Tutti e 40</a>")

	rec, res := get(t, s, "/api/search?q=cohesion&more=tag")
	if rec.Code != http.StatusOK || len(res["facets"].(map[string]any)["tag"].([]any)) != 40 || res["facet_values"].(map[string]any)["tag"].(float64) != 40 {
		t.Errorf("API with more=tag: %d, facet_values %v", rec.Code, res["facet_values"])
	}
	if rec, body := get(t, s, "/api/search?q=cohesion&more=nosuch"); rec.Code != http.StatusBadRequest || !strings.Contains(fmt.Sprint(body["error"]), "more must name a facet") {
		t.Errorf("more=nosuch: %d %v; want 400", rec.Code, body)
	}
}

// TestDownloadsHoldAThousand checks that a CSV or JSON download holds up to
// 1,000 hits (it held 100, without saying so), says where the next ones are,
// and that the search page says downloads stop there.
func TestDownloadsHoldAThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 1,050 documents")
	}
	// The downloads are sorted by date: the order of hits with equal scores
	// follows the index's internal order, which a background merge between
	// two downloads may change.
	corpus := fstest.MapFS{}
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1050 {
		corpus[fmt.Sprintf("p/%04d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Report %d\nlanguage: en\ndate: %s\n---\nA report on cohesion.\n", i, day.AddDate(0, 0, i).Format("2006-01-02")))}
	}
	s := newTestServer(t, corpus)
	rows := func(target string) ([][]string, http.Header) {
		t.Helper()
		w := fetch(t, s.Handler(), target)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, w.Code, w.Body)
		}
		recs, err := csv.NewReader(w.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:], w.Header()
	}
	first, h := rows("/search.csv?q=cohesion&sort=date")
	if len(first) != 1000 || h.Get("X-Total-Count") != "1050" || !strings.HasSuffix(h.Get("Link"), `/search.csv?page=2&q=cohesion&sort=date>; rel="next"`) {
		t.Errorf("first download: %d rows, X-Total-Count %q, Link %q; want 1000, 1050, the next page", len(first), h.Get("X-Total-Count"), h.Get("Link"))
	}
	second, h := rows("/search.csv?q=cohesion&sort=date&page=2")
	if len(second) != 50 || h.Get("Link") != "" {
		t.Errorf("second download: %d rows, Link %q; want the last 50 and no next", len(second), h.Get("Link"))
	}
	seen := map[string]bool{}
	for _, r := range append(first, second...) {
		seen[r[0]] = true
	}
	if len(seen) != 1050 {
		t.Errorf("the two downloads hold %d different documents, want all 1050", len(seen))
	}
	if paged, _ := rows("/search.csv?q=cohesion&size=20&page=3"); len(paged) != 20 {
		t.Errorf("download with size=20: %d rows", len(paged))
	}
	if w := fetch(t, s.Handler(), "/search.csv?q=cohesion&page=11"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "page 11 is too deep") {
		t.Errorf("download page 11 = %d %s; want 400 naming page 11", w.Code, w.Body)
	}
	var js struct {
		Total int
		Size  int
		Hits  []struct{ ID string }
	}
	w := fetch(t, s.Handler(), "/search.json?q=cohesion")
	if err := json.Unmarshal(w.Body.Bytes(), &js); err != nil || js.Total != 1050 || len(js.Hits) != 1000 || js.Size != 1000 {
		t.Errorf("JSON download: total %d, %d hits, size %d, %v", js.Total, len(js.Hits), js.Size, err)
	}
	wantContains(t, "search page", fetch(t, s.Handler(), "/search?q=cohesion").Body.String(), "CSV and JSON hold the first 1,000 results")
	wantContains(t, "Italian search page", fetch(t, s.Handler(), "/search?q=cohesion&ui=it").Body.String(), "CSV e JSON contengono i primi 1.000 risultati")
}

// TestErrorsInItalian checks that the errors a visitor causes are said in
// the page's language, and that every message the indexer and parseSearch
// give has its Italian words.
func TestErrorsInItalian(t *testing.T) {
	s := realServer(t)
	for _, tc := range []struct{ target, en, it string }{
		{"/search?from=bad", `&#34;bad&#34; is not a date`, `&#34;bad&#34; non è una data; usare AAAA-MM-GG`},
		{"/search?q=ab*", "give at least 3 letters before *", "indicare almeno 3 lettere prima di *"},
		{"/search?q=x&size=5&size=6", "is given more than once", "è indicato più di una volta"},
		{"/commitments?page=0", "must be a whole number of at least 1", "deve essere un numero intero di almeno 1"},
	} {
		wantContains(t, tc.target, fetch(t, s.Handler(), tc.target).Body.String(), tc.en)
		it := fetch(t, s.Handler(), tc.target+"&ui=it").Body.String()
		wantContains(t, tc.target+" in Italian", it, tc.it)
		wantNotContains(t, tc.target+" in Italian", it, tc.en)
	}

	// Every format passed to queryErrorf and badRequestf has a translation.
	var files []string
	for _, pattern := range []string{"../indexer/*.go", "*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	call := regexp.MustCompile(`(?:queryErrorf|badRequestf)\("((?:[^"\\]|\\.)*)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			format, err := strconv.Unquote(`"` + m[1] + `"`)
			if err != nil {
				t.Fatal(err)
			}
			n++
			if _, ok := errorsIT[format]; !ok {
				t.Errorf("%s: no Italian for %q", f, format)
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d messages, want the 20 and more the indexer and parseSearch give", n)
	}
}

// TestPagePastTheEnd checks a page number past the last page: it says so and
// links to the last page, instead of "no documents match" beside a count.
func TestPagePastTheEnd(t *testing.T) {
	s := realServer(t)
	lastPage := func(target string) int {
		t.Helper()
		_, body := get(t, s, target)
		return max((int(body["total"].(float64))+9)/10, 1)
	}
	searchLast, commitLast := `/search?q=public`, `/commitments`
	if n := lastPage("/api/search?q=public"); n > 1 {
		searchLast = fmt.Sprintf("/search?page=%d&amp;q=public", n)
	}
	if n := lastPage("/api/search?kind=commitment"); n > 1 {
		commitLast = fmt.Sprintf("/commitments?page=%d", n)
	}
	for _, tc := range []struct{ page, last string }{
		{"/search?q=public&page=60", searchLast},
		{"/commitments?page=60", commitLast},
	} {
		body := fetch(t, s.Handler(), tc.page).Body.String()
		wantContains(t, tc.page, body, "This page is past the last one.", `<a href="`+tc.last+`">Go to the last page</a>`)
		wantNotContains(t, tc.page, body, "No documents match", "No commitment matches")
	}
	it := fetch(t, s.Handler(), "/search?q=public&page=60&ui=it").Body.String()
	wantContains(t, "Italian page past the end", it, "Questa pagina è oltre l&#39;ultima.")
}

// TestCountOnlyDownloadHasNoNextPage checks that a download of counts only
// (size=0) says the total and links to no next page: each next page would
// be as empty, a loop for a client that follows Link.
func TestCountOnlyDownloadHasNoNextPage(t *testing.T) {
	s := realServer(t)
	for _, target := range []string{"/search.json?size=0", "/search.csv?size=0"} {
		w := fetch(t, s.Handler(), target)
		if w.Code != http.StatusOK || w.Header().Get("X-Total-Count") == "0" || w.Header().Get("Link") != "" {
			t.Errorf("GET %s = %d, X-Total-Count %q, Link %q; want 200, the total, no Link", target, w.Code, w.Header().Get("X-Total-Count"), w.Header().Get("Link"))
		}
	}
}

// TestOpinionNotes checks that an Official Journal opinion's footnotes are on
// its page, and that their marks in the paragraphs link to them.
func TestOpinionNotes(t *testing.T) {
	s := fixtureServer(t, "oj.txt", "cor-opinions/oj-sections-synthetic.txt")
	page := fetch(t, s.Handler(), "/documents/oj").Body.String()
	wantContains(t, "OJ opinion", page,
		`which follows its earlier call <a class="noteref" href="#note-1">[1]</a> for simpler rules;`,
		`<h2 id="notes-h">Notes</h2>`, `<li id="note-1" value="1" lang="en">OJ C 123, 1.2.2025, p. 1.</li>`)
	it := fetch(t, s.Handler(), "/documents/oj?ui=it").Body.String()
	wantContains(t, "OJ opinion in Italian", it, `<h2 id="notes-h">Note</h2>`)
}

// TestCommitmentWithoutAssessment checks that a commitment the IRM has not
// assessed (an action plan draft) has no empty assessment heading, and that
// an assessed one has it.
func TestCommitmentWithoutAssessment(t *testing.T) {
	s := fixtureServer(t, "drafts/11.md", "it-ogp-nap3/11.md")
	res, err := s.archive.Search(context.Background(), indexer.Query{Filters: map[string][]string{"kind": {"commitment"}}})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("the draft: %v, %v", res.Hits, err)
	}
	page := fetch(t, s.Handler(), documentURL(res.Hits[0].ID, 0)).Body.String()
	wantContains(t, "draft commitment", page, `<dt>Country or region</dt>`)
	wantNotContains(t, "draft commitment", page, "IRM assessment")

	assessed := fetch(t, realServer(t).Handler(), "/documents/commitments-sample~it0034").Body.String()
	wantContains(t, "assessed commitment", assessed, "<h3>IRM assessment</h3>", `<dt>Specificity</dt><dd>Medium</dd>`)
}

// TestAboutExampleParses parses the front matter example the about page
// gives staff to copy: it must be archived with what it says.
func TestAboutExampleParses(t *testing.T) {
	page := fetch(t, realServer(t).Handler(), "/about").Body.String()
	start := strings.Index(page, "<pre tabindex=\"0\"><code>---")
	end := strings.Index(page[max(start, 0):], "</code></pre>")
	if start < 0 || end < 0 {
		t.Fatal("no example on the about page")
	}
	example := html.UnescapeString(page[start+len("<pre tabindex=\"0\"><code>") : start+end])
	docs, err := indexer.Parse("example.md", []byte(example), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("the example does not parse: %v", err)
	}
	d := docs[0]
	if d.Title != "AI in the public sector: the role of regions and cities" || d.Reference != "ECON-VII/038" || d.Rapporteur == nil || d.Rapporteur.Group != "EPP" {
		t.Errorf("the example gives title %q, reference %q, rapporteur %+v", d.Title, d.Reference, d.Rapporteur)
	}
}

func TestNumbersInTheLanguage(t *testing.T) {
	en, it := newUI("en"), newUI("it")
	tests := []struct {
		got, want string
	}{
		{en.Num(1505), "1,505"},
		{it.Num(1505), "1.505"},
		{it.Num(uint64(2206)), "2.206"},
		{it.Num(999), "999"},
		{en.Num(1234567), "1,234,567"},
		{it.Num(-1234), "-1.234"},
		{it.T("search.showing", 1, 10, uint64(1505)), "Risultati 1–10 di 1.505"},
		{en.T("search.results", uint64(10000)), "10,000 results"},
		{it.T("search.allvalues", 76), "Tutti e 76"},
		{it.Error(&indexer.QueryError{Format: "page %d is too deep; results stop at %d hits", Args: []any{1001, 10000}}), "la pagina 1.001 è troppo lontana; i risultati si fermano a 10.000"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestProcedureLabelsInItalian checks that the procedure rows Archivio names
// itself (for a Chamber record) are in the page's language.
func TestProcedureLabelsInItalian(t *testing.T) {
	s := fixtureServer(t, "camera/AC10.json", "institutional/AC10.json")
	it := fetch(t, s.Handler(), "/documents/camera.ac10?ui=it").Body.String()
	wantContains(t, "Italian record page", it, `<th scope="row">Assegnato a</th><td lang="it">Commissione II Giustizia</td>`)
	wantNotContains(t, "Italian record page", it, "Assigned to")
	en := fetch(t, s.Handler(), "/documents/camera.ac10").Body.String()
	wantContains(t, "English record page", en, `<th scope="row">Assigned to</th>`)
}

// fixtureServer serves a corpus of one file, name, copied from the
// indexer's test data (fixture, a path below indexer/testdata).
func fixtureServer(t *testing.T, name, fixture string) *Server {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "indexer", "testdata", filepath.FromSlash(fixture)))
	if err != nil {
		t.Fatal(err)
	}
	return newTestServer(t, fstest.MapFS{name: {Data: b}})
}

// TestSharedLinksWithTracking: a search link shared through a site or a
// newsletter, which adds fbclid or utm_source, still works; a misspelt
// parameter is still refused.
func TestSharedLinksWithTracking(t *testing.T) {
	s := realServer(t)
	for _, tc := range []struct {
		target string
		code   int
	}{
		{"/search?q=regions&fbclid=IwAR0abc", http.StatusOK},
		{"/search?q=regions&utm_source=twitter&utm_medium=social", http.StatusOK},
		{"/commitments?utm_source=x", http.StatusOK},
		{"/api/search?q=regions&gclid=x", http.StatusOK},
		{"/api/files?utm_campaign=x", http.StatusOK},
		{"/search?q=regions&srsltid=x&ttclid=y&li_fat_id=z&gbraid=w", http.StatusOK},
		{"/search?q=regions&colour=red", http.StatusBadRequest},
	} {
		if w := fetch(t, s.Handler(), tc.target); w.Code != tc.code {
			t.Errorf("GET %s = %d, want %d", tc.target, w.Code, tc.code)
		}
	}
	// Links, feeds and download headers do not carry them on.
	page := fetch(t, s.Handler(), "/search?q=regions&utm_source=nl&fbclid=abc").Body.String()
	feed := fetch(t, s.Handler(), "/search.atom?q=regions&utm_source=nl").Body.String()
	wantContains(t, "shared page", page, `href="/search?kind=`)
	wantNotContains(t, "shared page and feed", page+feed, "utm_source", "fbclid")
	plain := fetch(t, s.Handler(), "/api/search?q=regions").Body.String()
	if shared := fetch(t, s.Handler(), "/api/search?q=regions&utm_source=x").Body.String(); !strings.Contains(shared, `"total"`) || stripTook(shared) != stripTook(plain) {
		t.Errorf("with utm_source: %.200s\nwithout: %.200s", shared, plain)
	}
}

// stripTook removes the timing field from a search answer.
func stripTook(s string) string { return regexp.MustCompile(`"took": "[^"]*"`).ReplaceAllString(s, "") }

// TestCommitmentsChartOnExport: on the OGP export, the chart says which plans
// it shows of how many, says what a status is, and gives each status the
// same colour in every view.
func TestCommitmentsChartOnExport(t *testing.T) {
	s := fixtureServer(t, "ogp.csv", "ogp-commitments/open_parliament_0703.csv")
	fills := regexp.MustCompile(`<rect width="14" height="14" fill="(#[0-9a-f]{6})"/></svg> ([^<]+)</li>`)
	seen := map[string]string{}
	for _, target := range []string{"/commitments", "/commitments?status=Complete", "/commitments?country=Morocco", "/commitments?country=Ukraine"} {
		body := fetch(t, s.Handler(), target).Body.String()
		legend := fills.FindAllStringSubmatch(body, -1)
		if len(legend) == 0 {
			t.Fatalf("%s: no chart legend", target)
		}
		for _, m := range legend {
			if f, ok := seen[m[2]]; ok && f != m[1] {
				t.Errorf("%s: %s is %s, elsewhere %s", target, m[2], m[1], f)
			}
			seen[m[2]] = m[1]
		}
		wantContains(t, target, body, "at mid-term when the end-of-term report gives none")
	}
	if seen["Complete"] != "#2e7d32" || seen["Not started"] != "#b3261e" {
		t.Errorf("legend colours %v", seen)
	}
	body := fetch(t, s.Handler(), "/commitments").Body.String()
	if !regexp.MustCompile(`The 12 action plans with the most commitments, of [1-9][0-9]+\.`).MatchString(body) {
		t.Error("the chart does not say it shows 12 plans of all")
	}
}

// TestOpinionAmendmentsShown: an opinion's text outside its numbered
// paragraphs (recommended amendments) is on its page, after them, and a
// search for its words finds it without pointing to a paragraph.
func TestOpinionAmendmentsShown(t *testing.T) {
	s := fixtureServer(t, "opinions/nat-vii-041.md", "cor-opinions/amendments-synthetic.md")
	body := fetch(t, s.Handler(), "/documents/opinions.nat-vii-041").Body.String()
	wantContains(t, "opinion page", body, `<div class="para" id="p3">`,
		`<p><strong>Amendment 1</strong></p>`, `<td>Member States and their regions shall report every year.</td>`,
		`<p>Aquifers are managed by regional water boards.</p>`)
	if strings.Index(body, "Aquifers") < strings.Index(body, `id="p3"`) {
		t.Error("the amendments come before paragraph 3")
	}
	var res struct {
		Hits []struct {
			ID        string
			Paragraph int
			Snippets  []string
		}
	}
	if err := json.Unmarshal(fetch(t, s.Handler(), "/api/search?q=aquifers+regional").Body.Bytes(), &res); err != nil || len(res.Hits) != 1 ||
		res.Hits[0].Paragraph != 0 || !strings.Contains(strings.Join(res.Hits[0].Snippets, " "), "<mark>Aquifers</mark>") {
		t.Errorf("search aquifers: %v, %+v; want the opinion, no paragraph, the sentence", err, res.Hits)
	}
}

// TestItalianValues: values of a fixed vocabulary are said in Italian, in
// agreement with their field; political groups by their Italian acronyms.
func TestItalianValues(t *testing.T) {
	it, en := newUI("it"), newUI("en")
	for _, tc := range []struct{ got, want string }{
		{it.IRMOf("impact", "None"), "Nessuno"},
		{it.IRMOf("", "None"), "Nessuna"},
		{it.IRM("Other"), "Altro"},
		{it.Group("EPP"), "PPE"},
		{en.Group("EPP"), "EPP"},
		{it.FacetValue("group", "PES"), "PSE"},
		{en.IRMOf("impact", "None"), "None"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestCommitmentsWithoutPlan: the chart says how many commitments it leaves
// out for having no action plan (a plan's drafts).
func TestCommitmentsWithoutPlan(t *testing.T) {
	csvData, err := os.ReadFile("testdata/corpus/commitments-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	draft, err := os.ReadFile(filepath.Join("..", "indexer", "testdata", "it-ogp-nap3", "11.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, fstest.MapFS{"sample.csv": {Data: csvData}, "drafts/11.md": {Data: draft}})
	body := fetch(t, s.Handler(), "/commitments").Body.String()
	wantContains(t, "commitments", body, "Commitments: 5", "Commitments without an action plan, not in the chart: 1.")
	it := fetch(t, s.Handler(), "/commitments?ui=it").Body.String()
	wantContains(t, "Italian commitments", it, "Impegni senza piano d&#39;azione, non nel grafico: 1.")
}

// TestCommitmentNewerIRMRatings: a commitment of a recent action plan shows
// the IRM's potential for results and early results, in Italian too.
func TestCommitmentNewerIRMRatings(t *testing.T) {
	row := `{"Commitment Unique Identifier": "AT0001", "Country/Locality": "Atlantis", "Commitment Title": "Open budget portal", ` +
		`"Full Text": "Publish the budget as open data.", "Potential for Results": "Substantial", "Early Results": "Significant", ` +
		`"Potential Impact": "ND", "Starred (Current Formula) End of Term": "NR"}` + "\n"
	s := newTestServer(t, fstest.MapFS{"ogp.jsonl": {Data: []byte(row)}})
	en := fetch(t, s.Handler(), "/documents/ogp~at0001").Body.String()
	wantContains(t, "commitment page", en, `<dt>Potential for results</dt><dd>Substantial</dd>`, `<dt>Early results</dt><dd>Significant</dd>`)
	wantNotContains(t, "commitment page", en, `<dt>Potential impact</dt>`, `<dt>Starred</dt>`)
	it := fetch(t, s.Handler(), "/documents/ogp~at0001?ui=it").Body.String()
	wantContains(t, "Italian commitment page", it, `<dt>Potenziale di risultati</dt><dd>Sostanziale</dd>`, `<dt>Primi risultati</dt><dd>Significativo</dd>`)
}

// TestSearchErrorKeepsFilters: a search refused for a bad date keeps the
// dates form with the date as typed and the filters, to mend and search again.
func TestSearchErrorKeepsFilters(t *testing.T) {
	s := realServer(t)
	w := fetch(t, s.Handler(), "/search?from=21%2F11%2F2024&to=&kind=opinion&q=ai&ui=it")
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", w.Code)
	}
	wantContains(t, "search with a bad date", w.Body.String(), `&#34;21/11/2024&#34; non è una data`,
		`<input id="from" name="from" value="21/11/2024"`, `<input type="hidden" name="kind" value="opinion">`)
}

// TestRightToLeft: a document in Arabic is marked right to left where its
// text is, on its page and in the results.
func TestRightToLeft(t *testing.T) {
	ix, _ := buildIndex(t, fstest.MapFS{"ar.md": {Data: []byte("---\ntitle: رأي اللجنة\nlanguage: ar\n---\nالذكاء الاصطناعي في القطاع العام والمناطق.\n")}})
	s, err := New(Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "Arabic page", fetch(t, s.Handler(), "/documents/ar").Body.String(),
		`<h1 lang="ar" dir="rtl">رأي اللجنة</h1>`, `<div class="prose" lang="ar" dir="rtl">`)
	wantContains(t, "results", fetch(t, s.Handler(), "/search?q=%D8%A7%D9%84%D9%82%D8%B7%D8%A7%D8%B9").Body.String(),
		`lang="ar" dir="rtl">رأي اللجنة</a>`, `<p class="snippet" lang="ar" dir="rtl">`)
}

// unavailableArchive is a real index whose searches fail with err.
type unavailableArchive struct {
	*indexer.Index
	err error
}

func (a unavailableArchive) Search(context.Context, indexer.Query) (indexer.Results, error) {
	return indexer.Results{}, a.err
}

// TestIndexUnavailable: an index that cannot be read at the moment (a
// failed write, a folder made read-only) or is too busy to search is a
// 503 that says so, and says when to try again, in the API and on pages.
func TestIndexUnavailable(t *testing.T) {
	ix, _ := buildIndex(t, fstest.MapFS{})
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: root.bolt: permission denied", indexer.ErrUnavailable), "the index cannot be read at the moment; try again later"},
		{fmt.Errorf("%w: waited 5s for a turn", indexer.ErrBusy), "too many searches at once; try again later"},
	} {
		s, err := New(Config{Archive: unavailableArchive{ix, tc.err}})
		if err != nil {
			t.Fatal(err)
		}
		w := fetch(t, s.Handler(), "/api/search?q=x")
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("GET /api/search (%v) = %d %q, want 503 saying %q", tc.err, w.Code, w.Body.String(), tc.want)
		}
		if got := w.Header().Get("Retry-After"); got != "5" {
			t.Errorf("GET /api/search (%v): Retry-After %q, want 5", tc.err, got)
		}
		wantNotContains(t, "503", w.Body.String(), "permission denied", "root.bolt", "waited")
		w = fetch(t, s.Handler(), "/search?q=x")
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
			t.Errorf("GET /search (%v) = %d, Retry-After %q; want 503 and 5", tc.err, w.Code, w.Header().Get("Retry-After"))
		}
	}
}
