package indexer

import (
	"bytes"
	"cmp"
	"regexp"
	"slices"
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

// chromeNeedles are chromePhrases as byte slices, to search a lower-cased
// line held in a reused buffer, each with the offset of its rarest letter:
// the search looks for that letter, not for the phrase's common first one.
var chromeNeedles = func() []chromeNeedle {
	const rarestFirst = "jqxzkwyvbfhgpmdcutlnsroiae"
	n := make([]chromeNeedle, len(chromePhrases))
	for i, p := range chromePhrases {
		n[i] = chromeNeedle{phrase: []byte(p)}
		if j := strings.IndexAny(rarestFirst, p); j >= 0 {
			n[i].rare = strings.IndexByte(p, rarestFirst[j])
		}
	}
	return n
}()

type chromeNeedle struct {
	phrase []byte
	rare   int // offset in phrase of its rarest letter
}

// in reports whether low contains the needle's phrase: every occurrence has
// the rare letter at offset rare, so only those places are compared.
func (n chromeNeedle) in(low []byte) bool {
	c := n.phrase[n.rare]
	for i := n.rare; i < len(low); i++ {
		j := bytes.IndexByte(low[i:], c)
		if j < 0 {
			return false
		}
		i += j
		if start := i - n.rare; start+len(n.phrase) <= len(low) && bytes.Equal(low[start:start+len(n.phrase)], n.phrase) {
			return true
		}
	}
	return false
}

// A pageLine is one line of a page with its plain text: every pass needs
// the plain text, so it is worked out once.
type pageLine struct {
	raw, plain string
}

// parsePage reads a page. Only a scraped page (not clean) has the menus,
// footers, repeated headers and link lists it drops: in the text of a
// record, a PDF, a DOCX or HTML read by its structure, short lists and a
// table at the end are text.
func parsePage(text string, clean bool) Document {
	doc := Document{Kind: KindPage}
	raw := strings.Split(text, "\n")
	lines := make([]pageLine, len(raw))
	for i, l := range raw {
		lines[i] = pageLine{raw: l, plain: plain(l)}
	}
	if !clean {
		lines = cutFooter(lines)
	}
	lines, doc.Tags = cutTags(lines)
	if clean {
		lines = slices.DeleteFunc(lines, func(l pageLine) bool { return isEmptyBullet(l.raw) })
	} else {
		lines = dropChrome(lines)
		lines = cutLinkTail(lines)
	}
	doc.Title = pageTitle(lines)
	doc.Date = pageDate(lines)
	if doc.Date != "" {
		doc.Dates = []Dated{{Label: "published", Date: doc.Date}}
	}
	doc.Body = pageBody(lines)
	return doc
}

// cutFooter drops everything from the first footer marker in the second half of the page on.
func cutFooter(lines []pageLine) []pageLine {
	for i := len(lines) / 2; i < len(lines); i++ {
		if isFooterMarker(lines[i].plain) {
			return lines[:i]
		}
	}
	return lines
}

// isFooterMarker reports whether the plain line p starts the footer.
func isFooterMarker(p string) bool {
	// Lower-casing keeps the number of runes, and a rune takes at least a
	// byte: a line of more than 80 runes is more than 80 bytes in lower case.
	if p == "" || !runesAtMost(p, 80) {
		return false
	}
	low := strings.ToLower(p)
	if len(low) > 80 {
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
func cutTags(lines []pageLine) ([]pageLine, []string) {
	for i, l := range lines {
		v, ok := labelValue("tags", l.plain)
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

// repeatZone is how many lines at the top of a page may repeat its first
// line: scraped pages print the title as a heading and again below it.
// Other repeated lines are text (the same sentence under two articles of a
// bill, a heading its table of contents named first), and stay.
const repeatZone = 40

// dropChrome removes chrome lines, menus and contact lines, and a line
// repeating the first one near the top.
func dropChrome(lines []pageLine) []pageLine {
	drop := make([]bool, len(lines))
	markMenus(lines, drop)
	markTopMenu(lines, drop)
	var low []byte // the line in lower case, as strings.ToLower writes it
	first := ""
	for i, l := range lines {
		p := l.plain
		if p == "" || drop[i] {
			continue
		}
		low = appendLower(low[:0], p)
		switch {
		case isChrome(low), isEmptyBullet(l.raw), isContactLine(p):
			drop[i] = true
		case first == "":
			first = string(low)
		case i < repeatZone && string(low) == first:
			drop[i] = true
		}
	}
	out := make([]pageLine, 0, len(lines))
	for i, l := range lines {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

// appendLower appends strings.ToLower(s) to b.
func appendLower(b []byte, s string) []byte {
	b = slices.Grow(b, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// As strings.ToLower: rune by rune, an invalid byte becomes U+FFFD.
			for _, r := range s[i:] {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
			return b
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// isChrome reports whether the lower-cased line low is chrome.
func isChrome(low []byte) bool {
	if chromeLines[string(bytes.Trim(low, " .:|›»"))] {
		return true
	}
	for _, n := range chromeNeedles {
		if n.in(low) {
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
	if mayBePhone(p) && phoneLine.MatchString(p) {
		return true
	}
	if strings.IndexByte(p, '@') < 0 { // no e-mail address
		return false
	}
	rest := emailRe.ReplaceAllString(p, "")
	return rest != p && countFields(rest, 4) <= 3
}

// mayBePhone reports whether p can match phoneLine: it starts with the
// first letter of one of its words (their case folds are ASCII only).
func mayBePhone(p string) bool {
	if p == "" {
		return false
	}
	switch p[0] {
	case 't', 'T', 'p', 'P', 'f', 'F', 'c', 'C':
		return true
	}
	return false
}

// isBullet reports whether l is a bullet line (bulletLine matches). The
// regular expression only runs when the first byte after white space (\s:
// tab, newline, form feed, return, space) is a digit, '-', '*' or the first
// byte of one of the other bullet characters.
func isBullet(l string) bool {
	i := 0
	for i < len(l) && (l[i] == ' ' || l[i] == '\t' || l[i] == '\n' || l[i] == '\f' || l[i] == '\r') {
		i++
	}
	if i == len(l) {
		return false
	}
	switch c := l[i]; {
	case c == '-', c == '*', '0' <= c && c <= '9', c == 0xC2, c == 0xE2: // • ‣ ◦ ▪ start with E2, · with C2
		return bulletLine.MatchString(l)
	}
	return false
}

// markMenus marks runs of three or more short bullet lines (blank lines
// allowed between them): menus, link lists. Real lists have sentences, or
// numbers, or a line ending in a colon before them ("Its three measures:").
func markMenus(lines []pageLine, drop []bool) {
	var run []int
	introduced := false // the line before the run ends with a colon
	flush := func() {
		if len(run) >= 3 && !introduced {
			for _, i := range run {
				drop[i] = true
			}
		}
		run = nil
	}
	prev := ""
	for i, l := range lines {
		t := strings.TrimSpace(l.raw)
		switch {
		case t == "":
		case isBullet(l.raw) && !numberedItem.MatchString(l.raw) && isShortItem(bulletLine.ReplaceAllString(l.raw, "")):
			if len(run) == 0 {
				introduced = strings.HasSuffix(prev, ":")
			}
			run = append(run, i)
		default:
			flush()
		}
		if t != "" {
			prev = t
		}
	}
	flush()
}

// markTopMenu marks a menu without bullets at the top of a page, as a copy
// from a browser gives it: three or more lines of one to three words
// (Home, About us, News, Contact) before the text, one of which names a
// page every site has.
func markTopMenu(lines []pageLine, drop []bool) {
	var run []int
	nav := false
	for i, l := range lines {
		p := strings.TrimSpace(l.plain)
		if p == "" {
			continue
		}
		if !isMenuWord(p) {
			break
		}
		run = append(run, i)
		nav = nav || navPages[strings.ToLower(p)]
	}
	// The last short line, set apart from the text by a blank line, is the
	// page's title ("Home / News / Contatti / Trasparenza", blank, text).
	if n := len(run); n > 0 && run[n-1]+1 < len(lines) && lines[run[n-1]+1].plain == "" && !navPages[strings.ToLower(lines[run[n-1]].plain)] {
		run = run[:n-1]
	}
	if len(run) >= 3 && nav {
		for _, i := range run {
			drop[i] = true
		}
	}
}

// isMenuWord: one to three words, capitalised, without digits or sentence
// punctuation, as a menu's entries are.
func isMenuWord(p string) bool {
	r, _ := utf8.DecodeRuneInString(p)
	return unicode.IsUpper(r) && countFields(p, 4) <= 3 && !strings.ContainsAny(p, "0123456789.,;:!?") && runesAtMost(p, 30)
}

// navPages are the menu entries of nearly every site, lower case.
var navPages = map[string]bool{
	"home": true, "homepage": true, "about": true, "about us": true, "contact": true, "contacts": true, "contact us": true,
	"news": true, "chi siamo": true, "contatti": true, "notizie": true, "servizi": true, "services": true,
}

// numberedItem is an item of a numbered list: menus have no numbers.
var numberedItem = regexp.MustCompile(`^\s*\d{1,2}[.)]\s`)

// isShortItem: a few words without sentence punctuation, as menu entries are.
func isShortItem(s string) bool {
	s = strings.TrimSpace(plain(s))
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ";") || strings.HasSuffix(s, ":") {
		return false
	}
	return countFields(s, 6) <= 5
}

// runesAtMost is utf8.RuneCountInString(s) <= n, counting no further than
// needed: a rune (or an invalid byte, counted as one) takes 1 to 4 bytes.
func runesAtMost(s string, n int) bool {
	switch {
	case len(s) <= n:
		return true
	case len(s) > 4*n:
		return false
	}
	for range s {
		if n--; n < 0 {
			return false
		}
	}
	return true
}

// countFields returns len(strings.Fields(s)), or limit if there are more
// fields than that, without making the slice.
func countFields(s string, limit int) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = c == ' ' || '\t' <= c && c <= '\r' // as unicode.IsSpace for ASCII
			i++
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += w
		}
		switch {
		case space:
			in = false
		case !in:
			in = true
			if n++; n >= limit {
				return n
			}
		}
	}
	return n
}

// cutLinkTail drops a tail of three or more short lines after the last line
// of prose: once the article ends, short lines are section links, contacts
// and footer headings, not text.
func cutLinkTail(lines []pageLine) []pageLine {
	last := -1
	for i, l := range lines {
		if isProse(l.plain) {
			last = i
		}
	}
	if last < 0 || strings.HasSuffix(lines[last].plain, ":") {
		// A list the text introduces ("Its three measures:") is text.
		return lines
	}
	short, numbered := 0, 0
	for _, l := range lines[last+1:] {
		if l.plain != "" {
			short++
			if numberedItem.MatchString(l.raw) {
				numbered++
			}
		}
	}
	if short >= 3 && numbered < short {
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
	return strings.ContainsRune(".;:!?", last) || countFields(p, 9) > 8
}

// pageTitle is the first Markdown heading, else the first line shaped like a
// title near the top, else the start of the first paragraph.
func pageTitle(lines []pageLine) string {
	for _, l := range lines {
		if t := strings.TrimSpace(l.raw); strings.HasPrefix(t, "#") {
			if m := mdHeading.FindStringSubmatch(t); m != nil {
				if t := plain(m[1]); hasWords(t) {
					return t
				}
			}
		}
	}
	n := 0
	for _, l := range lines {
		p := l.plain
		if p == "" {
			continue
		}
		if n++; n > 12 {
			break
		}
		if isTitleLike(l.raw, p) {
			return p
		}
	}
	for _, l := range lines {
		if p := l.plain; countFields(p, 4) >= 4 && !isBullet(l.raw) {
			return sentenceStart(p, 110)
		}
	}
	return ""
}

// isTitleLike: 2 to 15 words, capitalised, no closing punctuation, not a bullet, contact or date.
func isTitleLike(raw, p string) bool {
	w := countFields(p, 16)
	if w < 2 || w > 15 || !runesAtMost(p, 120) || isBullet(raw) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(p)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	if strings.ContainsRune(".,;:!", last) || isContactLine(p) || strings.IndexByte(p, '@') >= 0 && emailRe.MatchString(p) || hasDigit(p) && isDate(p) {
		return false
	}
	return true
}

// sentenceStart returns s's first sentence, cut at a word boundary under max runes.
func sentenceStart(s string, max int) string {
	if i := strings.IndexAny(s, ".:;!?"); i > 20 {
		s = s[:i]
	}
	return cutAtWord(s, max)
}

// hasDigit reports whether s holds an ASCII digit: every date isDate reads
// has a year in digits, so a line without one is not a date.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}

// pageDate reads the date of a dateline: a short line that is or ends with a
// date (a byline, a signed tweet), else a first line that ends with one
// ("Texts adopted - ... - Wednesday, 23 October 2019"). Dates inside prose
// are usually deadlines or history, not the page's date; a "Last updated"
// line is the page's upkeep, the date only when there is no other.
func pageDate(lines []pageLine) string {
	var firstLong, updated string
	first := true
	for _, l := range lines {
		p := l.plain
		if p == "" {
			continue
		}
		isFirst := first
		first = false
		short := runesAtMost(p, 90)
		if !endsLikeDate(p) || !short && !(isFirst && runesAtMost(p, 200)) {
			continue
		}
		m := trailingDay.FindString(p)
		if m == "" {
			continue
		}
		d, ok := parseDate(m)
		switch {
		case !ok:
		case upkeepLine(p):
			updated = cmp.Or(updated, d)
		case !short:
			firstLong = d // unless a dateline follows
		default:
			return d
		}
	}
	return cmp.Or(firstLong, updated)
}

// upkeepLine reports whether dateline p says when the page was last
// changed ("Last updated: 30 April 2020", "Ultimo aggiornamento: ...").
func upkeepLine(p string) bool {
	low := strings.ToLower(p)
	for _, w := range []string{"updated", "modified", "aggiornat", "aggiornamento", "modificat", "ultima modifica", "revised"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// endsLikeDate reports whether p can match trailingDay: every date it reads
// ends with an ASCII digit, and only a full stop may follow.
func endsLikeDate(p string) bool {
	n := len(p)
	if n > 0 && p[n-1] == '.' {
		n--
	}
	return n > 0 && '0' <= p[n-1] && p[n-1] <= '9'
}

// pageBody writes the kept lines as Markdown, with "•" bullets as "-".
func pageBody(lines []pageLine) string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		t := strings.TrimLeft(l.raw, " \t")
		indent := len(l.raw) - len(t)
		if t != "" && (t[0] == 0xC2 || t[0] == 0xE2) { // the first byte of every bullet below
			for _, b := range []string{"• ", "· ", "◦ ", "▪ "} {
				if strings.HasPrefix(t, b) {
					t = strings.Repeat("  ", min(indent/4, 3)) + "- " + strings.TrimPrefix(t, b)
					break
				}
			}
		}
		out = append(out, t)
	}
	return collapseBlank(out)
}
