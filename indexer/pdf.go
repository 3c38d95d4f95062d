package indexer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// The PDF reader is github.com/ledongthuc/pdf, a maintained fork of
// rsc.io/pdf (last release 2018): pure Go, no cgo, no dependencies, it
// decodes fonts' ToUnicode maps and the standard encodings, reads xref
// streams and object streams (which rsc.io/pdf and its fork
// github.com/dslipak/pdf, last tagged 2024, handle less well), and gives
// each glyph with its position, so lines and paragraphs can be rebuilt
// here. It panics on some malformed files, hence the recover below.

// Limits for hostile or huge files.
const (
	maxPDFBytes = 100 << 20
	maxPDFPages = 2000
	maxPDFText  = 20 << 20
	// maxPDFStream bounds a page's content once inflated, and
	// maxPDFStreams all pages': a few MB of compressed stream can inflate
	// to gigabytes, and the library reads a page's whole stream into
	// memory, glyph by glyph.
	maxPDFStream  = 16 << 20
	maxPDFStreams = 256 << 20
)

// pdfText extracts the text of a PDF file: lines rebuilt from the glyphs'
// positions, paragraphs separated by blank lines, words hyphenated at a line
// end joined again. Scanned PDFs (no text layer) give an error.
func pdfText(b []byte) (text string, err error) {
	text, _, err = pdfContent(b)
	return text, err
}

