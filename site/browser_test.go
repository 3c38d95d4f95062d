package site

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive a real headless Chromium against the site served
// over loopback HTTP, and run axe-core in every kind of page. Without
// Chromium or axe-core they are skipped, except in CI (CI=true), where
// they fail.
//
// Install: apt-get install -y chromium; (cd site/testdata/axe && npm ci).
// CHROMIUM names another browser binary. ARCHIVIO_SCREENSHOTS=dir saves
// screenshots of the pages at desktop and phone widths.

// axeTags are the rule sets run: WCAG 2.0 and 2.1 A and AA, and best practices.
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']`

func missing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts one headless Chromium for a test and returns a context for
// a tab in it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		missing(t, "Chromium is not installed (apt-get install -y chromium, or set CHROMIUM); browser tests skipped")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "chromium")),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return bctx
}

func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		missing(t, "axe-core is not installed (cd site/testdata/axe && npm ci); browser tests skipped: "+err.Error())
	}
	return string(b)
}

// do runs steps and fails the test on error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// run runs one action and returns its value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// follow runs a step that navigates (a click, a submit) and waits for the new page.
func follow(t *testing.T, ctx context.Context, step chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if resp == nil || resp.Status >= 400 {
		t.Fatalf("navigation answered %v", resp)
	}
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.Join(strings.Fields(run(t, ctx, chromedp.Text(chromedp.CSS(sel)))), " ")
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, chromedp.Location())
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe-core in the current page and returns its violations.
func axeCheck(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	script := `axe.run(document, {runOnly: ` + axeTags + `}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	return vs
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ARCHIVIO_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, size := range []struct {
		suffix string
		w, h   int64
	}{{"desktop", 1280, 900}, {"phone", 375, 740}} {
		do(t, ctx, chromedp.EmulateViewport(size.w, size.h))
		for kind, shot := range map[string]chromedp.Action[[]byte]{"": chromedp.CaptureScreenshot(), "-full": chromedp.FullScreenshot(100)} {
			png := run(t, ctx, shot)
			if err := os.WriteFile(filepath.Join(dir, name+"-"+size.suffix+kind+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	axe := axeSource(t)
	ctx := browser(t)
	realTS := httptest.NewServer(realServer(t).Handler())
	defer realTS.Close()
	// English unless a step asks otherwise: the language cookie is kept.
	english := func(t *testing.T) { do(t, ctx, chromedp.Navigate(realTS.URL+"/about?ui=en")) }

	t.Run("search from the home page", func(t *testing.T) {
		english(t)
		do(t, ctx, chromedp.Navigate(realTS.URL+"/"))
		do(t, ctx, chromedp.SendKeys(chromedp.ID("q"), "open data"))
		follow(t, ctx, chromedp.Submit(chromedp.ID("q")))
		if got, want := location(t, ctx), realTS.URL+"/search?q=open+data"; got != want {
			t.Errorf("location = %s, want %s", got, want)
		}
		if got := textOf(t, ctx, "#results-h"); got != "6 results for “open data”" {
			t.Errorf("results heading = %q", got)
		}
		if got := run(t, ctx, chromedp.Value(chromedp.ID("q"))); got != "open data" {
			t.Errorf("search box = %q, want the query kept", got)
		}
		if n := len(run(t, ctx, chromedp.Nodes(chromedp.CSSAll("ol.hits > li")))); n != 6 {
			t.Errorf("%d hits listed, want 6", n)
		}
	})

	t.Run("apply and remove a facet", func(t *testing.T) {
		english(t)
		do(t, ctx, chromedp.Navigate(realTS.URL+"/search?q=open+data"))
		follow(t, ctx, chromedp.Click(chromedp.CSS(`.facets a[href="/search?kind=opinion&q=open+data"]`)))
		if got := textOf(t, ctx, "#results-h"); got != "2 results for “open data”" {
			t.Errorf("with kind=opinion, results heading = %q", got)
		}
		if got := textOf(t, ctx, ".chips li:first-child a"); got != "Kind: Opinion ×" {
			t.Errorf("active filter = %q", got)
		}
		follow(t, ctx, chromedp.Click(chromedp.CSS(".chips li:first-child a")))
		if got, want := location(t, ctx), realTS.URL+"/search?q=open+data"; got != want {
			t.Errorf("after removing the filter, location = %s, want %s", got, want)
		}
		if got := textOf(t, ctx, "#results-h"); got != "6 results for “open data”" {
			t.Errorf("after removing the filter, results heading = %q", got)
		}
	})

	t.Run("open a document at a paragraph", func(t *testing.T) {
		english(t)
		const op = "/documents/opinions.econ-vii-038-ai-in-the-public-sector"
		do(t, ctx, chromedp.Navigate(realTS.URL+"/search?q=procurement"))
		follow(t, ctx, chromedp.Click(chromedp.CSS(`.para-link a`)))
		if got, want := location(t, ctx), realTS.URL+op+"#p32"; got != want {
			t.Errorf("location = %s, want %s", got, want)
		}
		type view struct {
			Target string  `json:"target"`
			Top    float64 `json:"top"`
			Height float64 `json:"height"`
			Bg     string  `json:"bg"`
		}
		v := run(t, ctx, chromedp.Evaluate[view](`(() => { const e = document.querySelector(':target');
			return {target: e ? e.id : '', top: e ? e.getBoundingClientRect().top : -1, height: window.innerHeight,
			bg: e ? getComputedStyle(e).backgroundColor : ''}; })()`))
		if v.Target != "p32" {
			t.Fatalf(":target = %q, want p32", v.Target)
		}
		if v.Top < 0 || v.Top > v.Height/2 {
			t.Errorf("paragraph 32 is at %.0f px in a %.0f px window, want in view near the top", v.Top, v.Height)
		}
		if v.Bg == "" || v.Bg == "rgba(0, 0, 0, 0)" {
			t.Errorf("the target paragraph is not highlighted (background %q)", v.Bg)
		}
		// The citation control opens without JavaScript and shows the citation.
		do(t, ctx, chromedp.Click(chromedp.CSS("#p32 details.cite summary")))
		if got := textOf(t, ctx, "#p32 .citation"); got != "CoR opinion ECON-VII/038, para. 32" {
			t.Errorf("citation = %q", got)
		}
		screenshot(t, ctx, "document")
		do(t, ctx, chromedp.Navigate(realTS.URL+op+"#proc-h"))
		screenshot(t, ctx, "seed-procedure")
	})

	t.Run("switch language", func(t *testing.T) {
		english(t)
		do(t, ctx, chromedp.Navigate(realTS.URL+"/search?q=open+data"))
		follow(t, ctx, chromedp.Click(chromedp.CSS(`.langs a[hreflang="it"]`)))
		if got := run(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); got != "it" {
			t.Errorf("html lang = %q, want it", got)
		}
		if got := textOf(t, ctx, "#results-h"); got != "6 risultati per «open data»" {
			t.Errorf("Italian results heading = %q", got)
		}
		if got := run(t, ctx, chromedp.Value(chromedp.ID("q"))); got != "open data" {
			t.Errorf("search box = %q after the switch, want the query kept", got)
		}
		// The choice is remembered on other pages.
		do(t, ctx, chromedp.Navigate(realTS.URL+"/"))
		if got := textOf(t, ctx, "h1"); got != "Trova, leggi e cita" {
			t.Errorf("home h1 = %q, want Italian", got)
		}
		english(t)
	})

	t.Run("commitments browser", func(t *testing.T) {
		english(t)
		do(t, ctx, chromedp.Navigate(realTS.URL+"/commitments"))
		if got := textOf(t, ctx, "#list-h"); got != "Commitments: 4" {
			t.Errorf("list heading = %q", got)
		}
		if n := len(run(t, ctx, chromedp.Nodes(chromedp.CSSAll(`figure.chart svg[role="img"] rect`)))); n != 4 {
			t.Errorf("chart has %d bar segments, want 4 (one commitment in each of the four plans)", n)
		}
		screenshot(t, ctx, "commitments")
		follow(t, ctx, chromedp.Click(chromedp.CSS(`.facets a[href="/commitments?country=Slovak+Republic"]`)))
		if got := textOf(t, ctx, "#list-h"); got != "Commitments: 1" {
			t.Errorf("filtered list heading = %q", got)
		}
		follow(t, ctx, chromedp.Click(chromedp.CSS(`ol.hits a`)))
		if got := textOf(t, ctx, "h1"); got != "Lawmaking Public Participation Rules" {
			t.Errorf("commitment page h1 = %q", got)
		}
	})

	t.Run("keyboard: skip link and focus style", func(t *testing.T) {
		english(t)
		do(t, ctx, chromedp.Navigate(realTS.URL+"/search?q=open+data"))
		do(t, ctx, chromedp.KeyEvent("\t"))
		type focus struct {
			Class   string  `json:"class"`
			Left    float64 `json:"left"`
			Outline string  `json:"outline"`
		}
		f := run(t, ctx, chromedp.Evaluate[focus](`(() => { const e = document.activeElement; const s = getComputedStyle(e);
			return {class: e.className, left: e.getBoundingClientRect().left, outline: s.outlineStyle + ' ' + s.outlineWidth}; })()`))
		if f.Class != "skip" || f.Left < 0 {
			t.Errorf("first Tab focuses %+v, want the visible skip link", f)
		}
		if f.Outline != "solid 3px" {
			t.Errorf("focused skip link outline = %q, want solid 3px", f.Outline)
		}
		do(t, ctx, chromedp.KeyEvent("\r"))
		if got := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
			t.Errorf("after following the skip link, focus is on #%s, want #main", got)
		}
	})

	t.Run("axe", func(t *testing.T) {
		for _, p := range []struct{ name, url string }{
			{"home", realTS.URL + "/"},
			{"results", realTS.URL + "/search?q=open+data"},
			{"results-filtered", realTS.URL + "/search?q=open+data&kind=opinion"},
			{"results-none", realTS.URL + "/search?q=nosuchwordanywhere"},
			{"results-error", realTS.URL + "/search?q=a*"},
			{"results-paragraphs", realTS.URL + "/search?q=procurement"},
			{"document-opinion", realTS.URL + "/documents/opinions.econ-vii-038-ai-in-the-public-sector#p32"},
			{"document-factsheet", realTS.URL + "/documents/factsheets.cdr-3529-2017-public-sector-innovation"},
			{"document-commitment", realTS.URL + "/documents/commitments-sample~it0034"},
			{"document-front-matter", realTS.URL + "/documents/opinions.fixture-open-data"},
			{"document-hostile", realTS.URL + "/documents/pages.hostile"},
			{"commitments", realTS.URL + "/commitments"},
			{"commitments-it", realTS.URL + "/commitments?ui=it"},
			{"about", realTS.URL + "/about"},
			{"about-it", realTS.URL + "/about?ui=it"},
			{"home-it", realTS.URL + "/?ui=it"},
			{"not-found", realTS.URL + "/documents/nothing-here"},
		} {
			t.Run(p.name, func(t *testing.T) {
				do(t, ctx, chromedp.Navigate(p.url))
				vs := axeCheck(t, ctx, axe)
				for _, v := range vs {
					t.Errorf("axe %s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
				}
				if len(vs) == 0 {
					t.Logf("axe: 0 violations")
				}
				// Nothing is wider than a phone (375 px): no sideways scrolling.
				do(t, ctx, chromedp.EmulateViewport(375, 740))
				if w := run(t, ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 375 {
					t.Errorf("at 375 px the page is %.0f px wide", w)
				}
				// At that width, with what folds open, what scrolls inside
				// the page (tables, code) can be reached from the keyboard.
				do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`))
				for _, v := range axeCheck(t, ctx, axe) {
					t.Errorf("axe at 375 px %s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
				}
				do(t, ctx, chromedp.EmulateViewport(1280, 900))
				screenshot(t, ctx, p.name)
			})
		}
		english(t)
	})
}

