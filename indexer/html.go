package indexer

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLNodes bounds the elements htmlText walks, so that a hostile page
// cannot keep the indexer busy.
const maxHTMLNodes = 500_000

// htmlText returns the main text of an HTML page as plain text with Markdown
// touches: blocks separated by blank lines, headings as "#" lines, list items
// as "- ". Navigation, headers, footers, scripts, styles, forms and cookie
// banners are dropped. The page's <h1> (or <title>) is the first line, so
// that parseText takes it as the title.
//
// The heuristic is readability's, simplified: the text comes from <main>,
// else the single <article>, else the element holding most paragraph text;
// inside it, boilerplate elements (by tag, role, or class/id words) and
// blocks that are mostly links are skipped.
func htmlText(src string) (string, error) {
	text, _, _, err := htmlContent(src)
	return text, err
}

// htmlContent is htmlText, and reports whether the page marks its main
// content (<main>, or a single <article>): then the text is the page's
// own, with no menus or footers left for the page reader to find; and the
// language the page declares (<html lang="it-IT">: "it"), if any.
func htmlContent(src string) (text string, marked bool, lang string, err error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", false, "", fmt.Errorf("html: %s", strings.TrimPrefix(err.Error(), "html: "))
	}
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.ElementNode && n.DataAtom == atom.Html {
			if code, err := languageCode(attr(n, "lang")); err == nil {
				lang = code
			}
		}
	}
	nodes := 0
	tooBig := false
	var title string
	var mains, articles []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if nodes++; nodes > maxHTMLNodes {
			tooBig = true
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if title == "" {
					title = collapseSpace(textOf(n))
				}
			case atom.Main:
				mains = append(mains, n)
			case atom.Article:
				articles = append(articles, n)
			}
			if attr(n, "role") == "main" {
				mains = append(mains, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if tooBig {
		return "", false, "", fmt.Errorf("html: more than %d elements", maxHTMLNodes)
	}
	root := body(doc)
	// Where the page marks its main content, its heading is looked for
	// there: an <h1> in the site's banner is the site's name.
	headingIn := doc
	switch {
	case len(mains) > 0:
		root, headingIn, marked = mains[0], mains[0], true
	case len(articles) == 1:
		root, headingIn, marked = articles[0], articles[0], true
	default:
		if best := densest(root); best != nil {
			root = best
		}
	}
	if root == nil {
		return "", false, "", errors.New("html: no body")
	}
	w := &blockWriter{stats: newTextStats(root)}
	w.render(root)
	w.dropEmptySections()
	text = strings.TrimSpace(w.String())
	// Keep the page's heading first; fall back to <title> (without the
	// " | Site name" tail) when the main text has none.
	if h1 := firstH1(headingIn); h1 != "" && !strings.HasPrefix(text, "# ") {
		if !strings.Contains(text, "# "+h1) {
			text = "# " + h1 + "\n\n" + text
		}
	} else if !strings.HasPrefix(text, "# ") && title != "" {
		text = "# " + siteTail.ReplaceAllString(title, "") + "\n\n" + text
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", false, "", errors.New("html: no text in page")
	}
	return text, marked, lang, nil
}

var siteTail = regexp.MustCompile(`\s+[|–—-]\s+[^|–—-]{1,60}$`)

// boilerWords are the class and id words of page furniture.
var boilerWords = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|navigation|menu|footer|header|masthead|cookie|cookies|consent|gdpr|banner|breadcrumbs?|share|sharing|social|sidebar|related|newsletter|subscribe|skip|toolbar|pagination|pager|advert|ads|promo|popup|modal|comments?|language-selector|lang-switch)($|[\s_-])`)

// skipped reports whether n is page furniture rather than content.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object, atom.Embed,
		atom.Svg, atom.Canvas, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form, atom.Button,
		atom.Input, atom.Select, atom.Textarea, atom.Label, atom.Head, atom.Dialog, atom.Menu:
		return true
	}
	if n.Data == "svg" || n.Data == "math" {
		return true
	}
	switch attr(n, "role") {
	case "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar":
		return true
	}
	if _, hidden := attrOK(n, "hidden"); hidden || attr(n, "aria-hidden") == "true" {
		return true
	}
	if strings.Contains(strings.ReplaceAll(attr(n, "style"), " ", ""), "display:none") {
		return true
	}
	return boilerWords.MatchString(attr(n, "class")) || boilerWords.MatchString(attr(n, "id"))
}

// textStats holds, for every element, the length of its text and of the
// part of it that is link text, computed once in one pass so that checking
// link density stays linear in the page size.
type textStats map[*html.Node][2]int

func newTextStats(root *html.Node) textStats {
	st := textStats{}
	var f func(n *html.Node, inLink bool) [2]int
	f = func(n *html.Node, inLink bool) [2]int {
		var s [2]int
		switch n.Type {
		case html.TextNode:
			l := len(strings.TrimSpace(n.Data))
			s[0] = l
			if inLink {
				s[1] = l
			}
			return s
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return s
			case atom.A:
				inLink = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			cs := f(c, inLink)
			s[0] += cs[0]
			s[1] += cs[1]
		}
		if n.Type == html.ElementNode {
			st[n] = s
		}
		return s
	}
	f(root, false)
	return st
}

// linkDense reports whether most of a block's text is link text: a menu or a
// list of related links rather than prose.
func (st textStats) linkDense(n *html.Node) bool {
	s := st[n]
	return s[0] > 0 && s[1]*10 > s[0]*7
}

// densest returns the element whose direct paragraphs hold the most text, or nil.
func densest(root *html.Node) *html.Node {
	if root == nil {
		return nil
	}
	st := newTextStats(root)
	score := map[*html.Node]int{}
	var order []*html.Node // parents in document order, for a stable choice
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.ElementNode && skipped(n) {
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.P || n.DataAtom == atom.Pre || n.DataAtom == atom.Blockquote) && n.Parent != nil {
			if _, ok := score[n.Parent]; !ok {
				order = append(order, n.Parent)
			}
			score[n.Parent] += st[n][0] - st[n][1]
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(root)
	var best *html.Node
	bestScore := 0
	for _, n := range order {
		if score[n] > bestScore {
			best, bestScore = n, score[n]
		}
	}
	if best == nil || bestScore < 200 {
		return nil // a short page: take the whole body, furniture removed.
	}
	// Headings and lists often sit beside the paragraphs' parent: climb
	// while the parent adds little boilerplate.
	for best.Parent != nil && best.Parent != root && best.Parent.DataAtom != atom.Body {
		p := best.Parent
		if skipped(p) {
			break
		}
		best = p
	}
	return best
}

func body(doc *html.Node) *html.Node {
	var found *html.Node
	var f func(*html.Node)
	f = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(doc)
	if found == nil {
		return doc
	}
	return found
}

func firstH1(doc *html.Node) string {
	var h string
	var f func(*html.Node)
	f = func(n *html.Node) {
		if h != "" {
			return
		}
		if n.Type == html.ElementNode {
			if skipped(n) && n.DataAtom != atom.Header {
				return
			}
			if n.DataAtom == atom.H1 {
				h = collapseSpace(textOf(n))
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(doc)
	return h
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOf returns the text under n, scripts and styles excluded.
func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(c *html.Node) {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Br:
				b.WriteByte(' ')
			}
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			f(k)
		}
	}
	f(n)
	return b.String()
}

var spaces = regexp.MustCompile(`[\s\x{a0}]+`)

func collapseSpace(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// blockWriter renders a node tree as blocks of text.
type blockWriter struct {
	blocks []string
	kinds  []string // "li" and "tr" blocks in a row are joined by one line break
	line   strings.Builder
	prefix string // of the block being written: "# ", "- " ...
	depth  int
	stats  textStats
}

func (w *blockWriter) String() string {
	w.flush()
	var b strings.Builder
	for i, t := range w.blocks {
		if i > 0 {
			if w.kinds[i] != "" && w.kinds[i] == w.kinds[i-1] {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

func (w *blockWriter) flush() {
	t := collapseSpace(w.line.String())
	w.line.Reset()
	if t != "" {
		kind := ""
		if w.prefix == "- " {
			kind = "li"
		}
		w.add(w.prefix+t, kind)
	}
	w.prefix = ""
}

// dropEmptySections removes headings left without content once the links
// and furniture under them were dropped ("Documents", "Related news").
func (w *blockWriter) dropEmptySections() {
	w.flush()
	level := func(i int) int {
		if i >= len(w.blocks) {
			return 0 // the end closes every section
		}
		t := w.blocks[i]
		n := len(t) - len(strings.TrimLeft(t, "#"))
		if n == 0 || n > 6 || !strings.HasPrefix(t[n:], " ") {
			return -1
		}
		return n
	}
	for i := len(w.blocks) - 1; i >= 0; i-- {
		if l := level(i); l > 0 {
			if next := level(i + 1); next == 0 || next > 0 && next <= l {
				w.blocks = append(w.blocks[:i], w.blocks[i+1:]...)
				w.kinds = append(w.kinds[:i], w.kinds[i+1:]...)
			}
		}
	}
}

func (w *blockWriter) add(text, kind string) {
	w.blocks = append(w.blocks, text)
	w.kinds = append(w.kinds, kind)
}

func (w *blockWriter) render(n *html.Node) {
	if w.depth > 200 {
		return // absurdly nested markup: what is deeper is not content
	}
	w.depth++
	defer func() { w.depth-- }()
	switch n.Type {
	case html.TextNode:
		w.line.WriteString(n.Data)
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.render(c)
		}
		return
	}
	if skipped(n) {
		return
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.flush()
		w.prefix = strings.Repeat("#", int(n.Data[1]-'0')) + " "
		w.children(n)
		w.flush()
		return
	case atom.Li:
		if w.stats.linkDense(n) && n.Parent != nil && w.stats.linkDense(n.Parent) {
			return
		}
		w.flush()
		w.prefix = "- "
		w.children(n)
		w.flush()
		return
	case atom.Ul, atom.Ol:
		if w.stats.linkDense(n) {
			return
		}
		w.flush()
		w.children(n)
		w.flush()
		return
	case atom.Tr:
		w.flush()
		var cells []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
				cells = append(cells, collapseSpace(textOf(c)))
			}
		}
		if row := strings.Trim(strings.Join(cells, " | "), " |"); row != "" {
			w.add(row, "tr")
		}
		return
	case atom.Br:
		w.line.WriteByte(' ')
		return
	case atom.Img:
		return
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Blockquote, atom.Pre, atom.Table,
		atom.Dl, atom.Dt, atom.Dd, atom.Figure, atom.Figcaption, atom.Address, atom.Hr, atom.Details, atom.Summary:
		if (n.DataAtom == atom.Div || n.DataAtom == atom.Section) && w.stats.linkDense(n) {
			return
		}
		w.flush()
		w.children(n)
		w.flush()
		return
	}
	w.children(n)
}

func (w *blockWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.render(c)
	}
}