// pdfContent is pdfText, with the title the file's document information
// gives (often the file name or "Microsoft Word - ...", sometimes the
// document's whole title).
func pdfContent(b []byte) (text, title string, err error) {
	if len(b) > maxPDFBytes {
		return "", "", fmt.Errorf("pdf: file of %d MB is larger than %d MB", len(b)>>20, maxPDFBytes>>20)
	}
	if pdfHeader(b) < 0 {
		return "", "", isNot("PDF", b, "no %PDF- header")
	}
	b, err = pdfReadable(b)
	if err != nil {
		return "", "", err
	}
	defer func() {
		if r := recover(); r != nil {
			text, title, err = "", "", fmt.Errorf("pdf: malformed file: %s", firstLine(fmt.Sprint(r)))
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", "", fmt.Errorf("pdf: %s", firstLine(err.Error()))
	}
	pages, err := pdfPages(r.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return "", "", err
	}
	var texts []string
	size := 0
	var streams int64
	for i, p := range pages {
		n, err := contentSize(p.V.Key("Contents"), maxPDFStream)
		if err != nil {
			return "", "", fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		if n > maxPDFStream {
			return "", "", fmt.Errorf("pdf: page %d inflates to more than %d MB of content", i+1, maxPDFStream>>20)
		}
		if streams += n; streams > maxPDFStreams {
			return "", "", fmt.Errorf("pdf: pages inflate to more than %d MB of content in all", maxPDFStreams>>20)
		}
		page := pageText(pageGlyphs(p))
		if page == "" {
			continue
		}
		if size += len(page); size > maxPDFText {
			return "", "", fmt.Errorf("pdf: more than %d MB of text", maxPDFText>>20)
		}
		texts = append(texts, page)
	}
	texts = dropRunningLines(texts)
	var out strings.Builder
	for _, page := range texts {
		if out.Len() > 0 {
			// A sentence that runs on to the next page stays one paragraph.
			if r, _ := utf8.DecodeRuneInString(page); unicode.IsLower(r) && !strings.ContainsAny(out.String()[out.Len()-1:], ".:;!?") {
				out.WriteString("\n")
			} else {
				out.WriteString("\n\n")
			}
		}
		out.WriteString(page)
	}
	text = joinPages(out.String())
	if strings.TrimSpace(text) == "" {
		return "", "", errors.New("pdf: no text layer (a scanned document needs OCR)")
	}
	title = strings.Join(strings.Fields(r.Trailer().Key("Info").Key("Title").Text()), " ")
	return text, title, nil
}

// pdfHeader returns where the %PDF- header of b is, or -1. Readers look for
// it in the first 1024 bytes: a byte-order mark or a mail header line can
// come before it.
func pdfHeader(b []byte) int {
	return bytes.Index(b[:min(len(b), 1024)], []byte("%PDF-"))
}

// pdfReadable returns the file as the PDF reader accepts it. The reader
// wants "%PDF-1.x" at the very start and "%%EOF" at the very end; PDF 2.0
// files, and files with bytes before the header (within its first 1024
// bytes) or after their last %%EOF (some mail and download tools add them),
// are valid and read the same once given so. Offsets in a PDF count from
// its header, so the header is rewritten in place (same length) and the ends
// cut. A file with no %%EOF was cut short.
func pdfReadable(b []byte) ([]byte, error) {
	b = b[pdfHeader(b):]
	end := bytes.LastIndex(b, []byte("%%EOF"))
	// An update appended to a PDF ends with its own %%EOF: objects after
	// the last one are an update cut short, not bytes a tool added.
	if end < 0 || bytes.Contains(b[end:], []byte("endobj")) || bytes.Contains(b[end:], []byte("startxref")) {
		return nil, errors.New("pdf: the file is cut short (it does not end with %%EOF): copy or download it again")
	}
	b = b[:end+len("%%EOF")]
	if h := b[:min(len(b), 10)]; len(h) == 10 && (!bytes.HasPrefix(h, []byte("%PDF-1.")) || h[7] > '7' || h[8] != '\r' && h[8] != '\n') {
		c := bytes.Clone(b)
		// "%PDF-2.0" and "%PDF-1.7" have the same length, and the
		// character after the version becomes the line end the reader
		// wants (it is a space or a comment's % otherwise).
		copy(c, "%PDF-1.7\n")
		if h[8] == '\r' || h[8] == '\n' || h[8] == ' ' || h[8] == '%' {
			return c, nil
		}
	}
	return b, nil
}

// pdfPages lists the pages of the document's page tree. It walks the tree
// itself, with bounds, rather than call Reader.Page, which loops forever on
// a page tree whose /Kids or /Parent links form a cycle.
func pdfPages(root pdf.Value) ([]pdf.Page, error) {
	var pages []pdf.Page
	visits := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		if depth > 32 {
			return errors.New("pdf: page tree nested more than 32 deep (a loop?)")
		}
		if visits++; visits > maxPDFPages*2 {
			return fmt.Errorf("pdf: more than %d pages", maxPDFPages)
		}
		if kids := v.Key("Kids"); v.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if v.Kind() != pdf.Dict {
			return nil
		}
		// Fonts are looked up through the /Parent chain: it must end.
		n := 0
		for p := v; !p.IsNull(); p = p.Key("Parent") {
			if n++; n > 64 {
				return errors.New("pdf: page's /Parent chain loops")
			}
		}
		if len(pages) >= maxPDFPages {
			return fmt.Errorf("pdf: more than %d pages", maxPDFPages)
		}
		pages = append(pages, pdf.Page{V: v})
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// contentSize returns how many bytes the content stream (or array of
// streams) of a page inflates to, counting no further than limit+1.
func contentSize(contents pdf.Value, limit int64) (int64, error) {
	var streams []pdf.Value
	switch contents.Kind() {
	case pdf.Null:
		return 0, nil
	case pdf.Array:
		for i := 0; i < contents.Len(); i++ {
			streams = append(streams, contents.Index(i))
		}
	default:
		streams = []pdf.Value{contents}
	}
	var n int64
	for _, st := range streams {
		if n > limit {
			break
		}
		m, err := io.Copy(io.Discard, io.LimitReader(st.Reader(), limit+1-n))
		n += m
		if err != nil {
			return n, fmt.Errorf("content stream: %s", firstLine(err.Error()))
		}
	}
	return n, nil
}

// pdfGlyphs is a page's text as runs of glyphs with their positions.
//
// It walks the content stream itself rather than use Page.Content, which
// appends the byte "\n" after each TJ array and decodes it through the
// font: with subset fonts that adds a stray letter at every line end.
func pageGlyphs(p pdf.Page) []pdf.Text {
	contents := p.V.Key("Contents")
	if contents.Kind() == pdf.Null {
		return nil
	}
	type matrix [3][3]float64
	mul := func(x, y matrix) matrix {
		var z matrix
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				for k := 0; k < 3; k++ {
					z[i][j] += x[i][k] * y[k][j]
				}
			}
		}
		return z
	}
	ident := matrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	type state struct {
		tc, tw, th, tl, tfs, rise float64
		font                      *pdfFont
		tm, tlm, ctm              matrix
	}
	g := state{th: 1, ctm: ident, tm: ident, tlm: ident}
	var stack []state
	var out []pdf.Text
	fonts := map[string]*pdfFont{}
	num := func(v pdf.Value) float64 {
		f := v.Float64()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0
		}
		return f
	}
	show := func(raw string) {
		if g.font == nil {
			return
		}
		text := g.font.enc.Decode(raw)
		trm := mul(mul(matrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.rise, 1}}, g.tm), g.ctm)
		// Advance by the glyphs' widths; a font without widths gets an
		// estimate of half an em a glyph.
		var adv float64
		widths, n := g.font.width(raw, func(space bool) {
			adv += g.tc
			if space {
				adv += g.tw
			}
		})
		adv += widths / 1000 * g.tfs
		if widths == 0 {
			adv = float64(n) * g.tfs * 0.5
		}
		adv *= g.th
		size := math.Hypot(trm[0][0], trm[0][1])
		out = append(out, pdf.Text{FontSize: size, X: trm[2][0], Y: trm[2][1], W: adv * math.Hypot(g.tm[0][0], g.tm[0][1]) * math.Hypot(g.ctm[0][0], g.ctm[0][1]), S: text})
		g.tm = mul(matrix{{1, 0, 0}, {0, 1, 0}, {adv, 0, 1}}, g.tm)
	}
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		nums := func(k int) bool { return len(args) == k }
		switch op {
		case "q":
			if len(stack) < 1000 {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if nums(6) {
				var m matrix
				for i := 0; i < 6; i++ {
					m[i/2][i%2] = num(args[i])
				}
				m[2][2] = 1
				g.ctm = mul(m, g.ctm)
			}
		case "BT":
			g.tm, g.tlm = ident, ident
		case "Tc":
			if nums(1) {
				g.tc = num(args[0])
			}
		case "Tw":
			if nums(1) {
				g.tw = num(args[0])
			}
		case "Tz":
			if nums(1) {
				g.th = num(args[0]) / 100
			}
		case "TL":
			if nums(1) {
				g.tl = num(args[0])
			}
		case "Ts":
			if nums(1) {
				g.rise = num(args[0])
			}
		case "Tf":
			if nums(2) {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = newPDFFont(p.Font(name))
					fonts[name] = f
				}
				g.font, g.tfs = f, num(args[1])
			}
		case "TD", "Td":
			if nums(2) {
				if op == "TD" {
					g.tl = -num(args[1])
				}
				g.tlm = mul(matrix{{1, 0, 0}, {0, 1, 0}, {num(args[0]), num(args[1]), 1}}, g.tlm)
				g.tm = g.tlm
			}
		case "Tm":
			if nums(6) {
				var m matrix
				for i := 0; i < 6; i++ {
					m[i/2][i%2] = num(args[i])
				}
				m[2][2] = 1
				g.tm, g.tlm = m, m
			}
		case "T*", "'", "\"":
			if op == "\"" && nums(3) {
				g.tw, g.tc = num(args[0]), num(args[1])
				args = args[2:]
			}
			g.tlm = mul(matrix{{1, 0, 0}, {0, 1, 0}, {0, -g.tl, 1}}, g.tlm)
			g.tm = g.tlm
			if op != "T*" && len(args) == 1 {
				show(args[0].RawString())
			}
		case "Tj":
			if nums(1) {
				show(args[0].RawString())
			}
		case "TJ":
			if !nums(1) {
				return
			}
			v := args[0]
			for i := 0; i < v.Len() && i < 100000; i++ {
				x := v.Index(i)
				if x.Kind() == pdf.String {
					show(x.RawString())
				} else {
					tx := -num(x) / 1000 * g.tfs * g.th
					g.tm = mul(matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}, g.tm)
				}
			}
		}
	})
	return out
}