// TestAxeFindsViolations makes sure the axe check can fail: a page with an
// unlabelled field and an image without text has violations.
func TestAxeFindsViolations(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	axe := axeSource(t)
	ctx := browser(t)
	page := `data:text/html,` + strings.ReplaceAll(`<!doctype html><html><head><title>x</title></head><body><main><input type=text><img src=x.png></main></body></html>`, " ", "%20")
	do(t, ctx, chromedp.Navigate(page))
	vs := axeCheck(t, ctx, axe)
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	for _, want := range []string{"label", "image-alt", "html-has-lang"} {
		if !ids[want] {
			t.Errorf("axe did not report %s; got %v", want, fmt.Sprint(ids))
		}
	}
}

// TestChartLabelsFit: at a phone's width the commitments chart's plan
// labels, the longest the archive has (North Macedonia's, Italy's
// consultation draft in Italian), end inside the chart.
func TestChartLabelsFit(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	ctx := browser(t)
	corpus := fstest.MapFS{}
	for i, plan := range []string{"North Macedonia action plan 2021-2023", "Italy action plan 2016-2018 (consultation draft)", "Bosnia and Herzegovina action plan 2019-2021"} {
		corpus[fmt.Sprintf("c%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Commitment %d\nkind: commitment\nplan: %s\nstatus: Substantial\n---\nPublish the registry of lobbyists.\n", i, plan))}
	}
	ix, _ := buildIndex(t, corpus)
	s, err := New(Config{Archive: ix})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	do(t, ctx, chromedp.EmulateViewport(360, 800))
	defer do(t, ctx, chromedp.EmulateViewport(1280, 900))
	for _, ui := range []string{"en", "it"} {
		do(t, ctx, chromedp.Navigate(ts.URL+"/commitments?ui="+ui))
		type labelBox struct {
			Text  string  `json:"text"`
			Right float64 `json:"right"`
			Width float64 `json:"width"`
		}
		labels := run(t, ctx, chromedp.Evaluate[[]labelBox](`Array.from(document.querySelectorAll('.bar-label')).map(l => {
			const svg = l.ownerSVGElement.getBoundingClientRect(), r = l.getBoundingClientRect();
			return {text: l.textContent, right: r.right - svg.left, width: svg.width};
		})`))
		if len(labels) != 3 {
			t.Fatalf("ui=%s: %d labels, want 3", ui, len(labels))
		}
		for _, l := range labels {
			if l.Right > l.Width {
				t.Errorf("ui=%s: label %q ends at %.0f px, past the chart's %.0f", ui, l.Text, l.Right, l.Width)
			}
		}
	}
}
