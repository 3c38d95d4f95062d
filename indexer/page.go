package indexer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A page is any other text: a news item, a project page, a scraped web page.
// Scraped pages carry the site's chrome around the article: a "Skip to
// content" link, navigation menus (often twice: desktop and mobile), cookie
// banners, share links, related-content teasers and a footer. parsePage
// removes that chrome by its shape, not by the words of any one site:
//   - lines that are known chrome phrases in a few languages;
//   - runs of three or more short bullet lines (menus) and empty bullets;
//   - short lines already seen higher up (repeated blocks);
//   - bare contact lines (e-mail, telephone);
//   - everything after a footer marker (privacy/cookie policy, "Powered by",
//     copyright) in the second half of the page, and after a tags line.

var (
	bulletLine  = regexp.MustCompile(`^\s*(?:[-*•·◦▪‣]|\d{1,2}[.)])(\s+|$)`)
	emailRe     = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
	phoneLine   = regexp.MustCompile(`(?i)^(?:tel\.?|telefono|phone|fax|cell\.?)\s*[:.]?\s*[+\d(]`)
	trailingDay = regexp.MustCompile(`(\d{1,2}\s+\p{L}+\s+\d{4}|\p{L}+\s+\d{1,2},\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\.?$`)
	mdHeading   = regexp.MustCompile(`^#{1,6}\s+(.+)$`)
)

// chromeLines are whole lines that are site chrome, lower case.
var chromeLines = map[string]bool{
	"skip to content": true, "skip to main content": true, "skip to navigation": true, "jump to navigation": true,
	"vai al contenuto": true, "vai al contenuto principale": true, "salta al contenuto": true,
	"menu": true, "main menu": true, "search": true, "cerca": true, "close": true, "chiudi": true, "toggle navigation": true,
	"share": true, "share this": true, "condividi": true, "print": true, "stampa": true, "tweet": true, "email": true,
	"back to top": true, "torna su": true, "torna all'inizio": true, "read more": true, "leggi tutto": true, "leggi di più": true,
	"accept": true, "accept all": true, "accetta": true, "accetta tutti": true, "rifiuta": true, "reject": true,
	"get started": true, "subscribe": true, "iscriviti": true, "login": true, "log in": true, "accedi": true,
	"previous": true, "next": true, "precedente": true, "successivo": true, "facebook": true, "twitter": true, "linkedin": true,
}

// chromePhrases mark a line as chrome wherever they occur in it, lower case.
var chromePhrases = []string{
	"we use cookies", "this website uses cookies", "questo sito utilizza cookie", "utilizziamo i cookie",
	"this project has received funding from the european union", "questo progetto ha ricevuto finanziamenti",
	"all rights reserved", "tutti i diritti riservati",
}

// footerMarkers start the footer: a page's article ends before them.
var footerMarkers = []string{
	"privacy policy", "cookie policy", "informativa privacy", "informativa sulla privacy", "note legali",
	"powered by", "copyright", "©", "legal notice", "terms of use",
}

func parsePage(text string) Document {
	doc := Document{Kind: KindPage}
	lines := strings.Split(text, "\n")
	lines = cutFooter(lines)
	lines, doc.Tags = cutTags(lines)
	lines = dropChrome(lines)
	lines = cutLinkTail(lines)
	doc.Title = pageTitle(lines)
	doc.Date = pageDate(lines)
	if doc.Date != "" {
		doc.Dates = []Dated{{Label: "published", Date: doc.Date}}
	}
	doc.Body = pageBody(lines)
	return doc
}

// cutFooter drops everything from the first footer marker in the second half of the page on.
func cutFooter(lines []string) []string {
	for i := len(lines) / 2; i < len(lines); i++ {
		if isFooterMarker(lines[i]) {
			return lines[:i]
		}
	}
	return lines
}

func isFooterMarker(l string) bool {
	low := strings.ToLower(plain(l))
	if low == "" || len(low) > 80 {
		return false
	}
	for _, m := range footerMarkers {
		if strings.HasPrefix(low, m) || (m == "©" && strings.Contains(low, m)) {
			return true
		}
	}
	return false
}

// cutTags reads a "Tags: a, b, c" line; what follows it is related content and footer.
func cutTags(lines []string) ([]string, []string) {
	for i, l := range lines {
		v, ok := labelPrefix("tags", l)
		if !ok || v == "" {
			continue
		}
		var tags []string
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
		return lines[:i], tags
	}
	return lines, nil
}