// pdfFont is what text extraction needs of a font: how to decode its codes
// and how wide its glyphs are.
type pdfFont struct {
	font    pdf.Font
	enc     pdf.TextEncoding
	twoByte bool            // a Type0 (CID) font: codes are two bytes
	cidW    map[int]float64 // widths by CID, from the descendant font's /W
	dw      float64         // default CID width
}

func newPDFFont(f pdf.Font) *pdfFont {
	pf := &pdfFont{font: f, enc: f.Encoder()}
	if f.V.Key("Subtype").Name() != "Type0" {
		return pf
	}
	// Word and most other producers embed fonts as Type0 with Identity-H:
	// two-byte codes, widths in the descendant font's /W array.
	pf.twoByte, pf.cidW, pf.dw = true, map[int]float64{}, 1000
	d := f.V.Key("DescendantFonts").Index(0)
	if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		pf.dw = dw.Float64()
	}
	w := d.Key("W")
	for i := 0; i+1 < w.Len() && len(pf.cidW) < 1<<16; {
		first := int(w.Index(i).Int64())
		if next := w.Index(i + 1); next.Kind() == pdf.Array {
			for j := 0; j < next.Len() && j < 1<<16; j++ {
				pf.cidW[first+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= w.Len() {
			break
		}
		last, width := int(w.Index(i+1).Int64()), w.Index(i+2).Float64()
		for c := first; c <= last && c-first < 1<<16; c++ {
			pf.cidW[c] = width
		}
		i += 3
	}
	return pf
}

// width returns the total width of the glyphs of raw, in thousandths of
// an em, and their number; each calls glyph (with whether it is a space).
func (pf *pdfFont) width(raw string, glyph func(space bool)) (float64, int) {
	var total float64
	n := 0
	if pf.twoByte {
		for i := 0; i+1 < len(raw); i += 2 {
			w, ok := pf.cidW[int(raw[i])<<8|int(raw[i+1])]
			if !ok {
				w = pf.dw
			}
			total += w
			n++
			glyph(false)
		}
		return total, n
	}
	for i := 0; i < len(raw); i++ {
		total += pf.font.Width(int(raw[i]))
		n++
		glyph(raw[i] == ' ')
	}
	return total, n
}

// pdfLine is one line of text rebuilt from glyphs.
type pdfLine struct {
	x, y, size float64
	text       strings.Builder
	lastX      float64 // right edge of the last glyph
}

// pageText rebuilds the lines of one page from its glyphs, in the content
// stream's order (which is reading order for the office suites staff use,
// and keeps columns apart), then groups lines into paragraphs.
func pageText(glyphs []pdf.Text) string {
	var lines []*pdfLine
	var cur *pdfLine
	for _, g := range glyphs {
		if g.S == "" || math.IsNaN(g.X) || math.IsNaN(g.Y) || math.IsInf(g.X, 0) || math.IsInf(g.Y, 0) {
			continue
		}
		size := g.FontSize
		if size <= 0 || size > 1000 || math.IsNaN(size) {
			size = 10
		}
		newLine := cur == nil || math.Abs(g.Y-cur.y) > size*0.5 || g.X < cur.lastX-size*2
		if newLine {
			cur = &pdfLine{x: g.X, y: g.Y, size: size}
			lines = append(lines, cur)
		} else if gap := g.X - cur.lastX; gap > size*0.15 && !strings.HasSuffix(cur.text.String(), " ") && g.S != " " {
			cur.text.WriteByte(' ')
		}
		cur.text.WriteString(g.S)
		cur.lastX = g.X + g.W
		cur.size = math.Max(cur.size, size)
	}
	// A page number alone on the first or last line is furniture.
	for len(lines) > 0 && pageNumberLine.MatchString(lines[len(lines)-1].text.String()) {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && pageNumberLine.MatchString(lines[0].text.String()) {
		lines = lines[1:]
	}
	// Group lines into paragraphs: a gap larger than the usual line
	// spacing, or a line starting with a list bullet, starts a new one.
	spacing := usualSpacing(lines)
	var b strings.Builder
	for i, l := range lines {
		t := strings.TrimSpace(spaces.ReplaceAllString(l.text.String(), " "))
		if t == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			prev := lines[i-1]
			gap := prev.y - l.y
			switch {
			case gap > math.Max(spacing, l.size*1.2)*1.3 || gap < -spacing*0.5 || startsItem(t):
				b.WriteString("\n\n")
			default:
				b.WriteString("\n")
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

// usualSpacing is the most common distance between consecutive lines.
func usualSpacing(lines []*pdfLine) float64 {
	count := map[int]int{}
	for i := 1; i < len(lines); i++ {
		if d := lines[i-1].y - lines[i].y; d > 0 && d < 100 {
			count[int(math.Round(d))]++
		}
	}
	best, n := 14, 0
	keys := make([]int, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		if count[k] > n {
			best, n = k, count[k]
		}
	}
	return float64(best)
}

func startsItem(line string) bool {
	for _, p := range []string{"• ", "- ", "– ", "· ", "▪ ", "● "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// runningLineEdge is how many lines at the top and at the bottom of a page
// are looked at for a running header or footer.
const runningLineEdge = 2

// dropRunningLines removes the running headers and footers of a document's
// pages: a line among the first or last runningLineEdge of at least half
// the pages (and two), numbers aside ("Pagina 2 di 3" is "Pagina # di #").
// A line that matches only with its numbers masked must be on three pages
// or more ("Articolo 1", "Articolo 2" at two page ends are text), and a
// line without letters never matches (the rows of a table of figures). If
// nothing would be left, the pages stay as they are.
func dropRunningLines(pages []string) []string {
	if len(pages) < 2 {
		return pages
	}
	lines := make([][]string, len(pages))
	seen := map[string]int{}
	for i, p := range pages {
		lines[i] = strings.Split(p, "\n")
		onPage := map[string]bool{}
		for _, j := range edgeLines(lines[i]) {
			if k := runningKey(lines[i][j]); k != "" && !onPage[k] {
				onPage[k] = true
				seen[k]++
			}
		}
	}
	need := max(2, (len(pages)+1)/2)
	running := func(k string) bool {
		n := need
		if strings.Contains(k, "#") {
			n = max(3, need)
		}
		return k != "" && seen[k] >= n
	}
	numbers := pageNumberLines(lines)
	out := make([]string, 0, len(pages))
	for i := range pages {
		drop := map[int]bool{}
		for _, j := range edgeLines(lines[i]) {
			if running(runningKey(lines[i][j])) || numbers[[2]int{i, j}] {
				drop[j] = true
			}
		}
		kept := lines[i][:0:0]
		for j, l := range lines[i] {
			if !drop[j] {
				kept = append(kept, l)
			}
		}
		if page := strings.TrimSpace(strings.Join(kept, "\n")); page != "" {
			out = append(out, page)
		}
	}
	if len(out) == 0 {
		return pages
	}
	return out
}

// wholeTitle returns the title the PDF's document information gives when
// it goes on where the title read from the first page stops (a title the
// layout wraps: "COMMISSION IMPLEMENTING REGULATION (EU)" and "2026/425"
// on the next line), else the title read.
func wholeTitle(read, info string) string {
	if len(info) > len(read) && read != "" && strings.HasPrefix(facetKey(info), facetKey(read)+" ") {
		return info
	}
	return read
}

// pageNumber matches a line that is only a page's number: "2", "- 2 -",
// "– 2 –", "2/5". Not "(2)": a recital.
var pageNumber = regexp.MustCompile(`^[-–—\s]*(\d{1,4})(?:\s*/\s*\d{1,4})?[-–—\s.]*$`)

// pageNumberLines finds the page numbers among the edge lines of the
// pages (see edgeLines), as page and line indexes: lines that are only a
// number, which counts the pages from the first (or a cover page before
// it), from one to the next, on at least half of them and two. A column of
// figures or years does not count the pages so.
func pageNumberLines(lines [][]string) map[[2]int]bool {
	type at struct{ page, line, offset int }
	var found []at
	offsets := map[int]int{}
	for i, ls := range lines {
		seen := map[int]bool{}
		for _, j := range edgeLines(ls) {
			m := pageNumber.FindStringSubmatch(strings.TrimSpace(ls[j]))
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[1])
			off := n - i
			if off < 0 || off > len(lines) {
				continue // not counting these pages from their first ("2022", "2023")
			}
			if !seen[off] {
				seen[off] = true
				offsets[off]++
			}
			found = append(found, at{i, j, off})
		}
	}
	best, count := 0, 0
	for off, n := range offsets {
		if n > count || n == count && off < best {
			best, count = off, n
		}
	}
	if count < max(2, (len(lines)+1)/2) {
		return nil
	}
	drop := map[[2]int]bool{}
	for _, f := range found {
		if f.offset == best {
			drop[[2]int{f.page, f.line}] = true
		}
	}
	return drop
}

// edgeLines returns the indexes of the first and last runningLineEdge
// non-blank lines.
func edgeLines(lines []string) []int {
	var idx []int
	for j := range lines {
		if strings.TrimSpace(lines[j]) != "" {
			idx = append(idx, j)
		}
	}
	if len(idx) <= 2*runningLineEdge {
		return idx
	}
	return append(idx[:runningLineEdge:runningLineEdge], idx[len(idx)-runningLineEdge:]...)
}

// runningKey is a line lower-cased with each run of digits masked as "#",
// for comparing headers and footers across pages; "" for a line without
// letters.
func runningKey(l string) string {
	var b strings.Builder
	digits, letters := false, false
	for _, r := range strings.ToLower(strings.TrimSpace(l)) {
		if unicode.IsDigit(r) {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		letters = letters || unicode.IsLetter(r)
		b.WriteRune(r)
	}
	if !letters {
		return ""
	}
	return b.String()
}

// joinPages joins lines inside paragraphs: a word hyphenated at the end of a
// line is mended ("inter-\nnational" -> "international"), other line breaks
// inside a paragraph are kept (Markdown reads them as spaces), and bullets
// become Markdown list items.
func joinPages(text string) string {
	paras := strings.Split(text, "\n\n")
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		b := make([]byte, 0, len(p))
		for j, l := range lines {
			if j > 0 {
				// The paragraph's last bytes are enough to see a hyphenated word
				// (no copy of the whole paragraph per line).
				if hyphenated(string(b[max(0, len(b)-8):]), l) {
					b = b[:len(b)-1]
				} else {
					b = append(b, '\n')
				}
			}
			b = append(b, l...)
		}
		s := string(b)
		for _, bullet := range []string{"• ", "· ", "▪ ", "● "} {
			if strings.HasPrefix(s, bullet) {
				s = "- " + strings.TrimPrefix(s, bullet)
			}
		}
		paras[i] = s
	}
	return strings.TrimSpace(strings.Join(paras, "\n\n"))
}

// hyphenated reports whether prev ends with a word broken by a hyphen that
// next continues in lower case.
func hyphenated(prev, next string) bool {
	if !strings.HasSuffix(prev, "-") || len(prev) < 3 || next == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLetter(last) && unicode.IsLower(last) && unicode.IsLower(r)
}