// dropChrome removes chrome lines, menus, repeated short lines and contact lines.
func dropChrome(lines []string) []string {
	drop := make([]bool, len(lines))
	markMenus(lines, drop)
	seen := map[string]bool{}
	for i, l := range lines {
		p := plain(l)
		low := strings.ToLower(p)
		switch {
		case drop[i] || p == "":
		case isChrome(low), isEmptyBullet(l), isContactLine(p):
			drop[i] = true
		case utf8.RuneCountInString(p) <= 80 && seen[low]:
			drop[i] = true
		}
		if p != "" {
			seen[low] = true
		}
	}
	var out []string
	for i, l := range lines {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

func isChrome(low string) bool {
	if chromeLines[strings.Trim(low, " .:|›»")] {
		return true
	}
	for _, p := range chromePhrases {
		if strings.Contains(low, p) {
			return true
		}
	}
	return false
}

func isEmptyBullet(l string) bool {
	t := strings.TrimSpace(l)
	return t != "" && strings.Trim(t, "-*•·◦▪‣ ") == ""
}

// isContactLine: an e-mail address or telephone number with little else.
func isContactLine(p string) bool {
	if phoneLine.MatchString(p) {
		return true
	}
	rest := emailRe.ReplaceAllString(p, "")
	return rest != p && len(strings.Fields(rest)) <= 3
}

// markMenus marks runs of three or more short bullet lines (blank lines
// allowed between them): menus, link lists. Real lists have sentences.
func markMenus(lines []string, drop []bool) {
	var run []int
	flush := func() {
		if len(run) >= 3 {
			for _, i := range run {
				drop[i] = true
			}
		}
		run = nil
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case bulletLine.MatchString(l) && isShortItem(bulletLine.ReplaceAllString(l, "")):
			run = append(run, i)
		default:
			flush()
		}
	}
	flush()
}

// isShortItem: a few words without sentence punctuation, as menu entries are.
func isShortItem(s string) bool {
	s = strings.TrimSpace(plain(s))
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ";") || strings.HasSuffix(s, ":") {
		return false
	}
	return len(strings.Fields(s)) <= 5
}

// cutLinkTail drops a tail of three or more short lines after the last line
// of prose: once the article ends, short lines are section links, contacts
// and footer headings, not text.
func cutLinkTail(lines []string) []string {
	last := -1
	for i, l := range lines {
		if isProse(plain(l)) {
			last = i
		}
	}
	if last < 0 {
		return lines
	}
	short := 0
	for _, l := range lines[last+1:] {
		if plain(l) != "" {
			short++
		}
	}
	if short >= 3 {
		return lines[:last+1]
	}
	return lines
}

// isProse: a sentence (closing punctuation) or a line of more than eight words.
func isProse(p string) bool {
	if p == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	return strings.ContainsRune(".;:!?", last) || len(strings.Fields(p)) > 8
}

// pageTitle is the first Markdown heading, else the first line shaped like a
// title near the top, else the start of the first paragraph.
func pageTitle(lines []string) string {
	for _, l := range lines {
		if m := mdHeading.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			if t := plain(m[1]); hasWords(t) {
				return t
			}
		}
	}
	n := 0
	for _, l := range lines {
		p := plain(l)
		if p == "" {
			continue
		}
		if n++; n > 12 {
			break
		}
		if isTitleLike(l, p) {
			return p
		}
	}
	for _, l := range lines {
		if p := plain(l); len(strings.Fields(p)) >= 4 && !bulletLine.MatchString(l) {
			return sentenceStart(p, 110)
		}
	}
	return ""
}

// isTitleLike: 2 to 15 words, capitalised, no closing punctuation, not a bullet, contact or date.
func isTitleLike(raw, p string) bool {
	w := len(strings.Fields(p))
	if w < 2 || w > 15 || utf8.RuneCountInString(p) > 120 || bulletLine.MatchString(raw) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(p)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	if strings.ContainsRune(".,;:!", last) || isContactLine(p) || emailRe.MatchString(p) || isDate(p) {
		return false
	}
	return true
}

// sentenceStart returns s's first sentence, cut at a word boundary under max runes.
func sentenceStart(s string, max int) string {
	if i := strings.IndexAny(s, ".:;!?"); i > 20 {
		s = s[:i]
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// pageDate reads the date of a dateline: a short line that is or ends with a
// date (a byline, a signed tweet). Dates inside prose are usually deadlines
// or history, not the page's date.
func pageDate(lines []string) string {
	for _, l := range lines {
		p := plain(l)
		if p == "" || utf8.RuneCountInString(p) > 90 {
			continue
		}
		if m := trailingDay.FindString(p); m != "" {
			if d, ok := parseDate(m); ok {
				return d
			}
		}
	}
	return ""
}

// pageBody writes the kept lines as Markdown, with "•" bullets as "-".
func pageBody(lines []string) string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		t := strings.TrimLeft(l, " \t")
		indent := len(l) - len(t)
		for _, b := range []string{"• ", "· ", "◦ ", "▪ "} {
			if strings.HasPrefix(t, b) {
				t = strings.Repeat("  ", min(indent/4, 3)) + "- " + strings.TrimPrefix(t, b)
				break
			}
		}
		out = append(out, t)
	}
	return collapseBlank(out)
}
